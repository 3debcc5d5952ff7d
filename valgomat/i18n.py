"""Interface languages: the first path segment chooses, Flask-Babel translates."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, request

from valgomat.extensions import babel

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


def select_locale() -> str:
    lang = getattr(g, "lang", None)
    if lang in current_app.config["LANGUAGES"]:
        return str(lang)
    best = request.accept_languages.best_match(current_app.config["LANGUAGES"])
    return best or current_app.config["DEFAULT_LANGUAGE"]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(TRANSLATIONS_DIR))
