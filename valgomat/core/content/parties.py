"""Checking the party files of one quiz: ``positions/<quiz-slug>/<party-id>.yaml``.

A party file is checked against what its quiz file declared (a ``QuizDraft``):
its languages, its scale and its statement ids. Whatever the quiz file failed
to declare is not checked, so a broken quiz file does not bury its party files
under follow-on problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from valgomat.core.content.limits import (
    LONG_TEXT_LENGTH,
    NAME_LENGTH,
    PROGRAM_DATE_LENGTH,
    PROGRAM_FILE_LENGTH,
    SHORT_NAME_LENGTH,
    SOURCE_LENGTH,
    URL_LENGTH,
)
from valgomat.core.content.programs import PROGRAM_FILE_RE, ProgramFile, quote_problems
from valgomat.core.content.rules import (
    LANGUAGE_RE,
    Checker,
    Entry,
    Node,
    Problem,
    Scalar,
    peek,
    sub,
)
from valgomat.core.model import CONFIDENCES, SCALES, Evidence, Party, Program, Quiz

if TYPE_CHECKING:
    from valgomat.core.content.build import SourceFile

PARTY_REQUIRED = ("id", "name", "short_name", "colour", "program")
PARTY_OPTIONAL = ("positions",)
PROGRAM_REQUIRED = ("title",)
PROGRAM_OPTIONAL = ("url", "file", "publisher", "date", "language", "source_sha256")
STATED_KEYS = ("quote", "source", "confidence", "justification")
COLOUR_RE = re.compile(r"#[0-9a-fA-F]{6}")
URL_RE = re.compile(r"https?://\S+")
SHA256_RE = re.compile(r"[0-9a-f]{64}")

Stated = tuple[int | None, Evidence | None]


@dataclass
class QuizDraft:
    """What a quiz file declared, as far as it is valid; ``quiz`` only when all of it is."""

    slug: str
    languages: tuple[str, ...] | None = None
    scale: int | None = None
    statement_ids: frozenset[str] | None = None
    quotes_required: bool = True
    quiz: Quiz | None = None
    # File name -> text of the programs that could be read; None: no program files at
    # hand (an editor's draft), so quotes are not checked. A file missing here was
    # reported by whoever read the files.
    programs: Mapping[str, ProgramFile] | None = None


def check_parties(files: Iterable[SourceFile], draft: QuizDraft
                  ) -> tuple[list[Party], list[Problem]]:
    """The valid parties sorted by id, and the problems of all the files."""
    parties: list[Party] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for file in files:
        party, found = check_party(file, draft)
        declared = peek(file.node, "id")
        if declared is not None:
            shown = str(declared.value)
            if shown in seen:
                found = sorted([*found, Problem(file.path, declared.line, f"duplicate party id "
                                                f"'{shown}' (also in {seen[shown]})")],
                               key=lambda problem: problem.line or 0)
            seen.setdefault(shown, file.path)
        problems.extend(found)
        if party is not None and not found:
            parties.append(party)
    return sorted(parties, key=lambda p: p.id), problems


def check_party(file: SourceFile, draft: QuizDraft) -> tuple[Party | None, list[Problem]]:
    check = Checker(file.path)
    check.problems.extend(file.problems)
    fields = check.fields(file.node, "", PARTY_REQUIRED, PARTY_OPTIONAL)
    party = None if fields is None else _party(check, fields, file.stem, draft)
    return (party if not check.problems else None), check.sorted_problems()


def _party(check: Checker, fields: dict[str, Node], stem: str, draft: QuizDraft
           ) -> Party | None:
    stated = _positions(check, fields.get("positions"), draft)
    program_file = None
    program = _program(check, fields.get("program"))
    if program is not None and program.file and draft.programs is not None:
        program_file = draft.programs.get(program.file)
        if program_file is not None:
            program = replace(program, sha256=program_file.sha256)
    values: dict[str, Any] = {
        "id": check.own_id(fields.get("id"), "id", stem),
        "name": check.text(fields.get("name"), "name"),
        "short_name": check.text(fields.get("short_name"), "short_name", SHORT_NAME_LENGTH),
        "colour": _colour(check, fields.get("colour")),
        "program": program,
    }
    if stated is None or None in values.values():
        return None
    positions = {sid: value for sid, (value, _) in stated.items()}
    evidence = {sid: found for sid, (_, found) in stated.items() if found is not None}
    party = Party(**values, positions=positions, evidence=evidence)
    if program_file is not None:
        check.problems.extend(quote_problems(check.path, party, fields.get("positions"),
                                             program_file))
    return party


def _colour(check: Checker, node: Node | None) -> str | None:
    if isinstance(node, Scalar) and node.value is None:
        check.report(node.line, 'colour is empty (quote it, like "#c8102e": an unquoted # '
                                "starts a YAML comment)")
        return None
    colour = check.text(node, "colour")
    if colour is not None and node is not None and not COLOUR_RE.fullmatch(colour):
        check.report(node.line, f"colour '{colour}' is not a #rrggbb colour (like \"#c8102e\")")
        return None
    return colour


def _program(check: Checker, node: Node | None) -> Program | None:
    fields = check.fields(node, "program", PROGRAM_REQUIRED, PROGRAM_OPTIONAL)
    if fields is None:
        return None
    values = {
        "title": check.text(fields.get("title"), "program title"),
        "url": _matching(check, fields["url"], "url", URL_RE,
                         "must start with http:// or https://", URL_LENGTH)
        if "url" in fields else "",
        "file": _matching(check, fields["file"], "file", PROGRAM_FILE_RE,
                          "must be a file name in programs/<quiz-slug>/ ending in .txt or .md "
                          "(letters, digits, '.', '_' and '-'; no folders)", PROGRAM_FILE_LENGTH)
        if "file" in fields else "",
        "publisher": check.text(fields["publisher"], "program publisher")
        if "publisher" in fields else "",
        "date": check.text(fields["date"], "program date", PROGRAM_DATE_LENGTH)
        if "date" in fields else "",
        "language": _matching(check, fields["language"], "language", LANGUAGE_RE,
                              "is not a language code (like nb, sv or en)")
        if "language" in fields else "",
        "source_sha256": _matching(check, fields["source_sha256"], "source_sha256", SHA256_RE,
                                   "is not a SHA-256 (64 lowercase hexadecimal digits)")
        if "source_sha256" in fields else "",
    }
    present = {name: value for name, value in values.items() if value is not None}
    return Program(**present) if len(present) == len(values) else None


def _matching(check: Checker, node: Node, key: str, pattern: re.Pattern[str], wrong: str,
              limit: int = NAME_LENGTH) -> str | None:
    """The text of the program's ``key`` when ``pattern`` matches all of it; else a
    problem saying it ``wrong``."""
    value = check.text(node, f"program {key}", limit)
    if value is not None and not pattern.fullmatch(value):
        check.report(node.line, f"program {key} '{value}' {wrong}")
        return None
    return value


def _positions(check: Checker, node: Node | None, draft: QuizDraft
               ) -> dict[str, Stated] | None:
    """Statement id → (value, evidence) for the listed statements; ``None`` if any is bad."""
    if node is None:
        return {}
    entries = check.entries(node, "positions")
    if entries is None:
        return None
    result: dict[str, Stated] = {}
    for entry in entries:
        stated = _position(check, entry, draft) if _known(check, entry, draft) else None
        if stated is not None:
            result[entry.key] = stated
    return result if len(result) == len(entries) else None


def _known(check: Checker, entry: Entry, draft: QuizDraft) -> bool:
    if draft.statement_ids is None:
        return check.slug(Scalar(entry.key, entry.line), "positions key") is not None
    if entry.key in draft.statement_ids:
        return True
    check.report(entry.line, f"position for unknown statement '{entry.key}' "
                             f"(not in questions/{draft.slug}.yaml)")
    return False


def _position(check: Checker, entry: Entry, draft: QuizDraft) -> Stated | None:
    where = f"position '{entry.key}'"
    fields = check.fields(entry.value, where, ("value",), STATED_KEYS)
    if fields is None or "value" not in fields:
        return None
    value = fields["value"]
    if isinstance(value, Scalar) and value.value is None:
        return _null_position(check, fields, where, draft)
    # Without required quotes (imported answers) all evidence is optional,
    # confidence too: an import must not claim one that its source never gave.
    required = STATED_KEYS if draft.quotes_required else ()
    for key in required:
        if key not in fields:
            check.report(entry.value.line, f"missing required key '{key}' in {where} "
                                           "(required when value is not null)")
    scale = draft.scale or 5
    evidence: dict[str, Any] = {
        "quote": _evidence_text(check, fields, "quote", where, required, LONG_TEXT_LENGTH),
        "source": _evidence_text(check, fields, "source", where, required, SOURCE_LENGTH),
        "justification": {} if "justification" not in required + tuple(fields) else
        check.texts(fields.get("justification"), sub(where, "justification"),
                    draft.languages, LONG_TEXT_LENGTH),
    }
    confidence = None if "confidence" not in fields else check.choice(
        fields["confidence"], sub(where, "confidence"), CONFIDENCES)
    confidence = confidence if isinstance(confidence, str) else None
    stated = check.choice(value, sub(where, "value"), SCALES[scale].values,
                          f" (scale {scale}) or null" if draft.scale else " or null")
    if not isinstance(stated, int) or None in evidence.values() \
            or ("confidence" in fields and confidence is None):
        return None
    return stated, Evidence(confidence=confidence, **evidence)


def _evidence_text(check: Checker, fields: dict[str, Node], key: str, where: str,
                   required: tuple[str, ...], limit: int) -> str | None:
    """Evidence text; may be absent (empty) only where the quiz does not require quotes."""
    if key not in fields and key not in required:
        return ""
    return check.text(fields.get(key), sub(where, key), limit)


def _null_position(check: Checker, fields: dict[str, Node], where: str,
                   draft: QuizDraft) -> Stated | None:
    """A null position is just that: evidence belongs to stated positions only."""
    extra = [key for key in STATED_KEYS if key in fields]
    for key in extra:
        check.report(fields[key].line, f"{where} has '{key}' but value is null (no stated "
                                       "position); remove it or state a value")
    return None if extra else (None, None)
