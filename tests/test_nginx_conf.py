"""``deploy/nginx.conf`` read as text, so that machines without nginx check it too
(``tests/e2e/test_https_proxy.py`` runs it)."""

from __future__ import annotations

import re

from valgomat import ROOT_DIR

CONF = (ROOT_DIR / "deploy" / "nginx.conf").read_text()


def directives(name: str) -> list[str]:
    """Every ``name …;`` directive's arguments (comments removed, lines joined)."""
    text = re.sub(r"#[^\n]*", "", CONF)
    return [" ".join(m.split()) for m in re.findall(rf"(?:^|[\s;{{}}]){name}\s+([^;]*);", text)]


def test_the_access_log_format_holds_no_query_string() -> None:
    formats = directives("log_format")
    assert formats and all("$uri" in f for f in formats), formats
    for variable in ("$request ", "$request'", '$request"', "$request_uri", "$args",
                     "$query_string", "$arg_", "$http_referer"):
        assert not [f for f in formats if variable in f], (variable, formats)
    logs = directives("access_log")  # none would mean nginx's "combined": $request, referer
    assert logs and all(log.endswith(" valgomat") for log in logs), logs


def test_forwarded_headers_are_overwritten_with_what_nginx_saw() -> None:
    headers = dict(h.split(" ", 1) for h in directives("proxy_set_header"))
    assert headers["X-Forwarded-For"] == "$remote_addr"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["X-Forwarded-Host"] == "$host"
    assert headers["X-Forwarded-Port"] == "$server_port"


def test_errors_that_quote_request_lines_are_not_logged() -> None:
    assert [e.split()[-1] for e in directives("error_log")] == ["crit"]
