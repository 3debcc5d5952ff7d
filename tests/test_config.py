"""Start-up settings: the secret key (generated once for development, refused when empty
or short, required in production) and strictly parsed on/off settings.

``instance_dir`` points Flask's instance folder at a temporary directory, so these
tests never read or write the repository's ``instance/``.
"""

from __future__ import annotations

import multiprocessing
import stat
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from tests.conftest import EDITOR_PASSWORD
from tools.ops import processes
from valgomat import create_app
from valgomat.config import MIN_SECRET_KEY_LENGTH, ConfigError
from valgomat.extensions import db
from valgomat.web.secret_key import instance_secret_key

OLD_PUBLIC_KEY = "dev-only-not-secret"  # what every install signed sessions with before
GOOD_KEY = "k3y-0f-at-least-32-characters-for-these-tests"


@pytest.fixture
def instance_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(folder))
    for name in ("SECRET_KEY", "PRODUCTION"):
        monkeypatch.delenv(f"VALGOMAT_{name}", raising=False)
    return folder


def development_app(tmp_path: Path, **extra: object) -> Flask:
    """An app configured as ``make run`` configures it: no secret key given."""
    url = f"sqlite:///{tmp_path / 'config.sqlite3'}"
    return create_app({"DATABASE_URL": url, "SQLALCHEMY_DATABASE_URI": url, **extra})


