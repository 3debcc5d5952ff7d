"""The vocabulary of content checking: located values, problems and field readers.

Content files are parsed outside the core (``valgomat.content.files``) into the
small located-value tree defined here: ``Scalar``, ``Seq`` and ``Map``, each with
the 1-based line it starts on. A ``Map`` keeps every key/value pair in file
order, duplicates included, so duplicate keys can be reported.

A ``Checker`` collects the problems of one file. Its readers take a node (or
``None`` when a required key was missing, which ``fields`` already reported),
report what is wrong and return ``None``, or return the plain value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from valgomat.core.content.limits import (
    ID_LENGTH,
    LARGEST_INT,
    NAME_LENGTH,
    SMALLEST_INT,
    count_problem,
    text_problem,
)

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
SLUG_RULE = "use lowercase letters a-z, digits and hyphens, starting with a letter or digit"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the content files, shown as ``path:line: message``
    (``path: message`` when no line applies)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Scalar:
    """A plain YAML value (str, int, float, bool, None, or e.g. a date) and its source text."""

    value: object
    line: int
    raw: str = ""


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]
    line: int


@dataclass(frozen=True)
class Map:
    items: tuple[tuple[Node, Node], ...]
    line: int


Node: TypeAlias = Scalar | Seq | Map


@dataclass(frozen=True)
class Entry:
    """One key of a mapping whose key is text: the key, its line and its value."""

    key: str
    line: int
    value: Node


def describe(node: Node) -> str:
    """Name what was found, for messages: ``a list``, ``the number 3``, ``'abc'``."""
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    value, raw = node.value, _short(node.raw or str(node.value))
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {raw}"
    if isinstance(value, int | float):
        return f"the number {raw}"
    if isinstance(value, str):
        return repr(_short(value))
    return f"{raw} (a {type(value).__name__})"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def sub(where: str, key: str) -> str:
    """The label of ``key`` inside ``where`` (the top level has the empty label)."""
    return f"{where} {key}" if where else key


def place(where: str) -> str:
    return f"in {where}" if where else "at the top level"


def peek(node: Node | None, key: str) -> Scalar | None:
    """The first ``key`` of a mapping when its value is text (used to label items by id)."""
    if isinstance(node, Map):
        for k, v in node.items:
            if isinstance(k, Scalar) and k.value == key:
                return v if isinstance(v, Scalar) and isinstance(v.value, str) else None
    return None


def label(kind: str, node: Node, index: int) -> str:
    """``statement 'x'`` when the item has a valid id, else ``statement #3`` (1-based)."""
    found = peek(node, "id")
    if found is not None and SLUG_RE.fullmatch(str(found.value)):
        return f"{kind} '{found.value}'"
    return f"{kind} #{index + 1}"


