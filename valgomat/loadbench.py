"""Election-eve load benchmark: the voter's hot path under wrk, against a Flask hello-world.

``python -m valgomat.loadbench [--duration 30] [--connections 64] [--threads 2]``

Creates a temporary SQLite database, loads and publishes the shipped content
(``valgomat db upgrade`` and ``valgomat content load --publish``), serves it with
gunicorn and ``valgomat/gunicorn_conf.py`` on a free loopback port (access log to
/dev/null, the match rate limit raised out of the way) and measures, with wrk,
requests per second, p50 and p99 latency, non-2xx responses and socket errors for
the start page, a statement page, a result page and the match API. Then the same
for a Flask hello-world served by the same gunicorn configuration, for scale.
Prints a table and each rate as a share of the hello-world rate; the exit status
is 1 when any response was not 2xx or any socket error occurred.

The process helpers here (free ports, gunicorn servers, wrk runs and a
pure-Python fallback load) are shared with ``valgomat.faultdrill``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = Path(__file__).resolve().with_name("gunicorn_conf.py")
HOST = "127.0.0.1"  # everything here stays on the loopback interface
WRK_MISSING = "wrk is not on PATH: install it with `apt-get install wrk` (Debian/Ubuntu)."
RESULT_MARK = "VALGOMAT-WRK"
BROWSER_ENCODINGS = "gzip, deflate, br"

TARGETS = {  # the measured shares of the hello-world rate, and the latency bound
    "ratio": 0.50,
    "p99_ms": 50.0,
}

HELLO_APP = '''"""The smallest Flask app: the ceiling for this machine and gunicorn settings."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello, World!"
'''

# One wrk script per target: the request, and a done() that prints one line of
# figures (non-2xx counted per thread in response(), then summed).
LUA_TEMPLATE = """
wrk.method = {method}
wrk.body = {body}
{headers}
local threads = {{}}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format("{mark} %d %d %d %d %d %d %d %d %d %d\\n",
    summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


# --- processes ------------------------------------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def valgomat_command() -> list[str]:
    """The ``valgomat`` CLI of this interpreter's environment."""
    script = Path(sys.executable).with_name("valgomat")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from valgomat.cli import main; main()"]


def run_cli(args: Sequence[str], env: Mapping[str, str], timeout: float = 180,
            stdin: str = "") -> str:
    """Run ``valgomat ARGS``; raise with its output when it fails."""
    done = subprocess.run([*valgomat_command(), *args], env=dict(env), cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"valgomat {' '.join(args)} failed ({done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")
    return done.stdout


def http_request(port: int, path: str, method: str = "GET", body: bytes | None = None,
                 headers: Mapping[str, str] | None = None,
                 timeout: float = 5) -> tuple[int, bytes, http.client.HTTPMessage]:
    """One request to the loopback server on ``port``: status, body, headers."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.read(), response.headers
    finally:
        connection.close()


def get_json(port: int, path: str) -> Any:
    status, body, _ = http_request(port, path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    return json.loads(body)


@dataclass
class Server:
    """A gunicorn master started here, its port and the file its output goes to."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def worker_pids(self) -> set[int]:
        """The master's current child processes (its workers)."""
        return set(self._children())

    def _children(self) -> dict[int, str]:
        """Child pid -> its start time (to tell it from a later process with the same pid)."""
        children = {}
        for entry in Path("/proc").iterdir():
            stat = _proc_stat(int(entry.name)) if entry.name.isdigit() else None
            if stat and int(stat[1]) == self.pid:
                children[int(entry.name)] = stat[19]
        return children

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, timeout: float = 30) -> None:
        """Stop the master (it stops its workers); kill only our own processes if stuck."""
        if self.process.poll() is not None:
            return
        workers = self._children()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
            return
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        for pid, started in workers.items():  # still the same processes: ours to end
            stat = _proc_stat(pid)
            if stat and stat[19] == started:
                with suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)


def _proc_stat(pid: int) -> list[str] | None:
    """/proc/PID/stat fields after the command name: state, ppid, … (starttime is [19])."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def start_gunicorn(name: str, app: str, env: Mapping[str, str], log_path: Path,
                   extra_args: Sequence[str] = (), ready_path: str = "/",
                   timeout: float = 60) -> Server:
    """gunicorn with ``valgomat/gunicorn_conf.py`` on a free loopback port, once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF),
               "--bind", f"{HOST}:{port}", *extra_args, app]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env=dict(env), cwd=ROOT, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = Server(name, process, port, log_path)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn {name} exited with {process.returncode}:\n"
                               f"{server.log()[-3000:]}")
        try:
            http_request(port, ready_path, timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"gunicorn {name} did not answer within {timeout} s:\n"
                                   f"{server.log()[-3000:]}") from None
            time.sleep(0.2)
    server.worker_pids()
    return server


def configured_workers(env: Mapping[str, str]) -> int:
    """The worker count ``gunicorn_conf.py`` gives under this environment."""
    from multiprocessing import cpu_count

    return int(env.get("WEB_CONCURRENCY", cpu_count() * 2 + 1))


# --- load -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoadResult:
    """Figures of one load run, whether from wrk or the Python loop."""

    requests: int
    seconds: float
    non2xx: int
    connect: int = 0
    read: int = 0
    write: int = 0
    timeout: int = 0
    p50_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    tool: str = "wrk"

    @property
    def socket_errors(self) -> int:
        return self.connect + self.read + self.write + self.timeout

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def brief(self) -> str:
        detail = (f"connect {self.connect}, read {self.read}, write {self.write}, "
                  f"timeout {self.timeout}")
        latency = "" if self.p99_ms is None else (
            f"; latency p50 {self.p50_ms:.0f} ms, p99 {self.p99_ms:.0f} ms, "
            f"max {self.max_ms:.0f} ms")
        return (f"{self.requests} requests in {self.seconds:.1f} s ({self.tool}), "
                f"{self.non2xx} non-2xx, {self.socket_errors} socket errors ({detail}){latency}")


def write_wrk_script(directory: Path, name: str, method: str = "GET",
                     body: str | None = None,
                     headers: Mapping[str, str] | None = None) -> Path:
    lines = "\n".join(f"wrk.headers[ {_lua(k)} ] = {_lua(v)}" for k, v in (headers or {}).items())
    text = LUA_TEMPLATE.format(method=_lua(method), body=_lua(body) if body else "nil",
                               headers=lines, mark=RESULT_MARK)
    path = directory / f"{name}.lua"
    path.write_text(text)
    return path


def _lua(value: str) -> str:
    """A Lua string literal (long brackets cannot be broken by the content)."""
    level = "="
    while f"]{level}]" in value:
        level += "="
    return f"[{level}[{value}]{level}]"


class WrkRun:
    """A wrk process running in the background; ``result()`` waits for its figures."""

    def __init__(self, port: int, path: str, script: Path, duration: float,
                 connections: int, threads: int, timeout_s: float = 2) -> None:
        self.command = ["wrk", f"--threads={threads}", f"--connections={connections}",
                        f"--duration={max(1, round(duration))}s", f"--timeout={timeout_s}s",
                        f"--script={script}", f"http://{HOST}:{port}{path}"]
        self.bound = duration + 60  # wrk stops itself; this only bounds a hang
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True,
                                        stdin=subprocess.DEVNULL)

    def result(self) -> LoadResult:
        try:
            out, err = self.process.communicate(timeout=self.bound)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise RuntimeError(f"wrk did not finish: {' '.join(self.command)}") from None
        for line in out.splitlines():
            if line.startswith(RESULT_MARK):
                n = [int(x) for x in line.split()[1:]]
                ms = [x / 1000 if n[0] else None for x in n[7:10]]  # none without answers
                return LoadResult(requests=n[0], seconds=n[1] / 1e6, non2xx=n[2], connect=n[3],
                                  read=n[4], write=n[5], timeout=n[6], p50_ms=ms[0],
                                  p99_ms=ms[1], max_ms=ms[2], tool="wrk")
        raise RuntimeError(f"wrk gave no figures ({self.process.returncode}):\n{out}\n{err}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


class PythonLoad:
    """The stand-in for wrk: threads sending requests in a loop until a deadline.

    Each request opens its own connection (the sync workers close it anyway).
    Bounded in time: every thread stops at the deadline; a request's own timeout
    is a few seconds.
    """

    def __init__(self, port: int, path: str, duration: float, connections: int = 4,
                 method: str = "GET", body: bytes | None = None,
                 headers: Mapping[str, str] | None = None, timeout_s: float = 5) -> None:
        self.port, self.path, self.method, self.body = port, path, method, body
        self.headers = dict(headers or {})
        self.timeout_s = timeout_s
        self.statuses: Counter[int] = Counter()
        self.failures: Counter[str] = Counter()
        self.latencies: list[float] = []
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.deadline = self.started + duration
        self.threads = [threading.Thread(target=self._loop, daemon=True)
                        for _ in range(connections)]
        for thread in self.threads:
            thread.start()

    def _loop(self) -> None:
        while time.monotonic() < self.deadline:
            began = time.monotonic()
            try:
                status, _, _ = http_request(self.port, self.path, self.method, self.body,
                                            self.headers, timeout=self.timeout_s)
            except TimeoutError:
                self._count(None, "timeout", began)
            except ConnectionRefusedError:
                self._count(None, "connect", began)
            except (OSError, http.client.HTTPException):
                self._count(None, "read", began)
            else:
                self._count(status, None, began)

    def _count(self, status: int | None, failure: str | None, began: float) -> None:
        with self.lock:
            if status is not None:
                self.statuses[status] += 1
                self.latencies.append(time.monotonic() - began)
            if failure is not None:
                self.failures[failure] += 1

    def result(self) -> LoadResult:
        for thread in self.threads:
            thread.join(max(0.0, self.deadline - time.monotonic()) + self.timeout_s + 5)
        seconds = time.monotonic() - self.started
        with self.lock:
            ok = sum(n for status, n in self.statuses.items() if 200 <= status < 300)
            answered = sum(self.statuses.values())
            ordered = sorted(self.latencies)
        pick = (lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000
                ) if ordered else (lambda q: None)
        return LoadResult(requests=answered + sum(self.failures.values()), seconds=seconds,
                          non2xx=answered - ok, connect=self.failures["connect"],
                          read=self.failures["read"], timeout=self.failures["timeout"],
                          p50_ms=pick(0.50), p99_ms=pick(0.99), max_ms=pick(1.0),
                          tool="python")

    def stop(self) -> None:
        self.deadline = time.monotonic()


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


def bench_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "VALGOMAT_DATABASE_URL": database_url,
        "VALGOMAT_PRODUCTION": "1",
        "VALGOMAT_SECRET_KEY": secrets.token_hex(32),
        "VALGOMAT_MATCH_RATE_LIMIT": "100000000 per minute",  # measure the work, not the 429s
        "PYTHONUNBUFFERED": "1",
    })
    return env


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


@contextmanager
def serving(name: str, app: str, env: Mapping[str, str], log_path: Path,
            ready_path: str) -> Iterator[Server]:
    server = start_gunicorn(name, app, env, log_path, ["--access-logfile", "/dev/null"],
                            ready_path=ready_path)
    try:
        yield server
    finally:
        server.stop()


def run_bench(duration: float, connections: int, threads: int, warmup: float, quiz: str,
              lang: str, compressed: bool = False
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
            for target in voter_targets(document, lang):
                print(f"  {target.label}: {target.request[:90]}", flush=True)
                rows.append((target, measure(server, target, work, duration, connections,
                                             threads, warmup, compressed)))
        (work / "hello_app.py").write_text(HELLO_APP)
        hello_env = dict(env, PYTHONPATH=os.pathsep.join(
            filter(None, [str(work), env.get("PYTHONPATH")])))
        with serving("hello", "hello_app:app", hello_env, work / "hello.log", "/") as server:
            hello = Target("hello world", "/")
            print(f"  {hello.label}: {hello.request}", flush=True)
            rows.append((hello, measure(server, hello, work, duration, connections, threads,
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
        share = by_label[label].rate / hello if hello else 0
        checks.append((share >= TARGETS["ratio"],
                       f"{label} at {share:.0%} of hello-world (target >= "
                       f"{TARGETS['ratio']:.0%})"))
    for target, result in rows[:-1]:  # requests that timed out have no latency in wrk
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
    parser = argparse.ArgumentParser(prog="python -m valgomat.loadbench", description=__doc__,
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
                           args.quiz, args.lang, args.compressed)
    print(f"\ngunicorn: valgomat/gunicorn_conf.py, {info['workers']} sync workers, access log "
          f"to /dev/null; quiz {args.quiz} v{info['version']}, "
          f"{info['statements']} statements; SQLite; load average after: {_load_average()}\n")
    print(format_table(rows))
    print()
    for ok, text in verdicts(rows):
        print(f"{'ok  ' if ok else 'MISS'} {text}")
    return 1 if any(result.errors for _, result in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
