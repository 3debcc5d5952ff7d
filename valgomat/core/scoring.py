"""The vectorised engine behind ``valgomat.core.matching``: many voters at once.

The formulas are stated in ``matching``'s docstring; this module only makes them
fast. Every statement's contribution depends on three small things: the voter's
level on the scale, whether the voter marked it important, and the party. So

1. one *table* per statement holds, for each of 16 codes (3 bits for the level,
   0 meaning skipped, plus 1 bit for "important"; ``core.scale``), the row
   ``[ω·c(v, p) for each party…, ω·[s in S] for the denominator…]``, where c is
   the method's per-statement term (|v−p|, (v−p)² or v·p) after the missing
   policy. Skipped answers and ``ω = 0`` give a row of zeros;
2. statements are taken in pairs, whose 16 × 16 = 256 summed rows are one byte
   of code, so a voter's sums are 20 row look-ups for 40 statements;
3. voters are processed in chunks (bounded memory) on all cores (numpy releases
   the GIL); each voter's sums are added in statement order, so a voter gets the
   same bits alone, in any batch and on any chunking.

Every column of the sums is added on its own, so a column gives the same bits
whatever other columns share the table: ``core.settings_scores`` scores the
audit's 12 method × policy settings at once from one table. The evidence rule
(no stated position among the voter's answers with ω > 0: NaN) is one boolean
product per chunk of voters, the same for every method and policy.

Every term is computed exactly as written in docs/method.md; only the order of the
additions differs from a naive loop (by at most a few ulps).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
from numpy.typing import NDArray

from valgomat.core.model import METHODS, MISSING_POLICIES, SCALES
from valgomat.core.scale import LEVEL_BITS

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IndexArray = NDArray[np.intp]

CHUNK_VOTERS = 4096
_IMPORTANT = 1 << LEVEL_BITS  # per statement: the level's bits (0 = skipped), then this
_CODES = 2 * _IMPORTANT
_TERM = {"cityblock": ("abs",), "euclidean": ("square",), "directional": ("dot",),
         "hybrid": ("abs", "dot")}


def score_batch(answers: npt.ArrayLike, important: npt.ArrayLike,
                positions: npt.ArrayLike, weights: npt.ArrayLike, *,
                scale: int, method: str, missing: str,
                importance_multiplier: float) -> FloatArray:
    """Scores (V, P) in [0, 100] of V voters against P parties; NaN where S is empty or
    the party has no stated position on any statement the voter answered (ω > 0).

    ``answers`` (V, S): raw scale values, NaN = skipped. ``important`` (V, S) bool.
    ``positions`` (P, S): raw values, NaN = no stated position. ``weights`` (S,) >= 0.
    Raises ``ValueError`` for shapes, options or values that are not valid.
    """
    votes = _as_float(answers, "answers", 2)
    flags = np.asarray(important, dtype=np.bool_)
    stances = _as_float(positions, "positions", 2)
    editor = _as_float(weights, "weights", 1)
    check_inputs(votes, flags, stances, editor, scale, method, missing, importance_multiplier)
    top = SCALES[scale].top
    table = _pair_table(statement_table(stances / top, editor, scale, method, missing,
                                         importance_multiplier))
    out = np.empty((votes.shape[0], stances.shape[0]), dtype=np.float64)
    stated = None if missing == "exclude" else ~np.isnan(stances).T

    def run(start: int, stop: int) -> None:
        scratch = np.empty((CHUNK_VOTERS, table.shape[1]), dtype=np.float64)
        for first in range(start, stop, CHUNK_VOTERS):
            last = min(first + CHUNK_VOTERS, stop)
            codes = _pair_codes(votes[first:last], flags[first:last], scale)
            sums = _sums(codes, table, scratch[: last - first])
            scores = scores_from_sums(sums, method, stances.shape[0])
            if stated is not None:
                scores[~evidence(votes[first:last], flags[first:last], editor,
                                 importance_multiplier, stated)] = np.nan
            out[first:last] = scores

    _run_all(run, votes.shape[0])
    return out


Setting = tuple[str, str]  # (method, missing policy)


def evidence(answers: FloatArray, important: BoolArray, weights: FloatArray,
             multiplier: float, stated: BoolArray) -> BoolArray:
    """(V, P): whether the party has a stated position (``stated`` (S, P)) on any
    statement the voter answered with ω > 0. A boolean product: exact at any size,
    and no BLAS call (whose threads would compete with the worker processes)."""
    found: BoolArray = counted_answers(answers, important, weights, multiplier) @ stated
    return found


def counted_answers(answers: FloatArray, important: BoolArray, weights: FloatArray,
                    multiplier: float) -> BoolArray:
    """(V, S): the statements each voter answered with an effective weight ω > 0 (A)."""
    positive = weights > 0
    counted: BoolArray = ~np.isnan(answers) & positive
    if multiplier == 0:
        counted &= ~important
    return counted


def _as_float(array: npt.ArrayLike, name: str, ndim: int) -> FloatArray:
    result = np.asarray(array, dtype=np.float64)
    if result.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), not {result.ndim}")
    return result


def check_inputs(answers: FloatArray, important: BoolArray, positions: FloatArray,
                  weights: FloatArray, scale: int, method: str, missing: str,
                  multiplier: float) -> None:
    statements = weights.shape[0]
    if answers.shape[1] != statements or positions.shape[1] != statements:
        raise ValueError("answers, positions and weights must have the same statements")
    if important.shape != answers.shape:
        raise ValueError("important must have the shape of answers")
    if scale not in SCALES or method not in METHODS or missing not in MISSING_POLICIES:
        raise ValueError(f"unknown scale, method or policy: {scale!r}, {method!r}, {missing!r}")
    if not (np.all(np.isfinite(weights)) and np.all(weights >= 0)):
        raise ValueError("weights must be finite and >= 0")
    if not (np.isfinite(multiplier) and multiplier >= 0):
        raise ValueError("importance_multiplier must be finite and >= 0")
    stated = positions[~np.isnan(positions)]
    if not np.all(np.isin(stated, SCALES[scale].values)):
        raise ValueError(f"a party position is not on scale {scale}")


def statement_table(positions: FloatArray, weights: FloatArray, scale: int, method: str,
                     missing: str, multiplier: float) -> FloatArray:
    """(S, 16, columns): each code's weighted terms, then its denominator columns."""
    return _statement_table(positions, weights, scale, _TERM[method], missing, multiplier)


