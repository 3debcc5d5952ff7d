"""Where a verbatim quote stands in its program's text.

A quote must appear in the program character for character; only whitespace may
differ, be added or be missing (programs are extracted from PDFs, with line breaks
inside sentences and words). Nothing else is forgiven: not case, not punctuation,
not a hyphen at a line end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Span:
    """A passage of a program: ``text[start:end]``."""

    start: int
    end: int


class ProgramText:
    """A program's text made ready for many quote look-ups: its characters without
    whitespace, and where each of them stands in the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._offsets = [index for index, char in enumerate(text) if not char.isspace()]
        self._compact = "".join(text[index] for index in self._offsets)

    def find(self, quote: str) -> Span | None:
        """The first place where ``quote`` stands in the text, whitespace aside, or None.
        An empty (or all-whitespace) quote is found nowhere: it is no evidence."""
        wanted = _WHITESPACE.sub("", quote)
        found = self._compact.find(wanted) if wanted else -1
        if found < 0:
            return None
        return Span(self._offsets[found], self._offsets[found + len(wanted) - 1] + 1)


def find_quote(text: str, quote: str) -> Span | None:
    """Where ``quote`` stands in ``text``, whitespace aside (one look-up)."""
    return ProgramText(text).find(quote)
