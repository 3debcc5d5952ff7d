"""What the voter pages show: answer labels, agreement markers, result rows.

Presentation only; the scores themselves come from ``valgomat.core.matching``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, request, url_for
from flask_babel import lazy_gettext as _l

from valgomat.core.answercode import Answers
from valgomat.core.matching import MatchResult
from valgomat.core.model import SCALES, Party, Quiz, Statement
from valgomat.i18n import content_language, localized

LABELS = {
    2: _l("Strongly agree"), 1: _l("Agree"), 0: _l("Neutral"),
    -1: _l("Disagree"), -2: _l("Strongly disagree"),
}
SCALE3_LABELS = {1: _l("Agree"), 0: _l("Neutral"), -1: _l("Disagree")}
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
    return str((SCALE3_LABELS if scale == 3 else LABELS)[value])


def answer_options(scale: int) -> list[tuple[int, str]]:
    """The scale's options, agree first, the same order on every step."""
    return [(value, answer_label(value, scale)) for value in reversed(SCALES[scale])]


def agreement(voter: int | None, party: int | None, scale: int) -> str:
    if voter is None:
        return "skipped"
    if party is None:
        return "none"
    if voter == party:
        return "same"
    if voter * party < 0:
        return "opposite"
    top = max(SCALES[scale])
    return "close" if abs(voter - party) / top <= 0.5 else "apart"


@dataclass(frozen=True)
class Row:
    number: int
    statement: Statement
    voter: int | None
    important: bool
    party: int | None
    marker: str


@dataclass(frozen=True)
class PartyView:
    party: Party
    score: float | None
    percent: int | None
    topics: dict[str, float | None]
    rows: list[Row]


def whole_percent(score: float | None) -> int | None:
    """Round half up, as people expect (73.5 → 74), not half to even."""
    return None if score is None else int(score + 0.5)


def party_views(quiz: Quiz, answers: Answers, result: MatchResult) -> list[PartyView]:
    views = []
    for item in result.results:
        party = quiz.party(item.party)
        rows = [Row(n, s, answers.values.get(s.id), s.id in answers.important,
                    party.positions.get(s.id),
                    agreement(answers.values.get(s.id), party.positions.get(s.id), quiz.scale))
                for n, s in enumerate(quiz.statements, start=1)]
        views.append(PartyView(party, item.score, whole_percent(item.score), item.topics, rows))
    return views


def result_texts(flow: Any) -> dict[str, Any]:
    """Per-statement texts and links of the result page, computed once, not per party."""
    quiz, answers = flow.quiz, flow.answers
    labels: dict[int | None, str] = {v: answer_label(v, quiz.scale) for v in quiz.scale_values}
    labels[None] = answer_label(None, quiz.scale)
    return {
        "labels": labels,
        "markers": {kind: (symbol, str(word)) for kind, (symbol, word) in AGREEMENT.items()},
        "statement_texts": [localized(s.text) for s in quiz.statements],
        "voter_answers": [_voter_answer(answers, s.id, labels) for s in quiz.statements],
        "change_urls": [voter_url("step", slug=quiz.slug, number=n, **flow.args(r=1))
                        for n in range(1, len(quiz.statements) + 1)],
    }


def _voter_answer(answers: Answers, statement_id: str, labels: dict[int | None, str]) -> str:
    if statement_id not in answers.values:
        return str(_l("Not answered"))
    value = answers.values[statement_id]
    if value is None:
        return str(_l("Skipped"))
    mark = f" ({_l('important')})" if statement_id in answers.important else ""
    return labels[value] + mark


def step_data(flow: Any) -> dict[str, Any]:
    """What ``quiz.js`` needs to run the steps in the page: texts in this language only."""
    quiz = flow.quiz
    topics = {t.id: t.name for t in quiz.topics}
    slug = quiz.slug
    return {
        "version": quiz.version, "code": flow.code, "values": list(quiz.scale_values),
        "parties": list(flow.parties) if flow.parties is not None else None,
        "r": flow.back_to_result, "theme": flow.theme,
        "stepBase": voter_url("step", slug=slug, number=1)[:-1],
        "partiesUrl": voter_url("parties", slug=slug),
        "resultUrl": voter_url("result", slug=slug),
        "introUrl": voter_url("intro", slug=slug, t=flow.theme),
        "title": localized(quiz.title),
        "error": str(_l("Choose an answer, or press Skip.")),
        "statements": [{
            "topic": localized(topics[s.topic]), "topicLang": content_language(topics[s.topic]),
            "text": localized(s.text), "textLang": content_language(s.text),
            "explanation": localized(s.explanation),
            "explanationLang": content_language(s.explanation) if s.explanation else "",
        } for s in quiz.statements],
    }


def init_blueprint(bp: Blueprint) -> None:
    @bp.app_context_processor
    def voter_helpers() -> dict[str, Any]:
        return {"voter_url": voter_url, "voter_options": answer_options, "step_data": step_data,
                "answer_label": answer_label, "agreement_markers": AGREEMENT,
                "method_names": METHOD_NAMES, "policy_names": POLICY_NAMES,
                "missing_sentences": MISSING_SENTENCES,
                "confidence_names": CONFIDENCE_NAMES, "whole_percent": whole_percent}
