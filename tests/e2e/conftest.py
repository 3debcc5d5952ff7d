"""Browser tests: the real app on a local port, driven by Playwright in Debian's Chromium.

The app is served by werkzeug in a thread, on a temporary SQLite database
loaded with the shipped content (the ``lokalvalg`` quiz in ``questions/`` and
``positions/``). Chromium, the ``playwright`` package and axe-core (from
``tests/e2e/package.json``, installed by ``make e2e-deps``) are needed; where
one is missing the tests are skipped, except in CI (``CI=true``), where a
skipped browser test would hide a failure, so they fail instead.
"""

from __future__ import annotations

import gc
import json
import os
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest

from valgomat import ROOT_DIR, create_app
from valgomat.extensions import db

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
AXE_JS = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
BUILD_DIR = ROOT_DIR / "build" / "e2e"
QUIZ = "lokalvalg"


def missing(what: str) -> NoReturn:
    """Skip locally, fail in CI: a browser test that did not run is not a pass there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(what)


#: App bug, reported, not ours to fix here: Flask-Compress (1.25) compresses send_file
#: responses (/static/) as a stream and never closes the underlying file, so each
#: static request leaves an unclosed file for the garbage collector (ResourceWarning,
#: which pytest's ``filterwarnings = error`` would turn into an error of whichever test
#: is running). Only that exact warning, for files under static/, is ignored.
STATIC_FILE_LEAK = ("ignore:Exception ignored in. <_io.FileIO name='[^']*/static/"
                    ":pytest.PytestUnraisableExceptionWarning")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.filterwarnings(STATIC_FILE_LEAK))


@pytest.fixture(autouse=True)
def _collect_leaked_static_files() -> Iterator[None]:
    """Collect what the server threads left for the garbage collector (the static-file
    leak above) while this test, with its warning filter, is still running, instead
    of letting it surface in whatever test runs next."""
    yield
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and any(
            t.name.endswith("(process_request_thread)") for t in threading.enumerate()):
        time.sleep(0.02)
    gc.collect()


def _quiet_handler() -> type:
    from werkzeug.serving import WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        """No access log: the flow's URLs hold answers, and the output stays readable."""

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            pass

    return QuietHandler


def published_app(db_path: Path) -> Any:
    """An app on a fresh SQLite file with the shipped quiz published (CSRF on, as live)."""
    from valgomat.content import lifecycle

    url = f"sqlite:///{db_path}"
    app = create_app({
        "TESTING": True, "SECRET_KEY": "e2e-test-only-secret-key-0123456789abcdef",
        "DATABASE_URL": url,
        "SQLALCHEMY_DATABASE_URI": url, "CONTENT_DIR": str(ROOT_DIR),
    })
    with app.app_context():
        db.create_all()
        lifecycle.load_content(ROOT_DIR, publish=True)
    return app


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True,
                         request_handler=_quiet_handler())
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@contextmanager
def served_newsroom(folder: Path, email: str, password: str, role: str) -> Iterator[str]:
    """``published_app`` in ``folder`` with one account, served; yields the base URL."""
    from valgomat.editor.auth import create_user

    app = published_app(folder / "newsroom.sqlite3")
    with app.app_context():
        create_user(email, password, role)
    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT``) of the app with the shipped quiz published."""
    app = published_app(tmp_path_factory.mktemp("e2e-db") / "e2e.sqlite3")
    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_api() -> Any:
    """The ``playwright.sync_api`` module (skip, or fail in CI, without it)."""
    try:
        from playwright import sync_api
    except ImportError:
        missing("The playwright package is not installed: pip install -e '.[test]'")
    return sync_api


@pytest.fixture(scope="session")
def browser(playwright_api: Any) -> Iterator[Any]:
    if not CHROMIUM.exists():
        missing("Chromium not installed: apt-get install chromium")
    manager = playwright_api.sync_playwright().start()
    try:
        chromium = manager.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        manager.stop()


@pytest.fixture(scope="session")
def expect(playwright_api: Any) -> Any:
    """Playwright's auto-waiting assertions."""
    return playwright_api.expect


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE_JS.exists():
        missing("axe-core is not installed: make e2e-deps "
                "(npm install --prefix tests/e2e)")
    return AXE_JS


@pytest.fixture(scope="session")
def quiz_data(live_server: str) -> dict[str, Any]:
    """``GET /api/v1/quizzes/lokalvalg``: statements in quiz order, parties with names."""
    with urllib.request.urlopen(f"{live_server}/api/v1/quizzes/{QUIZ}", timeout=10) as reply:
        data: dict[str, Any] = json.load(reply)
    return data


@pytest.fixture(scope="session")
def build_dir() -> Path:
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    return BUILD_DIR
