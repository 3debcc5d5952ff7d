"""The result page's "Why?" tables, put together from pieces rendered once.

Each party's table has one row per statement: the statement, the voter's answer,
the party's position, the agreement marker and the party's evidence. Only the
voter's answer, the agreement and the "Change" link depend on the voter; the
rest is the same for every voter of a quiz version in one language. Rendering
all of it through Jinja for every request (5 parties × 47 rows on the demo quiz)
cost about 30 ms, so the fixed parts are escaped and translated once per
(quiz version, language) and kept with the quiz (``Quiz.derived``); a request
only joins them around its own few values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape

from valgomat.core.answercode import Answers
from valgomat.core.matching import whole_percent
from valgomat.core.model import Party, Quiz
from valgomat.voter.presenters import (
    AGREEMENT,
    CONFIDENCE_NAMES,
    SOURCE_LINES,
    PartyView,
    agreement,
    answer_label,
    bar,
    voter_url,
)
from valgomat.web.i18n import content_language, current_language, localized

NUMBER_SLOT = "999999"  # stands for the statement number in one built "Change" URL
NOT_ANSWERED = object()


@dataclass(frozen=True)
class _Pieces:
    """Fixed HTML of one quiz version's tables in one language."""

    tables: dict[str, tuple[str, str]]  # per party: the table's start and end
    heads: list[tuple[str, str]]  # per statement: before and after its "Change" URL
    cells: dict[str, list[tuple[str, str]]]  # per party and statement: around the marker
    kinds: dict[str, list[dict[int | None, str]]]  # per party and statement: answer -> kind
    markers: dict[str, str]  # agreement kind -> its symbol and word
    labels: dict[int | None, str]  # scale value -> its label, escaped
    topic_headings: list[str]  # per topic: its section's start
    topic_items: dict[str, str]  # per party: the start of its item in a topic
    no_position: str  # a topic item's end where the party has no score
    unanswered: str  # a topic's body where the voter answered none of its statements


def why_tables(quiz: Quiz, answers: Answers, views: list[PartyView], flow_args: dict[str, Any]
               ) -> dict[str, Markup]:
    """Each party's comparison table for this voter, by party id. The rows its reasons
    link to have ids (``why_row_id``); the others none, to keep the page small."""
    pieces = _pieces(quiz)
    urls = _change_urls(quiz, flow_args)
    values = [answers.values.get(s.id) for s in quiz.statements]
    voter_cells = _voter_answers(quiz, answers, pieces.labels)
    tables = {}
    for view in views:
        party = view.party
        linked = {reason.number: reason.anchor for reason in view.reasons}
        parts = [pieces.tables[party.id][0]]
        for number, heads, url, answer, cells, kinds, value in zip(
                range(1, len(urls) + 1), pieces.heads, urls, voter_cells,
                pieces.cells[party.id], pieces.kinds[party.id], values, strict=True):
            kind = kinds[value]
            row = f'<tr id="{linked[number]}" class="m-' if number in linked else '<tr class="m-'
            parts += (row, kind, heads[0], url, heads[1], answer, cells[0],
                      pieces.markers[kind], cells[1])
        parts.append(pieces.tables[party.id][1])
        tables[party.id] = Markup("".join(parts))
    return tables


def topic_chart(quiz: Quiz, answers: Answers, views: list[PartyView]) -> Markup:
    """The topic scores as small multiples: per topic, each party's percentage and bar,
    or "No stated position" (never a bar) where the party has no score in the topic."""
    pieces = _pieces(quiz)
    answered = answered_topics(quiz, answers)
    parts: list[str] = []
    for topic, heading in zip(quiz.topics, pieces.topic_headings, strict=True):
        parts.append(heading)
        if topic.id not in answered:
            parts += (pieces.unanswered, "</section>\n")
            continue
        parts.append("<ul>\n")
        for view in views:
            score = view.topics.get(topic.id)
            parts.append(pieces.topic_items[view.party.id])
            if score is None:
                parts.append(pieces.no_position)
            else:
                parts += (f'<span class="percent">{whole_percent(score)} %</span>\n',
                          bar(score, view.party.colour), "</li>\n")
        parts.append("</ul>\n</section>\n")
    return Markup("".join(parts))


def answered_topics(quiz: Quiz, answers: Answers) -> set[str]:
    """The topics with a statement of A (answered, with an effective weight above 0)."""
    multiplier = quiz.importance_multiplier
    return {s.topic for s in quiz.statements
            if answers.values.get(s.id) is not None
            and s.weight * (multiplier if s.id in answers.important else 1) > 0}


