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
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

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


def test_memory_storage_is_the_default_and_needs_no_redis(loaded_app: Flask,
                                                          tmp_path: Path) -> None:
    """The default works where the redis package is not even installed; per process."""
    assert loaded_app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    first = run_instance(loaded_app, tmp_path, {}, [LOGIN] * 4 + [MATCH] * 4, block_redis=True)
    assert first == {"statuses": [LOGIN_REFUSED] * 3 + [LIMITED] + [MATCHED] * 3 + [LIMITED],
                     "storage": "MemoryStorage"}
    # Counters in memory are not shared: a second instance starts afresh.
    second = run_instance(loaded_app, tmp_path, {}, [LOGIN, MATCH], block_redis=True)
    assert second["statuses"] == [LOGIN_REFUSED, MATCHED]
