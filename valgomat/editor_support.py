"""Helpers shared by the editor views: loading drafts, checking them, form values."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import OrderedDict
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import abort
from sqlalchemy import select

from valgomat import models
from valgomat.content_files import read_content, write_content
from valgomat.core.model import quiz_to_dict
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


def draft_audit(row: models.Quiz) -> tuple[Any, Any]:
    """The draft and its audit, cached per process by the draft's content.

    The editor page simulates ``EDITOR_AUDIT_VOTERS`` voters in this process
    (about a second for the demo quiz); ``valgomat audit`` runs the full million.
    """
    from flask import current_app

    from valgomat.core.audit import run_audit

    quiz = draft_to_quiz(row)
    if not quiz.statements or not quiz.parties:
        return quiz, None
    voters = int(current_app.config["EDITOR_AUDIT_VOTERS"])
    key = hashlib.sha256(json.dumps([quiz_to_dict(quiz), voters], sort_keys=True,
                                    default=str).encode()).hexdigest()
    cache: OrderedDict[str, Any] = current_app.extensions.setdefault(
        "valgomat.audits", OrderedDict())
    if key not in cache:
        cache[key] = run_audit(quiz, voters=voters, workers=1)
        while len(cache) > AUDIT_CACHE_SIZE:
            cache.popitem(last=False)
    cache.move_to_end(key)
    return quiz, cache[key]


AUDIT_CACHE_SIZE = 16
