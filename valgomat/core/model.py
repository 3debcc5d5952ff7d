"""The content model: a quiz, its statements and its parties' positions.

Immutable dataclasses shared by the content files, the published versions,
matching and the API. ``to_dict``/``quiz_from_dict`` give the canonical JSON
form a published version is frozen in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from valgomat.core.scale import SCALES as SCALES  # re-exported: the scales a quiz can have
from valgomat.core.scale import Scale

METHODS = ("cityblock", "euclidean", "directional", "hybrid")
MISSING_POLICIES = ("neutral", "exclude", "farthest")
CONFIDENCES = ("high", "medium", "low")
DEFAULT_IMPORTANCE_MULTIPLIER = 2.0

Texts = Mapping[str, str]


@dataclass(frozen=True)
class Topic:
    id: str
    name: Texts


@dataclass(frozen=True)
class Statement:
    id: str
    topic: str
    text: Texts
    explanation: Texts = field(default_factory=dict)
    weight: float = 1.0
    order: int = 0


@dataclass(frozen=True)
class Evidence:
    quote: str
    source: str
    confidence: str | None  # None: the source gave none (imported answers)
    justification: Texts = field(default_factory=dict)


@dataclass(frozen=True)
class Program:
    title: str
    url: str = ""
    file: str = ""
    publisher: str = ""
    date: str = ""  # as the party file gives it: a year, a period ("2023–2027") or a date
    language: str = ""
    # Hex SHA-256 of the program's UTF-8 text, filled when content is read with its program
    # file ("" otherwise); the published text is kept under it (valgomat/storage/programs.py).
    sha256: str = ""
    # Hex SHA-256 of the file an editor uploaded (a PDF, or the text as uploaded), when the
    # text came from an upload: the original can be told apart from the reviewed text.
    source_sha256: str = ""


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    short_name: str
    colour: str
    program: Program
    positions: Mapping[str, int | None]
    evidence: Mapping[str, Evidence] = field(default_factory=dict)


@dataclass(frozen=True)
class Quiz:
    slug: str
    title: Texts
    languages: tuple[str, ...]
    scale: int
    method: str
    missing: str
    importance_multiplier: float
    topics: tuple[Topic, ...]
    statements: tuple[Statement, ...]
    parties: tuple[Party, ...]
    description: Texts = field(default_factory=dict)
    version: int | None = None
    # False for imported datasets whose parties gave answers without program quotes.
    quotes_required: bool = True
    # Computed from the fields above and kept with them (scoring tables, rendered
    # fragments): a quiz version never changes, so neither does anything derived from it.
    derived: dict[Any, Any] = field(default_factory=dict, init=False, compare=False,
                                    repr=False)

    @property
    def answer_scale(self) -> Scale:
        return SCALES[self.scale]

    @property
    def scale_values(self) -> tuple[int, ...]:
        return SCALES[self.scale].values

    @cached_property
    def statement_ids(self) -> frozenset[str]:
        return frozenset(statement.id for statement in self.statements)

    @cached_property
    def _parties_by_id(self) -> dict[str, Party]:
        return {party.id: party for party in self.parties}

    def statement(self, statement_id: str) -> Statement:
        return next(s for s in self.statements if s.id == statement_id)

    def party(self, party_id: str) -> Party:
        return self._parties_by_id[party_id]


def quiz_to_dict(quiz: Quiz) -> dict[str, Any]:
    """The canonical JSON-ready form of a quiz (what a published version stores)."""
    return {
        "slug": quiz.slug,
        "title": dict(quiz.title),
        "description": dict(quiz.description),
        "languages": list(quiz.languages),
        "scale": quiz.scale,
        "method": quiz.method,
        "missing": quiz.missing,
        "importance_multiplier": quiz.importance_multiplier,
        "quotes_required": quiz.quotes_required,
        "topics": [{"id": t.id, "name": dict(t.name)} for t in quiz.topics],
        "statements": [_statement_to_dict(s) for s in quiz.statements],
        "parties": [_party_to_dict(p) for p in quiz.parties],
    }


def _statement_to_dict(statement: Statement) -> dict[str, Any]:
    return {
        "id": statement.id,
        "topic": statement.topic,
        "text": dict(statement.text),
        "explanation": dict(statement.explanation),
        "weight": statement.weight,
        "order": statement.order,
    }


PROGRAM_FIELDS = ("title", "url", "file", "publisher", "date", "language", "sha256",
                  "source_sha256")


def program_to_dict(program: Program) -> dict[str, str]:
    return {name: getattr(program, name) for name in PROGRAM_FIELDS}


def program_from_dict(data: Mapping[str, Any]) -> Program:
    """A program from ``program_to_dict`` output; fields it lacks (older versions) are ""."""
    return Program(**{name: str(data.get(name, "")) for name in PROGRAM_FIELDS})


def _party_to_dict(party: Party) -> dict[str, Any]:
    return {
        "id": party.id,
        "name": party.name,
        "short_name": party.short_name,
        "colour": party.colour,
        "program": program_to_dict(party.program),
        "positions": dict(party.positions),
        "evidence": {
            sid: {"quote": e.quote, "source": e.source, "confidence": e.confidence,
                  "justification": dict(e.justification)}
            for sid, e in party.evidence.items()
        },
    }


def quiz_from_dict(data: Mapping[str, Any], version: int | None = None) -> Quiz:
    """Rebuild a quiz from ``quiz_to_dict`` output (trusted, already validated)."""
    return Quiz(
        slug=data["slug"],
        title=dict(data["title"]),
        description=dict(data.get("description", {})),
        languages=tuple(data["languages"]),
        scale=int(data["scale"]),
        method=data["method"],
        missing=data["missing"],
        importance_multiplier=float(data["importance_multiplier"]),
        topics=tuple(Topic(t["id"], dict(t["name"])) for t in data["topics"]),
        statements=tuple(
            Statement(s["id"], s["topic"], dict(s["text"]), dict(s.get("explanation", {})),
                      float(s.get("weight", 1.0)), int(s.get("order", 0)))
            for s in data["statements"]
        ),
        parties=tuple(_party_from_dict(p) for p in data["parties"]),
        version=version,
        quotes_required=bool(data.get("quotes_required", True)),
    )


def _party_from_dict(data: Mapping[str, Any]) -> Party:
    program = data.get("program", {})
    return Party(
        id=data["id"],
        name=data["name"],
        short_name=data["short_name"],
        colour=data["colour"],
        program=program_from_dict(program),
        positions=dict(data["positions"]),
        evidence={
            sid: Evidence(e["quote"], e["source"], e["confidence"], dict(e["justification"]))
            for sid, e in data.get("evidence", {}).items()
        },
    )
