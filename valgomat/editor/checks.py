"""What the editor views ask of a draft: its quiz row (or a 404), its problems, its audit
and the publish gate's verdict, an admin's reason to publish anyway, the settings' values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort
from sqlalchemy import select

from valgomat.content.publish_gate import cached_audit, gate_audit
from valgomat.content.quiz_check import quiz_problems
from valgomat.core.audit.gate import GateVerdict, check_reason
from valgomat.core.audit.sim import MAX_PARTIES
from valgomat.editor.forms import texts_of
from valgomat.extensions import db
from valgomat.storage import models
from valgomat.storage.drafts import draft_to_quiz
from valgomat.storage.programs import program_text


def editor_quiz(slug: str) -> models.Quiz:
    row: models.Quiz | None = db.session.scalar(select(models.Quiz).where(
        models.Quiz.slug == slug))
    if row is None:
        abort(404, description=f"There is no quiz '{slug}'.")
    return row


def draft_problems(row: models.Quiz) -> list[str]:
    """What stops the draft from being published: the content checks, plus emptiness."""
    quiz = draft_to_quiz(row)
    problems = []
    if not quiz.statements:
        problems.append("The quiz has no active statements.")
    if not quiz.parties:
        problems.append("The quiz has no parties.")
    return problems + [str(problem) for problem in quiz_problems(quiz, program_text)]


def quiz_settings_values(form: Any, languages: list[str]) -> dict[str, Any]:
    return {
        "title": texts_of(form, "title", languages),
        "description": texts_of(form, "description", languages),
        "languages": languages, "scale": form.scale.data, "method": form.method.data,
        "missing": form.missing.data,
        "importance_multiplier": float(Decimal(form.importance_multiplier.data)),
    }


def decimal_to_float(value: Any) -> float:
    return float(Decimal(value))


def draft_audit(row: models.Quiz) -> tuple[Any, Any]:
    """The draft and its audit with ``EDITOR_AUDIT_VOTERS`` voters (cached by content).

    The editor page simulates the voters in this process (a few seconds for the
    demo quiz, once per draft content); ``valgomat audit`` runs the full million.
    """
    from flask import current_app

    quiz = draft_to_quiz(row)
    if not quiz.statements or not quiz.parties or len(quiz.parties) > MAX_PARTIES:
        return quiz, None  # the pages say why there is no audit
    return quiz, cached_audit(quiz, int(current_app.config["EDITOR_AUDIT_VOTERS"]), workers=1)


def publish_audit(row: models.Quiz) -> tuple[Any, Any, GateVerdict | None]:
    """The draft, the publish gate's audit of it and the gate's verdict (or Nones)."""
    quiz = draft_to_quiz(row)
    if not quiz.statements or not quiz.parties:
        return quiz, None, None
    report, verdict = gate_audit(quiz, workers=1)
    return quiz, report, verdict


def override_reason(form: Any, verdict: GateVerdict | None, report: Any) -> str | None:
    """The checked reason when the gate refuses; else the usual tick for any warning."""
    if verdict is not None and verdict.refused:
        try:
            return check_reason(form.reason.data)
        except ValueError as exc:
            form.reason.errors.append(f"The publish gate refuses this draft. {exc}")
            return None
    if report is not None and report.warnings and not form.confirm.data:
        form.confirm.errors.append("The audit has warnings: read them, then tick this box "
                                   "to publish anyway.")
    return None
