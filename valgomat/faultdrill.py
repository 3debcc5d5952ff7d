"""Election-eve fault drill: scale-out, a database outage, a killed worker, a reload.

``python -m valgomat.faultdrill [--steps abcd] [--workers N] [--duration 20]``

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
import html
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import urlencode

import yaml

from valgomat.loadbench import (
    HOST,
    ROOT,
    LoadResult,
    PythonLoad,
    Server,
    Target,
    WrkRun,
    configured_workers,
    free_port,
    get_json,
    http_request,
    run_cli,
    start_gunicorn,
    voter_targets,
    write_wrk_script,
)

PG_BINARIES = ("initdb", "pg_ctl", "postgres", "createdb")
PG_USER = "postgres"
EDITOR_LOGIN = "/editor/login"
EDITOR_HOME = "/editor/"
EDITOR_EMAIL = "drill@example.org"


class DrillUnavailable(RuntimeError):
    """This machine cannot run the drill (no PostgreSQL binaries, no postgres user)."""


def postgres_bindir() -> Path | None:
    """PostgreSQL's server binaries: ``VALGOMAT_PG_BINDIR``, Debian's newest, or PATH."""
    candidates = []
    if os.environ.get("VALGOMAT_PG_BINDIR"):
        candidates.append(Path(os.environ["VALGOMAT_PG_BINDIR"]))
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(versions, key=lambda p: _version_key(p.parent.name), reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for directory in candidates:
        if all((directory / tool).exists() for tool in PG_BINARIES):
            return directory
    return None


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


def unavailable_reason() -> str | None:
    """Why the drill cannot run on this machine, or None when it can."""
    if postgres_bindir() is None:
        return ("PostgreSQL server binaries (initdb, pg_ctl, postgres, createdb) not found in "
                "/usr/lib/postgresql/*/bin or on PATH; install postgresql or set "
                "VALGOMAT_PG_BINDIR")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(PG_USER)
        except KeyError:
            return "running as root, and there is no 'postgres' OS user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root, and runuser is missing to run PostgreSQL as 'postgres'"
    return None


class Postgres:
    """A throw-away PostgreSQL cluster in a temporary directory, on a free loopback port."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="valgomat-drill-pg-"))
        self.data = self.root / "data"
        self.log_path = self.root / "postgres.log"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:  # PostgreSQL refuses to run as root: the directory is postgres's
            user = pwd.getpwnam(PG_USER)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self.postmaster_pid: int | None = None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{PG_USER}@{HOST}:{self.port}/valgomat"

    def _run(self, tool: str, *args: str, timeout: float = 120,
             check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", PG_USER, "--", *command]
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True,
                              timeout=timeout, check=False, stdin=subprocess.DEVNULL)
        if check and done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
                               f"\n{self.log_tail()}")
        return done

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", PG_USER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        self.start()
        self._run("createdb", "-h", HOST, "-p", str(self.port), "-U", PG_USER, "valgomat")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses={HOST} "
                   "-c fsync=off -c full_page_writes=off")
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log_path), "-w",
                  "-t", "60", "-o", options)
        self.postmaster_pid = self._read_pid()

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w", "-t", "60")

    def running(self) -> bool:
        return self._run("pg_ctl", "status", "-D", str(self.data), check=False).returncode == 0

    def _read_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def cleanup(self) -> None:
        """Stop the cluster however it is, then remove its directory."""
        try:
            if self.data.exists() and self.running():
                self.stop("immediate")
        except (OSError, RuntimeError, subprocess.TimeoutExpired):
            pid = self._read_pid() or self.postmaster_pid
            if pid:  # only the postmaster this drill started
                with suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)


class Load(Protocol):
    def result(self) -> LoadResult: ...

    def stop(self) -> None: ...


