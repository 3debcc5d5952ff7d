"""Searching a party's program for evidence: the passages that hold a query's words,
ranked, each with the heading it stands under.

Programs are plain text extracted from PDFs, so their structure is read from the
layout alone:

- a *paragraph* is text between blank lines;
- a *heading* is a paragraph of a single line of at most ``HEADING_LENGTH``
  characters that reads as a title: once a leading bullet or dash and a final colon
  are dropped, it begins with a capital letter or a digit, ends without ``.``, ``,``
  or ``;`` and holds no sentence end ("Et aldersvennlig Asker", "Skole:",
  "1. Elverum bygger sterke lag rundt barn og unge"). A line ending in a colon that
  the program repeats (``REFRAIN`` times or more, like "PS vil:") introduces a list
  and is no heading. The heading's text is the line without bullet or colon
  (``Skole``), as content files name it in ``source``;
- a *passage* is a sentence of a paragraph that is not a heading, or a bulleted line
  (without its bullet), cut at whitespace when longer than ``PASSAGE_LENGTH``.

Words are runs of letters and digits (any alphabet), case-folded. A query word
finds the same word, a longer word it begins (``barnehage`` finds ``barnehagene``)
and a word at most ``ENDING`` letters shorter that begins it (``privatskoler``
finds ``privatskole``), both from ``PREFIX`` letters on. Passages with more of the
query's words rank first; among equals, those with rarer words of the program,
then the earlier. Building the index and each search take time linear in the text.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from valgomat.core.quotes import Span

PASSAGE_LENGTH = 400
HEADING_LENGTH = 120
MAX_HITS = 20
MAX_QUERY_LENGTH = 200  # characters of a query typed by an editor
PREFIX = 4
ENDING = 3
REFRAIN = 3

_WORD = re.compile(r"\w+")
_WHITESPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_BULLETS = "•·▪*-–—"
_BULLET_LINE = re.compile(r"\n(?=[^\S\n]*[•·▪*\-–—]\s)")
_BULLET = re.compile(r"[•·▪*\-–—]\s+")
# Words a full stop ends without ending the sentence ("tidl. Steinerskolen").
_ABBREVIATIONS = frozenset(["bl", "ca", "dvs", "eks", "ekskl", "etc", "ev", "evt", "f", "fx",
                            "inkl", "jf", "mv", "nr", "osv", "s", "t", "tidl", "bzw", "ggf",
                            "usw", "vgl", "z", "e", "i", "vs"])
_SENTENCE_END = re.compile(r"[.!?][\"'»”’)]?\s+")
_INNER_SENTENCE_END = re.compile(r"[^\d\s][.!?]\s+\S")


@dataclass(frozen=True)
class Paragraph:
    """``text[start:end]``; ``heading`` is the heading it stands under (itself, when it
    is one; "" before the first)."""

    start: int
    end: int
    heading: str
    is_heading: bool


@dataclass(frozen=True)
class Piece:
    """A run of a hit's text; ``marked`` when it is a word the query found."""

    text: str
    marked: bool


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    heading: str
    pieces: tuple[Piece, ...]
    matched: int  # how many of the query's words the passage holds
    paragraph: int  # the index of its paragraph in ``ProgramIndex.paragraphs``

    @property
    def quote(self) -> str:
        return collapse("".join(piece.text for piece in self.pieces))


def collapse(text: str) -> str:
    """``text`` with every run of whitespace one space (a quote may differ only there)."""
    return _WHITESPACE.sub(" ", text).strip()


def heading_text(line: str) -> str:
    """A heading line as a source names it: no bullet or dash, no final colon."""
    return collapse(line).lstrip(_BULLETS + " ").rstrip(":").strip()


