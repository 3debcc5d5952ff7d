"""App factory, configuration layers, security headers, voter start page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from valgomat import create_app


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    monkeypatch.setenv("VALGOMAT_MAX_CONTENT_LENGTH", "1234")
    monkeypatch.setenv("VALGOMAT_DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    app = create_app()
    assert app.config["MAX_CONTENT_LENGTH"] == 1234
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")


def test_production_refuses_the_development_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VALGOMAT_PRODUCTION", "1")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("path", ["/en/", "/api/v1/quizzes", "/nope"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_root_redirects_to_a_language(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept-Language": "sv-SE,sv;q=0.9"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sv/")


def test_start_page_lists_published_quizzes(loaded_client: FlaskClient) -> None:
    page = loaded_client.get("/nb/").get_data(as_text=True)
    assert '<html lang="nb">' in page
    assert 'href="/nb/fixture/"' in page and 'href="/nb/fixture-three/"' in page


def test_unknown_language_is_404(client: FlaskClient) -> None:
    assert client.get("/xx/").status_code == 404


def test_no_third_party_assets(loaded_client: FlaskClient) -> None:
    for url in ("/en/", "/en/fixture/", "/en/fixture/1?v=1", "/en/fixture/result?v=1&a=ee"):
        page = loaded_client.get(url).get_data(as_text=True)
        assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", page), url
        assert "@import" not in page and "url(http" not in page


def test_500_has_no_traceback(app: Flask) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "secret detail" not in response.get_data(as_text=True)


def test_bad_environment_value_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VALGOMAT_MAX_CONTENT_LENGTH", "lots")
    with pytest.raises(RuntimeError, match="VALGOMAT_MAX_CONTENT_LENGTH='lots'"):
        create_app()
