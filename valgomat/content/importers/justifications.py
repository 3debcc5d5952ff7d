"""A party's justification as the Wahl-O-Mat published it → plain text, or none.

Texts lose their wrapping quotation marks and any HTML. Placeholders count as
no justification at all: the Wahl-O-Mat's notes that none was given or that it
will follow ("Begründung … wird nachgereicht"), and texts of nothing but dots
or dashes. They are compared case-insensitively after whitespace is collapsed;
``PLACEHOLDERS`` is the list (documented in docs/content-format.md).
"""

from __future__ import annotations

import html
import re

import nh3

QUOTES = "\"'„“”‚‘’«»"
PLACEHOLDERS = (
    re.compile(r"[.\-–—…\s]*"),  # empty, ".", "-", "…"
    re.compile(r".*\bbegründung\b.*\bwird\b.*\bnachgereicht\b.*"),
    re.compile(r"zu dieser these hat die partei keine begründung vorgelegt\.?"),
    re.compile(r"es liegt keine begründung zur position dieser partei vor\.?"),
)


def clean_justification(text: str | None) -> str:
    """Plain text without the wrapping quotation marks or tags; "" for a placeholder."""
    if not text:
        return ""
    plain = html.unescape(nh3.clean(text, tags=set())).strip()
    if len(plain) >= 2 and plain[0] in QUOTES and plain[-1] in QUOTES:
        plain = plain[1:-1].strip()
    return "" if is_placeholder(plain) else plain


def is_placeholder(text: str) -> bool:
    normalised = " ".join(text.split()).casefold()
    return any(pattern.fullmatch(normalised) for pattern in PLACEHOLDERS)