class ProgramIndex:
    """A program's paragraphs, headings, passages and words, made once for many searches."""

    def __init__(self, text: str) -> None:
        self.text = text
        spans = list(paragraph_spans(text))
        lines = [collapse(text[start:end]) for start, end in spans]
        seen: dict[str, int] = {}
        for line in lines:
            seen[line] = seen.get(line, 0) + 1
        paragraphs: list[Paragraph] = []
        current = ""
        following = [text[start] for start, _ in spans[1:]] + [""] * bool(spans)
        for (start, end), line, after in zip(spans, lines, following, strict=True):
            # A line before one that begins in lower case is a sentence the PDF broke.
            is_heading = _is_heading(text[start:end], line, seen[line]) and not (
                after.islower() and not line.endswith(":"))
            current = heading_text(line) if is_heading else current
            paragraphs.append(Paragraph(start, end, current, is_heading))
        self.paragraphs = paragraphs
        self._starts = [paragraph.start for paragraph in paragraphs]

    @cached_property
    def passages(self) -> list[Span]:
        """The passages of the paragraphs that are not headings; a paragraph that begins in
        lower case after one without a final stop continues it (a sentence the PDF broke)."""
        runs: list[list[int]] = []
        after_heading = True
        for paragraph in self.paragraphs:
            if paragraph.is_heading:
                after_heading = True
                continue
            if not after_heading and self.text[runs[-1][1] - 1] not in ".!?:" \
                    and self.text[paragraph.start].islower():
                runs[-1][1] = paragraph.end
            else:
                runs.append([paragraph.start, paragraph.end])
            after_heading = False
        return [span for start, end in runs for span in _passages(self.text, start, end)]

    @cached_property
    def _vocabulary(self) -> dict[str, list[int]]:
        """Each word and the passages that hold it (in order, each once)."""
        found: dict[str, list[int]] = {}
        for number, span in enumerate(self.passages):
            for match in _WORD.finditer(self.text, span.start, span.end):
                holders = found.setdefault(match.group().casefold(), [])
                if not holders or holders[-1] != number:
                    holders.append(number)
        return found

    def paragraph_at(self, offset: int) -> int:
        """The index of the paragraph at or before ``offset`` (0 before the first)."""
        return max(bisect_right(self._starts, offset) - 1, 0)

    def heading_at(self, offset: int) -> str:
        """The heading ``text[offset]`` stands under ("" before the first heading)."""
        return self.paragraphs[self.paragraph_at(offset)].heading if self.paragraphs else ""

    def search(self, words: list[str], limit: int = MAX_HITS) -> list[Hit]:
        """The best ``limit`` passages holding any of ``words`` (see ``query_words``)."""
        found: set[str] = set()  # the program's words that answer one of ``words``
        holders: dict[str, set[int]] = {}
        for wanted in words:
            holders[wanted] = set()
            for word, numbers in self._vocabulary.items():
                if _answers(wanted, word):
                    found.add(word)
                    holders[wanted].update(numbers)
        weight = {wanted: math.log((len(self.passages) + 1) / (len(held) + 1)) + 1
                  for wanted, held in holders.items()}
        scores: dict[int, list[str]] = {}
        for wanted, held in holders.items():
            for number in held:
                scores.setdefault(number, []).append(wanted)
        best = heapq.nsmallest(limit, scores.items(), key=lambda item: (
            -len(item[1]), -sum(weight[w] for w in item[1]), item[0]))
        return [self._hit(self.passages[number], found, len(matched))
                for number, matched in best]

    def _hit(self, span: Span, found: set[str], matched: int) -> Hit:
        pieces = []
        position = span.start
        for match in _WORD.finditer(self.text, span.start, span.end):
            if match.group().casefold() in found:
                if match.start() > position:
                    pieces.append(Piece(self.text[position:match.start()], False))
                pieces.append(Piece(match.group(), True))
                position = match.end()
        if position < span.end:
            pieces.append(Piece(self.text[position:span.end], False))
        return Hit(span.start, span.end, self.heading_at(span.start), tuple(pieces), matched,
                   self.paragraph_at(span.start))


def _answers(wanted: str, word: str) -> bool:
    if word == wanted:
        return True
    if len(wanted) >= PREFIX and word.startswith(wanted):
        return True
    return len(word) >= PREFIX and wanted.startswith(word) and len(wanted) - len(word) <= ENDING


def _is_heading(raw: str, line: str, repeats: int) -> bool:
    if "\n" in raw.strip() or not line or len(line) > HEADING_LENGTH:
        return False
    title = heading_text(line)
    if not title or not (title[0].isupper() or title[0].isdigit()):
        return False
    if line[-1] in ".,;" or _INNER_SENTENCE_END.search(title):
        return False
    return not (line.endswith(":") and repeats >= REFRAIN)


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where each paragraph (text between blank lines) stands, its leading and trailing
    whitespace left out."""
    start = 0
    for separator in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = separator.start() if separator else len(text)
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            yield start + lead, start + len(chunk.rstrip())
        if separator:
            start = separator.end()


def _passages(text: str, start: int, end: int) -> Iterator[Span]:
    """The paragraph's bulleted lines and sentences, each at most ``PASSAGE_LENGTH`` long."""
    cuts = [start, *(m.end() for m in _BULLET_LINE.finditer(text, start, end)), end]
    for low, high in zip(cuts, cuts[1:], strict=False):
        first = low
        while first < high and text[first].isspace():
            first += 1
        bullet = _BULLET.match(text, first, high)
        piece_start = bullet.end() if bullet else first
        sentence_start = piece_start
        for match in _SENTENCE_END.finditer(text, piece_start, high):
            following = text[match.end()] if match.end() < high else ""
            if (following.isupper() or following.isdigit()) and not _abbreviated(
                    text[sentence_start:match.start() + 1]):
                yield from _bounded(text, sentence_start, match.end())
                sentence_start = match.end()
        yield from _bounded(text, sentence_start, high)


def _abbreviated(sentence: str) -> bool:
    """Whether ``sentence``'s final stop is no sentence end: a number's ("9. Sikre")
    or an abbreviation's ("tidl. Steinerskolen")."""
    if re.fullmatch(r"\s*\d+\.", sentence):
        return True
    last = re.search(r"(\w+)\.$", sentence)
    return last is not None and last.group(1).casefold() in _ABBREVIATIONS


def _bounded(text: str, start: int, end: int) -> Iterator[Span]:
    """``text[start:end]`` without its outer whitespace, in pieces cut at whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > PASSAGE_LENGTH:
        cut = start + PASSAGE_LENGTH
        space = max(text.rfind(" ", start + 1, cut), text.rfind("\n", start + 1, cut))
        cut = space if space > start else cut
        yield Span(start, cut)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield Span(start, end)
