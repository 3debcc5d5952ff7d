"""The fault drill's steps (a)–(d) and the access-log check, as methods of ``Drill``."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from tools.ops.checks import EDITOR_EMAIL, EDITOR_HOME, EDITOR_LOGIN, EditorClient, Load, Step
from tools.ops.postgres import PG_USER, Postgres
from tools.ops.processes import HOST, ROOT, Server, run_cli


class DrillSteps:
    """Mixed into ``tools.faultdrill.Drill``, which provides the servers and loads."""

    # What the steps use of Drill:
    quiz: str
    work: Path
    env: dict[str, str]
    pg: Postgres | None
    editor_password: str
    answer_code: str

    if TYPE_CHECKING:
        @property
        def a(self) -> Server: ...
        @property
        def b(self) -> Server: ...
        @property
        def live_check_seconds(self) -> float: ...
        def live_version(self, server: Server) -> int | None: ...
        def voter_loads(self, server: Server, duration: float,
                        timeout_s: float = 2) -> dict[str, Load]: ...
        def finish(self, step: Step, loads: dict[str, Load], allowed_errors: int = 0) -> int: ...

    # --- (a) a publish reaches the other server -----------------------------------------------

    def publish_propagation(self, poll_bound: float = 30) -> Step:
        step = Step("(a) publish via the CLI on A's database, seen by server B")
        before = self.live_version(self.b)
        content = self.work / "content"
        shutil.rmtree(content, ignore_errors=True)
        for folder in ("questions", "positions", "programs"):
            shutil.copytree(ROOT / folder, content / folder)
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
