"""Benchmark: ``python -m tools.bench [--voters N] [--loop-voters N] [--seed S]``.

Times ``core.matching.score_batch`` (best of 3) on random answers against a
plain-Python loop written straight from matching.md, checks that both agree on
the voters the loop scored, and prints the rates and their ratio.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence

import numpy as np

from valgomat.core.matching import score_batch

STATEMENTS = 40
PARTIES = 10
SCALE = 5
TOLERANCE = 1e-9

Row = list[float | None]


def reference_scores(answers: Sequence[Row], important: Sequence[list[bool]],
                     positions: Sequence[Row], weights: Sequence[float], *, top: float,
                     method: str, missing: str, multiplier: float) -> list[Row]:
    """docs/method.md, one voter and one party at a time (pure Python)."""
    return [[_reference(voter, flags, party, weights, top, method, missing, multiplier)
             for party in positions] for voter, flags in zip(answers, important, strict=True)]


def _reference(voter: Row, flags: list[bool], party: Row, weights: Sequence[float],
               top: float, method: str, missing: str, multiplier: float) -> float | None:
    terms, evidence = [], False  # (ω_s, v_s, p_s) for s in S; a stated position in A
    for answer, flag, position, weight in zip(voter, flags, party, weights, strict=True):
        omega = weight * (multiplier if flag else 1.0)
        if answer is None or omega <= 0:
            continue
        v = answer / top
        evidence = evidence or position is not None
        if position is not None:
            p = position / top
        elif missing == "exclude":
            continue
        else:
            p = 0.0 if missing == "neutral" else (-1.0 if v >= 0 else 1.0)
        terms.append((omega, v, p))
    if not terms or not evidence:
        return None
    total = sum(omega for omega, _, _ in terms)
    if method == "euclidean":
        squares = sum(omega * (v - p) ** 2 for omega, v, p in terms)
        return 100 * (1 - math.sqrt(squares) / (2 * math.sqrt(total)))
    cityblock = 100 * (1 - sum(omega * abs(v - p) for omega, v, p in terms) / (2 * total))
    if method == "cityblock":
        return cityblock
    directional = 100 * (1 + sum(omega * v * p for omega, v, p in terms) / total) / 2
    return directional if method == "directional" else (cityblock + directional) / 2


def random_quiz(voters: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Answers uniform over scale 5 with ~10 % skips and ~20 % important; some null positions."""
    rng = np.random.default_rng(seed)
    answers = rng.integers(-2, 3, size=(voters, STATEMENTS)).astype(np.float64)
    answers[rng.random((voters, STATEMENTS)) < 0.1] = np.nan
    important = rng.random((voters, STATEMENTS)) < 0.2
    positions = rng.integers(-2, 3, size=(PARTIES, STATEMENTS)).astype(np.float64)
    positions[rng.random((PARTIES, STATEMENTS)) < 0.1] = np.nan
    weights = rng.choice([0.0, 0.5, 1.0, 1.0, 1.0, 2.0], size=STATEMENTS)
    return answers, important, positions, weights


def _rows(array: np.ndarray) -> list[Row]:
    return [[None if math.isnan(x) else x for x in row] for row in array.tolist()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--loop-voters", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--method", default="cityblock")
    parser.add_argument("--missing", default="neutral")
    args = parser.parse_args(argv)
    answers, important, positions, weights = random_quiz(args.voters, args.seed)
    options = {"method": args.method, "missing": args.missing}
    print(f"{args.voters:,} voters x {STATEMENTS} statements x {PARTIES} parties, scale "
          f"{SCALE}, {args.method}/{args.missing}, seed {args.seed}")
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        batch = score_batch(answers, important, positions, weights, scale=SCALE,
                            importance_multiplier=2.0, **options)
        best = min(best, time.perf_counter() - start)
    loop_voters = min(args.loop_voters, args.voters)
    inputs = (_rows(answers[:loop_voters]), important[:loop_voters].tolist(),
              _rows(positions), weights.tolist())
    start = time.perf_counter()
    looped = reference_scores(*inputs, top=2.0, multiplier=2.0, **options)
    loop_time = time.perf_counter() - start
    worst = _worst_difference(batch[:loop_voters], looped)
    batch_rate, loop_rate = args.voters / best, loop_voters / loop_time
    print(f"score_batch (numpy, best of 3): {best:.3f} s = {batch_rate:,.0f} voters/s")
    print(f"reference loop (pure Python):   {loop_voters:,} voters in {loop_time:.2f} s "
          f"= {loop_rate:,.0f} voters/s")
    print(f"agreement on the first {loop_voters:,} voters: max |difference| = {worst:.2e}")
    print(f"speed-up: {batch_rate / loop_rate:,.0f}x")
    return 0 if worst <= TOLERANCE else 1


def _worst_difference(batch: np.ndarray, looped: list[Row]) -> float:
    worst = 0.0
    for batch_row, loop_row in zip(batch.tolist(), looped, strict=True):
        for got, expected in zip(batch_row, loop_row, strict=True):
            if expected is None or math.isnan(got):
                worst = max(worst, 0.0 if expected is None and math.isnan(got) else math.inf)
            else:
                worst = max(worst, abs(got - expected))
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
