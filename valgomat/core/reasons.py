"""Reasons: the statements where a voter and a party agree most and differ most.

docs/method.md, "Reasons". Only statements of A (answered with ω > 0) where the
party has a stated position count. With raw values v (voter) and p (party):

- *agree*: same side or the same answer (``v == p`` or ``v × p > 0``), closest
  first (|v − p| ascending), then the larger effective weight ω, then quiz order;
- *disagree*: opposite sides (``v × p < 0``), furthest first (|v − p|
  descending), then the larger ω, then quiz order.

At most ``LIMIT`` of each. A neutral answer facing a side is neither.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from valgomat.core.model import Party, Quiz

LIMIT = 3


@dataclass(frozen=True)
class Reasons:
    agree: tuple[str, ...] = ()
    disagree: tuple[str, ...] = ()


def party_reasons(quiz: Quiz, party: Party, answers: Mapping[str, int | None],
                  important: Collection[str], counted: Collection[str]) -> Reasons:
    """``counted``: the ids of the statements in A."""
    agree: list[tuple[int, float, int, str]] = []
    disagree: list[tuple[int, float, int, str]] = []
    for index, statement in enumerate(quiz.statements):
        if statement.id not in counted:
            continue
        stance, answer = party.positions.get(statement.id), answers.get(statement.id)
        if stance is None or answer is None:
            continue
        omega = statement.weight * (quiz.importance_multiplier
                                    if statement.id in important else 1)
        gap = abs(answer - stance)
        if answer == stance or answer * stance > 0:
            agree.append((gap, -omega, index, statement.id))
        elif answer * stance < 0:
            disagree.append((-gap, -omega, index, statement.id))
    return Reasons(tuple(item[3] for item in sorted(agree)[:LIMIT]),
                   tuple(item[3] for item in sorted(disagree)[:LIMIT]))