class Checker:
    """Collects the problems of one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def entries(self, node: Node | None, where: str) -> list[Entry] | None:
        """The text-keyed entries of a mapping, first of each key; duplicates reported."""
        if node is None:
            return None
        if not where and isinstance(node, Scalar) and node.value is None:
            self.report(node.line, "the file is empty (expected a mapping of keys)")
            return None
        if not isinstance(node, Map):
            self.report(node.line, f"{where or 'the file'} must be a mapping, got {describe(node)}")
            return None
        found: dict[str, Entry] = {}
        for key, value in node.items:
            if not isinstance(key, Scalar) or not isinstance(key.value, str):
                self.report(key.line, f"key {describe(key)} {place(where)} must be text")
            elif key.value in found:
                first = found[key.value].line
                self.report(key.line, f"duplicate key '{key.value}' {place(where)} "
                                      f"(first at line {first})")
            else:
                found[key.value] = Entry(key.value, key.line, value)
        return list(found.values())

    def fields(self, node: Node | None, where: str, required: Sequence[str],
               optional: Sequence[str] = ()) -> dict[str, Node] | None:
        """A mapping with known keys: unknown and missing required keys are reported."""
        entries = self.entries(node, where)
        if entries is None or node is None:
            return None
        allowed = (*required, *optional)
        for entry in entries:
            if entry.key not in allowed:
                self.report(entry.line, f"unknown key '{entry.key}' {place(where)} "
                                        f"(allowed here: {', '.join(allowed)})")
        result = {e.key: e.value for e in entries if e.key in allowed}
        for key in required:
            if key not in result:
                self.report(node.line, f"missing required key '{key}' {place(where)}")
        return result

    def sequence(self, node: Node | None, where: str,
                 limit: int | None = None) -> tuple[Node, ...] | None:
        """A non-empty list of at most ``limit`` items."""
        if node is None:
            return None
        if not isinstance(node, Seq):
            self.report(node.line, f"{where} must be a list, got {describe(node)}")
            return None
        if not node.items:
            self.report(node.line, f"{where} must not be empty")
            return None
        too_many = None if limit is None else count_problem(len(node.items), limit, "entries")
        if too_many is not None:
            self.report(node.line, f"{where} {too_many}")
            return None
        return node.items

    def text(self, node: Node | None, where: str, limit: int = NAME_LENGTH) -> str | None:
        """Non-empty text of at most ``limit`` characters that a database can store."""
        if node is None:
            return None
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            hint = "" if not isinstance(node, Scalar) or node.value is None else " (quote it)"
            self.report(node.line, f"{where} must be text, got {describe(node)}{hint}")
            return None
        if not node.value.strip():
            self.report(node.line, f"{where} is empty")
            return None
        wrong = text_problem(node.value, limit)
        if wrong is not None:
            self.report(node.line, f"{where} {wrong}")
            return None
        return node.value

    def slug(self, node: Node | None, where: str) -> str | None:
        value = self.text(node, where, ID_LENGTH)
        if value is None or node is None:
            return None
        if not SLUG_RE.fullmatch(value):
            self.report(node.line, f"{where} '{value}' is not a valid id ({SLUG_RULE})")
            return None
        return value

    def texts(self, node: Node | None, where: str, languages: Sequence[str] | None,
              limit: int = NAME_LENGTH) -> dict[str, str] | None:
        """A mapping language → text, with every quiz language and no other."""
        entries = self.entries(node, where)
        if entries is None or node is None:
            return None
        result: dict[str, str] = {}
        ok = True
        for entry in entries:
            if languages is not None and entry.key not in languages:
                self.report(entry.line, f"{where} has text in '{entry.key}', which is not one "
                                        f"of the quiz's languages ({', '.join(languages)})")
                ok = False
                continue
            value = self.text(entry.value, f"{where}.{entry.key}", limit)
            ok = ok and value is not None
            if value is not None:
                result[entry.key] = value
        missing = [lang for lang in languages or () if lang not in {e.key for e in entries}]
        if missing:
            self.report(node.line, f"{where} is missing language(s): {', '.join(missing)}")
        if not ok or missing:
            return None
        return {lang: result[lang] for lang in languages} if languages is not None else result

    def number(self, node: Node | None, where: str, minimum: float) -> float | None:
        """A finite number (not a boolean) of at least ``minimum``."""
        if node is None:
            return None
        value = node.value if isinstance(node, Scalar) else None
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value):
            self.report(node.line, f"{where} must be a number, got {describe(node)}")
            return None
        if value < minimum:
            self.report(node.line, f"{where} must be at least {minimum:g}, got {describe(node)}")
            return None
        return float(value)

    def integer(self, node: Node | None, where: str) -> int | None:
        if node is None:
            return None
        value = node.value if isinstance(node, Scalar) else None
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(node.line, f"{where} must be a whole number, got {describe(node)}")
            return None
        if not SMALLEST_INT <= value <= LARGEST_INT:
            self.report(node.line, f"{where} must be between {SMALLEST_INT:,} and "
                                   f"{LARGEST_INT:,}, got {describe(node)}")
            return None
        return value

    def choice(self, node: Node | None, where: str, options: Iterable[str | int],
               extra: str = "") -> str | int | None:
        """One of ``options``, of the same type (so ``true`` is not ``1``, ``3.0`` not ``3``)."""
        if node is None:
            return None
        options = tuple(options)
        value = node.value if isinstance(node, Scalar) else None
        for option in options:
            if type(value) is type(option) and value == option:
                return option
        allowed = ", ".join(str(o) for o in options) + extra
        self.report(node.line, f"{where} must be one of {allowed}, got {describe(node)}")
        return None

    def own_id(self, node: Node | None, where: str, stem: str) -> str | None:
        """A slug that must equal the file name stem."""
        value = self.slug(node, where)
        if value is not None and node is not None and value != stem:
            self.report(node.line, f"{where} '{value}' does not match the file name "
                                   f"'{stem}.yaml'")
            return None
        return value

    def first(self, seen: dict[str, int], key: str, line: int, what: str) -> bool:
        """Record ``key`` in ``seen``; report and return False when it is a duplicate."""
        if key in seen:
            self.report(line, f"duplicate {what} '{key}' (first at line {seen[key]})")
            return False
        seen[key] = line
        return True

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda problem: problem.line or 0)
