"""Simulated voters and their first places, scored as by ``score_batch``.

Two populations, generated chunk by chunk (``CHUNK`` voters at a time, so memory
stays bounded whatever the number of voters) from ``np.random.default_rng``
seeded with ``[seed, population, chunk]``: the same seed gives the same voters.

- ``uniform``: every answer uniform over the scale, skipped with ``skip_rate``,
  marked important with ``importance_rate``, all independently.
- ``parties``: voter i is drawn around party ``i mod P``: the party's position,
  scaled to [-1, 1], plus Gaussian noise of standard deviation ``noise``, rounded
  to the nearest value on the scale; uniform where the party states nothing;
  then skips and importance as above.

First place: the parties whose score is within ``TIE`` of the voter's best score.
A voter with k tied parties gives each 1/k of a first place, so shares sum to 1
over the voters who have a first place; a voter for whom no party can be scored
(everything skipped) has none and is counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from valgomat.core.model import METHODS, MISSING_POLICIES, SCALES
from valgomat.core.scoring import BoolArray, FloatArray
from valgomat.core.settings_scores import score_settings

CHUNK = 1 << 16
TIE = 1e-9  # scores closer than this (in points) are tied: floating-point rounding only
MAX_PARTIES = 62  # first places are bit sets in an int64
COMBOS = tuple((method, missing) for method in METHODS for missing in MISSING_POLICIES)
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Scenario:
    """A quiz as arrays, with its own settings."""

    positions: FloatArray  # (P, S) raw, NaN = no stated position
    weights: FloatArray  # (S,)
    scale: int
    method: str
    missing: str
    multiplier: float
    block: int = 0  # nonzero: score on the calling thread only (worker processes)

    def scores(self, answers: FloatArray, important: BoolArray, method: str | None = None,
               missing: str | None = None) -> FloatArray:
        """Scores under this quiz's method and policy (or the given ones): the bits of
        ``score_batch``, through ``score_settings`` (its float32 sums when exact).

        With ``block`` set (``scoring.CHUNK_VOTERS`` in the audit's worker processes),
        each call stays on one thread: in processes that already fill every core,
        threads would only add contention. The scores are the same bits either way.
        """
        setting = (method or self.method, missing or self.missing)
        return score_settings(answers, important, self.positions, self.weights,
                              scale=self.scale, settings=[setting],
                              importance_multiplier=self.multiplier,
                              threads=self.block == 0)[setting]

    def all_scores(self, answers: FloatArray,
                   important: BoolArray) -> dict[tuple[str, str], FloatArray]:
        """Scores under every method × missing policy, keyed ``(method, missing)``: the
        bits of a ``score_batch`` call for each, from one ``score_settings`` call (the
        voters' rows are looked up once for all twelve, and the evidence rule is one
        mask for all). On one thread when ``block`` is set, as :meth:`scores`.
        """
        return score_settings(answers, important, self.positions, self.weights,
                              scale=self.scale, settings=COMBOS,
                              importance_multiplier=self.multiplier, threads=self.block == 0)


def first_places(scores: FloatArray) -> tuple[IntArray, IntArray]:
    """Each voter's first place as a bit set (bit p: party p is first) and its size.

    Size 0: no party has a score. Works column by column: faster than row reductions.
    """
    if scores.shape[1] > MAX_PARTIES:
        raise ValueError(f"The audit handles at most {MAX_PARTIES} parties.")
    threshold = scores[:, 0].copy()
    for party in range(1, scores.shape[1]):
        np.fmax(threshold, scores[:, party], out=threshold)  # NaN: no party has a score
    threshold -= TIE
    codes = np.zeros(scores.shape[0], dtype=np.int64)
    ties = np.zeros(scores.shape[0], dtype=np.int64)
    for party in range(scores.shape[1]):
        first = scores[:, party] >= threshold  # NaN compares False
        codes |= first.astype(np.int64) << party
        ties += first
    return codes, ties


def uniform_voters(rng: np.random.Generator, count: int, statements: int, scale: int,
                   skip_rate: float, importance_rate: float) -> tuple[FloatArray, BoolArray]:
    values = np.array(SCALES[scale].values, dtype=np.float64)
    answers = values[rng.integers(0, len(values), (count, statements), dtype=np.int8)]
    return _skip_and_flag(rng, answers, skip_rate, importance_rate)


def party_voters(rng: np.random.Generator, first: int, count: int, positions: FloatArray,
                 scale: int, rates: tuple[float, float, float]
                 ) -> tuple[FloatArray, BoolArray, IntArray]:
    """Voters ``first .. first+count`` of the party-centred population, and their party."""
    skip_rate, importance_rate, noise = rates
    top = SCALES[scale].top
    party_of = (first + np.arange(count, dtype=np.int64)) % positions.shape[0]
    centre = positions[party_of] / top
    noisy = centre + rng.standard_normal(centre.shape) * noise
    raw = np.clip(np.rint(noisy * top), -top, top)
    if not SCALES[scale].neutral:  # e.g. scale 4: round away from zero
        raw = np.where(raw == 0, np.where(noisy >= 0, 1.0, -1.0), raw)
    uniform = uniform_voters(rng, count, positions.shape[1], scale, 0.0, 0.0)[0]
    answers = np.where(np.isnan(centre), uniform, raw)
    return (*_skip_and_flag(rng, answers, skip_rate, importance_rate), party_of)


def _skip_and_flag(rng: np.random.Generator, answers: FloatArray, skip_rate: float,
                   importance_rate: float) -> tuple[FloatArray, BoolArray]:
    np.putmask(answers, rng.random(answers.shape, dtype=np.float32) < skip_rate, np.nan)
    important = rng.random(answers.shape, dtype=np.float32) < importance_rate
    return answers, important


def discrimination(scenario: Scenario, answers: FloatArray, important: BoolArray,
                   firsts: IntArray) -> FloatArray:
    """Per statement: the share of sampled voters (with a first place) whose first place
    changes when the statement is removed. Removing it is the voter skipping it; a
    voter left with nothing to compare (it was their only answer) does not count as
    changed: without the statement there is no advice to differ."""
    has = firsts != 0
    result = np.zeros(answers.shape[1])
    for statement in range(answers.shape[1]):
        rows = np.flatnonzero(has & ~np.isnan(answers[:, statement]))
        if not rows.size or scenario.weights[statement] == 0 or not has.any():
            continue
        without = answers[rows]
        without[:, statement] = np.nan
        after = first_places(scenario.scores(without, important[rows]))[0]
        changed = np.count_nonzero((after != firsts[rows]) & (after != 0))
        result[statement] = changed / np.count_nonzero(has)
    return result
