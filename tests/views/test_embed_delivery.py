"""What a partner's embed needs in production: themes served from the worker's cache
(no query per request, and through a database outage), links that work inside the
frame, and fingerprinted assets that only the current hash may cache for a year."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from tests.conftest import make_app
from tests.test_resilience import fail
from tests.views.test_headers import PARTNER, allow_partner, csp
from valgomat import PACKAGE_DIR
from valgomat.extensions import db
from valgomat.storage import models

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
THEMED = "/embed/en/fixture/?t=avisa"


def add_profile(app: Flask, brand: str = "#0b3d91") -> None:
    with app.app_context():
        quiz = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == "fixture"))
        db.session.add(models.EmbedProfile(quiz_id=quiz.id, slug="avisa", brand_colour=brand,
                                           accent_colour="#8a1538", font="serif", radius=12,
                                           logo=PNG, logo_type="image/png"))
        db.session.commit()


def theme_urls(page: str) -> list[str]:
    return [url.replace("&amp;", "&") for url in
            re.findall(r'(?:href|src)="(/embed/theme/fixture/avisa[^"]*)"', page)]


@contextmanager
def counted_statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def themed_app(loaded_app: Flask) -> Flask:
    add_profile(loaded_app)
    loaded_app.config["LIVE_CHECK_SECONDS"] = 60
    return loaded_app


def test_themed_embeds_do_not_query_the_database_per_request(themed_app: Flask) -> None:
    client = themed_app.test_client()
    page = client.get(THEMED).get_data(as_text=True)
    urls = theme_urls(page)
    assert len(urls) == 2, page  # the stylesheet and the logo
    with counted_statements(themed_app) as statements:
        for _ in range(10):
            assert client.get(THEMED).status_code == 200
            assert client.get("/embed/en/fixture/1?v=1&t=avisa").status_code == 200
            for url in urls:
                assert client.get(url).status_code == 200, url
    assert statements == []


@contextmanager
def database_down(app: Flask, monkeypatch: pytest.MonkeyPatch, how: str) -> Iterator[None]:
    """Every query fails (``session``), or no connection can be made at all: the pool
    is emptied and each new connection is refused by the driver (``connection``)."""
    if how == "session":
        for name in ("execute", "scalar", "scalars"):
            monkeypatch.setattr(db.session, name, fail)
        yield
        return
    with app.app_context():
        engine = db.engine
        db.session.remove()
    engine.dispose()

    def refuse(*args: object) -> None:
        raise engine.dialect.dbapi.OperationalError("connection refused")

    event.listen(engine, "do_connect", refuse)
    try:
        yield
    finally:
        event.remove(engine, "do_connect", refuse)


@pytest.mark.parametrize("how", ["session", "connection"])
def test_themed_embeds_keep_their_theme_while_the_database_is_down(
        themed_app: Flask, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    themed_app.config["LIVE_CHECK_SECONDS"] = 0  # every request tries the database
    client = themed_app.test_client()
    before = client.get(THEMED).get_data()
    urls = theme_urls(before.decode())
    bodies = {url: client.get(url).get_data() for url in urls}
    with database_down(themed_app, monkeypatch, how):
        page = client.get(THEMED)
        assert page.status_code == 200 and page.get_data() == before
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200 and response.get_data() == bodies[url], url
        login = client.post("/editor/login", data={"email": "a@b.example", "password": "x" * 12})
        assert login.status_code == 503  # the database is down indeed
    assert b"--brand: #0b3d91" in bodies[urls[0]] and bodies[urls[1]] == PNG


def brand_colour(client: FlaskClient) -> str:
    css = client.get(theme_urls(client.get(THEMED).get_data(True))[0]).get_data(True)
    return css.split("--brand: ")[1].split(";")[0]


def set_brand_colour(app: Flask, colour: str) -> None:
    with app.app_context():
        db.session.scalar(select(models.EmbedProfile)).brand_colour = colour
        db.session.commit()


def test_profile_edits_show_at_once_here_and_within_the_live_check_elsewhere(
        themed_app: Flask, tmp_path: Path) -> None:
    here = themed_app.test_client()
    other_app = make_app(themed_app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    other_app.config["LIVE_CHECK_SECONDS"] = 0.3
    elsewhere = other_app.test_client()
    assert brand_colour(here) == brand_colour(elsewhere) == "#0b3d91"
    set_brand_colour(themed_app, "#1d4e89")  # saved by this worker: LIVE_CHECK_SECONDS is 60
    assert brand_colour(here) == "#1d4e89"
    deadline = time.monotonic() + 3
    while brand_colour(elsewhere) != "#1d4e89":
        assert time.monotonic() < deadline, "the other worker never saw the edit"
        time.sleep(0.05)
    with other_app.app_context():
        db.engine.dispose()


def test_an_unknown_profile_is_no_theme_and_no_query(themed_app: Flask) -> None:
    client = themed_app.test_client()
    client.get(THEMED)
    with counted_statements(themed_app) as statements:
        page = client.get("/embed/en/fixture/?t=nobody").get_data(as_text=True)
        assert theme_urls(page) == [] and "/embed/theme/" not in page
        assert client.get("/embed/theme/fixture/nobody.css").status_code == 404
    assert statements == []


def framing_problems(client: FlaskClient, start: list[str]) -> list[str]:
    """Follow every link of the embed pages reachable from ``start``: each must open at
    top level or be a page the partner may frame."""
    seen, todo, problems = set(start), list(start), []
    while todo and len(seen) < 60:
        url = todo.pop()
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            url = urljoin(url, response.headers["Location"])
            response = client.get(url)
        if "X-Frame-Options" in response.headers or PARTNER not in csp(response):
            problems.append(f"{url} cannot be framed by the partner: {csp(response)}")
            continue
        for tag in re.findall(r"<a\s[^>]*>", response.get_data(as_text=True)):
            href = re.search(r'href="([^"#]+)', tag)
            if href is None:
                continue
            target = urljoin(url, href.group(1).replace("&amp;", "&"))
            if 'target="_blank"' in tag:
                if 'rel="noopener"' not in tag:
                    problems.append(f"{target} opens at top level without noopener")
                continue
            if urlsplit(target).netloc not in ("", "localhost"):
                problems.append(f"{target} leaves the site inside the frame")
            elif target not in seen:
                seen.add(target)
                todo.append(target)
    return problems


def test_every_link_inside_an_embed_works_in_the_partners_frame(
        themed_app: Flask) -> None:
    allow_partner(themed_app)
    client = themed_app.test_client()
    start = [THEMED, "/embed/en/fixture/result?v=1&a=eDc&t=avisa",
             "/embed/en/fixture/method?v=1&t=avisa"]
    assert framing_problems(client, start) == []


def test_only_the_current_fingerprint_is_cached_for_a_year(loaded_client: FlaskClient) -> None:
    for path in ("js/host.js", "css/valgomat.css", "js/embed.js"):
        current = hashlib.sha256((PACKAGE_DIR / "static" / path).read_bytes()).hexdigest()[:12]
        fresh = loaded_client.get(f"/static/{path}?v={current}")
        assert fresh.status_code == 200
        assert fresh.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        for stale in (f"/static/{path}?v=0123456789ab", f"/static/{path}?v=x",
                      f"/static/{path}"):
            response = loaded_client.get(stale)
            assert response.status_code == 200 and response.data == fresh.data, stale
            assert response.headers["Cache-Control"] == "public, max-age=300", stale
            assert response.headers["ETag"]
    page = loaded_client.get("/embed/en/fixture/").get_data(as_text=True)
    assert re.search(r"/static/js/embed\.js\?v=[0-9a-f]{12}", page)
