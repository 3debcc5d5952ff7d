"""Which language a content text is shown in.

A content text (a title, a statement, a justification) maps languages to text.
It is shown in the wanted language where it has a non-empty text there, else in
its first language, the quiz's first.
"""

from __future__ import annotations

from collections.abc import Mapping


def text_language(texts: Mapping[str, str], lang: str) -> str:
    """The language ``texts`` is shown in when ``lang`` is wanted."""
    return lang if texts.get(lang) else next(iter(texts), lang)


def text_in(texts: Mapping[str, str], lang: str) -> str:
    """``texts`` in ``text_language(texts, lang)``; empty when there is no text at all."""
    return texts.get(text_language(texts, lang), "") if texts else ""