class EditorClient:
    """A browser stand-in for the editor pages: keeps cookies, sends the CSRF token."""

    TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]*)"')

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str,
                form: dict[str, str] | None = None) -> tuple[int | None, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            status, raw, answer = http_request(self.port, path, method, body, headers)
        except OSError as exc:
            return None, f"{exc.__class__.__name__}: {exc}"
        for cookie in answer.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return status, raw.decode("utf-8", "replace")

    def log_in(self, email: str, password: str) -> tuple[int | None, str]:
        """GET the form (no database needed), then POST the credentials."""
        status, page = self.request("GET", EDITOR_LOGIN)
        token = self.TOKEN.search(page)
        if status != 200 or token is None:
            return status, page
        return self.request("POST", EDITOR_LOGIN, {
            "csrf_token": html.unescape(token.group(1)), "email": email, "password": password})


@dataclass
class Step:
    """One drill step: figures to print, and the named checks that decide it."""

    name: str
    lines: list[str] = field(default_factory=list)
    checks: dict[str, tuple[bool, str]] = field(default_factory=dict)
    results: list[LoadResult] = field(default_factory=list)
    figures: dict[str, float | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(ok for ok, _ in self.checks.values())

    def check(self, key: str, ok: bool, text: str) -> bool:
        self.checks[key] = (ok, text)
        return ok

    def report(self) -> str:
        out = [f"{self.name}: {'ok' if self.ok else 'TARGET MISSED'}"]
        out += [f"    {line}" for line in self.lines]
        out += [f"    {'ok  ' if ok else 'MISS'} {text}" for ok, text in self.checks.values()]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.report()


class Drill:
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

    # --- (a) a publish reaches the other server -----------------------------------------------

    def publish_propagation(self, poll_bound: float = 30) -> Step:
        step = Step("(a) publish via the CLI on A's database, seen by server B")
        before = self.live_version(self.b)
        content = self.work / "content"
        shutil.rmtree(content, ignore_errors=True)
        shutil.copytree(ROOT / "questions", content / "questions")
        shutil.copytree(ROOT / "positions", content / "positions")
        quiz_file = content / "questions" / f"{self.quiz}.yaml"
        data = yaml.safe_load(quiz_file.read_text(encoding="utf-8"))
        first = next(iter(data["description"]))
        data["description"][first] += f" (fault drill {dt.datetime.now():%H:%M:%S})"
        quiz_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                             encoding="utf-8")

        seen: list[tuple[float, int | None]] = []  # (wall-clock time, version B answered)
        stop = threading.Event()

        def poll() -> None:  # B is busy with readers all the time, as on election eve
            deadline = time.monotonic() + poll_bound + 60
            while not stop.is_set() and time.monotonic() < deadline:
                seen.append((time.time(), self.live_version(self.b)))
                time.sleep(0.02)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        try:
            time.sleep(max(0.5, self.live_check_seconds))  # every worker of B has checked
            started = time.monotonic()
            output = run_cli(["content", "load", str(content), "--publish"], self.env)
            step.figures["cli"] = time.monotonic() - started
            step.lines.append(f"CLI: {' '.join(output.split())[:150]}")
            after = self.live_version(self.a)
            deadline = time.monotonic() + poll_bound
            while time.monotonic() < deadline:  # until 30 answers in a row are new
                recent = [version for _, version in seen[-30:]]
                if len(recent) == 30 and all(v == after for v in recent):
                    break
                time.sleep(0.05)
        finally:
            stop.set()
            poller.join(5)
        step.lines.append(f"version {before} -> {after}; the CLI took {step.figures['cli']:.1f} s"
                          " (start-up, migration check, load, publish)")
        if after is None or before is None or after <= before:
            step.check("published", False, f"no new version was published ({before} -> {after})")
            return step
        step.check("published", True, f"version {after} published through the CLI")
        published = self.published_at(after)
        new = [at for at, version in seen if version == after]
        old = [at for at, version in seen
               if at >= published and version is not None and version != after]
        failed = sum(1 for at, version in seen if version is None)
        step.check("polls", failed == 0, f"{failed} failed polls of B (target 0)")
        if not new or seen[-1][1] != after:
            step.check("propagated", False, f"B never showed version {after} on every worker "
                       f"within {poll_bound:.0f} s")
            return step
        first, last_old = new[0] - published, (max(old) - published) if old else 0.0
        step.figures.update(first=first, all_workers=max(first, last_old))
        step.lines.append(f"after the publish was committed ({len(seen)} polls of B): first "
                          f"answer with version {after} at {first:.2f} s, last answer with "
                          f"the old version at {last_old:.2f} s")
        bound = self.live_check_seconds + 1.0
        step.check("propagated", max(first, last_old) <= bound,
                   f"every worker of B on version {after} within "
                   f"{max(first, last_old):.2f} s of the publish "
                   f"(target <= LIVE_CHECK_SECONDS + 1 s = {bound:.0f} s)")
        return step

    def published_at(self, number: int) -> float:
        """When the version was written (its ``published_at``), as a Unix time."""
        import psycopg

        assert self.pg is not None
        with psycopg.connect(host=HOST, port=self.pg.port, user=PG_USER, dbname="valgomat",
                             connect_timeout=5) as connection:
            row = connection.execute(
                "SELECT v.published_at FROM quiz_versions v JOIN quizzes q ON q.id = v.quiz_id"
                " WHERE q.slug = %s AND v.number = %s", (self.quiz, number)).fetchone()
        assert row is not None, f"version {number} of {self.quiz} is not in the database"
        return float(row[0].timestamp())

    # --- (b) the database goes away under load ------------------------------------------------

    def database_outage(self, duration: float = 20, stop_after: float = 6,
                        down_for: float = 5, recover_bound: float = 30) -> Step:
        """Voters keep being served from the cached versions; editors get a clear 503."""
        assert self.pg is not None
        step = Step("(b) PostgreSQL stopped and restarted under voter load on A")
        master, workers = self.a.pid, self.a.worker_pids()
        editor = EditorClient(self.a.port)
        status, _ = editor.log_in(EDITOR_EMAIL, self.editor_password)
        home, _ = editor.request("GET", EDITOR_HOME)
        step.check("before", status == 302 and home == 200,
                   f"before: editor login {status}, {EDITOR_HOME} {home} (expected 302, 200)")
        loads = self.voter_loads(self.a, duration)
        began = time.monotonic()
        time.sleep(stop_after)
        self.pg.stop("fast")
        down_at = time.monotonic()
        step.lines.append(f"pg_ctl stop -m fast at {down_at - began:.1f} s")
        form: list[int | None] = []
        attempts: list[tuple[int | None, bool]] = []
        pages: list[tuple[int | None, bool]] = []
        while time.monotonic() < down_at + down_for:
            status, body = EditorClient(self.a.port).log_in(EDITOR_EMAIL, self.editor_password)
            attempts.append((status, "database" in body.lower()))
            form.append(EditorClient(self.a.port).request("GET", EDITOR_LOGIN)[0])
            status, body = editor.request("GET", EDITOR_HOME)
            pages.append((status, "database" in body.lower()))
            time.sleep(0.3)
        self.pg.start()
        up_at = time.monotonic()
        step.lines.append(f"pg_ctl start at {up_at - began:.1f} s "
                          f"(down {up_at - down_at:.1f} s)")
        recovered = None
        while time.monotonic() < up_at + recover_bound:
            if editor.request("GET", EDITOR_HOME)[0] == 200:
                recovered = time.monotonic() - up_at
                break
            time.sleep(0.1)
        after_login, _ = EditorClient(self.a.port).log_in(EDITOR_EMAIL, self.editor_password)
        after_form = EditorClient(self.a.port).request("GET", EDITOR_LOGIN)[0]
        self.finish(step, loads)
        step.figures.update(down=up_at - down_at, recovered=recovered)
        step.lines.append(f"GET {EDITOR_LOGIN} (the bare form, which reads nothing from the "
                          f"database) answered {sorted(set(form), key=str)} while it was down")
        for key, what, seen in (
                ("login_attempt", f"POST {EDITOR_LOGIN} (a login attempt)", attempts),
                ("editor_page", f"GET {EDITOR_HOME} (logged in)", pages)):
            statuses = sorted({status for status, _ in seen}, key=str)
            step.check(key, bool(seen) and all(status == 503 and named for status, named in seen),
                       f"{what} while the database was down: {len(seen)} tries, status "
                       f"{statuses}, 'database' in the body of "
                       f"{sum(named for _, named in seen)} (target 503 naming the database)")
        step.check("recovered", recovered is not None,
                   f"{EDITOR_HOME} 200 again {recovered:.1f} s after the restart"
                   if recovered is not None else
                   f"{EDITOR_HOME} not 200 within {recover_bound:.0f} s of the restart")
        step.check("after", after_login == 302 and after_form == 200,
                   f"after: GET {EDITOR_LOGIN} {after_form}, login {after_login} "
                   "(expected 200, 302)")
        step.check("not_restarted", self.a.process.poll() is None and self.a.pid == master,
                   "gunicorn A not restarted (same master, still running)")
        step.lines.append("workers of A unchanged through the outage: "
                          f"{self.a.worker_pids() == workers}")
        return step

    # --- (c) a worker dies ----------------------------------------------------------------------

    def kill_worker(self, duration: float = 10, kill_after: float = 3,
                    replace_bound: float = 60) -> Step:
        step = Step("(c) one worker of A SIGKILLed under load")
        workers = self.a.worker_pids()
        loads = self.voter_loads(self.a, duration)
        time.sleep(kill_after)
        victim = max(workers)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        replaced = None
        while time.monotonic() < killed_at + replace_bound:
            now = self.a.worker_pids()
            if victim not in now and len(now) >= len(workers):
                replaced = time.monotonic() - killed_at
                break
            time.sleep(0.05)
        errors = self.finish(step, loads, allowed_errors=1)  # a sync worker holds one request
        step.figures.update(errors=errors, replaced=replaced)
        step.lines.append(f"killed worker {victim} of {len(workers)}")
        step.check("replaced", replaced is not None,
                   f"master replaced it: {len(workers)} workers again after {replaced:.1f} s"
                   if replaced is not None else
                   f"worker count not back to {len(workers)} within {replace_bound:.0f} s")
        return step

    # --- (d) a graceful reload ------------------------------------------------------------------

    def graceful_reload(self, duration: float = 12, hup_after: float = 3,
                        reload_bound: float = 60, reload_timeout: float = 10) -> Step:
        step = Step("(d) graceful reload of A (kill -HUP <master pid>) under load")
        workers = self.a.worker_pids()
        # Requests wait in the listen backlog while the new workers boot: give them the
        # patience of a browser behind a proxy, and report how long the slowest waited.
        loads = self.voter_loads(self.a, duration, timeout_s=reload_timeout)
        time.sleep(hup_after)
        os.kill(self.a.pid, signal.SIGHUP)
        sent = time.monotonic()
        done = None
        while time.monotonic() < sent + reload_bound:
            now = self.a.worker_pids()
            if not now & workers and len(now) >= len(workers):
                done = time.monotonic() - sent
                break
            time.sleep(0.05)
        self.finish(step, loads)
        slowest = max((r.max_ms or 0 for r in step.results), default=0)
        step.figures.update(replaced=done, slowest_ms=slowest)
        step.lines.append(f"slowest request {slowest / 1000:.2f} s (client timeout "
                          f"{reload_timeout:.0f} s): old workers stop as soon as the new ones "
                          "are forked, before those have imported the app")
        step.check("replaced", done is not None,
                   f"all {len(workers)} workers replaced by new ones {done:.1f} s after SIGHUP"
                   if done is not None else
                   f"old workers still there {reload_bound:.0f} s after SIGHUP")
        return step

    # --- privacy of the access log --------------------------------------------------------------

    def access_log_check(self) -> Step:
        step = Step("access log of A and B")
        logs = self.a.log() + self.b.log()
        lines = [line for line in logs.splitlines() if '"GET /' in line]
        step.lines.append(f"{len(lines)} request lines logged")
        step.check("private", bool(lines) and self.answer_code not in logs and "?a=" not in logs
                   and "&a=" not in logs,
                   "no answer code and no query string in the access logs")
        return step


STEPS: dict[str, Callable[[Drill, argparse.Namespace], Step]] = {
    "a": lambda d, a: d.publish_propagation(),
    "b": lambda d, a: d.database_outage(a.duration, a.duration * 0.3, a.down),
    "c": lambda d, a: d.kill_worker(a.kill_duration, a.kill_duration * 0.3),
    "d": lambda d, a: d.graceful_reload(a.kill_duration, a.kill_duration * 0.3),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m valgomat.faultdrill", description=__doc__,
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
