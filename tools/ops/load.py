"""Load generators: wrk runs (with a Lua script per request) and a bounded Python loop."""

from __future__ import annotations

import http.client
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tools.ops.processes import HOST, http_request

WRK_MISSING = "wrk is not on PATH: install it with `apt-get install wrk` (Debian/Ubuntu)."
RESULT_MARK = "VALGOMAT-WRK"

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
