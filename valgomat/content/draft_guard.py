"""Content loads never overwrite editors' work unnoticed.

A quiz's draft counts as edited when the audit log (``models.Change``) holds an
editor's change to it after its last content load. Loading files over such a
draft is refused (``DraftsEdited``), skipped (``--keep-edited``, what ``make run``
does) or done anyway (``--force``); a draft that already equals the files is never
in the way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from sqlalchemy import func, select

from valgomat.core.model import Quiz
from valgomat.extensions import db
from valgomat.storage import models
from valgomat.storage.drafts import draft_to_quiz

LOADER = "content load"  # the audit log's user for content loads and imports
DRAFT_ENTITIES = ("quiz", "topic", "statement", "party", "position")
NOT_DRAFT_ACTIONS = ("embed",)  # the partner origins live on the quiz, outside the draft
LISTED = 8  # records named per quiz; the audit log has the rest
OnEdited = Literal["refuse", "keep", "overwrite"]


class DraftsEdited(Exception):
    """The files would overwrite drafts that editors changed since the last load."""

    def __init__(self, edits: dict[str, list[models.Change]]) -> None:
        super().__init__(", ".join(edits))
        self.edits = edits


def edits_since_load(slug: str) -> list[models.Change]:
    """The editors' changes to the quiz's draft after its last content load, oldest first."""
    last_load = select(func.coalesce(func.max(models.Change.id), 0)).where(
        models.Change.quiz_slug == slug, models.Change.user_email == LOADER,
        models.Change.action == "load").scalar_subquery()
    return list(db.session.scalars(select(models.Change).where(
        models.Change.quiz_slug == slug, models.Change.user_email != LOADER,
        models.Change.entity.in_(DRAFT_ENTITIES),
        models.Change.action.not_in(NOT_DRAFT_ACTIONS),
        models.Change.id > last_load).order_by(models.Change.id)))


def draft_differs(quiz: Quiz) -> bool:
    row = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == quiz.slug))
    return row is not None and draft_to_quiz(row) != quiz


def edited_drafts(quizzes: Iterable[Quiz]) -> tuple[dict[str, list[models.Change]], set[str]]:
    """The edited drafts the files would change (slug → the editors' changes), and the
    quizzes whose edited draft equals the files already (the load takes them in)."""
    in_the_way: dict[str, list[models.Change]] = {}
    equal: set[str] = set()
    for quiz in quizzes:
        edits = edits_since_load(quiz.slug)
        if edits and draft_differs(quiz):
            in_the_way[quiz.slug] = edits
        elif edits:
            equal.add(quiz.slug)
    return in_the_way, equal


def edit_lines(edits: dict[str, list[models.Change]]) -> list[str]:
    """Per quiz, which records editors changed: entity and key, who, when, how often."""
    lines = []
    for slug, changes in edits.items():
        latest: dict[tuple[str, str], tuple[models.Change, int]] = {}
        for change in changes:
            count = latest.get((change.entity, change.entity_key), (change, 0))[1]
            latest[(change.entity, change.entity_key)] = (change, count + 1)
        lines.append(f"{slug}: its draft was changed in the editor since its last content "
                     f"load ({len(changes)} change(s)):")
        for (entity, key), (change, count) in list(latest.items())[-LISTED:]:
            times = f", {count} changes" if count > 1 else ""
            lines.append(f"  - {entity} {key}: {change.action} by {change.user_email} at "
                         f"{change.at:%Y-%m-%d %H:%M} UTC{times}")
        if len(latest) > LISTED:
            lines.append(f"  - and {len(latest) - LISTED} more record(s): see "
                         f"/editor/changes?quiz={slug}")
    return lines


def refusal_lines(refused: DraftsEdited) -> list[str]:
    return [*edit_lines(refused.edits),
            "Nothing was loaded or published. To keep the editors' work, export it "
            "(valgomat content export DIR --quiz SLUG) and merge it into the files; to "
            "replace it with the files, load again with --force; to load only the other "
            "quizzes, use --keep-edited."]


def kept_lines(kept: dict[str, list[models.Change]]) -> list[str]:
    return [*edit_lines(kept),
            f"Kept the editors' draft of {', '.join(kept)}: its files were not loaded and "
            "it was not published. To take the files anyway: valgomat content load --force "
            "(with --publish to publish them)."]
