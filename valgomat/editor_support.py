"""Helpers shared by the editor views: loading drafts, checking them, form values."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import abort
from sqlalchemy import select

from valgomat import models
from valgomat.content_files import read_content, write_content
from valgomat.drafts import draft_to_quiz
from valgomat.editor_forms import texts_of
from valgomat.extensions import db


def editor_quiz(slug: str) -> models.Quiz:
    row = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == slug))
    if row is None:
        abort(404, description=f"There is no quiz '{slug}'.")
    return row


def draft_problems(row: models.Quiz) -> list[str]:
    """What stops the draft from being published: the content-file checks, plus emptiness."""
    quiz = draft_to_quiz(row)
    problems = []
    if not quiz.statements:
        problems.append("The quiz has no active statements.")
    if not quiz.parties:
        problems.append("The quiz has no parties.")
    with tempfile.TemporaryDirectory() as folder:
        write_content(quiz, Path(folder))
        _, found = read_content(Path(folder))
    prefix = len(folder) + 1
    problems += [f"{p.path[prefix:]}: {p.message}" for p in found]
    return problems


def quiz_settings_values(form: Any, languages: list[str]) -> dict[str, Any]:
    return {
        "title": texts_of(form, "title", languages),
        "description": texts_of(form, "description", languages),
        "languages": languages, "scale": form.scale.data, "method": form.method.data,
        "missing": form.missing.data,
        "importance_multiplier": float(Decimal(form.importance_multiplier.data)),
    }


def number(value: Any) -> float:
    return float(Decimal(value))
