"""Security and caching headers on every response.

Pages load nothing from elsewhere, so the policy is strict: own origin only, no
inline script, and no framing, except that embed pages may be framed by the
partner origins their quiz allows (``g.frame_ancestors``, set by the embed
blueprint). A page is ``no-store`` unless its blueprint allowed public caching
(``allow_public_caching``: the voter pages whose URL carries no answers); then a
successful page may be cached for 60 s, with an ETag.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "interest-cohort=(), geolocation=(), camera=(), microphone=()",
}
PAGE_MAX_AGE = 60


def referrer_policy() -> str:
    """Voters' URLs carry their answers, so voter pages send no Referer anywhere. Editor
    pages send it to their own origin only: Flask-WTF requires a same-origin Referer on
    every POST over HTTPS, and the browser then sends a real Origin too."""
    return "same-origin" if request.blueprint == "editor" else "no-referrer"


def content_security_policy(frame_ancestors: list[str] | None) -> str:
    ancestors = " ".join(frame_ancestors) if frame_ancestors else "'none'"
    return "; ".join([*POLICY, f"frame-ancestors {ancestors}"])


def allow_public_caching() -> None:
    """Let this request's page be cached by anyone if it succeeds (a blueprint's hook)."""
    g.public_page = True


def _cacheable_page(response: Response) -> bool:
    return bool(g.get("public_page")) and response.status_code == 200


def _static_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # Partners load js/host.js from their own pages, so assets may be used cross-origin.
    response.headers.setdefault("Cross-Origin-Resource-Policy", "cross-origin")
    return response


def init_app(app: Flask) -> None:
    headers = dict(HEADERS)
    if app.config["PRODUCTION"]:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    unframed = {**headers, "Content-Security-Policy": content_security_policy(None),
                "X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin"}

    app.jinja_env.globals["referrer_policy"] = referrer_policy  # the page's <meta> says the same

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        if request.endpoint == "static":  # a policy for documents means nothing on CSS or JS
            return _static_headers(response)
        response.headers.setdefault("Referrer-Policy", referrer_policy())
        ancestors = g.get("frame_ancestors")
        wanted = unframed if not ancestors else {
            **headers, "Content-Security-Policy": content_security_policy(ancestors)}
        present = {name.lower() for name, _value in response.headers}
        response.headers.extend((name, value) for name, value in wanted.items()
                                if name.lower() not in present)
        if response.mimetype in ("text/html", "application/json"):  # pages, the voter's JSON
            _cache_policy(response)
        return response


def _cache_policy(response: Response) -> None:
    if "Cache-Control" in response.headers:
        return
    if not _cacheable_page(response):
        response.headers["Cache-Control"] = "no-store"
        return
    response.headers["Cache-Control"] = f"public, max-age={PAGE_MAX_AGE}"
    response.add_etag()
    response.make_conditional(request)
