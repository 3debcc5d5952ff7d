"""JSON API v1 for partner sites (docs/api.md).

Stateless: no cookies, no CSRF. Browsers on a quiz's allowlisted partner
origins may call it (CORS); GETs carry an ETag and may be cached by anyone
(``web.headers``): for ``CACHE_MAX_AGE`` seconds, and for good when they name a
version (``?version=N``). A publish changes the unversioned ETags.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, jsonify, request

from valgomat.api.documents import match_result, public_quiz, quiz_summaries
from valgomat.api.match_body import BadRequestBody, parse_match_body
from valgomat.api.openapi import openapi_document
from valgomat.core.matching import InvalidAnswers, match
from valgomat.core.model import Quiz
from valgomat.extensions import csrf, limiter
from valgomat.storage import published
from valgomat.web import headers
from valgomat.web.errors import ApiError
from valgomat.web.numbers import BadVersion, parse_version

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def allow_caching() -> None:
    """Every GET is answer-free: the answers only ever travel in a match POST's body."""
    if request.method in ("GET", "HEAD"):
        headers.allow_public_caching()


@bp.after_request
def allow_partner_origins(response: Response) -> Response:
    vary = response.headers.get("Vary")
    response.headers["Vary"] = f"{vary}, Origin" if vary else "Origin"
    origin = request.headers.get("Origin")
    if origin and origin in published.partner_origins((request.view_args or {}).get("slug")):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


@bp.get("/quizzes")
def list_quizzes() -> Response:
    return jsonify({"quizzes": quiz_summaries(published.published_quizzes())})


@bp.get("/quizzes/<slug>")
def get_quiz(slug: str) -> Response:
    try:
        version = parse_version(request.args.get("version"))
    except BadVersion as exc:
        raise ApiError(400, "bad_version", str(exc)) from exc
    quiz = _published_or_404(slug, version)
    if version is not None:
        headers.versioned_document()
    return jsonify(public_quiz(quiz))


def _match_limit() -> str:
    return str(current_app.config["MATCH_RATE_LIMIT"])


@bp.post("/quizzes/<slug>/match")
@limiter.limit(_match_limit)
def match_quiz(slug: str) -> Response:
    try:
        body = parse_match_body(request.get_data())
    except BadRequestBody as exc:
        raise ApiError(400, exc.code, str(exc)) from exc
    quiz = _published_or_404(slug, body.version)
    try:
        result = match(quiz, body.answers, body.important, method=body.method,
                       missing=body.missing, parties=body.parties)
    except InvalidAnswers as exc:
        raise ApiError(400 if exc.code == "wrong_type" else 422, exc.code,
                       exc.message) from exc
    return jsonify(match_result(quiz, result))


@bp.get("/openapi.json")
def openapi() -> Response:
    return Response(json.dumps(openapi_document(), ensure_ascii=False),
                    mimetype="application/json")


def _published_or_404(slug: str, version: int | None) -> Quiz:
    quiz = published.published_quiz(slug, version)
    if quiz is None:
        what = f"version {version} of quiz" if version is not None else "published quiz"
        raise ApiError(404, "not_found", f"There is no {what} '{slug}'.")
    return quiz
