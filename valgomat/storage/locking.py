"""Optimistic locking: a save goes through only if the record is still the version the
editor saw, checked atomically by the database.

Two kinds of lock counters exist. Rows mapped with ``version_id_col`` (topics,
statements, parties, positions, embed profiles) are checked by SQLAlchemy's own
``UPDATE … WHERE lock_version = :loaded``, which raises ``StaleDataError`` when
someone else's update came first. Counters that only some writes may bump (the quiz
settings' ``lock_version``, the partner origins' ``origins_lock_version``) are checked
by ``compare_and_swap``: one UPDATE that writes the values only where the counter
still holds the value the editor saw.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from valgomat.extensions import db
from valgomat.storage import models


@dataclass
class Conflict(Exception):
    """Someone saved this record after the editor opened it."""

    current: dict[str, Any]
    changed: list[str]
    last: models.Change | None


def state(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in fields if name != "topic"}
    if "topic" in fields:
        values["topic"] = row.topic.slug if row.topic else None
    return values


def last_change(entity: str, key: str, actions: tuple[str, ...] = ()) -> models.Change | None:
    """The audit log's last entry on this record (of these actions, if given)."""
    query = select(models.Change).where(models.Change.entity == entity,
                                        models.Change.entity_key == key)
    if actions:
        query = query.where(models.Change.action.in_(actions))
    return db.session.scalar(query.order_by(models.Change.id.desc()).limit(1))


def conflict(row: Any, fields: tuple[str, ...], entity: str, key: str,
             wanted: dict[str, Any], actions: tuple[str, ...] = ()) -> Conflict:
    """The conflict as the database has it now: current values, the fields that differ
    from the editor's, and who saved last."""
    last = last_change(entity, key, actions)
    if not inspect(row).persistent:  # the editor's new record lost to someone else's
        return Conflict({}, [], last)
    try:
        current = state(row, fields)
    except ObjectDeletedError:  # deleted meanwhile (a content load can do that)
        return Conflict({}, [], last)
    changed = [name for name in fields if name in wanted and current.get(name) != wanted[name]]
    return Conflict(current, changed, last)


def check_lock(row: Any, lock: int | None, fields: tuple[str, ...], entity: str, key: str,
               wanted: dict[str, Any], counter: str = "lock_version",
               actions: tuple[str, ...] = ()) -> None:
    """Refuse early when the row as loaded is not the version the editor saw (no lock at
    all means the editor never saw this record)."""
    if getattr(row, counter) != lock:
        raise conflict(row, fields, entity, key, wanted, actions)


def flush_or_conflict(row: Any, fields: tuple[str, ...], entity: str, key: str,
                      wanted: dict[str, Any]) -> None:
    """Flush; when the database refuses because someone saved (or created the same
    record) first, roll back and raise the conflict with their values."""
    creating = inspect(row).pending
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as exc:
        if isinstance(exc, IntegrityError) and not creating:
            raise  # an update breaking a constraint is a bug, not someone else's save
        db.session.rollback()
        raise conflict(row, fields, entity, key, wanted) from None


def compare_and_swap(column: InstrumentedAttribute[int], row_id: int, seen: int | None,
                     values: dict[str, Any]) -> bool:
    """``UPDATE … SET values, column = column + 1 WHERE id = :id AND column = :seen``;
    whether it changed the row. The row stays locked until the transaction ends."""
    model = column.class_
    if seen is None:
        return False
    result = db.session.execute(
        update(model).where(model.id == row_id, column == seen)
        .values({**values, column.key: column + 1})
        .execution_options(synchronize_session=False))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]  # an UPDATE's CursorResult


class AlreadyPublished(Exception):
    """The live version of a quiz changed since the publisher (or rollback) looked."""

    def __init__(self, slug: str, live: int | None, by: str, at: datetime | None,
                 made: str = "published") -> None:
        super().__init__(slug)
        self.slug, self.live, self.by, self.at, self.made = slug, live, by, at, made

    def message(self) -> str:
        """What the second publisher is told, in plain words."""
        when = f", {self.at:%Y-%m-%d %H:%M} UTC" if self.at else ""
        return (f"Quiz {self.slug}: version {self.live} was {self.made} by someone else "
                f"({self.by}{when}) while you were looking at it, so nothing was published "
                "or changed. Look at the live version and the draft again, then publish if "
                "still needed.")


class DraftChanged(Exception):
    """The draft changed since the publisher looked at it (and at its audit)."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug
        self.last = db.session.scalar(select(models.Change).where(
            models.Change.quiz_slug == slug, models.Change.entity != "version")
            .order_by(models.Change.id.desc()).limit(1))

    def message(self) -> str:
        who = (f" (last change: {self.last.user_email}, {self.last.at:%Y-%m-%d %H:%M} UTC)"
               if self.last else "")
        return (f"Quiz {self.slug}: the draft changed since this page was shown{who}, so "
                "nothing was published. The page now shows the draft and its audit as they "
                "are: read them again, then publish.")


def draft_digest(snapshot: dict[str, Any]) -> str:
    """Names one state of a draft, for "publish what I reviewed, not what came after"."""
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def claim_live(row: models.Quiz, seen: int | None) -> None:
    """Lock the quiz's live-version pointer if it is still ``seen`` (0 or None: no
    version live), else raise ``AlreadyPublished``: the compare of a compare-and-swap
    whose swap (the new ``published_version``) follows in the same transaction, so
    two simultaneous publishes of the same draft make one version."""
    live = models.Quiz.published_version
    result = db.session.execute(
        update(models.Quiz).where(models.Quiz.id == row.id,
                                  live == seen if seen else live.is_(None))
        .values(published_version=live).execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's CursorResult
        raise already_published(row.id, row.slug)


def already_published(quiz_id: int, slug: str) -> AlreadyPublished:
    """Who made the version that is live now, from the audit log or the version itself."""
    live = db.session.scalar(select(models.Quiz.published_version)
                             .where(models.Quiz.id == quiz_id))
    entry = last_change("version", f"{slug}/{live}", ("publish", "rollback"))
    if entry is not None:
        made = "made live again" if entry.action == "rollback" else "published"
        return AlreadyPublished(slug, live, entry.user_email, entry.at, made)
    version = db.session.scalar(select(models.QuizVersion).where(
        models.QuizVersion.quiz_id == quiz_id, models.QuizVersion.number == live))
    return AlreadyPublished(slug, live, version.published_by or "content load" if version
                            else "unknown", version.published_at if version else None)
