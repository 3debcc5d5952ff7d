"""Benchmark: ``python -m tools.bench [--voters N] [--loop-voters N] [--seed S]``.

Times ``core.matching.score_batch`` (best of 3) on random answers against the
plain-Python loop written straight from docs/method.md (``tools.reference``),
checks that both agree on the voters the loop scored, and prints the rates and
their ratio.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence

import numpy as np

from tools.reference import reference_score
from valgomat.core.matching import score_batch

STATEMENTS = 40
PARTIES = 10
SCALE = 5
TOLERANCE = 1e-9

Row = list[float | None]


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


def reference_scores(answers: np.ndarray, important: np.ndarray, positions: np.ndarray,
                     weights: np.ndarray, *, method: str, missing: str) -> list[Row]:
    """``tools.reference`` for every voter and party (statements named by their index)."""
    def by_statement(row: list[float]) -> dict[str, float | None]:
        return {str(i): None if math.isnan(x) else x for i, x in enumerate(row)}

    statement_weights = {str(i): weight for i, weight in enumerate(weights.tolist())}
    parties = [by_statement(row) for row in positions.tolist()]
    return [[reference_score(voter, {str(i) for i, flag in enumerate(flags) if flag}, party,
                             statement_weights, scale=SCALE, method=method, missing=missing)
             for party in parties]
            for voter, flags in zip(map(by_statement, answers.tolist()), important.tolist(),
                                    strict=True)]


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
    start = time.perf_counter()
    looped = reference_scores(answers[:loop_voters], important[:loop_voters], positions, weights,
                              **options)
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
