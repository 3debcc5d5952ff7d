"""The embed blueprint: the voter flow without site chrome, for partners' iframes.

The same views as ``quiz`` under ``/embed/<lang>/…``. Only the quiz's
allowlisted partner origins may frame these pages (``frame-ancestors``); every
other page of the site refuses to be framed, so links to it open at top level.
Partner looks (``?t=<profile>``) come from the worker's cache (``themes``).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, request

from valgomat.content import theming
from valgomat.partner.themes import Theme, embed_theme
from valgomat.storage import published
from valgomat.voter import result_views
from valgomat.voter import views as quiz
from valgomat.voter.flow import request_theme

bp = Blueprint("embed", __name__, url_prefix="/embed", template_folder="templates")
bp.url_value_preprocessor(quiz.pull_language)
bp.url_defaults(quiz.add_language)
bp.before_request(quiz.allow_caching)

ROUTES = (
    ("/<lang>/method", "method", quiz.method, ["GET"]),
    ("/<lang>/<slug>/method", "quiz_method", quiz.quiz_method, ["GET"]),
    ("/<lang>/<slug>/programs/<party>", "program", quiz.program, ["GET"]),
    ("/<lang>/<slug>/", "intro", quiz.intro, ["GET"]),
    ("/<lang>/<slug>/<int:number>", "step", quiz.step, ["GET"]),
    ("/<lang>/<slug>/<int:number>/answer", "answer", quiz.answer, ["GET"]),
    ("/<lang>/<slug>/statements.json", "statements", quiz.statements, ["GET"]),
    ("/<lang>/<slug>/review", "review", quiz.review, ["GET"]),
    ("/<lang>/<slug>/parties", "parties", quiz.parties, ["GET"]),
    ("/<lang>/<slug>/result", "result", quiz.result, ["GET"]),
    ("/<lang>/<slug>/compare", "compare", result_views.compare, ["GET"]),
    ("/<lang>/<slug>/party/<party>", "party", result_views.party, ["GET"]),
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


def _profile(slug: str, profile: str) -> Theme:
    found = embed_theme(slug, profile)
    if found is None:
        abort(404)
    return found


def _cached(response: Response) -> Response:
    response.headers["Cache-Control"] = "public, max-age=300"
    response.add_etag()
    response.make_conditional(request)
    return response


@bp.before_request
def allow_partner_frames() -> None:
    """Record which origins may frame this response (``web.headers`` writes the header).

    A quiz's pages may be framed by its own partners; the general method page, which
    every quiz's embed links to, by any quiz's partners."""
    slug = (request.view_args or {}).get("slug")
    g.embed = True
    g.frame_ancestors = ["'self'", *sorted(published.partner_origins(slug))]
    theme = request_theme()
    if slug is not None and theme is not None:
        g.theme = embed_theme(slug, theme)
