"""Import one election in the qual-o-mat-data format (the Wahl-O-Mat's data).

A folder holds ``overview.json``, ``statement.json``, ``party.json``,
``answer.json``, ``opinion.json`` and optionally ``comment.json`` and
``category.json`` (read and shape-checked by ``qualomat_files``). The result is
an ordinary ``Quiz`` (German, scale 3, cityblock, missing neutral) whose
positions carry the parties' justifications but no program quotes and no
confidence (``quotes_required`` is off; the Wahl-O-Mat states neither). Answers
are mapped by their meaning ("Stimme zu" → 1), never by their id. Every party
must answer every statement: a missing opinion is reported, never scored as
neutral.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from valgomat.content.importers.justifications import clean_justification
from valgomat.content.importers.qualomat_files import Election, ImportProblems, Table, read_folder
from valgomat.core.colour import categorical_palette
from valgomat.core.content.limits import (
    LONG_TEXT_LENGTH,
    MAX_JSON_BYTES,
    NAME_LENGTH,
    SHORT_NAME_LENGTH,
    STATEMENT_LENGTH,
    URL_LENGTH,
    text_problem,
)
from valgomat.core.model import Evidence, Party, Program, Quiz, Statement, Topic

__all__ = ["ImportProblems", "clean_justification", "read_election", "slugify"]

ANSWER_VALUES = {"stimme zu": 1, "neutral": 0, "stimme nicht zu": -1}
GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# The parties' colours fill the result's bars on their track (--soft in valgomat.css) and
# the selection's swatches: graphics, so WCAG's 3:1 against the track; away from the text
# colour (--fg) too. Each party gets its own colour, however many there are.
BAR_TRACK, TEXT_COLOUR, GRAPHICS_CONTRAST = "#f3f4f6", "#1a1a1a", 3.0
PROGRAM_PREFIX = "Wahl-O-Mat: "
# The title also names the quiz ("… 2002") and each party's program ("Wahl-O-Mat: …").
TITLE_LENGTH = NAME_LENGTH - len(PROGRAM_PREFIX) - 5

Stated = dict[int, dict[int, tuple[int, str]]]  # party id → statement id → (value, text)


def slugify(text: str, fallback: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.lower().translate(GERMAN))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].strip("-")
    return slug or fallback


def read_election(folder: Path, slug: str | None = None) -> Quiz:
    """The election in ``folder`` as a quiz; raises ``ImportProblems`` listing every problem."""
    election = read_folder(Path(folder))
    problems = _text_problems(election)
    if problems:
        raise ImportProblems(problems)
    quiz = _build(election, slug, problems)
    if problems or quiz is None:
        raise ImportProblems(problems)
    return quiz


# (file, key, limit, may be empty): every text that becomes part of the quiz.
TEXTS = (("statement", "text", STATEMENT_LENGTH, False),
         ("party", "name", SHORT_NAME_LENGTH, False),
         ("party", "longname", NAME_LENGTH, True),
         ("comment", "text", LONG_TEXT_LENGTH, True),
         ("category", "label", NAME_LENGTH, False))


def _text_problems(election: Election) -> list[str]:
    problems = [f"{election.where['overview']}: {key} {wrong}"
                for key, limit in (("title", TITLE_LENGTH), ("data_source", URL_LENGTH))
                if (wrong := _wrong_text(election.overview.get(key), limit))]
    for name, key, limit, may_be_empty in TEXTS:
        for record_id, record in sorted(election.tables[name].items()):
            text = record.get(key)
            # A comment's length counts once cleaned: that is the stored text.
            wrong = _wrong_text(text, limit if name != "comment" else MAX_JSON_BYTES,
                                may_be_empty)
            if wrong is None and name == "comment":
                wrong = _wrong_text(clean_justification(text), limit)
            if wrong:
                problems.append(f"{election.where[name]}: {name} {record_id}: {key} {wrong}")
    return problems


def _wrong_text(text: Any, limit: int, may_be_empty: bool = True) -> str | None:
    if not isinstance(text, str):
        return None
    if not text.strip() and not may_be_empty:
        return "is empty"
    return text_problem(text.strip(), limit)


def _build(election: Election, slug: str | None, problems: list[str]) -> Quiz | None:
    overview, tables = election.overview, election.tables
    values = _answer_values(tables["answer"], election.where["answer"], problems)
    topics, topic_of = _topics(election, problems)
    statements = _statements(tables["statement"], topic_of)
    parties = _parties(election, values, statements, problems)
    if problems:
        return None
    title = f"{overview['title'].strip()} {str(overview.get('date') or '')[:4]}".strip()
    return Quiz(
        slug=slug or slugify(str(overview.get("slug") or title), "wahl-o-mat"),
        title={"de": title}, description={"de": _description(overview, title)},
        languages=("de",), scale=3, method="cityblock", missing="neutral",
        importance_multiplier=2.0, topics=topics,
        statements=tuple(statements.values()), parties=tuple(parties), quotes_required=False)


def _answer_values(answers: Table, where: str, problems: list[str]) -> dict[int, int]:
    values = {}
    for answer_id, record in answers.items():
        meaning = record["message"].strip().lower()
        if meaning not in ANSWER_VALUES:
            problems.append(f"{where}: unknown answer '{record['message'][:40]}' (expected "
                            "Stimme zu, Neutral or Stimme nicht zu)")
        else:
            values[answer_id] = ANSWER_VALUES[meaning]
    return values


def _topics(election: Election, problems: list[str]
            ) -> tuple[tuple[Topic, ...], dict[int, str]]:
    """One topic per category (statements without one share "Thesen")."""
    categories = election.tables["category"]
    topics: dict[str, Topic] = {}
    topic_of: dict[int, str] = {}
    for statement_id, record in sorted(election.tables["statement"].items()):
        category_id = record.get("category")
        if category_id is not None and category_id not in categories:
            problems.append(f"{election.where['statement']}: statement {statement_id} names "
                            f"unknown category {category_id}")
        category = categories.get(category_id) if category_id is not None else None
        label = category["label"].strip() if category else "Thesen"
        topic_id = slugify(label, "thesen")
        topics.setdefault(topic_id, Topic(topic_id, {"de": label}))
        topic_of[statement_id] = topic_id
    return tuple(topics.values()), topic_of


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _statements(records: Table, topic_of: dict[int, str]) -> dict[int, Statement]:
    taken: set[str] = set()
    return {
        sid: Statement(_unique(slugify(r.get("label") or "", f"these-{position}"), taken),
                       topic_of[sid], {"de": r["text"].strip()}, order=position)
        for position, (sid, r) in enumerate(sorted(records.items()), start=1)
    }


def _description(overview: dict[str, Any], title: str) -> str:
    source = overview.get("data_source") or "wahl-o-mat.de"
    return (f"Wahl-O-Mat der Bundeszentrale für politische Bildung: {title}. "
            f"Thesen, Antworten und Begründungen der Parteien aus {source}.")


def _parties(election: Election, values: dict[int, int], statements: dict[int, Statement],
             problems: list[str]) -> list[Party]:
    stated = _opinions(election, values, statements, problems)
    if not problems:  # else a broken opinion would be reported as missing, too
        problems += _missing_opinions(election, stated, statements)
    taken: set[str] = set()
    overview = election.overview
    program = Program(f"{PROGRAM_PREFIX}{overview['title'].strip()}",
                      _http(overview.get("data_source")))
    parties = []
    palette = categorical_palette(len(election.tables["party"]), BAR_TRACK, GRAPHICS_CONTRAST,
                                  avoid=(TEXT_COLOUR,))
    for index, (pid, record) in enumerate(sorted(election.tables["party"].items())):
        if pid not in stated:
            continue
        name = record["name"].strip()
        positions: dict[str, int | None] = {s.id: None for s in statements.values()}
        evidence = {}
        for sid, (value, justification) in stated[pid].items():
            statement_id = statements[sid].id
            positions[statement_id] = value
            evidence[statement_id] = Evidence("", "", None,
                                              {"de": justification} if justification else {})
        parties.append(Party(_unique(slugify(name, f"partei-{pid}"), taken),
                             (record.get("longname") or name).strip(), name,
                             palette[index % len(palette)], program, positions, evidence))
    return parties


def _missing_opinions(election: Election, stated: Stated,
                      statements: dict[int, Statement]) -> list[str]:
    """A party silent on a statement is an error: the Wahl-O-Mat asks every party everything."""
    where, parties = election.where["opinion"], election.tables["party"]
    answered = {sid for by_statement in stated.values() for sid in by_statement}
    problems = [f"{where}: statement {sid} ('{statement.text['de'][:40]}') has no opinions"
                for sid, statement in statements.items() if sid not in answered]
    for pid, record in sorted(parties.items()):
        if pid not in stated:
            problems.append(f"{where}: party {pid} ('{record['name'][:40]}') has no opinions")
            continue
        problems += [f"{where}: party {pid} ('{record['name'][:40]}') has no opinion on "
                     f"statement {sid} ('{statement.text['de'][:40]}')"
                     for sid, statement in statements.items()
                     if sid in answered and sid not in stated[pid]]
    return problems


def _opinions(election: Election, values: dict[int, int], statements: dict[int, Statement],
              problems: list[str]) -> Stated:
    """Party id → statement id → (value, cleaned justification)."""
    tables = election.tables
    stated: Stated = {}
    comments = tables["comment"]
    no_comments = "" if "comment" in election.present else " (there is no comment.json)"
    for oid, opinion in sorted(tables["opinion"].items()):
        where = f"{election.where['opinion']}: opinion {oid}"
        party, statement, answer = opinion["party"], opinion["statement"], opinion["answer"]
        comment = opinion.get("comment")
        if party not in tables["party"]:
            problems.append(f"{where} names unknown party {party}")
        elif statement not in statements:
            problems.append(f"{where} names unknown statement {statement}")
        elif answer not in values:
            problems.append(f"{where} names unknown answer {answer}")
        elif comment is not None and comment not in comments:
            problems.append(f"{where} names unknown comment {comment}{no_comments}")
        elif statement in stated.get(party, {}):
            problems.append(f"{where} repeats party {party} on statement {statement}")
        else:
            text = comments[comment]["text"] if comment is not None else ""
            stated.setdefault(party, {})[statement] = (values[answer],
                                                       clean_justification(text))
    return stated


def _http(url: Any) -> str:
    return url if isinstance(url, str) and re.fullmatch(r"https?://\S+", url) else ""
