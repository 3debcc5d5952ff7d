"""Rate-limit counters: shared between app instances through Redis, per process in memory.

Each app instance runs in its own Python process, as two gunicorn workers or two
servers do: Flask-Limiter's ``Limiter`` is one module-level object whose storage
every ``init_app`` replaces, so two apps in one process would share a storage even
with ``memory://`` and prove nothing.

The Redis tests use ``redis://127.0.0.1:6379/15`` (``VALGOMAT_TEST_REDIS_URL``
overrides it) with a fresh ``RATELIMIT_KEY_PREFIX`` per test, and delete only the
keys under that prefix afterwards. Without a reachable Redis they skip, except in
CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask

from tools.ops import processes
from valgomat.extensions import db
from valgomat.storage.models import RateLimitCounter
from valgomat.storage.rate_limits import DatabaseStorage

REDIS_URL = os.environ.get("VALGOMAT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TESTS_DIR = Path(__file__).parent
LOGIN = ("POST", "/editor/login", {"form": {"email": "nobody@example.org",
                                            "password": "not the password"}})
MATCH = ("POST", "/api/v1/quizzes/fixture/match", {"json": {"answers": {"toll-ring": 1}}})
LIMITS = {"LOGIN_RATE_LIMIT": "3 per minute", "MATCH_RATE_LIMIT": "3 per minute"}
LOGIN_REFUSED, MATCHED, LIMITED = 400, 200, 429

# One app instance: build it from the given settings, send the requests, print the
# statuses and the class of the limiter's storage as JSON. With "block_redis", the
# redis package cannot be imported, as on an install without the production extra.
INSTANCE = """
import json, sys
job = json.loads(sys.argv[1])
if job["block_redis"]:
    sys.modules["redis"] = None
sys.path.insert(0, job["tests_dir"])
from pathlib import Path
from conftest import make_app
from valgomat.extensions import limiter
app = make_app(job["url"], Path(job["tmp_path"]), **job["config"])
client = app.test_client()
statuses = [client.open(path, method=method, data=kw.get("form"), json=kw.get("json")).status_code
            for method, path, kw in job["requests"]]
