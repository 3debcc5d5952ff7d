"""The documented production setup on loopback: nginx with ``deploy/nginx.conf``
terminating TLS (a certificate made here with the openssl CLI) in front of gunicorn.

The shipped configuration is used as it is, with only its paths, ports, user and
upstream address replaced; a replacement whose text is no longer in the file fails,
so the test cannot drift away from what is shipped.
"""

from __future__ import annotations

import getpass
import shutil
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPSConnection
from pathlib import Path

from tests.e2e.conftest import missing
from tools.ops import processes

NGINX_CONF = processes.ROOT / "deploy" / "nginx.conf"
STATIC_FOLDER = processes.ROOT / "valgomat" / "static"


def nginx_binary() -> str | None:
    """Debian installs nginx in /usr/sbin, which a non-root PATH often lacks."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, valid for two days, and its key."""
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert),
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True)
    return cert, key


def client_context(cert: Path) -> ssl.SSLContext:
    """Verifies nginx against the test certificate (hostname 127.0.0.1 included)."""
    return ssl.create_default_context(cafile=str(cert))


def nginx_config(work: Path, tls: Path, upstream_port: int, https_port: int,
                 http_port: int) -> str:
    text = NGINX_CONF.read_text()
    replacements = {
        "user www-data;": f"user {getpass.getuser()};",
        "/run/nginx-valgomat.pid": str(work / "nginx.pid"),
        "/var/log/nginx/": f"{work / 'logs'}/",
        "/var/cache/nginx/valgomat": str(work / "cache"),
        "/var/lib/nginx/valgomat/": f"{work / 'temp'}/",
        "/etc/ssl/valgomat/": f"{tls}/",
        "/srv/valgomat/static/": f"{STATIC_FOLDER}/",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "listen 443 ssl": f"listen 127.0.0.1:{https_port} ssl",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
    }
    for old, new in replacements.items():
        assert old in text, f"{NGINX_CONF} no longer holds {old!r}: update {__file__}"
        text = text.replace(old, new)
    return text


@dataclass
class Nginx:
    process: subprocess.Popen[bytes]
    port: int
    access_log: Path
    error_log: Path

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish, logs flushed
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_nginx(binary: str, work: Path, upstream_port: int) -> Nginx:
    """nginx in the foreground on free loopback ports, once it accepts TLS connections."""
    tls = work / "tls"
    for folder in (tls, work / "logs", work / "cache", work / "temp"):
        folder.mkdir(parents=True, exist_ok=True)
    cert, _ = self_signed_certificate(tls)
    https_port, http_port = processes.free_port(), processes.free_port()
    conf = work / "nginx.conf"
    conf.write_text(nginx_config(work, tls, upstream_port, https_port, http_port))
    startup_log = work / "logs" / "startup.log"
    command = [binary, "-p", str(work), "-c", str(conf), "-e", str(startup_log),
               "-g", "daemon off;"]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, f"nginx -t refused {conf}:\n{checked.stderr}"
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    nginx = Nginx(process, https_port, work / "logs" / "valgomat-access.log",
                  work / "logs" / "valgomat-error.log")
    _wait_for_tls(nginx, client_context(cert), startup_log)
    return nginx


def _wait_for_tls(nginx: Nginx, context: ssl.SSLContext, startup_log: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        if nginx.process.poll() is not None:
            raise RuntimeError(f"nginx exited with {nginx.process.returncode}:\n"
                               f"{startup_log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", nginx.port), timeout=2) as sock, \
                    context.wrap_socket(sock, server_hostname="127.0.0.1"):
                return
        except OSError:
            if time.monotonic() > deadline:
                nginx.stop()
                raise
            time.sleep(0.1)


@dataclass
class Site:
    """gunicorn with the given environment, and nginx in front of it (both started here)."""

    nginx: Nginx
    gunicorn: processes.Server
    cert: Path
    work: Path

    @property
    def base(self) -> str:
        return self.nginx.base

    def get(self, path: str, headers: Mapping[str, str] | None = None,
            ) -> tuple[int, dict[str, str], bytes]:
        """``GET path`` through nginx: status, headers (lower-case names), body."""
        connection = HTTPSConnection("127.0.0.1", self.nginx.port, timeout=10,
                                     context=client_context(self.cert))
        try:
            connection.request("GET", path, headers=dict(headers or {}))
            response = connection.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            connection.close()


def published_site(work: Path, settings: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """nginx's binary and the environment of a site in ``work`` with the shipped content
    published, one gunicorn worker behind one trusted proxy and ``settings``; skips
    (fails in CI) without nginx."""
    binary = nginx_binary()
    if binary is None:
        missing("nginx is not installed: apt-get install nginx")
    env = processes.bench_env(f"sqlite:///{work / 'site.sqlite3'}")
    env.update({"WEB_CONCURRENCY": "1", "VALGOMAT_TRUSTED_PROXIES": "1", **settings})
    processes.run_cli(["content", "load", "--publish"], env)
    return binary, env


@contextmanager
def proxied_site(binary: str, work: Path, env: Mapping[str, str]) -> Iterator[Site]:
    """gunicorn (``valgomat:create_app()``, ``gunicorn_conf.py``) behind nginx in ``work``."""
    gunicorn = processes.start_gunicorn(work.name, "valgomat:create_app()", env,
                                        work / "gunicorn.log", ready_path="/api/v1/quizzes")
    try:
        nginx = start_nginx(binary, work / "nginx", gunicorn.port)
        try:
            yield Site(nginx, gunicorn, work / "nginx" / "tls" / "fullchain.pem", work)
        finally:
            nginx.stop()
    finally:
        gunicorn.stop()
