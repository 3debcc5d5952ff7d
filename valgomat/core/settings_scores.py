"""Scores under several (method, missing policy) settings at once: the audit's engine.

The audit scores every simulated voter under all 12 settings. Each column of
``score_batch``'s sums is added on its own, so one table holding each term once per
policy, with each policy's denominators, gives every setting exactly the bits of
its own ``score_batch`` call while the voters' codes are made and their rows added
once. Where every partial sum is provably exact in float32, the sums are added in
float32 (half the memory traffic, the same bits).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from valgomat.core.model import SCALES
from valgomat.core.scoring import (  # the engine's own parts, shared within the core
    _TERM,
    FloatArray,
    IndexArray,
    Setting,
    _as_float,
    _pair_codes,
    _pair_table,
    _run_all,
    _statement_table,
    _sums,
    check_inputs,
    evidence,
    scores_from_sums,
)


def score_settings(answers: npt.ArrayLike, important: npt.ArrayLike,
                   positions: npt.ArrayLike, weights: npt.ArrayLike, *, scale: int,
                   settings: Sequence[Setting], importance_multiplier: float,
                   threads: bool = True) -> dict[Setting, FloatArray]:
    """``score_batch`` under several (method, missing policy) settings at once: for each,
    the same bits as its own ``score_batch`` call, keyed by the setting.

    One table holds each term the settings need once per policy, with the
    denominator columns (one, ω, for ``neutral`` and ``farthest``; one per party
    under ``exclude``), so the voters' codes are made and their rows added once.
    With ``threads`` false everything runs on the calling thread (for worker
    processes that already fill every core).
    """
    votes = _as_float(answers, "answers", 2)
    flags = np.asarray(important, dtype=np.bool_)
    stances = _as_float(positions, "positions", 2)
    editor = _as_float(weights, "weights", 1)
    for method, missing in settings:
        check_inputs(votes, flags, stances, editor, scale, method, missing,
                     importance_multiplier)
    parties = stances.shape[0]
    rows, columns = _settings_table(stances / SCALES[scale].top, editor, scale, settings,
                                    importance_multiplier)
    table = _pair_table(rows)
    if _exact_in_float32(rows):  # the same sums, bit for bit, at half the memory traffic
        table = table.astype(np.float32)
    out = {setting: np.empty((votes.shape[0], parties), dtype=np.float64)
           for setting in settings}
    stated = ~np.isnan(stances).T
    gaps = any(missing != "exclude" for _, missing in settings)

    def run(start: int, stop: int) -> None:
        scratch = np.empty((_BLOCK, table.shape[1]), dtype=table.dtype)
        for first in range(start, stop, _BLOCK):
            last = min(first + _BLOCK, stop)
            codes = _pair_codes(votes[first:last], flags[first:last], scale)
            sums = _sums(codes, table, scratch[: last - first]).astype(np.float64, copy=False)
            found = evidence(votes[first:last], flags[first:last], editor,
                             importance_multiplier, stated) if gaps else None
            for (method, missing), (begin, end, index) in columns.items():
                # The setting's columns as score_batch lays them out: its terms, then
                # its denominators (a view where they are adjacent in the table).
                own = sums[:, begin:end] if index is None else sums[:, index]
                scores = scores_from_sums(own, method, parties)
                if found is not None and missing != "exclude":
                    scores[~found] = np.nan
                out[method, missing][first:last] = scores

    if threads:
        _run_all(run, votes.shape[0])
    else:
        run(0, votes.shape[0])
    return out


Columns = tuple[int, int, IndexArray | None]
_BLOCK = 2048  # voters per look-up pass in score_settings: its sums stay in the core's cache
_QUANTUM_BITS = 40  # tables with finer steps than 2^-40 are added in float64


def _exact_in_float32(table: FloatArray) -> bool:
    """Whether float32 adds up the pair rows of ``table`` (S, 16, columns) exactly.

    True when every entry is a multiple of one power of two q = 2^-k and the largest
    possible sum of magnitudes (each statement's largest entry, added) is at most
    2^24 q: then every pair row and every partial sum of a voter's pair rows is an
    integer multiple of q below 2^24 q, exact in float32 as in float64, so both give
    the exact sum, in any order: the same bits as score_batch's float64 additions
    (both start at +0.0, so even a zero has the same sign). Typical quizzes qualify:
    with weights like 1 or 1.5 and a whole importance multiplier, every term is a
    multiple of 1/8.
    """
    if table.size == 0:
        return True
    bound = float(np.abs(table).max(axis=1).sum(axis=0).max())
    for k in range(_QUANTUM_BITS + 1):
        scaled = table * 2.0 ** k  # exact: a power of two
        if np.array_equal(scaled, np.rint(scaled)):
            return bound * 2.0 ** k <= 2.0 ** 24
    return False


def _settings_table(positions: FloatArray, weights: FloatArray, scale: int,
                    settings: Sequence[Setting], multiplier: float
                    ) -> tuple[FloatArray, dict[Setting, Columns]]:
    """The statement table (S, 16, columns) for all ``settings`` and, per setting, where
    its columns are: a range ``begin:end`` when adjacent, else the ``index`` of each.

    Per policy: the terms it needs, in the order ``square, abs, dot``, then its
    denominators, so that ``hybrid`` (abs, dot) and ``directional`` (dot) are ranges.
    """
    parties = positions.shape[0]
    parts = []
    where: dict[tuple[str, str], list[int]] = {}
    width = 0
    for missing in dict.fromkeys(missing for _, missing in settings):
        terms = [term for term in ("square", "abs", "dot")
                 if any(term in _TERM[method] for method, policy in settings
                        if policy == missing)]
        part = _statement_table(positions, weights, scale, terms, missing, multiplier)
        for index, term in enumerate([*terms, "weight"]):
            begin = width + index * parties
            where[missing, term] = list(range(begin, min(begin + parties,
                                                         width + part.shape[2])))
        parts.append(part)
        width += part.shape[2]
    columns: dict[Setting, Columns] = {}
    for method, missing in settings:
        wanted = [c for term in [*_TERM[method], "weight"] for c in where[missing, term]]
        adjacent = wanted == list(range(wanted[0], wanted[0] + len(wanted)))
        columns[method, missing] = (wanted[0], wanted[-1] + 1, None if adjacent
                                    else np.array(wanted, dtype=np.intp))
    return np.concatenate(parts, axis=2), columns