print(json.dumps({"statuses": statuses, "storage": type(limiter.storage).__name__}))
"""


def run_instance(app: Flask, tmp_path: Path, config: dict[str, Any],
                 requests: list[tuple[str, str, dict[str, Any]]],
                 block_redis: bool = False) -> dict[str, Any]:
    """Start one more app instance on ``app``'s database, in a new process."""
    job = {"tests_dir": str(TESTS_DIR), "url": app.config["SQLALCHEMY_DATABASE_URI"],
           "tmp_path": str(tmp_path), "config": {**LIMITS, **config}, "requests": requests,
           "block_redis": block_redis}
    done = subprocess.run([sys.executable, "-c", INSTANCE, json.dumps(job)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def redis_or_skip() -> Any:
    """A client for REDIS_URL; skips (fails in CI) when Redis cannot be reached."""
    def unavailable(reason: str) -> None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must provide Redis for the shared rate-limit tests")
        pytest.skip(f"{reason}; start one to run the shared rate-limit tests")

    try:
        import redis
    except ImportError:
        unavailable("the redis package is not installed (pip install -e '.[test]')")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        unavailable(f"Redis is not reachable at {REDIS_URL} ({exc})")
    return client


@dataclass(frozen=True)
class RedisStorage:
    settings: dict[str, str]
    client: Any

    def stored_keys(self) -> list[bytes]:
        """The keys under this test's prefix (Flask-Limiter: LIMITS:LIMITER/<prefix>/...)."""
        return list(self.client.scan_iter(match=f"*/{self.settings['RATELIMIT_KEY_PREFIX']}/*"))


@pytest.fixture
def redis_storage() -> Iterator[RedisStorage]:
    """Settings for Redis storage under a fresh key prefix, whose keys are removed after."""
    client = redis_or_skip()
    storage = RedisStorage({"RATELIMIT_STORAGE_URI": REDIS_URL,
                            "RATELIMIT_KEY_PREFIX": f"valgomat-test-{uuid.uuid4().hex}"}, client)
    yield storage
    for key in storage.stored_keys():
        client.delete(key)
    client.close()


def test_login_limit_is_shared_through_redis(redis_storage: RedisStorage, loaded_app: Flask,
                                             tmp_path: Path) -> None:
    config = redis_storage.settings
    first = run_instance(loaded_app, tmp_path, config, [LOGIN, LOGIN])
    second = run_instance(loaded_app, tmp_path, config, [LOGIN, LOGIN])
    assert first == {"statuses": [LOGIN_REFUSED] * 2, "storage": "RedisStorage"}
    # The third attempt is the last one allowed, though this instance saw only one.
    assert second == {"statuses": [LOGIN_REFUSED, LIMITED], "storage": "RedisStorage"}
    assert redis_storage.stored_keys()


def test_match_limit_is_shared_through_redis(redis_storage: RedisStorage, loaded_app: Flask,
                                             tmp_path: Path) -> None:
    config = redis_storage.settings
    first = run_instance(loaded_app, tmp_path, config, [MATCH, MATCH])
    second = run_instance(loaded_app, tmp_path, config, [MATCH, MATCH])
    assert first == {"statuses": [MATCHED] * 2, "storage": "RedisStorage"}
    assert second == {"statuses": [MATCHED, LIMITED], "storage": "RedisStorage"}
    assert redis_storage.stored_keys()


def test_database_storage_is_the_default_and_shared_between_instances(
        loaded_app: Flask, tmp_path: Path) -> None:
    """Each instance is a process of its own, as gunicorn's workers are; the default
    needs neither Redis nor the redis package."""
    assert loaded_app.config["RATELIMIT_STORAGE_URI"] == "database://"
    first = run_instance(loaded_app, tmp_path, {}, [LOGIN, LOGIN, MATCH, MATCH], block_redis=True)
    second = run_instance(loaded_app, tmp_path, {}, [LOGIN, LOGIN, MATCH, MATCH],
                          block_redis=True)
    assert first == {"statuses": [LOGIN_REFUSED] * 2 + [MATCHED] * 2,
                     "storage": "DatabaseStorage"}
    assert second == {"statuses": [LOGIN_REFUSED, LIMITED, MATCHED, LIMITED],
                      "storage": "DatabaseStorage"}


def test_memory_storage_counts_per_process(loaded_app: Flask, tmp_path: Path) -> None:
    config = {"RATELIMIT_STORAGE_URI": "memory://"}
    first = run_instance(loaded_app, tmp_path, config, [LOGIN] * 4 + [MATCH] * 4,
                         block_redis=True)
    assert first == {"statuses": [LOGIN_REFUSED] * 3 + [LIMITED] + [MATCHED] * 3 + [LIMITED],
                     "storage": "MemoryStorage"}
    # Counters in memory are not shared: a second instance starts afresh.
    second = run_instance(loaded_app, tmp_path, config, [LOGIN, MATCH], block_redis=True)
    assert second["statuses"] == [LOGIN_REFUSED, MATCHED]


def test_without_its_table_the_database_storage_counts_per_process(
        loaded_app: Flask, tmp_path: Path) -> None:
    """A database that cannot count (down, or not migrated) costs no request: each
    process counts in memory until the database answers again."""
    with loaded_app.app_context():
        RateLimitCounter.__table__.drop(db.engine)
    first = run_instance(loaded_app, tmp_path, {}, [LOGIN] * 4)
    assert first == {"statuses": [LOGIN_REFUSED] * 3 + [LIMITED], "storage": "DatabaseStorage"}


def test_database_counters_count_expire_and_clear(app: Flask) -> None:
    storage = DatabaseStorage("database://")
    with app.app_context():
        assert [storage.incr("k", 1) for _ in range(3)] == [1, 2, 3]
        assert storage.incr("other", 60, amount=5) == 5
        assert storage.get("k") == 3 and time.time() < storage.get_expiry("k") <= time.time() + 1
        time.sleep(1.05)
        assert storage.get("k") == 0
        assert storage.incr("k", 1) == 1  # a new window, in the same row
        storage.clear("k")
        assert storage.get("k") == 0 and storage.get("other") == 5
        assert storage.check()
        assert storage.reset() == 1 and storage.get("other") == 0


CSRF_FIELD = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


def wrong_login(port: int) -> int:
    """A browser's wrong login: the form (session cookie and CSRF token), then the POST."""
    status, page, headers = processes.http_request(port, "/editor/login")
    assert status == 200, page[:300]
    token = CSRF_FIELD.search(page)
    assert token, page[:300]
    body = urlencode({"csrf_token": token.group(1).decode(), "email": "nobody@example.org",
                      "password": "not the password"}).encode()
    cookie = next(c.split(";", 1)[0] for c in headers.get_all("Set-Cookie")
                  if c.startswith("session="))
    return processes.http_request(
        port, "/editor/login", "POST", body,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})[0]


def test_the_login_limit_holds_across_gunicorn_workers(tmp_path: Path) -> None:
    """``make run``'s setup: gunicorn with several workers, default settings. Before the
    database storage each worker counted alone and 43 to 49 of 60 got through."""
    env = {**os.environ, "VALGOMAT_DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
           "VALGOMAT_SECRET_KEY": secrets.token_hex(32), "WEB_CONCURRENCY": "5"}
    for name in ("PRODUCTION", "RATELIMIT_STORAGE_URI", "LOGIN_RATE_LIMIT", "TRUSTED_PROXIES"):
        env.pop(f"VALGOMAT_{name}", None)
    processes.run_cli(["db", "upgrade"], env)
    server = processes.start_gunicorn("login-limit", "valgomat:create_app()", env,
                                      tmp_path / "gunicorn.log", ["--access-logfile", "/dev/null"],
                                      ready_path="/editor/login")
    try:
        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(wrong_login, [server.port] * 60))
        workers = len(server.worker_pids())
    finally:
        server.stop()
    assert workers == 5
    assert statuses.count(LOGIN_REFUSED) == 10, statuses
    assert statuses.count(LIMITED) == 50, statuses


def test_gunicorn_refuses_per_process_counters_with_several_workers(tmp_path: Path) -> None:
    env = {**os.environ, "VALGOMAT_DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
           "VALGOMAT_SECRET_KEY": secrets.token_hex(32), "WEB_CONCURRENCY": "2",
           "VALGOMAT_RATELIMIT_STORAGE_URI": "memory://"}
    with pytest.raises(RuntimeError, match="exited with 1") as refused:
        processes.start_gunicorn("memory", "valgomat:create_app()", env,
                                 tmp_path / "gunicorn.log", ready_path="/editor/login")
    assert "RATELIMIT_STORAGE_URI=memory:// counts per worker" in str(refused.value)
    assert "Traceback" not in str(refused.value)
    env["WEB_CONCURRENCY"] = "1"  # one process: its counters are the instance's
    processes.start_gunicorn("memory", "valgomat:create_app()", env, tmp_path / "one.log",
                             ready_path="/editor/login").stop()
