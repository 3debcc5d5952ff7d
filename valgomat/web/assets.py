"""Static assets: fingerprinted URLs cached for a year, compressed like pages.

``url_for('static', ...)`` gets ``?v=<content hash>``, so a changed file gets a
new URL and browsers and CDNs may keep that URL forever. Only the current hash
earns that: a stale or invented ``v``, or none (partners' old snippets), gets a
short cache with an ETag, so a fix reaches them within minutes. Static
responses are read into memory (they are small) so that Flask-Compress
compresses them as it does pages and the file handle is closed at once.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, Response, request

ONE_YEAR = 365 * 24 * 3600
UNPINNED_MAX_AGE = 300  # a request without the current fingerprint


def init_app(app: Flask) -> None:
    static_folder = Path(app.static_folder or "static")
    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None:
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = UNPINNED_MAX_AGE

    @cache
    def fingerprint(filename: str) -> str:
        path = static_folder / filename
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "0"

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict[str, str]) -> None:
        if endpoint == "static" and "filename" in values:
            values.setdefault("v", fingerprint(values["filename"]))

    @app.after_request
    def buffer_static(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code >= 400:
            return response
        if response.direct_passthrough:
            streamed = response.response
            response.direct_passthrough = False
            response.set_data(b"".join(response.iter_encoded()))
            if hasattr(streamed, "close"):
                streamed.close()
        filename = (request.view_args or {}).get("filename", "")
        pinned = request.args.get("v") == fingerprint(filename)
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR if pinned else UNPINNED_MAX_AGE
        if pinned:
            response.cache_control.immutable = True
        return response
