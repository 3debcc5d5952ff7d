"""Party programs as content: ``programs/<quiz-slug>/<file>``, named by a party file's
``program.file``, and every quote of the party checked against its program.

``valgomat.content.files`` reads the program files (and reports the ones that are
missing, too large or not UTF-8); this module gets their texts and stays pure. A quote
must stand in its program verbatim, whitespace aside (``valgomat.core.quotes``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from valgomat.core.content.rules import Map, Node, Problem, Scalar
from valgomat.core.model import Party
from valgomat.core.quotes import ProgramText, closest_passage

# A plain file name in programs/<quiz-slug>/: no folders, so no way out of that folder.
PROGRAM_FILE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.(txt|md)")
PROGRAM_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class ProgramFile:
    """A program's text as read from ``path`` (shown in messages)."""

    path: str
    text: str

    @cached_property
    def prepared(self) -> ProgramText:
        return ProgramText(self.text)

    @cached_property
    def sha256(self) -> str:
        return text_sha256(self.text)


def text_sha256(text: str) -> str:
    """What names a program's text wherever it is kept: the SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MissingQuote:
    """A quote not found in its program, and the program's passage closest to it."""

    statement_id: str
    quote: str
    closest: str | None


def missing_quotes(quotes: Iterable[tuple[str, str]], program: ProgramFile
                   ) -> list[MissingQuote]:
    """The (statement id, quote) pairs whose quote does not stand in ``program``."""
    return [MissingQuote(statement_id, quote, closest_passage(program.prepared, quote))
            for statement_id, quote in quotes
            if quote and program.prepared.find(quote) is None]


def quote_problems(path: str, party: Party, positions: Node | None,
                   program: ProgramFile) -> list[Problem]:
    """A problem at the quote's line for each quote of ``party`` not found in ``program``."""
    problems = []
    quotes = ((statement_id, evidence.quote) for statement_id, evidence in
              party.evidence.items())
    for missing in missing_quotes(quotes, program):
        shown = f' (closest passage: "{missing.closest}")' if missing.closest else ""
        problems.append(Problem(path, _quote_line(positions, missing.statement_id),
                                f"quote not found in {program.path}{shown}"))
    return problems


def _quote_line(positions: Node | None, statement_id: str) -> int | None:
    if not isinstance(positions, Map):
        return None
    for key, value in positions.items:
        if isinstance(key, Scalar) and key.value == statement_id:
            if isinstance(value, Map):
                for field, item in value.items:
                    if isinstance(field, Scalar) and field.value == "quote":
                        return item.line
            return key.line
    return None
