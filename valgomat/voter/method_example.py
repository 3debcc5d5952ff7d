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

IMPORTANT = {"a"}
SCALE = 5  # the general method page's; a quiz's method page uses the quiz's
# (voter, party) on each scale: A important, C skipped, no stated position on D.
ANSWERS: dict[int, tuple[dict[str, int | None], dict[str, int | None]]] = {
    5: ({"a": 2, "b": 1, "c": None, "d": -1}, {"a": 1, "b": -1, "c": 2, "d": None}),
    4: ({"a": 2, "b": 1, "c": None, "d": -1}, {"a": 1, "b": -1, "c": 2, "d": None}),
    3: ({"a": 1, "b": 1, "c": None, "d": -1}, {"a": 1, "b": 0, "c": 1, "d": None}),
}


@dataclass(frozen=True)
class ExampleRow:
    statement: str
    voter: int | None
    important: bool
    party: int | None
    weight: float | None
    distance: float | None


def _quiz(scale: int) -> Quiz:
    voter, party = ANSWERS[scale]
    statements = tuple(Statement(sid, "t", {"en": sid.upper()}) for sid in voter)
    example = Party("x", "X", "X", "#000000", Program("example"), dict(party))
    return Quiz("example", {"en": "Example"}, ("en",), scale, "cityblock", "neutral", 2.0,
                (Topic("t", {"en": "T"}),), statements, (example,))


def _row(sid: str, scale: int) -> ExampleRow:
    voter, party = ANSWERS[scale]
    value, position = voter[sid], party[sid]
    counted = value is not None
    weight = (2.0 if sid in IMPORTANT else 1.0) if counted else None
    distance = (abs(value - (position or 0)) / SCALES[scale].top
                if counted and value is not None else None)
    return ExampleRow(sid.upper(), value, sid in IMPORTANT, position, weight, distance)


def worked_example(scale: int = SCALE) -> dict[str, object]:
    """The example on ``scale`` (its number of points), every method and rule."""
    quiz, voter = _quiz(scale), ANSWERS[scale][0]
    scores = {
        (method, missing): match(quiz, voter, IMPORTANT, method=method,
                                 missing=missing).results[0].score
        for method in METHODS for missing in MISSING_POLICIES
    }
    rows = [_row(sid, scale) for sid in voter]
    distances = {row.statement: row.distance for row in rows if row.distance is not None}
    total = sum(row.weight * row.distance for row in rows
                if row.weight is not None and row.distance is not None)
    return {"rows": rows, "distances": distances, "weighted_total": total, "scores": scores,
            "methods": METHODS, "policies": MISSING_POLICIES, "scale": scale,
            "points": SCALES[scale].points}
