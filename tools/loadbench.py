"""Election-eve load benchmark: the voter's hot path under wrk, against a Flask hello-world.

``python -m tools.loadbench [--duration 30] [--connections 64] [--threads 2]``

Creates a temporary SQLite database, loads and publishes the shipped content
(``valgomat db upgrade`` and ``valgomat content load --publish``), serves it with
gunicorn and ``valgomat/gunicorn_conf.py`` on a free loopback port (access log to
/dev/null, the match rate limit raised out of the way) and measures, with wrk,
requests per second, p50 and p99 latency, non-2xx responses and socket errors for
the start page, a statement page, a result page and the match API. Then the same
for a Flask hello-world served by the same gunicorn configuration, for scale, and
for that hello-world app returning the measured result page's bytes as they are
("result bytes"): what a page of that size allows with no work at all.
Prints a table and each rate as a share of the hello-world rate; the exit status
is 1 when any response was not 2xx or any socket error occurred.

Processes and load generators live in ``tools.ops``, shared with
``tools.faultdrill``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.ops.load import WRK_MISSING, LoadResult, WrkRun, write_wrk_script
from tools.ops.processes import (
    Server,
    bench_env,
    configured_workers,
    get_json,
    http_request,
    run_cli,
    serving,
)

BROWSER_ENCODINGS = "gzip, deflate, br"

TARGETS = {  # the measured shares of the hello-world rate, and the latency bound
    "ratio": 0.50,
    "p99_ms": 50.0,
}

HELLO_APP = '''"""The smallest Flask app: the ceiling for this machine and gunicorn settings."""
from pathlib import Path

from flask import Flask

app = Flask(__name__)
PAGE = Path(__file__).with_name("result_page.html").read_bytes()


@app.get("/")
def index():
    return "Hello, World!"


@app.get("/result-bytes")
def result_bytes():
    """The measured result page's own bytes, made by nothing: what its size alone allows."""
    return PAGE, {"Content-Type": "text/html; charset=utf-8"}
