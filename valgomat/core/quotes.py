"""Where a verbatim quote stands in its program's text.

A quote must appear in the program character for character; only whitespace may
differ, be added or be missing (programs are extracted from PDFs, with line breaks
inside sentences and words). Nothing else is forgiven: not case, not punctuation,
not a hyphen at a line end.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property

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

    @cached_property
    def words(self) -> list[tuple[str, int, int]]:
        """Each word of the text, case-folded, with where it starts and ends."""
        return [(match.group().casefold(), match.start(), match.end())
                for match in _WORD.finditer(self.text)]

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


_WORD = re.compile(r"\w+")
PASSAGE_LENGTH = 160  # characters of a closest passage shown in a message


def closest_passage(program: ProgramText, quote: str, length: int = PASSAGE_LENGTH) -> str:
    """The passage of the program most like ``quote`` (whitespace collapsed, at most
    ``length`` characters), or "" when the quote has no words.

    A window of the quote's word count slides over the program's words once, counting
    the words it shares with the quote (linear in the program's length); the best few
    windows are then compared character by character with ``difflib``.
    """
    wanted = [match.group().casefold() for match in _WORD.finditer(quote)]
    words = program.words
    if not wanted or not words:
        return ""
    size = min(len(wanted), len(words))
    need = Counter(wanted)
    have: Counter[str] = Counter()
    shared = 0
    scores: list[tuple[int, int]] = []  # (shared words, first word of the window)
    for index, (word, _, _) in enumerate(words):
        if have[word] < need[word]:
            shared += 1
        have[word] += 1
        if index >= size:
            old = words[index - size][0]
            have[old] -= 1
            if have[old] < need[old]:
                shared -= 1
        if index >= size - 1:
            scores.append((shared, index - size + 1))
    best = heapq.nlargest(5, scores, key=lambda score: (score[0], -score[1]))
    compact_quote = _WHITESPACE.sub(" ", quote).strip()

    def passage(first: int) -> str:
        # From the first word to the last, with the punctuation that clings to them.
        start, end = _around(program.text, words[first][1], words[first + size - 1][2])
        return _WHITESPACE.sub(" ", program.text[start:end])

    candidates = [passage(first) for _, first in best]
    chosen = max(candidates, key=lambda text: SequenceMatcher(
        None, compact_quote, text, autojunk=False).ratio())
    return chosen if len(chosen) <= length else chosen[:length - 1].rstrip() + "…"


def _around(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` widened to the whitespace on either side (a few characters at
    most): a passage starts and ends as its words are written, with their punctuation."""
    limit = 5
    while start > 0 and limit and not text[start - 1].isspace():
        start, limit = start - 1, limit - 1
    limit = 5
    while end < len(text) and limit and not text[end].isspace():
        end, limit = end + 1, limit - 1
    return start, end
