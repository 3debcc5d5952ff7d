"""What the voter pages show: answer labels, agreement markers, result rows.

Presentation only; the scores themselves come from ``valgomat.core.matching``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from valgomat.core.matching import Coverage, MatchResult, whole_percent
from valgomat.core.model import SCALES, Party, Quiz, Statement
from valgomat.web.i18n import content_language, current_language, localized

# Each word of core.scale.WORDS, translated (its English text is the message id).
WORD_LABELS = {
    "strongly_agree": _l("Strongly agree"), "agree": _l("Agree"),
    "somewhat_agree": _l("Somewhat agree"), "neutral": _l("Neutral"),
    "somewhat_disagree": _l("Somewhat disagree"), "disagree": _l("Disagree"),
    "strongly_disagree": _l("Strongly disagree"),
}
METHOD_NAMES = {
    "cityblock": _l("city-block distance"), "euclidean": _l("Euclidean distance"),
    "directional": _l("directional (scalar product)"),
    "hybrid": _l("hybrid of city-block and directional"),
}
POLICY_NAMES = {"neutral": _l("as neutral"), "exclude": _l("left out"),
                "farthest": _l("as farthest")}
MISSING_SENTENCES = {
    "neutral": _l("parties without a stated position count as neutral"),
    "exclude": _l("statements where a party has no stated position are left out for "
                  "that party"),
    "farthest": _l("parties without a stated position count as farthest from your answer"),
}
CONFIDENCE_NAMES = {"high": _l("high"), "medium": _l("medium"), "low": _l("low")}
# The evidence's source line, by (has a section, has a confidence): imported answers
# have neither, and the page says only what is known.
SOURCE_LINES = {
    (True, True): _l("Source: %(program)s, “%(section)s”. Confidence: %(confidence)s."),
    (True, False): _l("Source: %(program)s, “%(section)s”."),
    (False, True): _l("Source: %(program)s. Confidence: %(confidence)s."),
    (False, False): _l("Source: %(program)s."),
}
AGREEMENT = {
    "same": ("✓", _l("Same")), "close": ("≈", _l("Close")),
    "apart": ("↔", _l("Apart")), "opposite": ("✗", _l("Opposite")),
    "none": ("?", _l("No stated position")), "skipped": ("–", _l("You skipped")),
}


VOTER_BLUEPRINTS = ("quiz", "embed")


def voter_url(name: str, **values: Any) -> str:
    """A voter page in the current flavour: the full site, or the embed for partner sites."""
    blueprint = request.blueprint if request.blueprint in VOTER_BLUEPRINTS else "quiz"
    return url_for(f"{blueprint}.{name}", **values)


def answer_label(value: int | None, scale: int) -> str:
    if value is None:
        return str(_l("No stated position"))
    return str(WORD_LABELS[SCALES[scale].word(value)])


def answer_options(scale: int) -> list[tuple[int, str]]:
    """The scale's options, agree first, the same order on every step."""
    return [(value, answer_label(value, scale)) for value in SCALES[scale].descending()]


def agreement(voter: int | None, party: int | None, scale: int) -> str:
    if voter is None:
        return "skipped"
    if party is None:
        return "none"
    if voter == party:
        return "same"
    if voter * party < 0:
        return "opposite"
    top = SCALES[scale].top
    return "close" if abs(voter - party) / top <= 0.5 else "apart"


@dataclass(frozen=True)
class Reason:
    """A statement where the voter and the party agree (or disagree), said in words
    under the party in the ranking (the party page has its whole row)."""

    agree: bool
    statement: Statement
    number: int  # the statement's number in the quiz, as the party page shows it


@dataclass(frozen=True)
class PartyView:
    """One party's place in the ranking, as the result page shows it."""

    party: Party
    score: float | None
    percent: int | None
    topics: dict[str, float | None]
    coverage: Coverage = Coverage()
    too_close: bool = False  # in the near-tie group at the top of the ranking
    reasons: tuple[Reason, ...] = ()  # agree, then disagree, strongest first


def party_views(quiz: Quiz, result: MatchResult) -> list[PartyView]:
    tied = near_tie_count(result)
    numbers = {s.id: number for number, s in enumerate(quiz.statements, start=1)}

    def reasons(agree: bool, ids: tuple[str, ...]) -> tuple[Reason, ...]:
        return tuple(Reason(agree, quiz.statement(sid), numbers[sid]) for sid in ids)

    return [PartyView(quiz.party(item.party), item.score, whole_percent(item.score), item.topics,
                      item.coverage, rank < tied,
                      reasons(True, item.reasons.agree) + reasons(False, item.reasons.disagree))
            for rank, item in enumerate(result.results)]


def near_tie_count(result: MatchResult) -> int:
    """How many parties at the top of the ranking are too close to call: the first
    through the last one with ``close_to_first`` (0 when none is).

    The parties close to first are nearly always the first few in the ranking; when
    one ranked between them is not (it cannot reach the first with one answer, but a
    party below it can), it belongs to the group too, since that one answer would
    change its place as well, and the ranking keeps its order by score.
    """
    return max((rank + 1 for rank, item in enumerate(result.results) if item.close_to_first),
               default=0)


def bar_width(score: float) -> str:
    """A score as its result bar's width (the ``bar`` macro's)."""
    return f"{score:.1f}"


def step_statements(quiz: Quiz) -> Markup:
    """The statements' texts for ``quiz.js`` (the statements document): the same for
    every voter of a version and language, so made once."""
    key = ("step_statements", current_language())
    found = quiz.derived.get(key)
    if found is None:
        topics = {t.id: t.name for t in quiz.topics}
        found = quiz.derived[key] = htmlsafe_json_dumps([{
            "topic": localized(topics[s.topic]), "topicLang": content_language(topics[s.topic]),
            "text": localized(s.text), "textLang": content_language(s.text),
            "explanation": localized(s.explanation),
            "explanationLang": content_language(s.explanation) if s.explanation else "",
        } for s in quiz.statements], dumps=current_app.json.dumps)
    return found


def init_blueprint(bp: Blueprint) -> None:
    @bp.app_context_processor
    def voter_template_context() -> dict[str, Any]:
        return {"voter_url": voter_url, "voter_options": answer_options,
                "answer_label": answer_label, "method_names": METHOD_NAMES,
                "policy_names": POLICY_NAMES, "missing_sentences": MISSING_SENTENCES,
                "bar_width": bar_width}
