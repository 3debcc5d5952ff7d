"""Import one election in the qual-o-mat-data format (the Wahl-O-Mat's data).

A folder holds ``overview.json``, ``statement.json``, ``party.json``,
``answer.json``, ``opinion.json``, ``comment.json`` and optionally
``category.json``. The result is an ordinary ``Quiz`` (German, scale 3,
cityblock, missing neutral) whose positions carry the parties' justifications
but no program quotes (``quotes_required`` is off). Answers are mapped by their
meaning ("Stimme zu" → 1), never by their id.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import nh3

from valgomat.core.model import Evidence, Party, Program, Quiz, Statement, Topic

REQUIRED_FILES = ("overview", "statement", "party", "answer", "opinion", "comment")
ANSWER_VALUES = {"stimme zu": 1, "neutral": 0, "stimme nicht zu": -1}
NO_JUSTIFICATION = "Zu dieser These hat die Partei keine Begründung vorgelegt."
QUOTES = "\"'„“”‚‘’«»"
GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
PALETTE = ("#b3261e", "#1d4e89", "#2e7d32", "#6a1b9a", "#c75b00", "#00695c", "#5d4037",
           "#ad1457", "#283593", "#558b2f", "#4e342e", "#00838f", "#6d4c41", "#37474f")


class ImportProblems(Exception):
    """Everything wrong with the folder, one readable line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def slugify(text: str, fallback: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.lower().translate(GERMAN))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].strip("-")
    return slug or fallback


def clean_justification(text: str | None) -> str:
    """Plain text without the wrapping quotation marks, tags or the "none given" note."""
    if not text:
        return ""
    plain = html.unescape(nh3.clean(text, tags=set())).strip()
    if len(plain) >= 2 and plain[0] in QUOTES and plain[-1] in QUOTES:
        plain = plain[1:-1].strip()
    return "" if plain == NO_JUSTIFICATION else plain


def read_election(folder: Path, slug: str | None = None) -> Quiz:
    """The election in ``folder`` as a quiz; raises ``ImportProblems`` listing every problem."""
    data = _read_files(Path(folder))
    problems: list[str] = []
    quiz = _build(data, slug, problems)
    if problems or quiz is None:
        raise ImportProblems(problems)
    return quiz


def _read_files(folder: Path) -> dict[str, Any]:
    if not folder.is_dir():
        raise ImportProblems([f"{folder}: not a folder"])
    missing = [f"{name}.json" for name in REQUIRED_FILES if not (folder / f"{name}.json").is_file()]
    if missing:
        raise ImportProblems([f"{folder}: not a qual-o-mat election folder (missing "
                              f"{', '.join(missing)})"])
    data, problems = {}, []
    for name in (*REQUIRED_FILES, "category"):
        path = folder / f"{name}.json"
        if path.is_file():
            try:
                data[name] = json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                problems.append(f"{path}: not valid UTF-8 JSON ({exc})")
    if problems:
        raise ImportProblems(problems)
    return data


def _records(data: dict[str, Any], name: str, keys: tuple[str, ...],
             problems: list[str]) -> dict[int, dict[str, Any]]:
    """The records of ``<name>.json`` by id, checking the shape of each."""
    items = data.get(name, [])
    if not isinstance(items, list):
        problems.append(f"{name}.json: expected a list of records")
        return {}
    records: dict[int, dict[str, Any]] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or any(key not in item for key in ("id", *keys)) \
                or not isinstance(item["id"], int):
            problems.append(f"{name}.json: record {index + 1} needs the keys "
                            f"id, {', '.join(keys)}")
        elif item["id"] in records:
            problems.append(f"{name}.json: duplicate id {item['id']}")
        else:
            records[item["id"]] = item
    return records


def _build(data: dict[str, Any], slug: str | None, problems: list[str]) -> Quiz | None:
    overview = data["overview"] if isinstance(data["overview"], dict) else {}
    if not overview.get("title"):
        problems.append("overview.json: needs a title")
    tables = {name: _records(data, name, keys, problems) for name, keys in (
        ("statement", ("text",)), ("party", ("name",)), ("answer", ("message",)),
        ("opinion", ("party", "statement", "answer")), ("comment", ("text",)),
        ("category", ("label",)))}
    values = _answer_values(tables["answer"], problems)
    topics, topic_of = _topics(tables["statement"], tables["category"])
    statements = _statements(tables["statement"], topic_of)
    parties = _parties(tables, values, statements, overview, problems)
    if problems:
        return None
    title = f"{overview['title']} {str(overview.get('date', ''))[:4]}".strip()
    return Quiz(
        slug=slug or slugify(str(overview.get("slug") or title), "wahl-o-mat"),
        title={"de": title}, description={"de": _description(overview, title)},
        languages=("de",), scale=3, method="cityblock", missing="neutral",
        importance_multiplier=2.0, topics=topics,
        statements=tuple(statements.values()), parties=tuple(parties), quotes_required=False)


