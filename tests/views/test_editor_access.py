"""Editor pages: login required everywhere, CSRF on every POST, roles, rate limits."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import EDITOR_PASSWORD, FIXTURE_CONTENT, login, make_app
from valgomat.content import lifecycle
from valgomat.extensions import db

SAMPLE_ARGS = {"slug": "fixture", "sid": "toll-ring", "pid": "fjellvik-red", "number": 1,
               "action": "up", "user_id": 1, "status": "deactivate"}


def editor_rules(app: Flask) -> list[tuple[str, set[str]]]:
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("editor.") and rule.endpoint != "editor.login":
            args = {name: SAMPLE_ARGS[name] for name in rule.arguments}
            path = rule.build(args, append_unknown=False)[1]
            rules.append((path, set(rule.methods or ()) - {"HEAD", "OPTIONS"}))
    return rules


def test_every_editor_route_requires_login(loaded_client: FlaskClient,
                                           loaded_app: Flask) -> None:
    rules = editor_rules(loaded_app)
    assert len(rules) >= 15
    for path, methods in rules:
        for method in methods:
            response = loaded_client.open(path, method=method)
            assert response.status_code == 302, (method, path)
            assert "/editor/login" in response.headers["Location"], (method, path)


@pytest.fixture
def csrf_app(tmp_path) -> Flask:
    app = make_app(f"sqlite:///{tmp_path / 'csrf.sqlite3'}", tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        lifecycle.load_content(FIXTURE_CONTENT, publish=True)
        from valgomat.editor.auth import create_user

        create_user("admin@example.org", EDITOR_PASSWORD, "admin")
    return app


def test_every_post_without_csrf_token_is_refused(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    page = client.get("/editor/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/editor/login", data={"email": "admin@example.org",
                                              "password": EDITOR_PASSWORD}).status_code == 400
    response = client.post("/editor/login", data={"email": "admin@example.org",
                                                  "password": EDITOR_PASSWORD,
                                                  "csrf_token": token})
    assert response.status_code == 302
    for path, methods in editor_rules(csrf_app):
        if "POST" in methods:
            assert client.post(path, data={}).status_code == 400, path


def test_editor_cannot_do_admin_actions(editor_client: FlaskClient) -> None:
    assert editor_client.get("/editor/quizzes/fixture/publish").status_code == 403
    assert editor_client.post("/editor/quizzes/fixture/publish").status_code == 403
    assert editor_client.post("/editor/quizzes/fixture/versions/1/rollback").status_code == 403
    assert editor_client.get("/editor/users").status_code == 403
    assert editor_client.get("/editor/quizzes/fixture/statements").status_code == 200


def test_wrong_password_is_refused_and_rate_limited(loaded_client: FlaskClient,
                                                    accounts: dict[str, str]) -> None:
    response = login(loaded_client, accounts["editor"], "wrong password!!")
    assert response.status_code == 400
    assert "Wrong e-mail or password." in response.get_data(as_text=True)
    statuses = [login(loaded_client, accounts["editor"], "nope").status_code
                for _ in range(12)]
    assert statuses[-1] == 429


def test_logout_ends_the_session(editor_client: FlaskClient) -> None:
    assert editor_client.post("/editor/logout").status_code == 302
    assert editor_client.get("/editor/").status_code == 302


def test_open_redirect_is_refused(loaded_client: FlaskClient, accounts: dict[str, str]) -> None:
    response = loaded_client.post("/editor/login?next=//evil.example/",
                                  data={"email": accounts["editor"],
                                        "password": EDITOR_PASSWORD})
    assert response.headers["Location"] == "/editor/"


def test_draft_preview_needs_login(loaded_client: FlaskClient,
                                   editor_client: FlaskClient) -> None:
    assert loaded_client.get("/en/fixture/1?v=0").status_code == 404
    page = editor_client.get("/en/fixture/1?v=0")
    assert page.status_code == 200 and "Preview of the unpublished draft" in page.get_data(
        as_text=True)


def test_editor_pages_are_never_framed_or_cached(editor_client: FlaskClient) -> None:
    response = editor_client.get("/editor/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_cli_creates_accounts(runner, app: Flask) -> None:
    result = runner.invoke(args=["editor", "create", "new@example.org", "--role", "admin"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    short = runner.invoke(args=["editor", "create", "x@example.org"], input="short\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    again = runner.invoke(args=["editor", "create", "NEW@example.org"],
                          input="a long enough password\n")
    assert again.exit_code == 1 and "exists already" in again.output
    with app.app_context():
        from valgomat.storage.models import User

        user = db.session.query(User).filter_by(email="new@example.org").one()
        assert user.role == "admin" and "a long enough password" not in user.password_hash


def test_unknown_accounts_cost_a_real_password_check() -> None:
    """The fixed hash checked for unknown e-mail addresses has the parameters of a new
    account's hash, so both checks cost the same."""
    from werkzeug.security import check_password_hash, generate_password_hash

    from valgomat.editor import auth

    method = auth._DUMMY_HASH.split("$")[0]
    assert method == generate_password_hash("any password").split("$")[0]
    assert check_password_hash(auth._DUMMY_HASH, "not a real password")
