"""Processes for the benchmarks and drills: free ports, the CLI, gunicorn servers, HTTP."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
GUNICORN_CONF = ROOT / "valgomat" / "gunicorn_conf.py"
HOST = "127.0.0.1"  # everything here stays on the loopback interface


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


@contextmanager
def serving(name: str, app: str, env: Mapping[str, str], log_path: Path,
            ready_path: str) -> Iterator[Server]:
    server = start_gunicorn(name, app, env, log_path, ["--access-logfile", "/dev/null"],
                            ready_path=ready_path)
    try:
        yield server
    finally:
        server.stop()
