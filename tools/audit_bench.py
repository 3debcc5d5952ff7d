"""Benchmark: ``python -m tools.audit_bench [--voters N] [--seed S] [--quiz SLUG]``.

Runs the whole audit (``core.audit.run.run_audit``) on the shipped demo quiz, read
from the content files at the repository root, twice:

1. as shipped (worker processes, one per core): the wall time, which is the
   target (< 5 s for 1,000,000 voters on 2 cores), and ``ru_maxrss`` of this
   process and of its largest worker (``RUSAGE_CHILDREN``); this process plus
   every worker at that size bounds the peak memory of the run (target < 1 GB);
2. in this process only (``workers=1``) under tracemalloc: the peak of the traced
   allocations (numpy reports its arrays to tracemalloc), i.e. what one worker
   needs at most, and ``resource.getrusage().ru_maxrss``. ``--quick`` skips it.

The load average is printed too: other work on the machine slows the run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

from valgomat.content.files import read_content
from valgomat.core.audit.run import run_audit
from valgomat.core.model import Quiz

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0
TARGET_BYTES = 1 << 30
MB = 1 << 20


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.audit_bench",
                                     description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quiz", default="lokalvalg", help="slug of a quiz under --root")
    parser.add_argument("--root", type=Path, default=ROOT, help="content root (questions/)")
    parser.add_argument("--quick", action="store_true", help="skip the tracemalloc run")
    args = parser.parse_args(argv)
    quizzes, problems = read_content(args.root)
    quiz = next((q for q in quizzes if q.slug == args.quiz), None)
    if quiz is None or problems:
        print(f"No valid quiz '{args.quiz}' under {args.root}", file=sys.stderr)
        return 2
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"quiz {quiz.slug}: {len(quiz.statements)} statements, {len(quiz.parties)} parties;"
          f" {args.voters:,} voters; {cores} cores; load average {os.getloadavg()[0]:.2f}")
    wall, own, worker = _timed(quiz, args.voters, args.seed)
    bound = own + (cores or 1) * worker
    print(f"wall time     {wall:7.2f} s   (target < {TARGET_SECONDS:.0f} s) "
          f"{'ok' if wall < TARGET_SECONDS else 'OVER'}")
    print(f"ru_maxrss     {own / MB:7.1f} MB  this process; {worker / MB:.1f} MB the largest "
          "worker")
    print(f"peak memory < {bound / MB:7.1f} MB  this process + {cores} workers "
          f"(target < {TARGET_BYTES / MB:.0f} MB) {'ok' if bound < TARGET_BYTES else 'OVER'}")
    if not args.quick:
        _traced(quiz, args.voters, args.seed)
    return 0


def _timed(quiz: Quiz, voters: int, seed: int) -> tuple[float, int, int]:
    """Wall time of the audit as shipped; peak RSS of this process and of its largest
    worker (no sampling thread: a second thread would change how workers start)."""
    start = time.perf_counter()
    report = run_audit(quiz, voters=voters, seed=seed)
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return wall, own, worker if report.settings.voters > 0 else 0


def _traced(quiz: Quiz, voters: int, seed: int) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    run_audit(quiz, voters=voters, seed=seed, workers=1)
    wall = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    print(f"one process   {wall:7.2f} s   (workers=1, under tracemalloc)")
    print(f"tracemalloc   {peak / MB:7.1f} MB  peak of traced allocations (numpy included)")
    print(f"ru_maxrss     {rss / MB:7.1f} MB  this process, after both runs")


if __name__ == "__main__":
    sys.exit(main())
