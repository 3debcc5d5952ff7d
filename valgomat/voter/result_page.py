"""What the result page shows: the ranking, each party's "Why?" table and the scores
by topic, from the macros in ``templates/_macros/result.html``.

A "Why?" table has one row per statement: the statement, the voter's answer, the
party's position, the agreement marker and the party's evidence. Only the voter's
answer, the agreement and the "Change" link depend on the voter; the rest is the same
for every voter of a quiz version in one language. Rendering all of it through Jinja
for every request (5 parties × 47 rows on the demo quiz) cost about 30 ms, so the
macros are rendered once per (quiz version, language), with slots for the voter's
values (``web.stencil``), and kept with the quiz (``Quiz.derived``); a request only
fills the slots. The scores by topic are made the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import get_template_attribute
from flask_babel import gettext as _
from markupsafe import Markup, escape

from valgomat.core.answercode import Answers
from valgomat.core.matching import MatchResult, whole_percent
from valgomat.core.model import Evidence, Party, Quiz
from valgomat.voter.presenters import (
    AGREEMENT,
    CONFIDENCE_NAMES,
    SOURCE_LINES,
    PartyView,
    agreement,
    answer_label,
    bar_width,
    party_views,
    voter_url,
)
from valgomat.voter.program_page import anchor, marked_program
from valgomat.web.i18n import current_language
from valgomat.web.stencil import Stencil, slot, slots

MACROS = "_macros/result.html"
# A "Why?" row's, per request; "theme": an embed's ``&t=`` in the links to the program page.
ROW_SLOTS = ("anchor", "kind", "url", "answer", "marker", "theme")
NUMBER_SLOT = 999999  # stands for the statement number in one built "Change" URL
NOT_ANSWERED = object()


@dataclass(frozen=True)
class ResultPage:
    views: list[PartyView]  # the ranking
    why: dict[str, Markup]  # each party's "Why?" table, by party id
    topic_chart: Markup
    answered_any: bool


@dataclass(frozen=True)
class _Pieces:
    """One quiz version's result page macros, rendered in one language."""

    tables: dict[str, Stencil]  # per party: its table, with a slot for the rows
    rows: dict[str, list[Stencil]]  # per party and statement: a row no reason links to
    linked_rows: dict[tuple[str, int], Stencil]  # by party and number, made when first needed
    kinds: dict[str, list[dict[int | None, str]]]  # per party and statement: answer -> kind
    markers: dict[str, Markup]  # per agreement kind
    answers: dict[Any, Markup]  # by (value, important), None (skipped) or NOT_ANSWERED
    sections: list[tuple[Stencil, Markup]]  # per topic: answered (a slot for the scores), not
    scores: dict[str, tuple[Stencil, Markup]]  # per party: a score, no stated position


def result_page(quiz: Quiz, answers: Answers, outcome: MatchResult, flow_args: dict[str, Any]
                ) -> ResultPage:
    """``flow_args``: the voter's flow, for the "Change" links back to the steps."""
    views = party_views(quiz, outcome)
    return ResultPage(views, why_tables(quiz, answers, views, flow_args),
                      topic_chart(quiz, answers, views),
                      any(v is not None for v in answers.values.values()))


def why_tables(quiz: Quiz, answers: Answers, views: list[PartyView], flow_args: dict[str, Any]
               ) -> dict[str, Markup]:
    """Each party's comparison table for this voter, by party id. The rows its reasons
    link to have ids (``why_row_id``); the others none, to keep the page small."""
    pieces = _pieces(quiz)
    urls = _change_urls(quiz, flow_args)
    values = [answers.values.get(s.id) for s in quiz.statements]
    voter_cells = _voter_answers(quiz, answers, pieces.answers)
    markers = pieces.markers
    theme = f"&amp;t={escape(flow_args['t'])}" if flow_args.get("t") else ""
    tables = {}
    for view in views:
        party = view.party.id
        linked = {reason.number: reason.anchor for reason in view.reasons}
        out: list[str] = []
        for number, row, kinds, value, url, answer in zip(
                range(1, len(urls) + 1), pieces.rows[party], pieces.kinds[party], values,
                urls, voter_cells, strict=True):
            kind = kinds[value]
            anchor = linked.get(number)
            if anchor is not None:
                row = pieces.linked_rows.get((party, number)) or pieces.linked_rows.setdefault(
                    (party, number), _why_row(quiz, view.party, number, linked=True))
            out.append(row.fill(anchor, kind, url, answer, markers[kind], theme))
        tables[party] = Markup(pieces.tables[party].fill("".join(out)))
    return tables


