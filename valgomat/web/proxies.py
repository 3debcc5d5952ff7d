"""The proxies in front of the app: ``TRUSTED_PROXIES`` hops, and no one else, may say
who the client is and how it connected.

Werkzeug's ``ProxyFix`` takes the last ``TRUSTED_PROXIES`` values of X-Forwarded-For,
-Proto, -Host and -Port (each proxy appends what it saw; anything before that came
from the client and is ignored) and puts them where everything else reads them:
``request.remote_addr`` (rate limits, session protection) and the scheme and host
(CSRF's HTTPS checks, external URLs). With 0, those headers count for nothing.
"""

from __future__ import annotations

from hashlib import sha512

from flask import Flask, request


def init_app(app: Flask) -> None:
    from valgomat.config import ConfigError

    hops = app.config["TRUSTED_PROXIES"]
    if not isinstance(hops, int) or isinstance(hops, bool) or hops < 0:
        raise ConfigError(f"TRUSTED_PROXIES must be a whole number of proxy hops (0 or more), "
                          f"not {hops!r}.")
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Flask's documented way to add WSGI middleware; to mypy it replaces a method.
        app.wsgi_app = ProxyFix(app.wsgi_app,  # type: ignore[method-assign]
                                x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def session_identifier() -> str:
    """Flask-Login's "strong" session protection binds a session to this. Its own
    version reads X-Forwarded-For as the client sent it, so a stolen cookie could
    claim its victim's address; this one uses the address ``init_app`` trusts."""
    client = f"{request.remote_addr}|{request.headers.get('User-Agent')}"
    return sha512(client.encode("utf-8", "replace")).hexdigest()
