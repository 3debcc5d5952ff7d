"""Caching (issue 18, item 3): every answer-free response may be kept by any cache, with
an ETag and no ``Vary: Cookie``; versioned documents for good; answers and the editor never."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, session
from flask.testing import FlaskClient

from tests.conftest import make_app
from tests.views.test_program_page import PARTY, publish_with_program
from valgomat.config import ConfigError
from valgomat.web import headers

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=60"
PAGES = {  # endpoint -> an answer-free URL of it
    "quiz.method_definition": "/method.md",
    "quiz.index": "/en/",
    "quiz.method": "/en/method",
    "quiz.quiz_method": "/en/fixture/method?v=1",
    "quiz.program": f"/en/fixture/programs/{PARTY}?v=1",
    "quiz.intro": "/en/fixture/",
    "quiz.step": "/en/fixture/1?v=1",
    "quiz.statements": "/en/fixture/statements.json",
    "quiz.review": "/en/fixture/review?v=1",
    "quiz.parties": "/en/fixture/parties?v=1",
    "quiz.result": "/en/fixture/result?v=1",
    "quiz.compare": "/en/fixture/compare?v=1",
    "quiz.party": f"/en/fixture/party/{PARTY}?v=1",
    "embed.method": "/embed/en/method",
    "embed.quiz_method": "/embed/en/fixture/method?v=1",
    "embed.program": f"/embed/en/fixture/programs/{PARTY}?v=1",
    "embed.intro": "/embed/en/fixture/",
    "embed.step": "/embed/en/fixture/3?v=1",
    "embed.statements": "/embed/en/fixture/statements.json",
    "embed.review": "/embed/en/fixture/review?v=1",
    "embed.parties": "/embed/en/fixture/parties?v=1",
    "embed.result": "/embed/en/fixture/result?v=1",
    "embed.compare": "/embed/en/fixture/compare?v=1",
    "embed.party": f"/embed/en/fixture/party/{PARTY}?v=1",
    "api.list_quizzes": "/api/v1/quizzes",
    "api.get_quiz": "/api/v1/quizzes/fixture",
    "api.openapi": "/api/v1/openapi.json",
    "static": "/static/css/valgomat.css",
}
REDIRECTS = {"quiz.root": "/", "quiz.favicon": "/favicon.ico"}
# Answer-bearing by nature (the answer form's target, the match), or tested with a
# partner's profile in test_headers (public for 300 s, with an ETag).
ELSEWHERE = {"quiz.answer", "embed.answer", "api.match_quiz", "embed.theme_css",
             "embed.theme_logo"}
VERSIONED = ("/en/fixture/statements.json?v=1", "/embed/en/fixture/statements.json?v=1",
             "/api/v1/quizzes/fixture?version=1")
WITH_ANSWERS = ("/en/fixture/2?v=1&a=e", "/en/fixture/review?v=1&a=eeeeeeee",
                "/en/fixture/parties?v=1&a=eeee", "/en/fixture/result?v=1&a=ee",
                "/en/fixture/compare?v=1&a=ee", f"/en/fixture/party/{PARTY}?v=1&a=ee",
                f"/en/fixture/programs/{PARTY}?v=1&a=eDc", "/en/fixture/result?v=1&p=x",
                "/en/fixture/1/answer?v=1&value=1", "/embed/en/fixture/result?v=1&a=ee",
                "/embed/en/fixture/parties?v=1&a=ee&ps=1")


@pytest.fixture
def cached_client(app: Flask) -> FlaskClient:
    publish_with_program(app)
    return app.test_client()


def test_every_public_route_is_listed(app: Flask) -> None:
    """A new voter, embed or API route must be named here, so that this file tests it."""
    routes = {rule.endpoint for rule in app.url_map.iter_rules()
              if not rule.endpoint.startswith("editor.")}
    assert routes == set(PAGES) | set(REDIRECTS) | ELSEWHERE


def assert_shared(response, url: str) -> None:
    assert response.headers["Cache-Control"].startswith("public, max-age="), url
    assert "cookie" not in response.vary and "Set-Cookie" not in response.headers, url


def test_answer_free_responses_are_public_with_etags(cached_client: FlaskClient) -> None:
    for url in PAGES.values():
        response = cached_client.get(url)
        assert response.status_code == 200, url
        assert_shared(response, url)
        etag = response.headers["ETag"]
        again = cached_client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.headers["ETag"] == etag, url
        assert_shared(again, url)
        brotli = cached_client.get(url, headers={"Accept-Encoding": "br"})
        assert_shared(brotli, url)
        assert cached_client.get(url, headers={"Accept-Encoding": "br", "If-None-Match":
                                               brotli.headers["ETag"]}).status_code == 304, url
    for url in REDIRECTS.values():
        response = cached_client.get(url)
        assert response.status_code in (301, 302), url
        assert_shared(response, url)
        assert response.headers["Cache-Control"] == SHORT, url
    assert "accept-language" in cached_client.get("/").vary  # it picks the language


def test_unversioned_pages_are_kept_a_minute_versioned_documents_for_good(
        cached_client: FlaskClient) -> None:
    for url in PAGES.values():
        if url.startswith("/static/"):
            continue
        assert cached_client.get(url).headers["Cache-Control"] == SHORT, url
    for url in VERSIONED:
        response = cached_client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url
        assert response.headers["ETag"] and "cookie" not in response.vary, url
    assert cached_client.get("/en/fixture/statements.json?v=9").status_code == 404
    assert cached_client.get("/api/v1/quizzes/fixture?version=9").headers[
        "Cache-Control"] == "no-store"


def test_the_max_age_is_a_setting(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'age.sqlite3'}", tmp_path, CACHE_MAX_AGE=5)
    assert app.test_client().get("/en/method").headers["Cache-Control"] == "public, max-age=5"
    for bad in (-1, "60", True, 1.5):
        with pytest.raises(ConfigError, match="CACHE_MAX_AGE"):
            make_app(f"sqlite:///{tmp_path / 'bad.sqlite3'}", tmp_path, CACHE_MAX_AGE=bad)


def test_answer_bearing_responses_are_never_stored(cached_client: FlaskClient) -> None:
    for url in WITH_ANSWERS:
        response = cached_client.get(url)
        assert response.headers["Cache-Control"] == "no-store", url
        assert "ETag" not in response.headers, url
    match = cached_client.post("/api/v1/quizzes/fixture/match",
                               json={"answers": {"toll-ring": 1}})
    assert match.status_code == 200 and match.headers["Cache-Control"] == "no-store"
    assert "ETag" not in match.headers


def test_editors_are_never_cached_and_their_cookie_changes_no_public_page(
        editor_client: FlaskClient, loaded_client: FlaskClient) -> None:
    for url in ("/editor/", "/editor/quizzes/fixture/", "/editor/login",
                "/en/fixture/?v=0", "/en/fixture/statements.json?v=0",
                "/embed/en/fixture/1?v=0"):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert "ETag" not in response.headers, url
    voter = loaded_client.get("/en/fixture/1?v=1")
    editor = editor_client.get("/en/fixture/1?v=1")  # the session cookie is not even read
    assert_shared(editor, "with an editor's cookie")
    assert editor.headers["ETag"] == voter.headers["ETag"]


def test_a_page_that_reads_the_session_is_never_public(app: Flask) -> None:
    """The last guard: a public page that read the session varies by cookie."""
    def reads_session() -> str:
        headers.allow_public_caching()
        return "editor" if session.get("_user_id") else "voter"

    def leaves_it() -> str:
        headers.allow_public_caching()
        return "everyone"

    app.add_url_rule("/reads-session", view_func=reads_session)
    app.add_url_rule("/leaves-session", view_func=leaves_it)
    client = app.test_client()
    assert client.get("/leaves-session").headers["Cache-Control"] == SHORT
    assert client.get("/reads-session").headers["Cache-Control"] == "no-store"
