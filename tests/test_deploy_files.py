"""deploy/Caddyfile: Caddy accepts it (``caddy validate``), and run for real (over
plain HTTP on a free loopback port, in front of a recording upstream) it logs no
query string, Referer or redirect target, sets the forwarded port itself and serves
static files with the app's cache lifetimes.

deploy/nginx.conf is run for real by tests/e2e/test_https_proxy.py and
tests/e2e/test_proxy_cache.py. Without Caddy these tests skip, except in CI
(``CI=true``, where .ci/run installs Debian's package), where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tools.ops import processes

CADDYFILE = processes.ROOT / "deploy" / "Caddyfile"
STATIC_FOLDER = processes.ROOT / "valgomat" / "static"
SECRET = "yynnyAnswers"


@pytest.fixture(scope="module")
def caddy() -> str:
    found = shutil.which("caddy")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("caddy is not installed (CI=true): apt-get install caddy", pytrace=False)
        pytest.skip("caddy is not installed: apt-get install caddy")
    return found


def test_the_caddyfile_is_valid(caddy: str) -> None:
    checked = subprocess.run([caddy, "validate", "--config", str(CADDYFILE), "--adapter",
                              "caddyfile"], capture_output=True, text=True, timeout=60,
                             check=False)
    assert checked.returncode == 0, checked.stderr[-3000:]
    assert "Valid configuration" in checked.stdout + checked.stderr


class Recorder(BaseHTTPRequestHandler):
    """The upstream: records each request's path and headers, redirects with answers."""

    seen: list[tuple[str, dict[str, str]]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        self.send_response(302)
        self.send_header("Location", f"/nb/lokalvalg/result?v=1&a={SECRET}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def running_caddy(caddy: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[int, Path]]:
    """(port, access log) of Caddy with the shipped file, paths and ports replaced."""
    work = tmp_path_factory.mktemp("caddy")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = processes.free_port()
    config = work / "Caddyfile"
    config.write_text(_caddyfile(work, port, upstream.server_address[1]))
    env = {**os.environ, "HOME": str(work), "XDG_DATA_HOME": str(work / "data"),
           "XDG_CONFIG_HOME": str(work / "config")}
    with open(work / "caddy.log", "wb") as log:
        process = subprocess.Popen([caddy, "run", "--config", str(config), "--adapter",
                                    "caddyfile"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    try:
        _wait_for(port, process, work / "caddy.log")
        yield port, work / "valgomat-access.log"
    finally:
        process.terminate()
        process.wait(15)
        upstream.shutdown()
        upstream.server_close()


def _caddyfile(work: Path, port: int, upstream_port: int) -> str:
    text = CADDYFILE.read_text()
    replacements = {
        "\n{\n": "\n{\n\tadmin off\n",
        "valgomat.example {": f"http://127.0.0.1:{port} {{",
        "/var/log/caddy/": f"{work}/",
        "/srv/valgomat/static": str(STATIC_FOLDER),
        "127.0.0.1:8000": f"127.0.0.1:{upstream_port}",
        "X-Forwarded-Port 443": f"X-Forwarded-Port {port}",
    }
    for old, new in replacements.items():
        assert old in text, f"{CADDYFILE} no longer holds {old!r}: update {__file__}"
        text = text.replace(old, new)
    return text


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            _get(port, "/static/js/host.js")
            return
        except OSError:
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


def _get(port: int, path: str, headers: dict[str, str] | None = None,
         ) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as reply:
            return reply.status, {k.lower(): v for k, v in reply.headers.items()}
    except urllib.error.HTTPError as error:
        with error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}


def test_caddy_logs_no_answers_and_sets_the_forwarded_headers(
        running_caddy: tuple[int, Path]) -> None:
    port, access_log = running_caddy
    path = f"/nb/lokalvalg/result?v=1&a={SECRET}"
    status, headers = _get(port, path, {"Referer": f"https://x.example/?a={SECRET}",
                                        "X-Forwarded-For": "192.0.2.9",
                                        "X-Forwarded-Port": "9999"})
    assert (status, headers["location"]) == (302, path)  # the upstream's answer
    upstream_path, upstream_headers = Recorder.seen[-1]
    assert upstream_path == path
    assert upstream_headers["x-forwarded-for"] == "127.0.0.1"  # the client's claim replaced
    assert upstream_headers["x-forwarded-port"] == str(port)
    assert upstream_headers["x-forwarded-proto"] == "http"
    time.sleep(0.5)  # Caddy writes its log lines asynchronously
    logged = access_log.read_text(errors="replace")
    assert '"uri":"/nb/lokalvalg/result' in logged  # the search sees the request
    for trace in (SECRET, "?"):
        assert trace not in logged, f"{trace!r} found in Caddy's access log"


def test_caddy_serves_static_files_with_the_apps_lifetimes(
        running_caddy: tuple[int, Path]) -> None:
    port, _ = running_caddy
    seen = len(Recorder.seen)
    status, headers = _get(port, "/static/js/host.js?v=0123456789ab")
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cross-origin-resource-policy"] == "cross-origin"
    assert _get(port, "/static/js/host.js")[1]["cache-control"] == "public, max-age=300"
    assert len(Recorder.seen) == seen  # never the upstream's
