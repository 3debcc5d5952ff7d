"""Election-eve fault drill: scale-out, a database outage, a killed worker, a reload.

``python -m tools.faultdrill [--steps abcd] [--workers N] [--duration 20]``

Starts its own PostgreSQL (``initdb`` into a temporary directory, on a free
loopback port with its socket in that directory; as the ``postgres`` OS user
when run as root), loads and publishes the shipped content into it, and serves
it with two gunicorn servers, A and B, on two ports (``valgomat/gunicorn_conf.py``,
as in production). Then:

(a) publishes a changed copy of the content through the CLI against the
    database (``valgomat content load --publish``) and polls B until
    ``/api/v1/quizzes/<slug>`` shows the new version, on every worker;
(b) loads A's result and intro pages (wrk, or a bounded Python loop without
    it), stops PostgreSQL (``pg_ctl stop -m fast``) in the middle and starts it
    again a few seconds later: voters must see no error at all, while
    ``/editor/login`` answers 503 naming the database during the outage and 200
    again afterwards, without restarting gunicorn;
(c) SIGKILLs one of A's workers under load: at most its in-flight request may
    fail, and the master must replace it;
(d) sends A's master SIGHUP (graceful reload) under load: no request may fail
    and every worker is replaced.

Everything it starts (PostgreSQL, gunicorn, wrk) is stopped and its temporary
directories removed, also on failure or Ctrl-C. Prints a summary; the exit
status is 1 when a target is missed, 2 when the drill cannot run here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import Any

from tools.loadbench import Target, voter_targets
from tools.ops.checks import EDITOR_EMAIL, Load, Step
from tools.ops.drill_steps import DrillSteps
from tools.ops.load import PythonLoad, WrkRun, write_wrk_script
from tools.ops.postgres import DrillUnavailable, Postgres, postgres_bindir, unavailable_reason
from tools.ops.processes import (
    HOST,
    Server,
    configured_workers,
    get_json,
    http_request,
    run_cli,
    start_gunicorn,
)


class Drill(DrillSteps):
    """PostgreSQL plus servers A and B; each step is a method. Use as a context manager."""

    def __init__(self, workers: int | None = None, use_wrk: bool | None = None,
                 connections: int = 16, threads: int = 1, quiz: str = "lokalvalg",
                 lang: str = "nb", log: Callable[[str], Any] | None = None) -> None:
        self.use_wrk = shutil.which("wrk") is not None if use_wrk is None else use_wrk
        self.workers, self.connections, self.threads = workers, connections, threads
        self.quiz, self.lang = quiz, lang
        self.say = log or (lambda text: print(text, flush=True))
        self.pg: Postgres | None = None
        self.servers: list[Server] = []
        self.work = Path(tempfile.mkdtemp(prefix="valgomat-drill-"))
        self.env: dict[str, str] = {}
        self.targets: dict[str, Target] = {}
        self.loads: list[Load] = []

    # --- setting up and tearing down ----------------------------------------------------------

    def __enter__(self) -> Drill:
        try:
            self.setup()
        except BaseException:
            self.cleanup()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.cleanup()

    def setup(self) -> None:
        reason = unavailable_reason()
        if reason:
            raise DrillUnavailable(reason)
        bindir = postgres_bindir()
        assert bindir is not None
        self.pg = Postgres(bindir)
        self.say(f"PostgreSQL ({bindir}) in {self.pg.root}, port {self.pg.port}")
        self.pg.init()
        self.env = dict(os.environ)
        self.env.update({
            "VALGOMAT_DATABASE_URL": self.pg.url,
            "VALGOMAT_PRODUCTION": "1",
            # One key for every server, as behind a load balancer: sessions work on any.
            "VALGOMAT_SECRET_KEY": secrets.token_hex(32),
            "VALGOMAT_MATCH_RATE_LIMIT": "100000000 per minute",
            # The drill logs in many times; it measures outages, not the login limit.
            "VALGOMAT_LOGIN_RATE_LIMIT": "100000 per minute",
            "PYTHONUNBUFFERED": "1",
        })
        if self.workers:
            self.env["WEB_CONCURRENCY"] = str(self.workers)
        run_cli(["db", "upgrade"], self.env)
        run_cli(["content", "load", "--publish"], self.env)
        self.editor_password = secrets.token_urlsafe(18)
        run_cli(["editor", "create", EDITOR_EMAIL], self.env, stdin=self.editor_password + "\n")
        ready = f"/api/v1/quizzes/{self.quiz}"
        for name in ("A", "B"):
            self.servers.append(start_gunicorn(name, "valgomat:create_app()", self.env,
                                               self.work / f"gunicorn-{name}.log",
                                               ready_path=ready))
        document = get_json(self.a.port, ready)
        targets = voter_targets(document, self.lang)
        self.targets = {"intro": Target("intro page", f"/{self.lang}/{self.quiz}/"),
                        "result": targets[2]}
        self.answer_code = targets[2].path.rsplit("a=", 1)[1]
        for target in self.targets.values():
            write_wrk_script(self.work, target.label.replace(" ", "-"))
        self.say(f"servers A on {HOST}:{self.a.port} and B on {HOST}:{self.b.port}, "
                 f"{len(self.a.worker_pids())} + {len(self.b.worker_pids())} workers, "
                 f"load by {'wrk' if self.use_wrk else 'a Python HTTP loop'}")

    @property
    def a(self) -> Server:
        return self.servers[0]

    @property
    def b(self) -> Server:
        return self.servers[1]

    @property
    def live_check_seconds(self) -> float:
        return float(self.env.get("VALGOMAT_LIVE_CHECK_SECONDS", 2))

    def cleanup(self) -> None:
        for load in self.loads:  # cleanup goes on whatever happens
            with suppress(Exception):
                load.stop()
        for server in self.servers:
            with suppress(Exception):
                server.stop()
        if self.pg is not None:
            self.pg.cleanup()
        shutil.rmtree(self.work, ignore_errors=True)

    # --- helpers ------------------------------------------------------------------------------

    def start_load(self, server: Server, key: str, duration: float,
                   timeout_s: float = 2) -> Load:
        target = self.targets[key]
        load: Load
        if self.use_wrk:
            script = self.work / f"{target.label.replace(' ', '-')}.lua"
            load = WrkRun(server.port, target.path, script, duration, self.connections,
                          self.threads, timeout_s=timeout_s)
        else:
            load = PythonLoad(server.port, target.path, duration,
                              connections=max(2, min(self.connections, 4)), timeout_s=timeout_s)
        self.loads.append(load)
        return load

    def voter_loads(self, server: Server, duration: float,
                    timeout_s: float = 2) -> dict[str, Load]:
        """The result and intro pages at once; a request slower than ``timeout_s`` fails."""
        return {key: self.start_load(server, key, duration, timeout_s)
                for key in ("result", "intro")}

    def finish(self, step: Step, loads: dict[str, Load], allowed_errors: int = 0) -> int:
        total = 0
        for key, load in loads.items():
            result = load.result()
            total += result.errors
            step.lines.append(f"{self.targets[key].label}: {result.brief()}")
            step.results.append(result)
        target = f"<= {allowed_errors}" if allowed_errors else "0"
        step.check("voters", total <= allowed_errors, f"voter errors {total} (target {target})")
        return total


    def live_version(self, server: Server) -> int | None:
        try:
            status, body, _ = http_request(server.port, f"/api/v1/quizzes/{self.quiz}",
                                           timeout=5)
        except OSError:
            return None
        if status != 200:
            return None
        return int(json.loads(body)["version"])


STEPS: dict[str, Callable[[Drill, argparse.Namespace], Step]] = {
    "a": lambda d, a: d.publish_propagation(),
    "b": lambda d, a: d.database_outage(a.duration, a.duration * 0.3, a.down),
    "c": lambda d, a: d.kill_worker(a.kill_duration, a.kill_duration * 0.3),
    "d": lambda d, a: d.graceful_reload(a.kill_duration, a.kill_duration * 0.3),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.faultdrill", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", default="abcd", help="which steps, in order (default abcd)")
    parser.add_argument("--workers", type=int,
                        help="gunicorn workers per server (default: gunicorn_conf.py's)")
    parser.add_argument("--duration", type=float, default=20,
                        help="seconds of load in the outage step (b)")
    parser.add_argument("--down", type=float, default=5,
                        help="seconds PostgreSQL stays down in step (b)")
    parser.add_argument("--kill-duration", type=float, default=10,
                        help="seconds of load in steps (c) and (d)")
    parser.add_argument("--connections", type=int, default=16,
                        help="wrk connections per page (two pages at once)")
    parser.add_argument("--python-load", action="store_true",
                        help="load with the Python HTTP loop even when wrk is there")
    args = parser.parse_args(argv)
    unknown = set(args.steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps {''.join(sorted(unknown))}; choose from abcd")

    def stop_on_term(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop_on_term)
    workers = args.workers or configured_workers(os.environ)
    print(f"valgomat fault drill, {dt.date.today().isoformat()}, {os.cpu_count()} cores, "
          f"{workers} workers per server", flush=True)
    steps: list[Step] = []
    try:
        with Drill(workers=args.workers, use_wrk=False if args.python_load else None,
                   connections=args.connections) as drill:
            for key in args.steps:
                step = STEPS[key](drill, args)
                print(step, flush=True)
                steps.append(step)
            steps.append(drill.access_log_check())
    except DrillUnavailable as exc:
        print(f"The fault drill cannot run here: {exc}", file=sys.stderr)
        return 2
    print("\nSummary")
    for step in steps:
        print(f"  {'ok  ' if step.ok else 'MISS'} {step.name}")
    return 0 if all(step.ok for step in steps) else 1


if __name__ == "__main__":
    sys.exit(main())
