"""The documented production setup, for real: nginx with ``deploy/nginx.conf``
terminating TLS in front of gunicorn (``gunicorn_conf.py``, ``TRUSTED_PROXIES=1``).

Through it, Chromium logs an editor in, edits, publishes and logs out over HTTPS
(Flask-WTF's strict referrer check included); the rate limit counts each client
address, which a client cannot change by sending X-Forwarded-For; and after a voter
takes the quiz with answers in the URLs, neither nginx's nor gunicorn's log, nor
nginx's cache, holds a query string or the answers. Without nginx these tests skip,
except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_voter_flow import answer_all, back_target, open_quiz, show_results
from tls_proxy import Site, client_context, proxied_site, published_site
from voter_plans import QUIZ, answer_code, edit_home_care_statement, editor_log_in, voter_plan

from tools.ops import processes

ADMIN, PASSWORD = "admin@newsroom.example", "correct horse battery staple"
MATCH_LIMIT = 5
NEW_TEXT = "People should choose who provides their home care (said over HTTPS)."


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    work = tmp_path_factory.mktemp("https-proxy")
    binary, env = published_site(work, {"VALGOMAT_MATCH_RATE_LIMIT": f"{MATCH_LIMIT} per minute"})
    processes.run_cli(["editor", "create", ADMIN, "--role", "admin"], env, stdin=PASSWORD + "\n")
    with proxied_site(binary, work, env) as running:
        yield running


def test_an_editor_logs_in_edits_publishes_and_logs_out_over_https(
        browser: Any, expect: Any, site: Site) -> None:
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    posts: list[tuple[str, int, str | None]] = []
    page.on("response", lambda r: r.request.method == "POST" and posts.append(
        (r.url, r.status, r.request.header_value("origin"))))
    editor_log_in(page, expect, site.base, ADMIN, PASSWORD)
    edit_home_care_statement(page, expect, NEW_TEXT)

    page.goto(f"{site.base}/editor/quizzes/{QUIZ}/publish")
    confirm = page.get_by_label("I have read the audit and want to publish anyway")
    if confirm.count():
        confirm.check()
    page.get_by_role("button", name="Publish a new version").click()
    expect(page.get_by_text("Published version 2.")).to_be_visible()

    page.get_by_role("button", name=re.compile("^Log out")).click()
    page.goto(f"{site.base}/editor/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    context.close()
    assert len(posts) == 4, posts  # login, save, publish, logout
    for url, status, origin in posts:
        assert status in (200, 302, 303), (url, status)
        assert origin == site.base, (url, origin)  # a real Origin, not "null"


def match(site: Site, client: str, forwarded_for: str | None = None) -> int:
    """``POST …/match`` through nginx from the loopback address ``client``."""
    body = json.dumps({"answers": {_first_statement(site): 1}})
    headers = {"Content-Type": "application/json"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    connection = http.client.HTTPSConnection("127.0.0.1", site.nginx.port, timeout=10,
                                             context=client_context(site.cert),
                                             source_address=(client, 0))
    try:
        connection.request("POST", f"/api/v1/quizzes/{QUIZ}/match", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _first_statement(site: Site) -> str:
    quiz = _get_json(site, f"/api/v1/quizzes/{QUIZ}")
    return str(quiz["statements"][0]["id"])


def _get_json(site: Site, path: str) -> Any:
    connection = http.client.HTTPSConnection("127.0.0.1", site.nginx.port, timeout=10,
                                             context=client_context(site.cert))
    try:
        connection.request("GET", path)
        return json.load(connection.getresponse())
    finally:
        connection.close()


def test_the_rate_limit_counts_each_client_not_the_proxy(site: Site) -> None:
    first, second = "127.0.0.2", "127.0.0.3"
    assert [match(site, first) for _ in range(MATCH_LIMIT + 1)] == [200] * MATCH_LIMIT + [429]
    assert match(site, second) == 200  # the proxy's address is not a shared bucket
    assert match(site, first, forwarded_for=second) == 429  # nor is a header a way out


def test_no_log_and_no_cache_holds_a_voters_answers(browser: Any, expect: Any,
                                                    site: Site) -> None:
    quiz = _get_json(site, f"/api/v1/quizzes/{QUIZ}")
    plan = voter_plan(len(quiz["statements"]), seed=3)
    code = answer_code(plan)
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    open_quiz(page, site.base, quiz, expect)
    answer_all(page, expect, quiz, plan, back_target(plan))
    show_results(page, expect, quiz)
    share = page.get_by_label("Link to this result").input_value()
    assert share.startswith(f"{site.base}/en/{QUIZ}/result?") and f"a={code}" in share
    page.goto(share)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    context.close()
    site.nginx.stop()  # flushes its logs; this is the module's last test

    access = site.nginx.access_log.read_text(errors="replace")
    assert f'"GET /en/{QUIZ}/result HTTP/2.0" 200' in access  # the search sees the flow
    answers = (code, code[:12], f"a={code[:6]}")
    logs = {"nginx access log": access, "gunicorn log": site.gunicorn.log(),
            "nginx error log": _read(site.nginx.error_log)}
    for name, text in logs.items():
        for trace in (*answers, "?v=", "&"):
            assert trace not in text, f"{trace!r} found in the {name}"
    assert "?" not in access
    cache = _cache_text(site.work / "nginx" / "cache")  # answer-free pages only
    for trace in answers:
        assert trace not in cache, f"{trace!r} found in nginx's cache"


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def _cache_text(folder: Path) -> str:
    files = [path for path in folder.rglob("*") if path.is_file()]
    assert files, "nginx cached nothing (answer-free pages are public for 60 s)"
    return "\n".join(path.read_bytes().decode("latin-1") for path in files)
