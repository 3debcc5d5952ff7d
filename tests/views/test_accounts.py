"""Accounts: sessions end on logout and password change, deactivation, password rules."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import select

from tests.conftest import EDITOR_PASSWORD, login, make_app
from valgomat.config import ConfigError
from valgomat.extensions import db
from valgomat.storage import models

NEW_PASSWORD = "a new passphrase, long"


def copied_session(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def logged_in(client: FlaskClient) -> bool:
    return client.get("/editor/").status_code == 200


def user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(models.User.id).where(models.User.email == email))


def account_changes(app: Flask) -> list[models.Change]:
    with app.app_context():
        return list(db.session.scalars(select(models.Change).where(
            models.Change.entity == "user").order_by(models.Change.id)))


def test_a_copied_cookie_stops_working_at_logout(loaded_app: Flask,
                                                 editor_client: FlaskClient) -> None:
    thief = copied_session(loaded_app, editor_client)
    assert logged_in(thief)
    assert editor_client.post("/editor/logout").status_code == 302
    assert not logged_in(editor_client) and not logged_in(thief)


def test_a_login_lasts_twelve_hours_not_a_month(monkeypatch: pytest.MonkeyPatch,
                                                editor_client: FlaskClient) -> None:
    assert logged_in(editor_client)  # the first page adds a CSRF token: the cookie is signed
    now = TimestampSigner.get_timestamp(TimestampSigner("key"))
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + 11 * 3600)
    assert logged_in(editor_client)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + 13 * 3600)
    assert not logged_in(editor_client)


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(
        loaded_app: Flask, editor_client: FlaskClient, accounts: dict[str, str]) -> None:
    thief = copied_session(loaded_app, editor_client)
    form = {"current_password": EDITOR_PASSWORD, "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD}
    for bad, message in (({"current_password": "wrong password!"}, "not your current"),
                         ({"new_password_again": NEW_PASSWORD + "!"}, "do not match"),
                         ({"new_password": " " * 12, "new_password_again": " " * 12},
                          "not only spaces"),
                         ({"new_password": "short", "new_password_again": "short"},
                          "at least 12 characters")):
        response = editor_client.post("/editor/account", data={**form, **bad})
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert logged_in(thief)
    assert editor_client.post("/editor/account", data=form).status_code == 302
    assert logged_in(editor_client) and not logged_in(thief)
    other = loaded_app.test_client()
    assert login(other, accounts["editor"]).status_code == 400
    assert login(other, accounts["editor"], NEW_PASSWORD).status_code == 302
    entry = account_changes(loaded_app)[-1]
    assert (entry.action, entry.entity_key, entry.user_email) == (
        "password", accounts["editor"], accounts["editor"])
    logged = json.dumps([entry.before, entry.after])
    assert NEW_PASSWORD not in logged and EDITOR_PASSWORD not in logged and "scrypt" not in logged


def test_an_admin_deactivates_and_reactivates_an_account(
        loaded_app: Flask, admin_client: FlaskClient, editor_client: FlaskClient,
        accounts: dict[str, str]) -> None:
    editor = user_id(loaded_app, accounts["editor"])
    assert editor_client.post(f"/editor/users/{editor}/deactivate").status_code == 403
    assert admin_client.post(f"/editor/users/{editor}/deactivate").status_code == 302
    assert not logged_in(editor_client)
    assert login(loaded_app.test_client(), accounts["editor"]).status_code == 400
    page = admin_client.get("/editor/users").get_data(as_text=True)
    assert "deactivated" in page
    assert admin_client.post(f"/editor/users/{editor}/activate").status_code == 302
    assert login(loaded_app.test_client(), accounts["editor"]).status_code == 302
    assert [c.action for c in account_changes(loaded_app)] == ["deactivate", "activate"]


def test_an_admin_cannot_deactivate_themself_or_skip_their_current_password(
        loaded_app: Flask, admin_client: FlaskClient, accounts: dict[str, str]) -> None:
    admin = user_id(loaded_app, accounts["admin"])
    own_page = admin_client.get(f"/editor/users/{admin}").get_data(as_text=True)
    assert "Deactivate" not in own_page and "Set the new password" not in own_page
    assert "/editor/account" in own_page  # offered what works instead
    response = admin_client.post(f"/editor/users/{admin}/deactivate")
    assert response.status_code == 400
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    assert logged_in(admin_client)
    own = admin_client.post(f"/editor/users/{admin}", data={
        "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})
    assert own.status_code == 400 and "Your account</a>" in own.get_data(as_text=True)
    assert login(loaded_app.test_client(), accounts["admin"]).status_code == 302
    assert admin_client.post("/editor/users/9999/deactivate").status_code == 404


def test_the_command_line_manages_accounts_but_keeps_the_last_admin(runner, loaded_app: Flask,
                                                     accounts: dict[str, str]) -> None:
    result = runner.invoke(args=["editor", "deactivate", accounts["admin"]])
    assert result.exit_code == 1 and "last active admin" in result.output
    assert runner.invoke(args=["editor", "deactivate", accounts["editor"]]).exit_code == 0
    assert runner.invoke(args=["editor", "activate", accounts["editor"]]).exit_code == 0
    assert runner.invoke(args=["editor", "deactivate", "nobody@example.org"]).exit_code == 1
    spaces = runner.invoke(args=["editor", "password", accounts["admin"]], input=" " * 13 + "\n")
    assert spaces.exit_code == 1 and "not only spaces" in spaces.output
    assert runner.invoke(args=["editor", "password", accounts["admin"]],
                         input=NEW_PASSWORD + "\n").exit_code == 0
    assert login(loaded_app.test_client(), accounts["admin"], NEW_PASSWORD).status_code == 302


def test_an_admin_sets_a_new_password_for_another_account(
        loaded_app: Flask, admin_client: FlaskClient, editor_client: FlaskClient,
        accounts: dict[str, str]) -> None:
    editor = user_id(loaded_app, accounts["editor"])
    url = f"/editor/users/{editor}"
    assert "Set a new password" in admin_client.get(url).get_data(as_text=True)
    mismatch = admin_client.post(url, data={"new_password": NEW_PASSWORD,
                                            "new_password_again": "something else!",
                                            "your_password": EDITOR_PASSWORD})
    assert mismatch.status_code == 400
    borrowed = admin_client.post(url, data={"new_password": NEW_PASSWORD,
                                            "new_password_again": NEW_PASSWORD,
                                            "your_password": "not the admin's one"})
    assert borrowed.status_code == 400 and "not your password" in borrowed.get_data(as_text=True)
    assert logged_in(editor_client)  # nothing changed
    assert admin_client.post(url, data={"new_password": NEW_PASSWORD,
                                        "new_password_again": NEW_PASSWORD,
                                        "your_password": EDITOR_PASSWORD}).status_code == 302
    assert not logged_in(editor_client)
    assert login(loaded_app.test_client(), accounts["editor"], NEW_PASSWORD).status_code == 302
    assert editor_client.get(url).status_code in (302, 403)


def test_passwords_of_spaces_are_refused_and_none_is_trimmed(
        runner, loaded_app: Flask, admin_client: FlaskClient) -> None:
    spaces = admin_client.post("/editor/users", data={
        "email": "spaces@example.org", "password": " " * 12, "role": "editor"})
    assert spaces.status_code == 400 and "not only spaces" in spaces.get_data(as_text=True)
    cli = runner.invoke(args=["editor", "create", "cli@example.org"], input=" " * 14 + "\n")
    assert cli.exit_code == 1 and "not only spaces" in cli.output
    padded = "  padded passphrase  "
    assert admin_client.post("/editor/users", data={
        "email": "padded@example.org", "password": padded, "role": "editor"}).status_code == 302
    assert login(loaded_app.test_client(), "padded@example.org", padded.strip()).status_code \
        == 400
    assert login(loaded_app.test_client(), "padded@example.org", padded).status_code == 302


def test_guessing_the_current_password_is_rate_limited(editor_client: FlaskClient) -> None:
    guess = {"current_password": "guess number one", "new_password": NEW_PASSWORD,
             "new_password_again": NEW_PASSWORD}
    statuses = [editor_client.post("/editor/account", data=guess).status_code
                for _ in range(12)]
    assert statuses[0] == 400 and statuses[-1] == 429


@pytest.mark.parametrize("hours", [0, -1, 10_000, 1.5, "12", True])
def test_a_session_length_that_cannot_work_is_refused_at_start_up(tmp_path, hours) -> None:
    with pytest.raises(ConfigError, match="EDITOR_SESSION_HOURS"):
        make_app(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path, EDITOR_SESSION_HOURS=hours)


def test_a_save_after_the_login_ended_says_nothing_was_saved(
        loaded_app: Flask, editor_client: FlaskClient) -> None:
    page = "/editor/quizzes/fixture/statements/toll-ring"
    thief = copied_session(loaded_app, editor_client)
    assert editor_client.post("/editor/logout").status_code == 302  # ends every session
    response = thief.post(page, data={"text_en": "Typed while the login ended."},
                          headers={"Referer": f"http://localhost{page}"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/editor/login?next=")
    assert "toll-ring" in response.headers["Location"]
    login_page = thief.get(response.headers["Location"]).get_data(as_text=True)
    assert 'role="alert"' in login_page and "nothing was saved" in login_page
    with loaded_app.app_context():
        text = db.session.scalar(select(models.Statement.text)
                                 .where(models.Statement.slug == "toll-ring"))
    assert text["en"] != "Typed while the login ended."


def test_nothing_from_before_the_login_outlives_it(loaded_app: Flask,
                                                   accounts: dict[str, str]) -> None:
    client = loaded_app.test_client()
    with client.session_transaction() as planted:
        planted["csrf_token"] = "planted-by-someone-else"
    assert login(client, accounts["editor"]).status_code == 302
    with client.session_transaction() as after:
        assert after.get("csrf_token") != "planted-by-someone-else"


def test_an_account_created_meanwhile_is_a_form_error_not_a_500(
        loaded_app: Flask, admin_client: FlaskClient, accounts: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from valgomat.editor import auth

    monkeypatch.setattr(auth, "find_user", lambda email: None)  # as if it came in between
    response = admin_client.post("/editor/users", data={
        "email": accounts["editor"], "password": NEW_PASSWORD, "role": "editor"})
    assert response.status_code == 400
    assert "exists already" in response.get_data(as_text=True)
    assert admin_client.get("/editor/users").status_code == 200  # the session was rolled back
