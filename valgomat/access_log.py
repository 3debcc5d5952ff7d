"""gunicorn's access log, safe to write and to read.

gunicorn's own ``%(U)s`` is the *decoded* path: a ``%0a`` in a URL becomes a line
break that forges a second log line, and ``%1b`` or ``%00`` put terminal escapes
and NUL bytes in the log. Here the path is logged as it came on the wire, with
anything outside printable ASCII (and quotes, spaces) percent-escaped, and never
with its query string: share links carry a voter's answers there.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from gunicorn.glogging import Logger

#: Characters a path may hold unescaped (RFC 3986 pchar, "/" and "%" of escapes that
#: came escaped); everything else is escaped, so a logged path is one printable token.
PATH_SAFE = "/:@!$&'()*+,;=-._~%"
#: Atoms of gunicorn's format that would reveal the query string or the decoded path.
QUERY_ATOMS = ("{query_string}e", "{raw_uri}e", "{path_info}e", "{request_uri}e")


def loggable_path(raw_uri: str) -> str:
    """The request target without query or fragment, printable and unambiguous."""
    path = raw_uri.split("?", 1)[0].split("#", 1)[0]
    return quote(path, safe=PATH_SAFE)


class PathOnlyLogger(Logger):
    """gunicorn's logger with ``%(U)s`` and ``%(r)s`` made of the escaped raw path."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any],
              request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        path = loggable_path(environ.get("RAW_URI") or "")
        atoms["U"] = path
        atoms["r"] = f"{environ['REQUEST_METHOD']} {path} {environ['SERVER_PROTOCOL']}"
        atoms["q"] = "-"
        for name in QUERY_ATOMS:
            atoms.pop(name, None)
        return atoms
