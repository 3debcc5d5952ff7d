"""Security headers on every response.

Pages load nothing from elsewhere, so the policy is strict: own origin only,
no inline script, no framing (embed pages will relax ``frame-ancestors`` per quiz).
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "interest-cohort=(), geolocation=(), camera=(), microphone=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    headers = dict(HEADERS)
    if app.config["PRODUCTION"]:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        if request.endpoint == "static":  # a policy for documents means nothing on CSS or JS
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
            return response
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
