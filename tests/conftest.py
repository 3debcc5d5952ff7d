"""Shared fixtures: an app per database backend, clients, the fixture content.

Every app test runs against SQLite and, when ``VALGOMAT_TEST_DATABASE_URL`` is
set (CI sets it to a fresh PostgreSQL database), against that database too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import stamp
from hypothesis import settings
from sqlalchemy import text

from valgomat import create_app
from valgomat.extensions import db

# No per-example deadlines: CI machines are shared and timing is measured by the
# benchmark scripts, never by tests.
settings.register_profile("valgomat", deadline=None)
settings.load_profile("valgomat")

DATA_DIR = Path(__file__).parent / "data"
FIXTURE_CONTENT = DATA_DIR / "content"
POSTGRES_URL = os.environ.get("VALGOMAT_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def database_url(backend: str, tmp_path: Path) -> str:
    if backend == "postgresql":
        assert POSTGRES_URL
        return POSTGRES_URL
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


def make_app(url: str, tmp_path: Path, **extra: object) -> Flask:
    return create_app({
        "TESTING": True, "SECRET_KEY": "test-only-secret-key-0123456789abcdef",
        "DATABASE_URL": url,
        "SQLALCHEMY_DATABASE_URI": url, "CONTENT_DIR": str(FIXTURE_CONTENT),
        "WTF_CSRF_ENABLED": False, **extra,
    })


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    application = make_app(database_url(request.param, tmp_path), tmp_path)
    with application.app_context():
        reset_schema()
        db.create_all()
        stamp()
    yield application
    with application.app_context():
        db.session.remove()
        reset_schema()
        db.engine.dispose()


def reset_schema() -> None:
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def loaded_app(app: Flask) -> Flask:
    """The app with the fixture content loaded and published."""
    from valgomat.content import lifecycle

    with app.app_context():
        lifecycle.load_content(FIXTURE_CONTENT, publish=True)
    return app


@pytest.fixture
def loaded_client(loaded_app: Flask) -> FlaskClient:
    return loaded_app.test_client()


EDITOR_PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(loaded_app: Flask) -> dict[str, str]:
    """An admin and an editor; returns their e-mail addresses by role."""
    from valgomat.editor.auth import create_user

    with loaded_app.app_context():
        create_user("admin@example.org", EDITOR_PASSWORD, "admin")
        create_user("editor@example.org", EDITOR_PASSWORD, "editor")
    return {"admin": "admin@example.org", "editor": "editor@example.org"}


def login(client: FlaskClient, email: str, password: str = EDITOR_PASSWORD):
    return client.post("/editor/login", data={"email": email, "password": password})


@pytest.fixture
def csrf_client(tmp_path: Path) -> tuple[Flask, FlaskClient]:
    """An editor logged in to an app that checks CSRF tokens (as in production)."""
    from tests.browser_form import form_values
    from valgomat.content import lifecycle
    from valgomat.editor.auth import create_user

    app = make_app(f"sqlite:///{tmp_path / 'csrf.sqlite3'}", tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        lifecycle.load_content(FIXTURE_CONTENT, publish=True)
        create_user("editor@example.org", EDITOR_PASSWORD, "editor")
    client = app.test_client()
    login = form_values(client.get("/editor/login").get_data(as_text=True))
    assert client.post("/editor/login", data={**login, "email": "editor@example.org",
                                              "password": EDITOR_PASSWORD}).status_code == 302
    return app, client


@pytest.fixture
def admin_client(loaded_app: Flask, accounts: dict[str, str]) -> FlaskClient:
    client = loaded_app.test_client()
    assert login(client, accounts["admin"]).status_code == 302
    return client


@pytest.fixture
def editor_client(loaded_app: Flask, accounts: dict[str, str]) -> FlaskClient:
    client = loaded_app.test_client()
    assert login(client, accounts["editor"]).status_code == 302
    return client
