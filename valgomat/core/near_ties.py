"""Near-ties: which parties one different answer could put level with the first.

docs/method.md, "Near-ties". L is the first-ranked party. Another party p with a
score is *close to first* when its unrounded score equals L's, or when there is
one statement s in A and one other answer for s (another value on the scale, or
skipping s; importance unchanged) such that, with only that answer changed, p has
a score and it is at least L's (or L has none), both recomputed under the same
method and policy. L is close to first when any other party is. Parties without
a score never are. "Equals" and "at least" allow ``TIE`` points of floating-point
error, as the audit's first places do.

A variant's sums are the voter's sums with one row taken out and another put in
(``VoterScorer.variant_scores``); ``matching.js`` makes the same additions, so both
decide every comparison alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from valgomat.core.single import VoterScorer, VoterScores

TIE = 1e-9  # points


def close_to_first(scorer: VoterScorer, voter: VoterScores, ranked: Sequence[str],
                   scores: Sequence[float | None]) -> set[str]:
    """The ids of the parties close to first, given the ranking and its scores."""
    if not ranked or scores[0] is None:
        return set()
    leader = scores[0]
    others = [(party, score) for party, score in zip(ranked[1:], scores[1:], strict=True)
              if score is not None]
    close = {party for party, score in others if score >= leader - TIE}
    rest = [party for party, _ in others if party not in close]
    if rest:
        variants = scorer.variant_scores(voter, *scorer.alternatives(voter))
        first = variants[:, scorer.party_column[ranked[0]], None]
        level = ((variants >= first - TIE) | np.isnan(first)) & ~np.isnan(variants)
        reached = np.asarray(level.any(axis=0))  # NaN compares False: no score, no warning
        close.update(party for party in rest if reached[scorer.party_column[party]])
    if close:
        close.add(ranked[0])
    return close
