"""Caching of published versions, publishing across servers, database outages, limits."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from tests.conftest import BACKENDS, FIXTURE_CONTENT, database_url, make_app
from valgomat.content import lifecycle
from valgomat.extensions import db


def fail(*args: object, **kwargs: object) -> None:
    raise OperationalError("SELECT 1", {}, Exception("connection refused"))


def test_voters_keep_cached_pages_when_the_database_is_down(
        loaded_app: Flask, editor_client, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded_app.config["LIVE_CHECK_SECONDS"] = 0
    client = loaded_app.test_client()
    urls = ["/en/", "/en/fixture/", "/en/fixture/1?v=1", "/en/fixture/result?v=1&a=eDc",
            "/api/v1/quizzes/fixture"]
    before = {url: client.get(url).get_data() for url in urls}
    monkeypatch.setattr(db.session, "execute", fail)
    monkeypatch.setattr(db.session, "scalar", fail)
    monkeypatch.setattr(db.session, "scalars", fail)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get_data() == before[url], url
    editor = editor_client.get("/editor/quizzes/fixture/statements")
    assert editor.status_code == 503
    assert "database is unavailable" in editor.get_data(as_text=True)
    embed = client.get("/embed/en/fixture/")
    assert embed.status_code == 200
    preview = editor_client.get("/en/fixture/?v=0")  # the draft is never cached: a clean 503
    assert preview.status_code == 503
    monkeypatch.undo()
    assert editor_client.get("/editor/quizzes/fixture/statements").status_code == 200


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_publish_on_one_server_reaches_another_within_seconds(backend: str,
                                                                tmp_path: Path) -> None:
    url = database_url(backend, tmp_path)
    first, second = make_app(url, tmp_path), make_app(url, tmp_path)
    second.config["LIVE_CHECK_SECONDS"] = 0.5
    with first.app_context():
        db.drop_all()
        db.create_all()
        lifecycle.load_content(FIXTURE_CONTENT, publish=True)
    reader = second.test_client()
    assert reader.get("/api/v1/quizzes/fixture").get_json()["version"] == 1
    changed = tmp_path / "content"
    import shutil

    shutil.copytree(FIXTURE_CONTENT, changed)
    path = changed / "questions" / "fixture.yaml"
    path.write_text(path.read_text().replace("weight: 2", "weight: 3"))
    with first.app_context():
        lifecycle.load_content(changed, publish=True)
    deadline = time.monotonic() + 5
    while reader.get("/api/v1/quizzes/fixture").get_json()["version"] != 2:
        assert time.monotonic() < deadline, "the second server never saw version 2"
        time.sleep(0.1)
    with first.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    with second.app_context():
        db.engine.dispose()


def test_match_api_is_rate_limited(loaded_app: Flask) -> None:
    loaded_app.config["MATCH_RATE_LIMIT"] = "5 per minute"
    client = loaded_app.test_client()
    statuses = [client.post("/api/v1/quizzes/fixture/match",
                            json={"answers": {"toll-ring": 1}}).status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[-1] == 429
    body = client.post("/api/v1/quizzes/fixture/match", json={"answers": {}}).get_json()
    assert body["error"]["code"] == "too_many_requests"


def test_a_connection_the_database_drops_mid_request_fails_nothing(app: Flask) -> None:
    """A database restart terminates open connections; the request that held one must
    still end cleanly (its session's close used to raise, making the page a 500)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite connections are not dropped by a server")
    from sqlalchemy import create_engine, text

    killer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.test_request_context("/en/"):
        app.preprocess_request()
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()  # a transaction
        with killer.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        # leaving the context runs the app context's teardown, which must not raise
    with app.app_context():
        assert db.session.execute(text("SELECT 1")).scalar() == 1  # and the pool recovers
    killer.dispose()