def _statement_table(positions: FloatArray, weights: FloatArray, scale: int,
                     terms: Sequence[str], missing: str, multiplier: float) -> FloatArray:
    """:func:`statement_table` with these terms (each a column per party)."""
    top = SCALES[scale].top
    levels = np.array(SCALES[scale].values, dtype=np.float64) / top
    null = np.isnan(positions)  # (P, S)
    counted = ~null if missing == "exclude" else np.ones((1, null.shape[1]), dtype=np.bool_)
    parts = [_terms(levels, positions, null, term, missing) for term in terms]
    base = np.concatenate(parts + [np.broadcast_to(counted, (levels.size,) + counted.shape)],
                          axis=1)  # (L, columns, S)
    table = np.zeros((weights.size, _CODES, base.shape[1]), dtype=np.float64)
    for index, code in enumerate(SCALES[scale].level_codes):
        for bit, factor in ((0, 1.0), (_IMPORTANT, multiplier)):
            omega = weights * factor
            table[:, code + bit, :] = (omega * base[index]).T
    return table


def _terms(levels: FloatArray, positions: FloatArray, null: BoolArray, term: str,
           missing: str) -> FloatArray:
    """(L, P, S): the per-statement term for each voter level, after the missing policy."""
    voter = levels[:, None, None]
    farthest = np.where(voter >= 0, -1.0, 1.0)
    fill = farthest if missing == "farthest" else np.zeros_like(voter)
    party = np.where(null, fill, positions)
    if term == "abs":
        result = np.abs(voter - party)
    elif term == "square":
        result = (voter - party) ** 2
    else:
        result = voter * party
    if missing == "exclude":
        result = np.where(null, 0.0, result)
    return result


