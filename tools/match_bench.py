"""Time one match per call: the core's ``match`` and ``POST /api/v1/quizzes/<slug>/match``.

    .venv/bin/python tools/match_bench.py [--calls N] [--seed S] [--method M --missing P]

Loads the shipped content into a temporary SQLite database, publishes it, and
scores the same seeded random voters (answers on every statement, a tenth skipped,
a fifth important) through the core and through the API with Flask's test client
(the whole request: routing, parsing, validation, matching, JSON), then prints the
mean, median and 99th percentile per call. Run it on two commits to compare them;
the figures are this machine's, not a test.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from valgomat.core.model import Quiz

ROOT = Path(__file__).resolve().parents[1]


class Voter(TypedDict):
    answers: dict[str, int | None]
    important: list[str]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slug", default="lokalvalg")
    parser.add_argument("--method")
    parser.add_argument("--missing")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from valgomat import create_app
    from valgomat.content import lifecycle
    from valgomat.core.matching import match
    from valgomat.extensions import db
    from valgomat.storage import published

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        app = create_app({"SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
                          "SQLALCHEMY_DATABASE_URI": url, "MATCH_RATE_LIMIT": "1000000/second"})
        with app.app_context():
            db.create_all()
            lifecycle.load_content(ROOT, publish=True)
            quiz = published.published_quiz(args.slug, None)
        assert quiz is not None, f"no published quiz {args.slug!r}"
        rng = random.Random(args.seed)
        voters = [_voter(quiz, rng) for _ in range(args.calls)]
        options = {key: value for key, value in (("method", args.method),
                                                 ("missing", args.missing)) if value}
        client = app.test_client()
        path = f"/api/v1/quizzes/{args.slug}/match"

        def core(voter: Voter) -> None:
            match(quiz, voter["answers"], voter["important"], **options)

        def api(voter: Voter) -> None:
            reply = client.post(path, json={**voter, **options})
            assert reply.status_code == 200, reply.get_data(as_text=True)

        print(f"{args.slug}: {len(quiz.statements)} statements x {len(quiz.parties)} parties, "
              f"{options or 'the quiz own method and policy'}, {args.calls:,} calls")
        with app.app_context():
            for name, run in (("core match()", core), ("POST …/match", api)):
                _report(name, run, voters)
    return 0


def _voter(quiz: Quiz, rng: random.Random) -> Voter:
    answers = {s.id: None if rng.random() < 0.1 else rng.choice(quiz.scale_values)
               for s in quiz.statements}
    if all(value is None for value in answers.values()):
        answers[quiz.statements[0].id] = quiz.scale_values[0]
    return {"answers": answers,
            "important": [s.id for s in quiz.statements if rng.random() < 0.2]}


def _report(name: str, run: Callable[[Voter], None], voters: list[Voter]) -> None:
    for voter in voters[:100]:  # warm caches (scoring tables, JIT-free but lazy imports)
        run(voter)
    times = []
    for voter in voters:
        start = time.perf_counter()
        run(voter)
        times.append(time.perf_counter() - start)
    times.sort()
    p99 = times[int(len(times) * 0.99) - 1]
    print(f"  {name:14} mean {statistics.fmean(times) * 1e6:7.0f} µs   median "
          f"{statistics.median(times) * 1e6:7.0f} µs   p99 {p99 * 1e6:7.0f} µs")


if __name__ == "__main__":
    raise SystemExit(main())
