"""The voter's place in a quiz, carried entirely in the URL.

``v`` pins the published version, ``a`` holds the answer code
(``core.answercode``), ``p`` the chosen parties, ``r`` "return after this
answer": ``1`` to the result, ``review`` to the review of all answers. Nothing of
it is kept on the server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, NoReturn

from flask import abort, g, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from valgomat.core.answercode import Answers, BadAnswerCode, decode, encode
from valgomat.core.model import Quiz
from valgomat.extensions import db
from valgomat.storage import models, published
from valgomat.storage.drafts import draft_to_quiz
from valgomat.voter.presenters import voter_url
from valgomat.web import i18n
from valgomat.web.numbers import BadVersion, parse_version

MAX_CODE_LENGTH = 500
THEME_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
REVIEW = "review"  # r=review: the answer goes back to the review
PREVIEW_VERSION = "0"  # v=0: a logged-in editor previews the unpublished draft
# Query arguments that carry a voter's answers or choices: a page with any of them is private.
ANSWER_ARGUMENTS = frozenset({"a", "p", "ps", "r", "value", "important", "go", "select"})


@dataclass(frozen=True)
class Flow:
    quiz: Quiz
    answers: Answers
    parties: tuple[str, ...] | None = None
    back_to_result: bool = False
    theme: str | None = None  # an embed profile (partner look), carried along in embeds
    back_to_review: bool = False  # a change from the review returns to it

    @property
    def statement_ids(self) -> list[str]:
        return [s.id for s in self.quiz.statements]

    @cached_property
    def code(self) -> str:
        return encode(self.answers, self.statement_ids, self.quiz.scale)

    def args(self, **overrides: Any) -> dict[str, Any]:
        """Query arguments that reproduce this flow (``None`` values are dropped)."""
        values: dict[str, Any] = {
            "v": self.quiz.version, "a": self.code or None,
            "p": list(self.parties) if self.parties is not None else None,
            "r": 1 if self.back_to_result else (REVIEW if self.back_to_review else None),
            "t": self.theme,
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v is not None}

    def answered(self, answers: Answers) -> Flow:
        return replace(self, answers=answers)


def load_quiz(slug: str) -> Quiz:
    if request.args.get("v") == PREVIEW_VERSION:
        return _draft_preview(slug)
    try:
        version = parse_version(request.args.get("v"))
    except BadVersion:
        bad_link(slug, _("The link names no valid version of this quiz."))
    quiz = published.published_quiz(slug, version)
    if quiz is None:
        abort(404, description=_("There is no such published quiz or version."))
    return in_its_languages(quiz)


def in_its_languages(quiz: Quiz) -> Quiz:
    """A quiz's pages are offered in the interface languages it has content in. A URL in
    another (typed, or an old link) redirects to the same page in the quiz's first one,
    answers and all: the page exists, just not in that language."""
    offered = i18n.offer_only(quiz.languages)
    if i18n.current_language() not in offered:
        abort(redirect(i18n.language_urls()[offered[0]], code=302))
    return quiz


def load_flow(slug: str) -> Flow:
    quiz = load_quiz(slug)
    code = request.args.get("a", "")
    try:
        if len(code) > MAX_CODE_LENGTH:
            raise BadAnswerCode(code[:10])
        answers = decode(code, [s.id for s in quiz.statements], quiz.scale)
    except BadAnswerCode:
        bad_link(slug, _("The answers in this link are damaged or belong to another "
                         "version of the quiz. Please start again."))
    back = request.args.get("r")
    return Flow(quiz, answers, _parties(quiz), back == "1", request_theme(),
                back_to_review=back == REVIEW)


def bad_link(slug: str, description: str) -> NoReturn:
    """A 400 for a damaged link; the error page offers to start the quiz again."""
    g.start_again = voter_url("intro", slug=slug, t=request_theme())
    abort(400, description=description)


def public_page() -> bool:
    """Whether this voter page is the same for everyone: no answers in its URL, no preview."""
    return (request.args.get("v") != PREVIEW_VERSION
            and not ANSWER_ARGUMENTS & set(request.args))


def request_theme() -> str | None:
    """The embed profile named in ``t``, when it is a well-formed slug on an embed page."""
    theme = request.args.get("t")
    if request.blueprint != "embed" or not theme or not THEME_RE.fullmatch(theme):
        return None
    return theme


def _parties(quiz: Quiz) -> tuple[str, ...] | None:
    """The chosen parties; ``None`` is all of them. ``ps`` marks a submitted selection."""
    if "p" not in request.args and "ps" not in request.args:
        return None
    chosen = request.args.getlist("p")
    known = {p.id for p in quiz.parties}
    if any(pid not in known for pid in chosen):
        bad_link(quiz.slug, _("The link names a party that is not in this quiz."))
    return tuple(dict.fromkeys(chosen))


def _draft_preview(slug: str) -> Quiz:
    row = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == slug))
    if row is None or not current_user.is_authenticated:
        abort(404, description=_("There is no such published quiz or version."))
    g.preview = True
    return in_its_languages(replace(draft_to_quiz(row), version=0))