'''
STATIC_RESULT = "result bytes"

# One wrk script per target: the request, and a done() that prints one line of
# figures (non-2xx counted per thread in response(), then summed).

# --- the benchmark --------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    label: str
    path: str
    method: str = "GET"
    body: str | None = None

    @property
    def request(self) -> str:
        return f"{self.method} {self.path}"


def answer_code(count: int) -> str:
    """A full, varied answer code: every value, some important, a few skipped."""
    pattern = "abcdeEsdcbAeb"
    return "".join(pattern[i % len(pattern)] for i in range(count))


def voter_targets(quiz: Mapping[str, Any], lang: str = "nb") -> list[Target]:
    """The four measured requests, built from the published quiz as the API serves it."""
    slug, version = quiz["slug"], quiz["version"]
    ids = [s["id"] for s in quiz["statements"]]
    values = quiz["scale"]["values"]
    answers = {sid: values[i % len(values)] for i, sid in enumerate(ids)}
    body = json.dumps({"answers": answers, "important": ids[::5]})
    return [
        Target("start page", f"/{lang}/"),
        Target("statement page", f"/{lang}/{slug}/1?v={version}"),
        Target("result page", f"/{lang}/{slug}/result?v={version}&a={answer_code(len(ids))}"),
        Target("match API", f"/api/v1/quizzes/{slug}/match", "POST", body),
    ]


def measure(server: Server, target: Target, scripts: Path, duration: float, connections: int,
            threads: int, warmup: float, compressed: bool = False) -> LoadResult:
    headers = {"Content-Type": "application/json"} if target.body else {}
    if compressed:  # what browsers send; the app then compresses with Brotli
        headers["Accept-Encoding"] = BROWSER_ENCODINGS
    name = target.label.replace(" ", "-")
    script = write_wrk_script(scripts, name, target.method, target.body, headers)
    status, body, _ = http_request(server.port, target.path, target.method,
                                   target.body.encode() if target.body else None, headers)
    if not 200 <= status < 300:
        raise RuntimeError(f"{target.request} answered {status}: {body[:300]!r}")
    if warmup > 0:  # every worker loads the snapshot and fills its caches first
        WrkRun(server.port, target.path, script, warmup, connections, threads).result()
    return WrkRun(server.port, target.path, script, duration, connections, threads).result()


def run_bench(duration: float, connections: int, threads: int, warmup: float, quiz: str,
              lang: str, compressed: bool = False, only: Sequence[str] = ()
              ) -> tuple[list[tuple[Target, LoadResult]], dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="valgomat-loadbench-") as tmp:
        work = Path(tmp)
        env = bench_env(f"sqlite:///{work / 'bench.sqlite3'}")
        run_cli(["db", "upgrade"], env)
        run_cli(["content", "load", "--publish"], env)
        rows: list[tuple[Target, LoadResult]] = []
        info: dict[str, Any] = {"workers": configured_workers(env)}
        with serving("valgomat", "valgomat:create_app()", env, work / "valgomat.log",
                     f"/api/v1/quizzes/{quiz}") as server:
            document = get_json(server.port, f"/api/v1/quizzes/{quiz}")
            info["version"] = document["version"]
            info["statements"] = len(document["statements"])
            info["workers"] = len(server.worker_pids())
            targets = voter_targets(document, lang)
            _, page, _ = http_request(server.port, targets[2].path)
            (work / "result_page.html").write_bytes(page)
            info["result_bytes"] = len(page)
            for target in targets:
                if only and not any(target.label.startswith(word) for word in only):
                    continue
                print(f"  {target.label}: {target.request[:90]}", flush=True)
                rows.append((target, measure(server, target, work, duration, connections,
                                             threads, warmup, compressed)))
        (work / "hello_app.py").write_text(HELLO_APP)
        hello_env = dict(env, PYTHONPATH=os.pathsep.join(
            filter(None, [str(work), env.get("PYTHONPATH")])))
        with serving("hello", "hello_app:app", hello_env, work / "hello.log", "/") as server:
            for plain in (Target(STATIC_RESULT, "/result-bytes"), Target("hello world", "/")):
                skip_static = compressed or (only and "result" not in only)
                if plain.label == STATIC_RESULT and skip_static:
                    continue
                print(f"  {plain.label}: {plain.request}", flush=True)
                rows.append((plain, measure(server, plain, work, duration, connections, threads,
                                            warmup, compressed)))
        return rows, info


def format_table(rows: Sequence[tuple[Target, LoadResult]]) -> str:
    hello = rows[-1][1].rate
    header = (f"{'target':<16} {'request':<34} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
              f"{'non-2xx':>7} {'sock err':>8} {'vs hello':>8}")
    lines = [header, "-" * len(header)]
    for target, result in rows:
        request = target.request if len(target.request) <= 34 else target.request[:31] + "..."
        lines.append(f"{target.label:<16} {request:<34} {result.rate:>8.0f} "
                     f"{_ms(result.p50_ms):>7} {_ms(result.p99_ms):>7} "
                     f"{result.non2xx:>7} {result.socket_errors:>8} "
                     f"{result.rate / hello if hello else 0:>8.0%}")
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def verdicts(rows: Sequence[tuple[Target, LoadResult]]) -> list[tuple[bool, str]]:
    hello = rows[-1][1].rate
    by_label = {target.label: result for target, result in rows}
    checks = []
    for label in ("match API", "result page"):
        if label not in by_label:
            continue
        share = by_label[label].rate / hello if hello else 0
        checks.append((share >= TARGETS["ratio"],
                       f"{label} at {share:.0%} of hello-world (target >= "
                       f"{TARGETS['ratio']:.0%})"))
    for target, result in rows[:-1]:  # requests that timed out have no latency in wrk
        if target.label == STATIC_RESULT:
            continue
        p99 = "n/a" if result.p99_ms is None else f"{result.p99_ms:.1f} ms"
        extra = f", {result.timeout} timed out" if result.timeout else ""
        checks.append((result.p99_ms is not None and result.timeout == 0
                       and result.p99_ms < TARGETS["p99_ms"],
                       f"{target.label} p99 {p99}{extra} (target < "
                       f"{TARGETS['p99_ms']:.0f} ms)"))
    for target, result in rows:
        checks.append((result.errors == 0,
                       f"{target.label}: {result.non2xx} non-2xx, {result.socket_errors} socket "
                       f"errors (target 0)"))
    return checks


def _load_average() -> str:
    """The machine's 1/5/15-minute load: other work on it skews every figure."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.loadbench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=30, help="seconds per target")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--warmup", type=float, default=3,
                        help="seconds of unmeasured load before each target")
    parser.add_argument("--quiz", default="lokalvalg", help="quiz slug to measure")
    parser.add_argument("--lang", default="nb", help="interface language of the pages")
    parser.add_argument("--compressed", action="store_true",
                        help=f"send Accept-Encoding: {BROWSER_ENCODINGS} as browsers do")
    parser.add_argument("--only", default="", metavar="WORDS",
                        help="comma-separated starts of target labels (e.g. match,result); "
                             "the hello-world is always measured")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print(WRK_MISSING, file=sys.stderr)
        return 2
    cores = os.cpu_count()
    print(f"valgomat load benchmark, {dt.date.today().isoformat()}, {cores} cores; "
          f"wrk {args.threads} threads x {args.connections} connections, "
          f"{args.duration:g} s per target after {args.warmup:g} s warm-up"
          f"{', Accept-Encoding: ' + BROWSER_ENCODINGS if args.compressed else ''}; "
          f"load average before: {_load_average()}", flush=True)
    rows, info = run_bench(args.duration, args.connections, args.threads, args.warmup,
                           args.quiz, args.lang, args.compressed,
                           [word for word in args.only.split(",") if word])
    print(f"\ngunicorn: valgomat/gunicorn_conf.py, {info['workers']} sync workers, access log "
          f"to /dev/null; quiz {args.quiz} v{info['version']}, "
          f"{info['statements']} statements; SQLite; result page {info['result_bytes']:,} bytes "
          f"uncompressed; load average after: {_load_average()}\n")
    print(format_table(rows))
    print()
    for ok, text in verdicts(rows):
        print(f"{'ok  ' if ok else 'MISS'} {text}")
    return 1 if any(result.errors for _, result in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
