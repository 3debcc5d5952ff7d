"""Production behaviour with real processes (``tools.faultdrill``, ``tools.loadbench``).

A throw-away PostgreSQL and two gunicorn servers: a publish through the CLI
reaches the other server within ``LIVE_CHECK_SECONDS``; PostgreSQL stopped and
restarted under voter load costs voters nothing while editors get a 503 naming
the database. Load comes from wrk, or from a Python loop bounded in time when
wrk is missing. Without PostgreSQL's server binaries these tests skip with the
reason; under ``CI=true`` they fail instead. Separately, a real gunicorn with
``valgomat/gunicorn_conf.py`` never writes a query string to its access log.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools import faultdrill
from tools.ops import processes
from tools.ops.checks import Step

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="module")
def drill() -> Iterator[faultdrill.Drill]:
    reason = faultdrill.unavailable_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"CI must run the fault drill, but: {reason}")
        pytest.skip(f"fault drill not possible here: {reason}")
    with faultdrill.Drill(workers=2) as running:
        yield running


@pytest.fixture(scope="module")
def outage(drill: faultdrill.Drill) -> Step:
    return drill.database_outage(duration=8, stop_after=2, down_for=3, recover_bound=20)


def test_a_publish_reaches_the_other_server_within_the_live_check(
        drill: faultdrill.Drill) -> None:
    step = drill.publish_propagation(poll_bound=15)
    assert step.ok, step.report()
    assert step.figures["all_workers"] is not None
    assert step.figures["all_workers"] <= drill.live_check_seconds + 1


@pytest.mark.parametrize("check", ["before", "voters", "login_attempt", "recovered", "after",
                                   "not_restarted"])
def test_voters_are_served_through_a_database_outage(outage: Step,
                                                     check: str) -> None:
    ok, text = outage.checks[check]
    assert ok, f"{text}\n\n{outage.report()}"


def test_logged_in_editor_pages_answer_503_during_an_outage(outage: Step) -> None:
    ok, text = outage.checks["editor_page"]
    assert ok, text


def test_the_access_log_never_holds_a_query_string(tmp_path: Path) -> None:
    env = processes.bench_env(f"sqlite:///{tmp_path / 'log.sqlite3'}")
    env["WEB_CONCURRENCY"] = "1"
    processes.run_cli(["content", "load", "--publish"], env)
    log = tmp_path / "gunicorn.log"  # the config's access log goes to stdout, captured here
    server = processes.start_gunicorn("access-log", "valgomat:create_app()", env, log,
                                      ready_path="/api/v1/quizzes")
    try:
        for path in ("/nb/?a=secret", "/nb/lokalvalg/result?v=1&a=secret",
                     "/nb/lokalvalg/2?v=1&a=secret&r=1", "/api/v1/quizzes/lokalvalg?a=secret"):
            processes.http_request(server.port, path)
        deadline = time.monotonic() + 10
        while "GET /api/v1/quizzes/lokalvalg " not in server.log():
            assert time.monotonic() < deadline, f"no access log line:\n{server.log()}"
            time.sleep(0.1)
    finally:
        server.stop()
    text = log.read_text()
    assert '"GET /nb/ HTTP/1.1" 200' in text
    assert '"GET /nb/lokalvalg/result HTTP/1.1" 400' in text
    assert "secret" not in text
    assert "?" not in "".join(line for line in text.splitlines() if '"GET ' in line)
