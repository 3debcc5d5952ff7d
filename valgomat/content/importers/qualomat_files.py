"""Reading a qual-o-mat election folder: files, JSON and the shape of every record.

Whatever is wrong becomes a line naming the file the user gave (never a
traceback): a missing file or a folder in its place, a file over the size
limit (refused before it is read), bytes that are not UTF-8, broken or empty
JSON, a list where an object belongs, a record without its keys or with a
value of the wrong type, too many records. ``comment.json`` may be missing:
the 2002 Wahl-O-Mat had no justifications, and the collection's schema allows
that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from valgomat.core.content.limits import (
    MAX_JSON_BYTES,
    MAX_PARTIES,
    MAX_POSITIONS,
    MAX_STATEMENTS,
    MAX_TOPICS,
    count_problem,
    size_problem,
)

REQUIRED_FILES = ("overview", "statement", "party", "answer", "opinion")
OPTIONAL_FILES = ("comment", "category")
MAX_ANSWERS = 10
# Ids and answers are small; nine digits keep every id in a 32-bit database column.
MAX_INT_DIGITS = 9

Record = dict[str, Any]
Table = dict[int, Record]

_TEXT, _NUMBER = (str,), (int,)
_MAYBE_TEXT, _MAYBE_NUMBER = (str, type(None)), (int, type(None))


@dataclass(frozen=True)
class Field:
    types: tuple[type, ...]
    required: bool = True


# The records of each file: key → allowed JSON types (besides the integer id).
SHAPES: dict[str, tuple[dict[str, Field], int]] = {
    "statement": ({"text": Field(_TEXT), "label": Field(_MAYBE_TEXT, False),
                   "category": Field(_MAYBE_NUMBER, False)}, MAX_STATEMENTS),
    "party": ({"name": Field(_TEXT), "longname": Field(_MAYBE_TEXT, False)}, MAX_PARTIES),
    "answer": ({"message": Field(_TEXT)}, MAX_ANSWERS),
    "opinion": ({"party": Field(_NUMBER), "statement": Field(_NUMBER),
                 "answer": Field(_NUMBER), "comment": Field(_MAYBE_NUMBER, False)},
                MAX_POSITIONS),
    "comment": ({"text": Field(_TEXT)}, MAX_POSITIONS),
    "category": ({"label": Field(_TEXT)}, MAX_TOPICS),
}
OVERVIEW: dict[str, Field] = {"title": Field(_TEXT), "date": Field(_MAYBE_TEXT, False),
                              "slug": Field(_MAYBE_TEXT, False),
                              "data_source": Field(_MAYBE_TEXT, False)}
JSON_TYPES = {str: "text", int: "a whole number", type(None): "null"}


class ImportProblems(Exception):
    """Everything wrong with the folder, one readable line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Election:
    """The checked contents of a folder; ``where[name]`` is the path to show for a file,
    ``present`` the optional files that exist."""

    overview: Record
    tables: dict[str, Table]
    where: dict[str, str]
    present: frozenset[str]


def read_folder(folder: Path) -> Election:
    """The files of ``folder``, every record checked for its shape; raises ``ImportProblems``."""
    if not folder.is_dir():
        raise ImportProblems([f"{folder}: not a folder"])
    missing = [f"{name}.json" for name in REQUIRED_FILES if not (folder / f"{name}.json").exists()]
    if missing:
        raise ImportProblems([f"{folder}: not a qual-o-mat election folder (missing "
                              f"{', '.join(missing)})"])
    where = {name: str(folder / f"{name}.json") for name in (*REQUIRED_FILES, *OPTIONAL_FILES)}
    problems: list[str] = []
    raw = {name: _load(folder / f"{name}.json", problems)
           for name in (*REQUIRED_FILES, *OPTIONAL_FILES)
           if name in REQUIRED_FILES or (folder / f"{name}.json").exists()}
    if problems:
        raise ImportProblems(problems)
    overview = _overview(raw["overview"], where["overview"], problems)
    tables = {name: _records(raw.get(name, []), where[name], *SHAPES[name], problems)
              for name in SHAPES}
    if problems:
        raise ImportProblems(problems)
    return Election(overview, tables, where, frozenset(raw))


def _load(path: Path, problems: list[str]) -> Any:
    if not path.is_file():
        problems.append(f"{path}: is not a file")
        return None
    try:
        too_large = size_problem(path.stat().st_size, MAX_JSON_BYTES)
        if too_large is not None:
            problems.append(f"{path}: {too_large}")
            return None
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        problems.append(f"{path}: cannot read ({exc.strerror})")
        return None
    except UnicodeDecodeError as exc:
        problems.append(f"{path}: not valid UTF-8 JSON (not UTF-8 at byte {exc.start})")
        return None
    if not text.strip():
        problems.append(f"{path}: is empty (expected JSON)")
        return None
    try:
        return json.loads(text, parse_int=_bounded_int)
    except (json.JSONDecodeError, RecursionError) as exc:
        problems.append(f"{path}: not valid UTF-8 JSON ({exc})")
    except ValueError as exc:  # an integer too long to be an id or a number here
        problems.append(f"{path}: {exc}")
    return None


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(text)} digits (at most {MAX_INT_DIGITS})")
    return int(text)


def _overview(data: Any, where: str, problems: list[str]) -> Record:
    if not isinstance(data, dict):
        problems.append(f"{where}: expected an object with a title, got {_kind(data)}")
        return {}
    wrong = _wrong_fields(data, OVERVIEW)
    problems += [f"{where}: {message}" for message in wrong]
    if not wrong and not data["title"].strip():
        problems.append(f"{where}: needs a title")
    return data


def _records(items: Any, where: str, shape: dict[str, Field], limit: int,
             problems: list[str]) -> Table:
    """The records of one file by id, checking the shape of each."""
    if not isinstance(items, list):
        problems.append(f"{where}: expected a list of records, got {_kind(items)}")
        return {}
    too_many = count_problem(len(items), limit, "records")
    if too_many is not None:
        problems.append(f"{where}: {too_many}")
        return {}
    records: Table = {}
    for index, item in enumerate(items, start=1):
        wrong = _record_problems(item, shape)
        if wrong:
            problems.append(f"{where}: record {index} {wrong}")
        elif item["id"] in records:
            problems.append(f"{where}: duplicate id {item['id']}")
        else:
            records[item["id"]] = item
    return records


def _record_problems(item: Any, shape: dict[str, Field]) -> str:
    if not isinstance(item, dict):
        return f"must be an object, got {_kind(item)}"
    wrong = _wrong_fields(item, {"id": Field(_NUMBER), **shape})
    if not wrong and item["id"] < 0:
        wrong.append(f"'id' must not be negative, got {item['id']}")
    return "; ".join(wrong)


def _wrong_fields(item: Record, shape: dict[str, Field]) -> list[str]:
    wrong = []
    for key, spec in shape.items():
        if key not in item:
            if spec.required:
                wrong.append(f"needs the key '{key}'")
        elif isinstance(item[key], bool) or not isinstance(item[key], spec.types):
            allowed = " or ".join(JSON_TYPES[kind] for kind in spec.types)
            wrong.append(f"'{key}' must be {allowed}, got {_kind(item[key])}")
    return wrong


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "text"
    return f"the number {value}"
