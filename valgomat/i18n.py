"""Interface languages: the first path segment chooses, Flask-Babel translates.

Interface text goes through Babel; content text (statements, justifications)
comes from the content files in the chosen language, falling back to the
quiz's first language (marked with its own ``lang`` attribute in templates).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import flask_babel
from babel.support import Translations
from flask import Flask, current_app, g, request, url_for
from werkzeug.routing import BuildError

from valgomat.extensions import babel

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
LANGUAGE_NAMES = {"nb": "Norsk bokmål", "sv": "Svenska", "en": "English", "de": "Deutsch"}


def select_locale() -> str:
    lang = getattr(g, "lang", None)
    if lang in current_app.config["LANGUAGES"]:
        return str(lang)
    best = request.accept_languages.best_match(current_app.config["LANGUAGES"])
    return best or current_app.config["DEFAULT_LANGUAGE"]


def current_language() -> str:
    return getattr(g, "lang", None) or select_locale()


def content_language(texts: Mapping[str, str]) -> str:
    """The language a content text will be shown in: the interface's, else the first."""
    lang = current_language()
    return lang if texts.get(lang) else next(iter(texts), lang)


def localized(texts: Mapping[str, str]) -> str:
    return texts.get(content_language(texts), "") if texts else ""


def translations() -> Translations:
    """This request's catalogue for the active locale.

    Flask-Babel finds it again on every ``gettext`` call (a few context and
    locale lookups each); a page makes dozens, so it is kept in ``g`` per locale
    (``force_locale`` still switches it).
    """
    locale = flask_babel.get_locale()
    cache = g.get("_catalogues")
    if cache is None:
        cache = g._catalogues = {}
    found = cache.get(locale)
    if found is None:
        found = cache[locale] = flask_babel.get_translations()
    return found


def _gettext(string: str) -> str:
    return str(translations().ugettext(string))


def _ngettext(singular: str, plural: str, count: int) -> str:
    return str(translations().ungettext(singular, plural, count))


def switch_language_url(code: str) -> str:
    """This page in another interface language (the start page where there is none)."""
    if request.blueprint in ("quiz", "embed") and request.endpoint:
        args: dict[str, Any] = dict(request.view_args or {})
        args.update(request.args.to_dict(flat=False))
        try:
            return url_for(request.endpoint, lang=code, **args)
        except BuildError:
            pass
    return url_for("quiz.index", lang=code)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(TRANSLATIONS_DIR))
    app.jinja_env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext,
                                            newstyle=True)
    app.jinja_env.globals.update(
        localized=localized, content_language=content_language,
        switch_language_url=switch_language_url, language_names=LANGUAGE_NAMES,
        current_language=current_language)
