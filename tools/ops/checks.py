"""The fault drill's parts: an editor HTTP client and the named checks of each step."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlencode

from tools.ops.load import LoadResult
from tools.ops.processes import http_request

EDITOR_LOGIN = "/editor/login"
EDITOR_HOME = "/editor/"
EDITOR_EMAIL = "drill@example.org"




class Load(Protocol):
    def result(self) -> LoadResult: ...

    def stop(self) -> None: ...


class EditorClient:
    """A browser stand-in for the editor pages: keeps cookies, sends the CSRF token."""

    TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]*)"')

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str,
                form: dict[str, str] | None = None) -> tuple[int | None, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            status, raw, answer = http_request(self.port, path, method, body, headers)
        except OSError as exc:
            return None, f"{exc.__class__.__name__}: {exc}"
        for cookie in answer.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return status, raw.decode("utf-8", "replace")

    def log_in(self, email: str, password: str) -> tuple[int | None, str]:
        """GET the form (no database needed), then POST the credentials."""
        status, page = self.request("GET", EDITOR_LOGIN)
        token = self.TOKEN.search(page)
        if status != 200 or token is None:
            return status, page
        return self.request("POST", EDITOR_LOGIN, {
            "csrf_token": html.unescape(token.group(1)), "email": email, "password": password})


@dataclass
class Step:
    """One drill step: figures to print, and the named checks that decide it."""

    name: str
    lines: list[str] = field(default_factory=list)
    checks: dict[str, tuple[bool, str]] = field(default_factory=dict)
    results: list[LoadResult] = field(default_factory=list)
    figures: dict[str, float | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(ok for ok, _ in self.checks.values())

    def check(self, key: str, ok: bool, text: str) -> bool:
        self.checks[key] = (ok, text)
        return ok

    def report(self) -> str:
        out = [f"{self.name}: {'ok' if self.ok else 'TARGET MISSED'}"]
        out += [f"    {line}" for line in self.lines]
        out += [f"    {'ok  ' if ok else 'MISS'} {text}" for ok, text in self.checks.values()]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.report()
