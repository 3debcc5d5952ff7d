"""The party view: one party's whole table for this voter, a row per statement (the
statement, the voter's answer with its "Change" link, the party's position, the
agreement in words and a symbol) and the party's evidence under it.

Only the voter's answer, the agreement and the "Change" link depend on the voter; the
rest is the same for every voter of a quiz version in one language. So the table is
rendered once per (quiz version, language) from the macros in
``templates/_macros/result.html``, with slots for the voter's values (``web.stencil``),
and kept with the quiz (``Quiz.derived``); a request only fills the slots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import get_template_attribute
from flask_babel import gettext as _
from markupsafe import Markup, escape

from valgomat.core.answercode import Answers
from valgomat.core.model import Evidence, Party, Quiz
from valgomat.voter.presenters import (
    AGREEMENT,
    CONFIDENCE_NAMES,
    SOURCE_LINES,
    agreement,
    answer_label,
    voter_url,
)
from valgomat.voter.program_page import anchor, marked_program
from valgomat.web.i18n import current_language
from valgomat.web.stencil import Stencil, slot, slots

MACROS = "_macros/result.html"
# A row's, per request; "theme": an embed's ``&t=`` in the links to the program page.
ROW_SLOTS = ("kind", "url", "answer", "marker", "theme")
NUMBER_SLOT = 999999  # stands for the statement number in one built "Change" URL
NOT_ANSWERED = object()


@dataclass(frozen=True)
class _Pieces:
    """One party's table in one language, and what the voter's cells can say."""

    table: Stencil  # with a slot for the rows
    rows: list[Stencil]  # per statement
    kinds: list[dict[int | None, str]]  # per statement: the voter's answer -> agreement
    markers: dict[str, Markup]  # per agreement kind
    answers: dict[Any, Markup]  # by (value, important), None (skipped) or NOT_ANSWERED


def row_id(number: int) -> str:
    """The id of a statement's row in the party's table, by its number in the quiz."""
    return f"st-{number}"


def party_table(quiz: Quiz, party: Party, answers: Answers, flow_args: dict[str, Any]
                ) -> Markup:
    """The party's table for this voter; ``flow_args``: the voter's flow, for the
    "Change" links back to the steps (which return to the result)."""
    pieces = _pieces(quiz, party)
    theme = f"&amp;t={escape(flow_args['t'])}" if flow_args.get("t") else ""
    out = []
    for row, kinds, statement, url, answer in zip(
            pieces.rows, pieces.kinds, quiz.statements, change_urls(quiz, flow_args),
            voter_answers(quiz, answers, pieces.answers), strict=True):
        kind = kinds[answers.values.get(statement.id)]
        out.append(row.fill(kind, url, answer, pieces.markers[kind], theme))
    return Markup(pieces.table.fill("".join(out)))


def change_urls(quiz: Quiz, flow_args: dict[str, Any]) -> list[str]:
    """One ``url_for`` for all statements, escaped: the number is the only part that differs."""
    url = str(escape(voter_url("step", slug=quiz.slug, number=NUMBER_SLOT, **flow_args)))
    path, mark, query = url.partition("?")
    before, _slot, after = path.rpartition(str(NUMBER_SLOT))  # the path's last segment
    return [f"{before}{number}{after}{mark}{query}"
            for number in range(1, len(quiz.statements) + 1)]


def voter_answers(quiz: Quiz, answers: Answers, cells: dict[Any, Markup]) -> list[Markup]:
    """The voter's answer to each statement, as the "You" column shows it."""
    important = answers.important
    found = []
    for statement in quiz.statements:
        value = answers.values.get(statement.id, NOT_ANSWERED)
        if value is NOT_ANSWERED or value is None:
            found.append(cells[value])
        else:
            found.append(cells[value, statement.id in important])
    return found


def answer_cells(quiz: Quiz) -> dict[Any, Markup]:
    """Every way the "You" column can say the voter's answer (``voter_answers``' keys)."""
    why_answer = get_template_attribute(MACROS, "why_answer")
    cells: dict[Any, Markup] = {NOT_ANSWERED: why_answer(_("Not answered")),
                                None: why_answer(_("Skipped"))}
    for value in quiz.scale_values:
        label = answer_label(value, quiz.scale)
        for important in (False, True):
            cells[value, important] = why_answer(label, important)
    return cells


def has_quotes(quiz: Quiz) -> bool:
    """Whether any party's evidence quotes its program (imported answers never do)."""
    return any(e.quote for p in quiz.parties for e in p.evidence.values())


def _pieces(quiz: Quiz, party: Party) -> _Pieces:
    key = ("party_page", party.id, current_language())
    pieces = quiz.derived.get(key)
    if pieces is None:
        pieces = quiz.derived[key] = _render_pieces(quiz, party)
    return pieces


def _render_pieces(quiz: Quiz, party: Party) -> _Pieces:
    why_table, why_marker = (get_template_attribute(MACROS, name)
                             for name in ("why_table", "why_marker"))
    quoted = has_quotes(quiz)
    return _Pieces(
        Stencil(why_table(party, slot("rows")), ["rows"]),
        [_why_row(quiz, party, number, quoted) for number in range(1, len(quiz.statements) + 1)],
        [{value: agreement(value, party.positions.get(s.id), quiz.scale)
          for value in (*quiz.scale_values, None)} for s in quiz.statements],
        {kind: why_marker(symbol, word) for kind, (symbol, word) in AGREEMENT.items()},
        answer_cells(quiz))


def _why_row(quiz: Quiz, party: Party, number: int, quoted: bool) -> Stencil:
    statement = quiz.statements[number - 1]
    position = party.positions.get(statement.id)
    evidence = party.evidence.get(statement.id)
    source = _source_line(party, evidence) if evidence and quoted else ""
    rendered = get_template_attribute(MACROS, "why_row")(
        number, statement, party, answer_label(position, quiz.scale), evidence, source,
        {**slots(*ROW_SLOTS), "anchor": row_id(number)},
        _program_link(quiz, party, statement.id) if evidence else None,
        quote_language(quiz, party))
    return Stencil(rendered, ROW_SLOTS)


def quote_language(quiz: Quiz, party: Party) -> str:
    """A quote is in its program's language; where the program does not say, the quiz's."""
    return party.program.language or (quiz.languages[0] if quiz.languages else "")


def _program_link(quiz: Quiz, party: Party, statement_id: str) -> Markup | None:
    """The quote's place on the party's program page, relative to the party page (the
    same in the embed), or None where the program text is not stored or lacks the quote.
    The ``theme`` slot carries an embed's look along."""
    marked = marked_program(quiz, party)
    if marked is None or statement_id not in marked.anchored:
        return None
    return Markup("../programs/{}?v={}{}#{}").format(
        party.id, quiz.version, slot("theme"), anchor(statement_id))


def _source_line(party: Party, evidence: Evidence) -> str:
    """Where the party's position comes from, saying only what is known."""
    line = SOURCE_LINES[bool(evidence.source), evidence.confidence is not None]
    return str(line) % {"program": party.program.title, "section": evidence.source,
                        "confidence": CONFIDENCE_NAMES.get(evidence.confidence or "", "")}
