"""The editor blueprint under /editor: every page but login needs a logged-in editor,
none is cached, and every POST is a Flask-WTF form (CSRF-checked by the global
CSRFProtect). The routes are in the package's modules, by what they edit."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from valgomat.extensions import login_manager

bp = Blueprint("editor", __name__, url_prefix="/editor", template_folder="templates")


@bp.context_processor
def audit_chart_context() -> dict[str, Any]:
    from valgomat.core.audit.sim import MAX_PARTIES
    from valgomat.editor import audit_charts

    return {"audit_svg": audit_charts, "audit_max_parties": MAX_PARTIES}


PUBLIC_ENDPOINTS = {"editor.login"}


@bp.before_request
def require_login() -> ResponseReturnValue | None:
    g.lang = "en"  # the workshop's interface is English for now
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.method == "POST":  # the login ended (12 hours, a logout elsewhere) mid-edit
        flash("Your login had ended, so nothing was saved. Log in, then make your change "
              "again.", "error")
        return redirect(url_for("editor.login", next=safe_next(request.referrer and urlsplit(
            request.referrer).path)))
    return login_manager.unauthorized()


@bp.after_request
def never_cache(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def safe_next(target: str | None) -> str:
    if target and target.startswith("/editor") and "//" not in target and "\\" not in target:
        return target
    return url_for("editor.index")
