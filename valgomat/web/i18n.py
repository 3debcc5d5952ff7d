"""Interface languages: the first path segment chooses, Flask-Babel translates.

Interface text goes through Babel; content text (statements, justifications)
comes from the content files in the chosen language, falling back to the
quiz's first language (marked with its own ``lang`` attribute in templates).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, request, url_for
from flask.sansio.app import App
from werkzeug.routing import BuildError

from valgomat.core.texts import text_in, text_language
from valgomat.extensions import babel

TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "translations"
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
    return text_language(texts, current_language())


def localized(texts: Mapping[str, str]) -> str:
    return text_in(texts, current_language())


LANGUAGE_SLOT = "language-slot"  # stands for the language in one built URL
START_PAGE = "valgomat.start_page"  # the key of the endpoint in app.extensions


def language_urls() -> dict[str, str]:
    """This page in each interface language (the start page where there is none)."""
    codes = current_app.config["LANGUAGES"]
    url, slot = _page_url(LANGUAGE_SLOT), f"/{LANGUAGE_SLOT}/"
    if slot not in url:  # every language route starts with it; built one by one otherwise
        return {code: _page_url(code) for code in codes}
    return {code: url.replace(slot, f"/{code}/", 1) for code in codes}


def offer_only(content_languages: Sequence[str]) -> list[str]:
    """A page of one quiz offers only the interface languages the quiz has content in
    (in the quiz's order); none of them: every interface language."""
    interface = current_app.config["LANGUAGES"]
    offered = [lang for lang in content_languages if lang in interface]
    g.offered_languages = offered or list(interface)
    return list(g.offered_languages)


def offered_languages() -> list[str]:
    """The language switcher's languages, in the interface's order."""
    offered = getattr(g, "offered_languages", None)
    return [lang for lang in current_app.config["LANGUAGES"]
            if offered is None or lang in offered]


def set_start_page(app: App, endpoint: str) -> None:
    """The page (taking ``lang``) that a language link leads to where a page has no
    language of its own."""
    app.extensions[START_PAGE] = endpoint


def _page_url(lang: str) -> str:
    rule = request.url_rule
    if rule is not None and "lang" in rule.arguments and request.endpoint:
        path_args: dict[str, Any] = dict(request.view_args or {})
        path_args.pop("lang", None)  # taken out by the blueprint, unless it was not routed
        # Query arguments named like a path variable or a url_for option (_external…)
        # are not ours: a link must not be able to break the page that carries it.
        query: dict[str, Any] = {
            name: values for name, values in request.args.to_dict(flat=False).items()
            if name not in path_args and name != "lang" and not name.startswith("_")}
        try:
            return url_for(request.endpoint, lang=lang, **path_args, **query)
        except BuildError:
            pass
    return url_for(current_app.extensions[START_PAGE], lang=lang)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(TRANSLATIONS_DIR))
    app.jinja_env.globals.update(
        localized=localized, content_language=content_language,
        language_urls=language_urls, language_names=LANGUAGE_NAMES,
        offered_languages=offered_languages,
        current_language=current_language)
