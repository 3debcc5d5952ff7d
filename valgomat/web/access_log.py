"""gunicorn's access log, safe to write and to read.

gunicorn's own ``%(U)s`` is the *decoded* path: a ``%0a`` in a URL becomes a line
break that forges a second log line, and ``%1b`` or ``%00`` put terminal escapes
and NUL bytes in the log. Here the path is logged as it came on the wire
(``logged_path``), and never with its query string: share links carry a voter's
answers there.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from gunicorn.glogging import Logger

from valgomat.web.logged_path import loggable_path

if TYPE_CHECKING:
    from gunicorn.glogging import _AtomsDict
    from gunicorn.http import Request
    from gunicorn.http.wsgi import Response

#: Atoms of gunicorn's format that would reveal the query string or the decoded path.
QUERY_ATOMS = ("{query_string}e", "{raw_uri}e", "{path_info}e", "{request_uri}e")


class PathOnlyLogger(Logger):
    """gunicorn's logger with ``%(U)s`` and ``%(r)s`` made of the escaped raw path."""

    def atoms(self, resp: Response, req: Request, environ: MutableMapping[str, Any],
              request_time: timedelta) -> _AtomsDict:
        atoms = super().atoms(resp, req, environ, request_time)
        path = loggable_path(environ.get("RAW_URI") or "")
        atoms["U"] = path
        atoms["r"] = f"{environ['REQUEST_METHOD']} {path} {environ['SERVER_PROTOCOL']}"
        atoms["q"] = "-"
        # The stubs declare only the one-letter atoms; the dict has a "{name}e" per environ key.
        every_atom = cast("dict[str, object]", atoms)
        for name in QUERY_ATOMS:
            every_atom.pop(name, None)
        return atoms
