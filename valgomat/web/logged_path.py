"""How any log names a request's path: as one printable token, never with its query.

A decoded path would let ``%0a`` start a forged log line and put ESC or NUL bytes in
front of whoever reads the log; the query string holds a voter's answers. So the
path keeps its percent-escapes and everything outside printable ASCII (and quotes,
spaces) is escaped too.
"""

from __future__ import annotations

from urllib.parse import quote

#: Characters a path may hold unescaped (RFC 3986 pchar, "/" and the "%" of escapes
#: that came escaped); everything else is escaped.
PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def loggable_path(target: str) -> str:
    """The request target (raw or decoded) without query or fragment, escaped."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    return quote(path, safe=PATH_SAFE)