def test_development_key_is_random_kept_in_the_instance_folder_and_private(
        instance_dir: Path, tmp_path: Path) -> None:
    first = development_app(tmp_path).secret_key
    second = development_app(tmp_path).secret_key
    key_file = instance_dir / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert first != OLD_PUBLIC_KEY and len(first) >= MIN_SECRET_KEY_LENGTH
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def _key_in_new_process(folder: str) -> str:
    return instance_secret_key(Path(folder))


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    """Like gunicorn workers importing the app at once: one file, one key."""
    with multiprocessing.get_context("fork").Pool(6) as pool:
        keys = pool.map(_key_in_new_process, [str(tmp_path)] * 24)
    assert len(set(keys)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_an_unwritable_instance_folder_is_a_clear_error(instance_dir: Path,
                                                        tmp_path: Path) -> None:
    instance_dir.mkdir()
    (instance_dir / "secret_key").mkdir()  # unreadable as a file, whoever runs this
    with pytest.raises(ConfigError, match="secret_key cannot be made or read"):
        development_app(tmp_path)


def test_a_cookie_signed_with_the_old_public_key_opens_no_editor_session(
        instance_dir: Path, loaded_app: Flask, accounts: dict[str, str]) -> None:
    url = loaded_app.config["SQLALCHEMY_DATABASE_URI"]
    app = create_app({"DATABASE_URL": url, "SQLALCHEMY_DATABASE_URI": url,
                      "CONTENT_DIR": loaded_app.config["CONTENT_DIR"], "WTF_CSRF_ENABLED": False})
    forger = Flask("forger")
    forger.secret_key = OLD_PUBLIC_KEY
    headers, client_address = {"User-Agent": "forger"}, {"REMOTE_ADDR": "127.0.0.1"}
    with app.test_request_context(headers=headers, environ_base=client_address):
        # What Flask-Login's "strong" protection expects: public recipe, public inputs.
        identifier = app.login_manager._session_identifier_generator()
    cookie = SecureCookieSessionInterface().get_signing_serializer(forger).dumps(
        {"_user_id": "1", "_fresh": True, "_id": identifier})
    client = app.test_client()
    client.set_cookie("session", cookie)
    try:
        response = client.get("/editor/", headers=headers)
        assert response.status_code == 302 and "/editor/login" in response.headers["Location"]
        # The real password still opens the same page: the refusal is the signature.
        client.delete_cookie("session")
        client.post("/editor/login", data={"email": accounts["admin"],
                                           "password": EDITOR_PASSWORD}, headers=headers)
        assert client.get("/editor/", headers=headers).status_code == 200
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("key", ["", " ", "x", "a" * (MIN_SECRET_KEY_LENGTH - 1),
                                 "ab" * MIN_SECRET_KEY_LENGTH])
def test_empty_short_or_repetitive_keys_are_refused_at_start(
        instance_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    monkeypatch.setenv("VALGOMAT_SECRET_KEY", key)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        development_app(tmp_path)


def test_a_short_key_from_the_caller_is_refused_too(instance_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=f"at least {MIN_SECRET_KEY_LENGTH} characters"):
        development_app(tmp_path, SECRET_KEY="test")


def test_production_never_generates_a_key(instance_dir: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VALGOMAT_PRODUCTION", "1")
    with pytest.raises(ConfigError, match="VALGOMAT_SECRET_KEY"):
        development_app(tmp_path)
    assert not (instance_dir / "secret_key").exists()
    monkeypatch.setenv("VALGOMAT_SECRET_KEY", GOOD_KEY)
    assert development_app(tmp_path).secret_key == GOOD_KEY


def test_production_ignores_a_generated_key_file(instance_dir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    development_app(tmp_path)
    assert (instance_dir / "secret_key").exists()
    monkeypatch.setenv("VALGOMAT_PRODUCTION", "yes")
    with pytest.raises(ConfigError, match="VALGOMAT_SECRET_KEY"):
        development_app(tmp_path)


def test_the_cli_refuses_a_short_key_in_one_line(tmp_path: Path) -> None:
    env = {**processes.bench_env(f"sqlite:///{tmp_path / 'cli.sqlite3'}"),
           "VALGOMAT_SECRET_KEY": "short"}
    done = subprocess.run([*processes.valgomat_command(), "content", "check"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "VALGOMAT_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("raw", ["2", "y", "enabled", "", "tru", "-1"])
def test_unknown_words_for_on_off_settings_are_refused(
        instance_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("VALGOMAT_PRODUCTION", raw)
    with pytest.raises(ConfigError, match=f"VALGOMAT_PRODUCTION={raw!r}.*true/false"):
        development_app(tmp_path, SECRET_KEY=GOOD_KEY)


@pytest.mark.parametrize(("raw", "value"), [
    ("1", True), ("TRUE", True), ("Yes", True), ("on", True),
    ("0", False), ("false", False), ("NO", False), ("Off", False)])
def test_the_on_off_words_are_understood(instance_dir: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, raw: str,
                                         value: bool) -> None:
    monkeypatch.setenv("VALGOMAT_PRODUCTION", raw)
    assert development_app(tmp_path, SECRET_KEY=GOOD_KEY).config["PRODUCTION"] is value


def test_an_on_off_setting_in_the_instance_file_is_parsed_alike(
        instance_dir: Path, tmp_path: Path) -> None:
    instance_dir.mkdir()
    (instance_dir / "config.py").write_text('PRODUCTION = "no"\n')
    assert development_app(tmp_path, SECRET_KEY=GOOD_KEY).config["PRODUCTION"] is False
    (instance_dir / "config.py").write_text('PRODUCTION = "maybe"\n')
    with pytest.raises(ConfigError, match="PRODUCTION"):
        development_app(tmp_path, SECRET_KEY=GOOD_KEY)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("PRODUCTION", "enabled", "Error: VALGOMAT_PRODUCTION='enabled' is not a valid bool"),
    ("TRUSTED_PROXIES", "-1", "Error: TRUSTED_PROXIES must be a whole number"),
])
def test_gunicorn_stops_on_a_wrong_setting_in_one_line(tmp_path: Path, name: str, value: str,
                                                        message: str) -> None:
    env = {**processes.bench_env(f"sqlite:///{tmp_path / 'g.sqlite3'}"),
           f"VALGOMAT_{name}": value, "WEB_CONCURRENCY": "1"}
    with pytest.raises(RuntimeError, match="exited with 1") as refused:
        processes.start_gunicorn("bad-setting", "valgomat:create_app()", env,
                                 tmp_path / "gunicorn.log")
    assert message in str(refused.value)
    assert "Traceback" not in str(refused.value)
