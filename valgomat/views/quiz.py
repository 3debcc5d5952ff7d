"""The voter blueprint: the interface language is the first path segment."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from valgomat import services

bp = Blueprint("quiz", __name__)


@bp.url_value_preprocessor
def pull_language(endpoint: str | None, values: dict[str, str] | None) -> None:
    if values is not None and "lang" in values:
        g.lang = values.pop("lang")
        if g.lang not in current_app.config["LANGUAGES"]:
            abort(404)


@bp.url_defaults
def add_language(endpoint: str, values: dict[str, str]) -> None:
    if "lang" not in values and getattr(g, "lang", None):
        values["lang"] = g.lang


@bp.get("/")
def root() -> Response:
    languages = current_app.config["LANGUAGES"]
    lang = request.accept_languages.best_match(languages) or current_app.config[
        "DEFAULT_LANGUAGE"]
    return redirect(url_for("quiz.index", lang=lang))


@bp.get("/<lang>/")
def index() -> str:
    quizzes = services.published_quizzes()
    return render_template("quiz/index.html", quizzes=quizzes)
