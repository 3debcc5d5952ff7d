"""Security and caching headers on every response.

Pages load nothing from elsewhere, so the policy is strict: own origin only, no
inline script, and no framing, except that embed pages may be framed by the
partner origins their quiz allows (``g.frame_ancestors``, set by the embed
blueprint). A response is ``no-store`` unless its blueprint allowed public caching
(``allow_public_caching``: the voter pages whose URL carries no answers, the API's
GETs); then a successful one may be cached by anyone for ``CACHE_MAX_AGE`` seconds,
or for good when it is the document of one published version (``versioned_document``),
with an ETag. A response that read the session may differ per cookie, so it is never
public (``editor.auth`` makes it ``no-store``): public pages leave the session alone,
and so send no ``Vary: Cookie``.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request

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
CACHEABLE_STATUSES = (200, 301, 302, 308)
IMMUTABLE = "public, max-age=31536000, immutable"  # a year: what RFC 9111 calls forever


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


def versioned_document() -> None:
    """This request's document is one published version's, named in its URL: immutable."""
    g.versioned_document = True


def _cacheable_page(response: Response) -> bool:
    return bool(g.get("public_page")) and response.status_code in CACHEABLE_STATUSES


def _cache_publicly(response: Response) -> None:
    """Anyone may keep this response: for good if versioned, else a short while (a publish
    shows within it); a page gets an ETag, so a cache asks again with If-None-Match."""
    response.headers["Cache-Control"] = (
        IMMUTABLE if g.get("versioned_document")
        else f"public, max-age={current_app.config['CACHE_MAX_AGE']}")
    if response.status_code == 200:  # not a redirect: it has no content to tag
        response.add_etag()
        response.make_conditional(request)


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
        _cache_policy(response)
        return response


def _cache_policy(response: Response) -> None:
    if "Cache-Control" in response.headers:
        return
    if not _cacheable_page(response):
        response.headers["Cache-Control"] = "no-store"
        return
    _cache_publicly(response)
