"""Reasons: the statements where a voter and a party agree most and differ most.

docs/method.md, "Reasons". Only statements of A (answered with ω > 0) where the
party has a stated position count. With raw values v (voter) and p (party):

- *agree*: same side or the same answer (``v == p`` or ``v × p > 0``), closest
  first (|v − p| ascending), then the larger effective weight ω, then quiz order;
- *disagree*: opposite sides (``v × p < 0``), furthest first (|v − p|
  descending), then the larger ω, then quiz order.

At most ``LIMIT`` of each. A neutral answer facing a side is neither. All parties
are sorted at once: one stable sort by ω, then one of the keys the scorer keeps per
statement, answer and party (``VoterScorer.reason_keys``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from valgomat.core.single import VoterScorer, VoterScores

LIMIT = 3


@dataclass(frozen=True)
class Reasons:
    agree: tuple[str, ...] = ()
    disagree: tuple[str, ...] = ()


def all_reasons(scorer: VoterScorer, voter: VoterScores) -> list[Reasons]:
    """Each party's reasons, in the scorer's party order."""
    keys, omega = scorer.reason_keys(voter.codes)  # (S + 1, 2P), (S + 1,)
    # Statements by ω descending, then quiz order; a stable sort by the key keeps that.
    by_weight = np.argsort(-omega, kind="stable")
    ordered = keys[by_weight]
    order = np.argsort(ordered, axis=0, kind="stable")[:LIMIT]  # (≤ LIMIT, 2P)
    found = np.isfinite(ordered[order, np.arange(ordered.shape[1])]).T.tolist()
    chosen = by_weight[order].T.tolist()  # per column: statement indices, best first
    ids, parties = scorer.statement_ids, keys.shape[1] // 2
    best = [tuple(ids[s] for s, ok in zip(row, oks, strict=True) if ok)
            for row, oks in zip(chosen, found, strict=True)]
    return [Reasons(best[p], best[parties + p]) for p in range(parties)]
