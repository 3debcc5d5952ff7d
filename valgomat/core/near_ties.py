"""Near-ties: which parties one different answer could put level with the first.

docs/method.md, "Near-ties". L is the first-ranked party. Another party p with a
score is *close to first* when its unrounded score equals L's, or when there is
one statement s in A and one other answer for s (another value on the scale, or
skipping s; importance unchanged) such that, with only that answer changed, p has
a score and it is at least L's (or L has none), both recomputed under the same
method and policy. L is close to first when any other party is. Parties without
a score never are.

Every variant is scored with the voter's own table (``VoterScorer.totals``), so a
variant's scores are the bits a voter answering that way would get, and the
browser's ``matching.js`` makes the same comparisons.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from valgomat.core.scoring import IndexArray
from valgomat.core.single import VoterScorer, VoterScores

_IMPORTANT = 8


def close_to_first(scorer: VoterScorer, voter: VoterScores, ranked: Sequence[str],
                   scores: Sequence[float | None]) -> set[str]:
    """The ids of the parties close to first, given the ranking and its scores."""
    if not ranked or scores[0] is None:
        return set()
    leader = scores[0]
    close = {party for party, score in zip(ranked[1:], scores[1:], strict=True)
             if score is not None and score == leader}
    others = [party for party, score in zip(ranked[1:], scores[1:], strict=True)
              if score is not None and party not in close]
    if others:
        totals = scorer.totals(variants(voter.codes, voter.counted, scorer.levels))
        first = totals[:, scorer.party_column[ranked[0]]]
        for party in others:
            mine = totals[:, scorer.party_column[party]]
            with np.errstate(invalid="ignore"):
                if np.any(~np.isnan(mine) & (np.isnan(first) | (mine >= first))):
                    close.add(party)
    if close:
        close.add(ranked[0])
    return close


def variants(codes: IndexArray, counted: np.ndarray, levels: Sequence[int]) -> IndexArray:
    """(K, S + 1): the voter's codes with one answer of A changed, every way, in
    statement order, then the scale's values (their ``levels`` codes), then skipping."""
    rows = []
    for statement in np.flatnonzero(counted):
        current = int(codes[statement])
        flag = current & _IMPORTANT
        for code in [level | flag for level in levels] + [0]:
            if code != current:
                row = codes.copy()
                row[statement] = code
                rows.append(row)
    if not rows:
        return np.zeros((0, codes.size), dtype=np.intp)
    return np.array(rows, dtype=np.intp)
