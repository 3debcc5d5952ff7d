"""Reasons: the statements where a voter and a party agree most and differ most.

docs/method.md, "Reasons". Only statements of A (answered with ω > 0) where the
party has a stated position count. With raw values v (voter) and p (party):

- *agree*: same side or the same answer (``v == p`` or ``v × p > 0``), closest
  first (|v − p| ascending), then the larger effective weight ω, then quiz order;
- *disagree*: opposite sides (``v × p < 0``), furthest first (|v − p|
  descending), then the larger ω, then quiz order.

At most ``LIMIT`` of each. A neutral answer facing a side is neither. All parties
are sorted at once: one stable sort by ω, then one per kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from valgomat.core.scoring import FloatArray, IndexArray
from valgomat.core.single import VoterScorer, VoterScores

LIMIT = 3


@dataclass(frozen=True)
class Reasons:
    agree: tuple[str, ...] = ()
    disagree: tuple[str, ...] = ()


def all_reasons(scorer: VoterScorer, voter: VoterScores) -> list[Reasons]:
    """Each party's reasons, in the scorer's party order."""
    values, omega = scorer.answer_values(voter.codes)
    # Statements by ω descending, then quiz order; a stable sort by the key keeps that.
    by_weight = np.argsort(-omega, kind="stable")
    positions = scorer.positions[:, by_weight]  # NaN where unstated
    answers = values[by_weight]  # NaN outside A
    gap = np.abs(positions - answers)  # NaN compares False below: not a reason
    product = positions * answers
    agree = _best(np.where((gap == 0) | (product > 0), gap, np.inf), by_weight)
    disagree = _best(np.where(product < 0, -gap, np.inf), by_weight)
    ids = scorer.statement_ids
    return [Reasons(tuple(ids[s] for s in first), tuple(ids[s] for s in last))
            for first, last in zip(agree, disagree, strict=True)]


def _best(key: FloatArray, by_weight: IndexArray) -> list[list[int]]:
    """Per party, the columns of up to LIMIT smallest finite keys (ties: column order),
    as statement indices."""
    order = np.argsort(key, axis=1, kind="stable")[:, :LIMIT]
    finite = np.isfinite(key[np.arange(key.shape[0])[:, None], order])
    chosen = by_weight[order]
    return [row[keep].tolist() for row, keep in zip(chosen, finite, strict=True)]
