"""Privacy proof: a voter's answers leave no trace on the server.

A real gunicorn with ``valgomat/gunicorn_conf.py`` (access log and application
log both captured) serves a fresh SQLite database. A browser takes the whole
quiz, with and without JavaScript, opens the result and its share link. Then the
database (every row of every table, and the raw database files) and the logs are
searched for the answers: the answer code the URLs carried, and the query
strings. Each search is first shown to find what *is* there (statement ids in
the database, the pages' paths in the access log), so a search that cannot find
anything would fail instead of passing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_voter_flow import answer_all, back_target, open_quiz, show_results
from voter_plans import QUIZ, answer_code, voter_plan

from tools.ops import processes


@pytest.fixture(scope="module")
def logged_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """(base URL, database file, log file) of a gunicorn serving the published quiz."""
    work = tmp_path_factory.mktemp("privacy")
    database = work / "privacy.sqlite3"
    env = processes.bench_env(f"sqlite:///{database}")
    env["WEB_CONCURRENCY"] = "2"
    processes.run_cli(["content", "load", "--publish"], env)
    log = work / "gunicorn.log"  # access log and application log (stdout and stderr)
    server = processes.start_gunicorn("privacy", "valgomat:create_app()", env, log,
                                      ready_path="/api/v1/quizzes")
    try:
        yield f"http://{processes.HOST}:{server.port}", database, log
    finally:
        server.stop()


def database_text(database: Path) -> str:
    """Every value of every row of every table, and the files' raw bytes, as text."""
    parts = []
    with sqlite3.connect(database) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):  # noqa: S608
                parts.append(repr(row))
    connection.close()
    for path in database.parent.glob(f"{database.name}*"):  # the file, -wal, -journal
        parts.append(path.read_bytes().decode("latin-1"))
    return "\n".join(parts)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_answers_are_in_no_database_row_and_no_log(browser: Any, expect: Any,
                                                   logged_server: tuple[str, Path, Path],
                                                   javascript: bool) -> None:
    base, database, log = logged_server
    quiz = _quiz(base)
    plan = voter_plan(len(quiz["statements"]), seed=5 if javascript else 6)
    code = answer_code(plan)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    open_quiz(page, base, quiz, expect)
    answer_all(page, expect, quiz, plan, back_target(plan))
    show_results(page, expect, quiz)
    share = page.get_by_label("Link to this result").input_value()
    assert f"a={code}" in share  # the answers really travelled in the URLs
    page.goto(share)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    context.close()

    stored = database_text(database)
    assert quiz["statements"][0]["id"] in stored  # the search sees the content
    logged = log.read_text(errors="replace")
    assert f"GET /en/{QUIZ}/result" in logged  # the access log saw the result page
    for trace in (code, code[:12], f"a={code[:12]}", "?v="):
        assert trace not in stored, f"{trace!r} found in the database"
        assert trace not in logged, f"{trace!r} found in the log:\n{logged[-2000:]}"


def _quiz(base: str) -> dict[str, Any]:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{base}/api/v1/quizzes/{QUIZ}", timeout=10) as reply:
        data: dict[str, Any] = json.load(reply)
    return data
