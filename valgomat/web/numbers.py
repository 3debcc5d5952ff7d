"""Whole numbers in query arguments and hidden form fields: versions and lock counters."""

from __future__ import annotations

import re
from typing import Any

WHOLE_NUMBER_RE = re.compile(r"[0-9]{1,9}")  # ASCII digits only: str.isdigit() takes ¹ ₁


class BadVersion(ValueError):
    """A ``version`` that is not a positive whole number."""


def whole_number(raw: Any) -> int | None:
    """The value as a number of at most 9 digits, or None when it is missing or not one."""
    text = str(raw or "")
    return int(text) if WHOLE_NUMBER_RE.fullmatch(text) else None


def parse_version(raw: str | None) -> int | None:
    """An optional version argument (``?version=N``, ``?v=N``); raises ``BadVersion``."""
    if raw is None:
        return None
    number = whole_number(raw)
    if number is None or number < 1:
        raise BadVersion("'version' must be a positive integer.")
    return number