def _answer_values(answers: dict[int, dict[str, Any]], problems: list[str]) -> dict[int, int]:
    values = {}
    for answer_id, record in answers.items():
        meaning = str(record["message"]).strip().lower()
        if meaning not in ANSWER_VALUES:
            problems.append(f"answer.json: unknown answer '{record['message']}' (expected "
                            "Stimme zu, Neutral or Stimme nicht zu)")
        else:
            values[answer_id] = ANSWER_VALUES[meaning]
    return values


def _topics(statements: dict[int, dict[str, Any]], categories: dict[int, dict[str, Any]]
            ) -> tuple[tuple[Topic, ...], dict[int, str]]:
    topics: dict[str, Topic] = {}
    topic_of: dict[int, str] = {}
    for statement_id, record in sorted(statements.items()):
        category = categories.get(record.get("category"))  # type: ignore[arg-type]
        label = str(category["label"]) if category else "Thesen"
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


def _statements(records: dict[int, dict[str, Any]], topic_of: dict[int, str]
                ) -> dict[int, Statement]:
    taken: set[str] = set()
    return {
        sid: Statement(_unique(slugify(str(r.get("label") or ""), f"these-{position}"), taken),
                       topic_of[sid], {"de": str(r["text"]).strip()}, order=position)
        for position, (sid, r) in enumerate(sorted(records.items()), start=1)
    }


def _description(overview: dict[str, Any], title: str) -> str:
    source = overview.get("data_source") or "wahl-o-mat.de"
    return (f"Wahl-O-Mat der Bundeszentrale für politische Bildung: {title}. "
            f"Thesen, Antworten und Begründungen der Parteien aus {source}.")


def _parties(tables: dict[str, dict[int, dict[str, Any]]], values: dict[int, int],
             statements: dict[int, Statement], overview: dict[str, Any],
             problems: list[str]) -> list[Party]:
    stated = _opinions(tables, values, statements, problems)
    for sid, statement in statements.items():
        if not any(sid in by_statement for by_statement in stated.values()):
            problems.append(f"opinion.json: statement {sid} ('{statement.text['de'][:40]}') "
                            "has no opinions")
    taken: set[str] = set()
    program = Program(f"Wahl-O-Mat: {overview.get('title', '')}",
                      _http(overview.get("data_source")))
    parties = []
    for index, (pid, record) in enumerate(sorted(tables["party"].items())):
        if pid not in stated:
            problems.append(f"opinion.json: party {pid} ('{record['name']}') has no opinions")
            continue
        name = str(record["name"]).strip()
        positions = {s.id: None for s in statements.values()}
        evidence = {}
        for sid, (value, justification) in stated[pid].items():
            statement_id = statements[sid].id
            positions[statement_id] = value
            evidence[statement_id] = Evidence("", "", "high",
                                              {"de": justification} if justification else {})
        parties.append(Party(_unique(slugify(name, f"partei-{pid}"), taken),
                             str(record.get("longname") or name).strip(), name,
                             PALETTE[index % len(PALETTE)], program, positions, evidence))
    return parties


def _opinions(tables: dict[str, dict[int, dict[str, Any]]], values: dict[int, int],
              statements: dict[int, Statement], problems: list[str]
              ) -> dict[int, dict[int, tuple[int, str]]]:
    """Party id → statement id → (value, cleaned justification)."""
    stated: dict[int, dict[int, tuple[int, str]]] = {}
    for oid, opinion in sorted(tables["opinion"].items()):
        where = f"opinion.json: opinion {oid}"
        party, statement, answer = opinion["party"], opinion["statement"], opinion["answer"]
        comment = opinion.get("comment")
        if party not in tables["party"]:
            problems.append(f"{where} names unknown party {party}")
        elif statement not in statements:
            problems.append(f"{where} names unknown statement {statement}")
        elif answer not in values:
            problems.append(f"{where} names unknown answer {answer}")
        elif comment is not None and comment not in tables["comment"]:
            problems.append(f"{where} names unknown comment {comment}")
        elif statement in stated.get(party, {}):
            problems.append(f"{where} repeats party {party} on statement {statement}")
        else:
            text = tables["comment"][comment]["text"] if comment is not None else ""
            stated.setdefault(party, {})[statement] = (values[answer],
                                                       clean_justification(text))
    return stated


def _http(url: Any) -> str:
    return url if isinstance(url, str) and re.fullmatch(r"https?://\S+", url) else ""
