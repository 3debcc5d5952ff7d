"""The worked example on the "About the method" page, computed by the real core.

The numbers on that page are never typed by hand: they come from
``core.matching`` applied to this small example, so the page cannot drift from
docs/method.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from valgomat.core.matching import match
from valgomat.core.model import (
    METHODS,
    MISSING_POLICIES,
    SCALES,
    Party,
    Program,
    Quiz,
    Statement,
    Topic,
)

VOTER = {"a": 2, "b": 1, "c": None, "d": -1}
IMPORTANT = {"a"}
PARTY = {"a": 1, "b": -1, "c": 2, "d": None}
SCALE = 5


@dataclass(frozen=True)
class ExampleRow:
    statement: str
    voter: int | None
    important: bool
    party: int | None
    weight: float | None
    distance: float | None


def _quiz() -> Quiz:
    statements = tuple(Statement(sid, "t", {"en": sid.upper()}) for sid in VOTER)
    party = Party("x", "X", "X", "#000000", Program("example"), dict(PARTY))
    return Quiz("example", {"en": "Example"}, ("en",), SCALE, "cityblock", "neutral", 2.0,
                (Topic("t", {"en": "T"}),), statements, (party,))


def _row(sid: str) -> ExampleRow:
    value, position = VOTER[sid], PARTY[sid]
    counted = value is not None
    weight = (2.0 if sid in IMPORTANT else 1.0) if counted else None
    distance = (abs(value - (position or 0)) / SCALES[SCALE].top
                if counted and value is not None else None)
    return ExampleRow(sid.upper(), value, sid in IMPORTANT, position, weight, distance)


def worked_example() -> dict[str, object]:
    quiz = _quiz()
    scores = {
        (method, missing): match(quiz, VOTER, IMPORTANT, method=method,
                                 missing=missing).results[0].score
        for method in METHODS for missing in MISSING_POLICIES
    }
    rows = [_row(sid) for sid in VOTER]
    distances = {row.statement: row.distance for row in rows if row.distance is not None}
    total = sum(row.weight * row.distance for row in rows
                if row.weight is not None and row.distance is not None)
    return {"rows": rows, "distances": distances, "weighted_total": total, "scores": scores,
            "methods": METHODS, "policies": MISSING_POLICIES, "scale": SCALE}