def _change_urls(quiz: Quiz, flow_args: dict[str, Any]) -> list[str]:
    """One ``url_for`` for all statements: the number is the only part that differs."""
    url = str(escape(voter_url("step", slug=quiz.slug, number=int(NUMBER_SLOT), **flow_args)))
    path, mark, query = url.partition("?")
    before, _slot, after = path.rpartition(NUMBER_SLOT)  # the last segment of the path
    return [f"{before}{number}{after}{mark}{query}"
            for number in range(1, len(quiz.statements) + 1)]


def _voter_answers(quiz: Quiz, answers: Answers, labels: dict[int | None, str]) -> list[str]:
    """The voter's answer to each statement, as the "You" column shows it."""
    not_answered, skipped = str(escape(_("Not answered"))), str(escape(_("Skipped")))
    important = f" ({escape(_('important'))})"
    cells = []
    for statement in quiz.statements:
        value = answers.values.get(statement.id, NOT_ANSWERED)
        if value is NOT_ANSWERED:
            cells.append(not_answered)
        elif value is None:
            cells.append(skipped)
        else:
            mark = important if statement.id in answers.important else ""
            cells.append(labels[value] + mark)
    return cells


def _pieces(quiz: Quiz) -> _Pieces:
    key = ("why_tables", current_language())
    pieces = quiz.derived.get(key)
    if pieces is None:
        pieces = quiz.derived[key] = _render_pieces(quiz)
    return pieces


def _render_pieces(quiz: Quiz) -> _Pieces:
    labels: dict[int | None, str] = {value: str(escape(answer_label(value, quiz.scale)))
                                     for value in (*quiz.scale_values, None)}
    you, change, match = (escape(_(text)) for text in ("You", "Change", "Match"))
    heads = [(f'"><th scope="row">{n}. {escape(localized(s.text))}\n'
              f'<a class="change" href="',
              f'">{change}<span class="visually-hidden"> '
              f'{escape(_("your answer to statement %(number)s", number=n))}</span></a></th>\n'
              f'<td data-label="{you}">')
             for n, s in enumerate(quiz.statements, start=1)]
    cells, kinds = {}, {}
    for party in quiz.parties:
        short = escape(party.short_name)
        cells[party.id] = [
            (f'</td>\n<td data-label="{short}">{labels[party.positions.get(s.id)]}'
             f'</td>\n<td data-label="{match}">',
             f"</td>\n</tr>\n{_evidence(quiz, party, s.id)}")
            for s in quiz.statements]
        kinds[party.id] = [{value: agreement(value, party.positions.get(s.id), quiz.scale)
                            for value in (*quiz.scale_values, None)}
                           for s in quiz.statements]
    markers = {kind: f'<span aria-hidden="true" class="symbol">{symbol}</span> {escape(word)}'
               for kind, (symbol, word) in AGREEMENT.items()}
    topic_headings = [f'<section class="topic-scores">\n<h3 lang="'
                      f'{escape(content_language(t.name))}">{escape(localized(t.name))}</h3>\n'
                      for t in quiz.topics]
    topic_items = {p.id: f'<li><span class="party-short" title="{escape(p.name)}">'
                         f'{escape(p.short_name)}</span>\n'
                   for p in quiz.parties}
    no_position = f'<span class="no-position">{escape(_("No stated position"))}</span></li>\n'
    unanswered = (f'<p class="topic-unanswered">'
                  f'{escape(_("You did not answer any statement on this topic."))}</p>\n')
    frames = {p.id: _table_frame(p, you, match) for p in quiz.parties}
    return _Pieces(frames, heads, cells, kinds, markers, labels, topic_headings,
                   topic_items, no_position, unanswered)


def _table_frame(party: Party, you: str, match: str) -> tuple[str, str]:
    caption = escape(_("Your answers compared with %(party)s", party=party.name))
    return (f'<table class="comparison">\n<caption class="visually-hidden">{caption}'
            f'</caption>\n<thead><tr><th scope="col">{escape(_("Statement"))}</th>'
            f'<th scope="col">{you}</th><th scope="col">{escape(party.short_name)}</th>'
            f'<th scope="col">{match}</th></tr></thead>\n<tbody>\n',
            "</tbody>\n</table>")


def _evidence(quiz: Quiz, party: Party, statement_id: str) -> str:
    evidence = party.evidence.get(statement_id)
    if not evidence:
        return ""
    justification = evidence.justification
    line = SOURCE_LINES[bool(evidence.source), evidence.confidence is not None]
    source = str(line) % {"program": party.program.title, "section": evidence.source,
                          "confidence": CONFIDENCE_NAMES.get(evidence.confidence or "", "")}
    said = (f'<p lang="{escape(content_language(justification))}">'
            f'{escape(localized(justification))}</p>\n' if localized(justification) else "")
    quote = f"<blockquote><p>{escape(evidence.quote)}</p></blockquote>\n" if evidence.quote else ""
    return (f'<tr class="evidence"><td colspan="4">\n{said}{quote}'
            f'<p class="source">{escape(source)}</p>\n'
            f"</td></tr>\n")
