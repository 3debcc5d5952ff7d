"""Behind a proxy: one setting, ``TRUSTED_PROXIES``, decides whose X-Forwarded-* headers
count, for rate limits, session protection and HTTPS detection alike.

The test client plays both the proxy (``REMOTE_ADDR``, the TCP peer) and the client
(the ``X-Forwarded-For`` it sends, or the proxy adds).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import stamp

from tests.conftest import EDITOR_PASSWORD, FIXTURE_CONTENT, make_app, reset_schema
from tools.ops import processes
from valgomat.config import ConfigError
from valgomat.extensions import db

PROXY = "10.0.0.1"
MATCH = "/api/v1/quizzes/fixture/match"
BODY = {"answers": {"toll-ring": 1}}


def proxied_app(tmp_path: Path, proxies: int) -> Iterator[Flask]:
    from valgomat.content import lifecycle
    from valgomat.editor.auth import create_user

    app = make_app(f"sqlite:///{tmp_path / 'proxy.sqlite3'}", tmp_path,
                   TRUSTED_PROXIES=proxies, MATCH_RATE_LIMIT="2 per minute")
    with app.app_context():
        reset_schema()
        db.create_all()
        stamp()
        lifecycle.load_content(FIXTURE_CONTENT, publish=True)
        create_user("editor@example.org", EDITOR_PASSWORD, "editor")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def behind_one_proxy(tmp_path: Path) -> Iterator[Flask]:
    yield from proxied_app(tmp_path, 1)


@pytest.fixture
def exposed(tmp_path: Path) -> Iterator[Flask]:
    yield from proxied_app(tmp_path, 0)


def match(client: FlaskClient, peer: str, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(MATCH, json=BODY, headers=headers,
                       environ_base={"REMOTE_ADDR": peer}).status_code


def test_rate_limit_buckets_are_per_client_behind_a_trusted_proxy(
        behind_one_proxy: Flask) -> None:
    client = behind_one_proxy.test_client()
    assert [match(client, PROXY, "203.0.113.5") for _ in range(3)] == [200, 200, 429]
    # Another client behind the same proxy has its own bucket …
    assert match(client, PROXY, "203.0.113.6") == 200
    # … and a client cannot leave its bucket by sending its own X-Forwarded-For: the
    # proxy appends the address it saw, and only that last hop is trusted.
    assert match(client, PROXY, "198.51.100.77, 203.0.113.5") == 429


def test_forwarded_headers_count_for_nothing_without_trusted_proxies(exposed: Flask) -> None:
    client = exposed.test_client()
    assert [match(client, "192.0.2.44", "203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert match(client, "192.0.2.44", "203.0.113.8") == 429  # same peer, same bucket
    share = client.get("/en/fixture/result?v=1&a=ee", headers={"X-Forwarded-Proto": "https"})
    assert "http://localhost/en/fixture/result" in share.get_data(as_text=True)


def test_https_is_seen_through_a_trusted_proxy(behind_one_proxy: Flask) -> None:
    client = behind_one_proxy.test_client()
    page = client.get("/en/fixture/result?v=1&a=ee", environ_base={"REMOTE_ADDR": PROXY},
                      headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9",
                               "X-Forwarded-Host": "valgomat.example"})
    assert "https://valgomat.example/en/fixture/result" in page.get_data(as_text=True)


def log_in(client: FlaskClient, peer: str, forwarded_for: str | None = None) -> None:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    response = client.post("/editor/login", headers=headers, environ_base={"REMOTE_ADDR": peer},
                           data={"email": "editor@example.org", "password": EDITOR_PASSWORD})
    assert response.status_code == 302


def editor_home(client: FlaskClient, peer: str, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.get("/editor/", headers=headers,
                      environ_base={"REMOTE_ADDR": peer}).status_code


def test_a_stolen_session_cannot_borrow_the_victims_address(exposed: Flask) -> None:
    client = exposed.test_client()
    log_in(client, "192.0.2.10")
    assert editor_home(client, "192.0.2.10") == 200
    # The same cookie from elsewhere, claiming the victim's address in a header it wrote.
    assert editor_home(client, "198.51.100.20", "192.0.2.10") == 302
    assert editor_home(client, "192.0.2.10") == 302  # strong protection ended the session


def test_session_protection_follows_the_client_behind_a_trusted_proxy(
        behind_one_proxy: Flask) -> None:
    client = behind_one_proxy.test_client()
    log_in(client, PROXY, "192.0.2.10")
    assert editor_home(client, PROXY, "192.0.2.10") == 200
    assert editor_home(client, PROXY, "192.0.2.10, 198.51.100.20") == 302  # another client


def test_editor_pages_send_a_same_origin_referrer_and_voter_pages_none(
        exposed: Flask) -> None:
    client = exposed.test_client()
    for path, policy in (("/editor/login", "same-origin"), ("/en/fixture/", "no-referrer"),
                         ("/en/fixture/result?v=1&a=ee", "no-referrer"),
                         ("/embed/en/fixture/", "no-referrer")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Referrer-Policy"] == policy, path
        page = response.get_data(as_text=True)
        assert f'<meta name="referrer" content="{policy}">' in page, path
        assert page.count('name="referrer"') == 1, path


@pytest.mark.parametrize("hops", [-1, 1.5, "one", True])
def test_a_trusted_proxy_count_that_is_not_a_whole_number_is_refused(
        tmp_path: Path, hops: object) -> None:
    with pytest.raises(ConfigError, match=r"TRUSTED_PROXIES must be a whole number .* not "):
        make_app(f"sqlite:///{tmp_path / 'refused.sqlite3'}", tmp_path, TRUSTED_PROXIES=hops)


@pytest.mark.parametrize("raw", ["-1", "one"])
def test_the_cli_refuses_a_wrong_proxy_count_in_one_line(tmp_path: Path, raw: str) -> None:
    env = {**processes.bench_env(f"sqlite:///{tmp_path / 'cli.sqlite3'}"),
           "VALGOMAT_TRUSTED_PROXIES": raw}
    done = subprocess.run([*processes.valgomat_command(), "content", "check"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "TRUSTED_PROXIES" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
