"""A party's program as voters read it: the text in paragraphs, each quoted passage
marked where the party's positions quote it.

Every statement whose quote is found gets its own anchor, ``s-<statement id>``, on
the ``<mark>`` that starts its passage (the result page links there). Overlapping or
identical quotes are marked as their union: the marks are cut where another quote
starts, so each start can carry its statement's anchor; a second quote starting at
the very same place gets an empty anchor element of its own. Everything from the
text is escaped: a program is text, never HTML.

The marked text depends only on the quiz version and the party, so it is made once
and kept with the quiz (``Quiz.derived``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from valgomat.core.model import Party, Quiz
from valgomat.core.program_search import paragraph_spans
from valgomat.core.quotes import ProgramText, Span
from valgomat.storage.programs import program_text


@dataclass(frozen=True)
class MarkedProgram:
    paragraphs: list[Markup]
    anchored: frozenset[str]  # the statements whose quote was found (and anchored)


def anchor(statement_id: str) -> str:
    return f"s-{statement_id}"


def marked_program(quiz: Quiz, party: Party) -> MarkedProgram | None:
    """The party's program with its quotes marked, or None when no text is stored."""
    key = ("program_page", party.id)
    if key not in quiz.derived:
        text = program_text(party.program.sha256) if party.program.sha256 else None
        quotes = [(s.id, party.evidence[s.id].quote) for s in quiz.statements
                  if s.id in party.evidence and party.evidence[s.id].quote]
        quiz.derived[key] = None if text is None else mark_quotes(text, quotes)
    found: MarkedProgram | None = quiz.derived[key]
    return found


def mark_quotes(text: str, quotes: Sequence[tuple[str, str]]) -> MarkedProgram:
    """``text`` in paragraphs (split at blank lines), with each (statement id, quote)
    that is found in it marked; quotes not found are left out."""
    located = ProgramText(text)
    starts: dict[int, list[str]] = {}
    spans: list[Span] = []
    for statement_id, quote in quotes:
        span = located.find(quote)
        if span is not None:
            spans.append(span)
            starts.setdefault(span.start, []).append(statement_id)
    marked = _union(spans)
    paragraphs = [_paragraph(text, start, end, marked, starts)
                  for start, end in paragraph_spans(text)]
    return MarkedProgram(paragraphs, frozenset(sid for ids in starts.values() for sid in ids))


def _union(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if merged and span.start <= merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    return merged


def _paragraph(text: str, start: int, end: int, marked: list[Span],
               starts: dict[int, list[str]]) -> Markup:
    out: list[str] = []
    position = start
    for span in marked:
        if span.end <= start or span.start >= end:
            continue
        low, high = max(span.start, start), min(span.end, end)
        out.append(str(escape(text[position:low])))
        cuts = sorted({low, *(s for s in starts if low < s < high), high})
        for cut_start, cut_end in zip(cuts, cuts[1:], strict=False):
            ids = starts.get(cut_start, [])
            extra = "".join(f'<span id="{escape(anchor(sid))}"></span>' for sid in ids[1:])
            id_attribute = f' id="{escape(anchor(ids[0]))}"' if ids else ""
            out.append(f"{extra}<mark{id_attribute}>{escape(text[cut_start:cut_end])}</mark>")
        position = high
    out.append(str(escape(text[position:end])))
    return Markup("".join(out))
