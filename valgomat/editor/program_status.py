"""The party page's program section: the program's details, its stored text's size and
hashes, and the party's quotes that its program no longer holds (these block
publishing: the draft check finds them too)."""

from __future__ import annotations

from dataclasses import dataclass, field

from valgomat.core.content.programs import MissingQuote, ProgramFile, missing_quotes
from valgomat.storage import models
from valgomat.storage.programs import program_text


@dataclass(frozen=True)
class QuoteNotFound:
    statement: models.Statement
    missing: MissingQuote


@dataclass(frozen=True)
class ProgramStatus:
    details: dict[str, str]
    size: int | None  # bytes of the stored text; None when none is stored
    not_found: list[QuoteNotFound] = field(default_factory=list)


def program_status(party: models.Party | None) -> ProgramStatus | None:
    """The program section of ``party``'s page (None for a party not saved yet)."""
    if party is None:
        return None
    details = dict(party.program or {})
    text = program_text(details["sha256"]) if details.get("sha256") else None
    if text is None:
        return ProgramStatus(details, None)
    statements = {p.statement.slug: p.statement for p in party.positions
                  if p.statement.active and p.value is not None and p.quote}
    program = ProgramFile(details.get("file", ""), text)
    quotes = ((p.statement.slug, p.quote) for p in party.positions
              if p.statement.slug in statements)
    return ProgramStatus(details, len(text.encode("utf-8")), [
        QuoteNotFound(statements[missing.statement_id], missing)
        for missing in missing_quotes(quotes, program)])
