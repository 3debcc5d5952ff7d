"""The JSON documents the API serves: a published quiz, the list of them, a match result.

``public_quiz`` is also the ``quiz.json`` of a static export (``partner.static_export``),
so a partner site can load either. The shapes are the contract of docs/api.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from valgomat.core.matching import MatchResult, whole_percent
from valgomat.core.model import Party, Quiz


def quiz_summaries(quizzes: Iterable[Quiz]) -> list[dict[str, Any]]:
    """What ``GET /quizzes`` says of each published quiz."""
    return [{"slug": q.slug, "title": dict(q.title), "languages": list(q.languages),
             "version": q.version} for q in quizzes]


def match_result(quiz: Quiz, result: MatchResult) -> dict[str, Any]:
    """The answer to ``POST /quizzes/<slug>/match``; a missing or NaN score is null."""
    return {
        "version": quiz.version, "method": result.method, "missing": result.missing,
        "results": [{"party": r.party, "score": _finite(r.score),
                     "percent": whole_percent(_finite(r.score)),
                     "topics": {t: _finite(s) for t, s in r.topics.items()},
                     "coverage": {"stated": r.coverage.stated,
                                  "answered": r.coverage.answered},
                     "close_to_first": r.close_to_first,
                     "reasons": {"agree": list(r.reasons.agree),
                                 "disagree": list(r.reasons.disagree)}}
                    for r in result.results],
    }


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


def public_quiz(quiz: Quiz) -> dict[str, Any]:
    """The public JSON of one published quiz version."""
    return {
        "slug": quiz.slug, "version": quiz.version, "title": dict(quiz.title),
        "languages": list(quiz.languages), "scale": quiz.answer_scale.to_dict(),
        "method": quiz.method, "missing": quiz.missing,
        "importance_multiplier": quiz.importance_multiplier,
        "topics": [{"id": t.id, "name": dict(t.name)} for t in quiz.topics],
        "statements": [{"id": s.id, "topic": s.topic, "text": dict(s.text),
                        "explanation": dict(s.explanation), "weight": s.weight}
                       for s in quiz.statements],
        "parties": [_public_party(p) for p in quiz.parties],
    }


def _public_party(party: Party) -> dict[str, Any]:
    return {
        "id": party.id, "name": party.name, "short_name": party.short_name,
        "colour": party.colour, "positions": dict(party.positions),
        "evidence": {sid: {"quote": e.quote, "source": e.source, "confidence": e.confidence,
                           "justification": dict(e.justification)}
                     for sid, e in party.evidence.items()},
    }
