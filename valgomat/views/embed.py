"""The embed blueprint: the voter flow without site chrome, for partners' iframes.

The same views as ``quiz`` under ``/embed/<lang>/…``. Only the quiz's
allowlisted partner origins may frame these pages (``frame-ancestors``); every
other page of the site refuses to be framed.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, request
from sqlalchemy import select

from valgomat import models, services, theming
from valgomat.extensions import db
from valgomat.flow import request_theme
from valgomat.views import quiz

bp = Blueprint("embed", __name__, url_prefix="/embed")
bp.url_value_preprocessor(quiz.pull_language)
bp.url_defaults(quiz.add_language)

ROUTES = (
    ("/<lang>/method", "method", quiz.method, ["GET"]),
    ("/<lang>/<slug>/method", "quiz_method", quiz.quiz_method, ["GET"]),
    ("/<lang>/<slug>/", "intro", quiz.intro, ["GET"]),
    ("/<lang>/<slug>/<int:number>", "step", quiz.step, ["GET"]),
    ("/<lang>/<slug>/<int:number>/answer", "answer", quiz.answer, ["GET"]),
    ("/<lang>/<slug>/parties", "parties", quiz.parties, ["GET"]),
    ("/<lang>/<slug>/result", "result", quiz.result, ["GET"]),
)
for rule, endpoint, view, methods in ROUTES:
    bp.add_url_rule(rule, endpoint, view, methods=methods)


@bp.get("/theme/<slug>/<profile>.css")
def theme_css(slug: str, profile: str) -> Response:
    found = _profile(slug, profile)
    response = Response(theming.stylesheet(found), mimetype="text/css")
    return _cached(response)


@bp.get("/theme/<slug>/<profile>/logo")
def theme_logo(slug: str, profile: str) -> Response:
    found = _profile(slug, profile)
    if not found.logo:
        abort(404)
    return _cached(Response(found.logo, mimetype=found.logo_type))


def _profile(slug: str, profile: str) -> models.EmbedProfile:
    found = db.session.scalar(select(models.EmbedProfile).join(models.Quiz).where(
        models.Quiz.slug == slug, models.EmbedProfile.slug == profile))
    if found is None:
        abort(404)
    return found


def _cached(response: Response) -> Response:
    response.headers["Cache-Control"] = "public, max-age=300"
    response.add_etag()
    return response.make_conditional(request)


@bp.before_request
def allow_partner_frames() -> None:
    """Record which origins may frame this response (``security`` writes the header)."""
    slug = (request.view_args or {}).get("slug")
    origins = sorted(services.partner_origins(slug)) if slug is not None else []
    g.embed = True
    g.frame_ancestors = ["'self'", *origins]
    theme = request_theme()
    if slug is not None and theme is not None:
        g.theme = db.session.scalar(select(models.EmbedProfile).join(models.Quiz).where(
            models.Quiz.slug == slug, models.EmbedProfile.slug == theme))