def topic_chart(quiz: Quiz, answers: Answers, views: list[PartyView]) -> Markup:
    """Per topic, each party's score in it; none where the voter answered none of it."""
    pieces = _pieces(quiz)
    answered = answered_topics(quiz, answers)
    out: list[str] = []
    for topic, (section, unanswered) in zip(quiz.topics, pieces.sections, strict=True):
        if topic.id not in answered:
            out.append(unanswered)
            continue
        items: list[str] = []
        for view in views:
            score = view.topics.get(topic.id)
            scored, no_position = pieces.scores[view.party.id]
            if score is None:
                items.append(no_position)
            else:
                items.append(scored.fill(str(whole_percent(score)), bar_width(score)))
        out.append(section.fill("".join(items)))
    return Markup("".join(out))


def answered_topics(quiz: Quiz, answers: Answers) -> set[str]:
    """The topics with a statement of A (answered, with an effective weight above 0)."""
    multiplier = quiz.importance_multiplier
    return {s.topic for s in quiz.statements
            if answers.values.get(s.id) is not None
            and s.weight * (multiplier if s.id in answers.important else 1) > 0}


def _change_urls(quiz: Quiz, flow_args: dict[str, Any]) -> list[str]:
    """One ``url_for`` for all statements, escaped: the number is the only part that differs."""
    url = str(escape(voter_url("step", slug=quiz.slug, number=NUMBER_SLOT, **flow_args)))
    path, mark, query = url.partition("?")
    before, _slot, after = path.rpartition(str(NUMBER_SLOT))  # the path's last segment
    return [f"{before}{number}{after}{mark}{query}"
            for number in range(1, len(quiz.statements) + 1)]


def _voter_answers(quiz: Quiz, answers: Answers, cells: dict[Any, Markup]) -> list[Markup]:
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


def _pieces(quiz: Quiz) -> _Pieces:
    key = ("result_page", current_language())
    pieces = quiz.derived.get(key)
    if pieces is None:
        pieces = quiz.derived[key] = _render_pieces(quiz)
    return pieces


def _render_pieces(quiz: Quiz) -> _Pieces:
    def macro(name: str) -> Any:
        return get_template_attribute(MACROS, name)

    why_table, why_answer, why_marker, topic_section, topic_score = (
        macro(name) for name in ("why_table", "why_answer", "why_marker", "topic_section",
                                 "topic_score"))
    labels = {value: answer_label(value, quiz.scale) for value in quiz.scale_values}
    answers: dict[Any, Markup] = {NOT_ANSWERED: why_answer(_("Not answered")),
                                  None: why_answer(_("Skipped"))}
    for value in quiz.scale_values:
        for important in (False, True):
            answers[value, important] = why_answer(labels[value], important)
    tables, rows, kinds = {}, {}, {}
    for party in quiz.parties:
        tables[party.id] = Stencil(why_table(party, slot("rows")), ["rows"])
        rows[party.id] = [_why_row(quiz, party, number, linked=False)
                          for number in range(1, len(quiz.statements) + 1)]
        kinds[party.id] = [{value: agreement(value, party.positions.get(s.id), quiz.scale)
                            for value in (*quiz.scale_values, None)}
                           for s in quiz.statements]
    return _Pieces(
        tables, rows, {}, kinds,
        {kind: why_marker(symbol, word) for kind, (symbol, word) in AGREEMENT.items()},
        answers,
        [(Stencil(topic_section(topic, True, slot("scores")), ["scores"]),
          topic_section(topic, False, "")) for topic in quiz.topics],
        {party.id: (Stencil(topic_score(party, slot("percent"), slot("width")),
                            ["percent", "width"]),
                    topic_score(party, None, None)) for party in quiz.parties})


def _why_row(quiz: Quiz, party: Party, number: int, linked: bool) -> Stencil:
    """A statement's row in the party's table, with or without an id (``anchor``)."""
    statement = quiz.statements[number - 1]
    position = party.positions.get(statement.id)
    evidence = party.evidence.get(statement.id)
    row: dict[str, Markup | None] = {**slots(*ROW_SLOTS), **({} if linked else {"anchor": None})}
    rendered = get_template_attribute(MACROS, "why_row")(
        number, statement, party, answer_label(position, quiz.scale), evidence,
        _source_line(party, evidence) if evidence else "", row,
        _program_link(quiz, party, statement.id) if evidence else None)
    return Stencil(rendered, ROW_SLOTS)


def _program_link(quiz: Quiz, party: Party, statement_id: str) -> Markup | None:
    """The quote's place on the party's program page, relative to the result page (the
    same in the embed), or None where the program text is not stored or lacks the quote.
    The ``theme`` slot carries an embed's look along."""
    marked = marked_program(quiz, party)
    if marked is None or statement_id not in marked.anchored:
        return None
    return Markup("programs/{}?v={}{}#{}").format(
        party.id, quiz.version, slot("theme"), anchor(statement_id))


def _source_line(party: Party, evidence: Evidence) -> str:
    """Where the party's position comes from, saying only what is known."""
    line = SOURCE_LINES[bool(evidence.source), evidence.confidence is not None]
    return str(line) % {"program": party.program.title, "section": evidence.source,
                        "confidence": CONFIDENCE_NAMES.get(evidence.confidence or "", "")}