def _pair_table(table: FloatArray) -> FloatArray:
    """(pairs × 256, columns): rows of two statements summed, code = first << 4 | second."""
    if table.shape[0] % 2:
        table = np.concatenate([table, np.zeros_like(table[:1])])
    pairs = table[0::2, :, None, :] + table[1::2, None, :, :]
    return pairs.reshape(pairs.shape[0] * _CODES * _CODES, table.shape[2])


def _pair_codes(answers: FloatArray, important: BoolArray, scale: int) -> IndexArray:
    """(pairs, n) row numbers into the pair table; raises for values not on the scale."""
    top = SCALES[scale].top
    shifted = np.fmax(answers, -(top + 1.0))  # NaN (skipped) -> level code 0
    shifted += top + 1
    with np.errstate(invalid="ignore"):
        codes = shifted.astype(np.uint8)
    _check_codes(answers, shifted, codes, scale)
    codes |= important.view(np.uint8) * np.uint8(_IMPORTANT)
    pairs = codes[:, 0::2] * np.uint8(_CODES)
    pairs[:, : codes.shape[1] // 2] |= codes[:, 1::2]
    offsets = np.arange(pairs.shape[1], dtype=np.intp) * _CODES * _CODES
    rows: IndexArray = np.add(pairs.T, offsets[:, None], dtype=np.intp)
    return rows


def _check_codes(answers: FloatArray, shifted: FloatArray, codes: NDArray[np.uint8],
                 scale: int) -> None:
    levels = SCALES[scale]
    top = levels.top
    if not (np.array_equal(codes, shifted) and not np.any(answers < -top)
            and (codes.size == 0 or codes.max() <= 2 * top + 1)
            and (levels.neutral or not np.any(codes == top + 1))):
        raise ValueError(f"an answer is neither NaN nor a value of scale {scale}")


def _sums(codes: IndexArray, table: FloatArray, scratch: FloatArray) -> FloatArray:
    """(n, columns): each voter's rows added in statement order (``scratch``: (n, columns))."""
    total = np.zeros(scratch.shape, dtype=scratch.dtype)
    for pair in codes:  # mode="clip" leaves ``out`` unbuffered; the codes are in range
        total += np.take(table, pair, axis=0, out=scratch, mode="clip")
    return total


def scores_from_sums(sums: FloatArray, method: str, parties: int) -> FloatArray:
    """Turn (n, columns) sums into (n, P) scores; NaN where the denominator is 0."""
    weight = sums[:, parties * len(_TERM[method]):]  # 1 column, or P under `exclude`
    first = sums[:, :parties]
    valid = weight > 0
    safe = np.where(valid, weight, 1.0)  # the same bits where valid, no 0/0 elsewhere
    if method == "cityblock":
        score = 100 * (1 - first / (2 * safe))
    elif method == "euclidean":
        score = 100 * (1 - np.sqrt(first) / (2 * np.sqrt(safe)))
    elif method == "directional":
        score = 100 * (1 + first / safe) / 2
    else:
        city = 100 * (1 - first / (2 * safe))
        score = (city + 100 * (1 + sums[:, parties:2 * parties] / safe) / 2) / 2
    np.maximum(score, 0.0, out=score)
    np.minimum(score, 100.0, out=score)
    result: FloatArray = np.where(valid, score, np.nan)
    return result


def _run_all(run: Callable[[int, int], None], voters: int) -> None:
    """Run ``run(start, stop)`` over all voters, split across the available cores."""
    workers = min(usable_cores(), -(-voters // CHUNK_VOTERS))
    if workers <= 1:
        run(0, voters)
        return
    step = -(-voters // (workers * CHUNK_VOTERS)) * CHUNK_VOTERS
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in pool.map(run, range(0, voters, step),
                          [min(start + step, voters) for start in range(0, voters, step)]):
            pass


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
