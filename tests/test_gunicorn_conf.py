"""A real gunicorn with ``valgomat/gunicorn_conf.py``: what its access log holds and
which forwarded headers it believes.

The path is logged as it came on the wire (percent-escapes kept, anything else
escaped), never decoded: a ``%0a`` in it would otherwise start a new log line that
looks like a request nobody made, and ESC or NUL bytes would reach whoever reads
the log in a terminal. gunicorn believes no X-Forwarded-* header of its own accord:
the app's ``TRUSTED_PROXIES`` (0 here) is the only setting that makes them count.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from tools.ops import processes
from valgomat.web.logged_path import loggable_path

FORGED = "6.6.6.6 - \"GET /forged HTTP/1.1\" 200"
FORGING_PATH = "/nb/x%0a" + FORGED.replace(" ", "%20").replace('"', "%22")
CONTROL_PATH = "/nb/%1b%5B2J%00%7f"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[processes.Server]:
    work = tmp_path_factory.mktemp("gunicorn-conf")
    env = processes.bench_env(f"sqlite:///{work / 'log.sqlite3'}")
    env["WEB_CONCURRENCY"] = "1"
    processes.run_cli(["db", "upgrade"], env)
    running = processes.start_gunicorn("gunicorn-conf", "valgomat:create_app()", env,
                                       work / "gunicorn.log",
                                       ready_path="/static/css/valgomat.css")
    try:
        yield running
    finally:
        running.stop()


def raw_request(port: int, target: str) -> None:
    """A request line sent as is (no client library re-encodes it)."""
    with socket.create_connection((processes.HOST, port), timeout=5) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                     .encode("latin-1"))
        while sock.recv(65536):
            pass


def test_a_path_cannot_forge_a_line_or_put_control_bytes_in_the_access_log(
        server: processes.Server) -> None:
    for target in (FORGING_PATH, CONTROL_PATH, "/nb/last?a=secret"):
        raw_request(server.port, target)
    deadline = time.monotonic() + 10
    while "GET /nb/last " not in server.log():
        assert time.monotonic() < deadline, f"no access log line:\n{server.log()}"
        time.sleep(0.1)
    text = server.log_path.read_text(encoding="latin-1")
    assert f'"GET {FORGING_PATH} HTTP/1.1" ' in text  # logged, undecoded, on one line
    assert not [line for line in text.splitlines() if line.startswith("6.6.6.6")], text
    assert f'"GET {CONTROL_PATH} HTTP/1.1" ' in text
    for byte in ("\x1b", "\x00", "\x7f"):
        assert byte not in text, f"{byte!r} reached the log:\n{text!r}"
    assert "secret" not in text


def test_gunicorn_believes_no_forwarded_scheme(server: processes.Server) -> None:
    """The slash redirect is an absolute URL in the scheme the app saw."""
    status, _, headers = processes.http_request(server.port, "/nb/last",
                                                headers={"X-Forwarded-Proto": "https"})
    assert status == 308
    assert headers["Location"].startswith("http://"), headers["Location"]


def test_loggable_path_keeps_escapes_and_drops_the_query() -> None:
    assert loggable_path("/nb/x%0ay?v=1&a=abc") == "/nb/x%0ay"
    assert loggable_path('/nb/"quoted" é\x1b') == "/nb/%22quoted%22%20%C3%A9%1B"
    assert loggable_path("http://evil.example/nb/?a=abc#x") == "http://evil.example/nb/"
    assert loggable_path("*") == "*"
