"""The review after the last statement: every answer in words, its importance to mark
or unmark, and a way to change it that comes back here. Plain links only: each
carries the whole answer state in its URL, as every step does."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from valgomat.core.model import Statement
from valgomat.voter.flow import REVIEW, Flow
from valgomat.voter.presenters import answer_label, voter_url


@dataclass(frozen=True)
class ReviewRow:
    number: int
    statement: Statement
    answer: str  # the voter's answer in words ("Skipped", "Not answered")
    important: bool
    change_url: str  # the statement's step, returning to the review
    toggle_url: str | None  # the review with "important" flipped; None when not answered


def review_rows(flow: Flow) -> list[ReviewRow]:
    answers = flow.answers
    slug = flow.quiz.slug
    rows = []
    for number, statement in enumerate(flow.quiz.statements, start=1):
        value = answers.values.get(statement.id)
        important = statement.id in answers.important
        toggle = None
        if value is not None:
            flipped = flow.answered(answers.with_answer(statement.id, value, not important))
            toggle = voter_url("review", slug=slug, **flipped.args(r=None)) + f"#review-{number}"
        rows.append(ReviewRow(
            number, statement, _answer_words(flow, statement.id), important,
            voter_url("step", slug=slug, number=number, **flow.args(r=REVIEW)), toggle))
    return rows


def _answer_words(flow: Flow, statement_id: str) -> str:
    if not flow.answers.answered(statement_id):
        return str(_("Not answered"))
    value = flow.answers.values[statement_id]
    return str(_("Skipped")) if value is None else answer_label(value, flow.quiz.scale)
