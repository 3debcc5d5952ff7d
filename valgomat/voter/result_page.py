"""What the result page shows besides the ranking: the scores by topic, from the
macros in ``templates/_macros/result.html``, and the method in plain words.

The result stays light: each party's whole table is on its own page
(``voter.party_page``) and all parties side by side on the compare page
(``voter.compare_page``). The scores by topic are rendered once per (quiz version,
language), with slots for the voter's values (``web.stencil``), and kept with the
quiz (``Quiz.derived``); a request only fills the slots.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import get_template_attribute
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from valgomat.core.answercode import Answers
from valgomat.core.matching import MatchResult, whole_percent
from valgomat.core.model import Quiz
from valgomat.voter.presenters import PartyView, bar_width, party_views
from valgomat.web.i18n import current_language
from valgomat.web.stencil import Stencil, slot

MACROS = "_macros/result.html"
# The method in plain words, for the result page (its name is on the method page).
METHOD_SENTENCES = {
    "cityblock": _l("The percentage says how close each party's positions are to your "
                    "answers, statement by statement"),
    "euclidean": _l("The percentage says how close each party's positions are to your "
                    "answers, with large differences counting more than small ones"),
    "directional": _l("The percentage says how often each party is on the same side as you, "
                      "and how strongly"),
    "hybrid": _l("The percentage says how close each party's positions are to your answers "
                 "and how often it is on the same side as you"),
}


@dataclass(frozen=True)
class ResultPage:
    views: list[PartyView]  # the ranking
    topic_chart: Markup  # empty where the quiz has one topic (it would repeat the ranking)
    answered_any: bool


@dataclass(frozen=True)
class _Pieces:
    """One quiz version's topic chart macros, rendered in one language."""

    sections: list[tuple[Stencil, Markup]]  # per topic: answered (a slot for the scores), not
    scores: dict[str, tuple[Stencil, Markup]]  # per party: a score, no stated position


def result_page(quiz: Quiz, answers: Answers, outcome: MatchResult) -> ResultPage:
    views = party_views(quiz, outcome)
    chart = topic_chart(quiz, answers, views) if len(quiz.topics) > 1 else Markup()
    return ResultPage(views, chart, any(v is not None for v in answers.values.values()))


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


def _pieces(quiz: Quiz) -> _Pieces:
    key = ("result_page", current_language())
    pieces = quiz.derived.get(key)
    if pieces is None:
        pieces = quiz.derived[key] = _render_pieces(quiz)
    return pieces


def _render_pieces(quiz: Quiz) -> _Pieces:
    topic_section, topic_score = (get_template_attribute(MACROS, name)
                                  for name in ("topic_section", "topic_score"))
    return _Pieces(
        [(Stencil(topic_section(topic, True, slot("scores")), ["scores"]),
          topic_section(topic, False, "")) for topic in quiz.topics],
        {party.id: (Stencil(topic_score(party, slot("percent"), slot("width")),
                            ["percent", "width"]),
                    topic_score(party, None, None)) for party in quiz.parties})
