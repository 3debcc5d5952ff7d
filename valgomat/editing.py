"""The editors' operations on drafts: every change checked, locked and logged.

Views parse forms; these functions apply a change to the draft rows, refuse
it when someone else saved in between (optimistic locking on ``lock_version``),
and write one audit-log entry with the state before and after.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from valgomat import models, services
from valgomat.extensions import db
from valgomat.locking import (
    AlreadyPublished,
    Conflict,
    check_lock,
    compare_and_swap,
    conflict,
    flush_or_conflict,
    last_change,
    state,
)

__all__ = ["AlreadyPublished", "Conflict", "state"]  # what the views catch

STATEMENT_FIELDS = ("text", "explanation", "topic", "weight", "order", "active")
PARTY_FIELDS = ("name", "short_name", "colour", "program")
POSITION_FIELDS = ("value", "quote", "source", "confidence", "justification")
QUIZ_FIELDS = ("title", "description", "languages", "scale", "method", "missing",
               "importance_multiplier")
SETTINGS_ACTIONS = ("create", "update", "load")  # what changes a quiz's settings
TOPIC_FIELDS = ("name",)
ORIGIN_FIELDS = ("embed_origins",)
PROFILE_FIELDS = ("brand_colour", "accent_colour", "font", "radius")


def record(user: str, quiz: str | None, entity: str, key: str, action: str,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    if before is not None and before == after:
        return  # a form saved unchanged: nothing happened, nothing to log
    db.session.add(models.Change(user_email=user, quiz_slug=quiz, entity=entity,
                                 entity_key=key, action=action, before=before, after=after))


def _apply(row: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def update_quiz(row: models.Quiz, values: dict[str, Any], lock: int | None, user: str) -> None:
    """Save the settings as one compare-and-swap on ``lock_version``."""
    check_lock(row, lock, QUIZ_FIELDS, "quiz", row.slug, values, actions=SETTINGS_ACTIONS)
    before = state(row, QUIZ_FIELDS)
    if not compare_and_swap(models.Quiz.lock_version, row.id, lock, values):
        db.session.rollback()
        raise conflict(row, QUIZ_FIELDS, "quiz", row.slug, values, actions=SETTINGS_ACTIONS)
    db.session.expire(row)
    record(user, row.slug, "quiz", row.slug, "update", before, state(row, QUIZ_FIELDS))
    db.session.commit()


def save_origins(row: models.Quiz, origins: list[str], lock: int | None, user: str) -> None:
    """Save the partner-origin allowlist as one compare-and-swap on ``origins_lock_version``."""
    wanted, lock_column = {"embed_origins": origins}, models.Quiz.origins_lock_version
    check_lock(row, lock, ORIGIN_FIELDS, "quiz", row.slug, wanted, counter=lock_column.key,
               actions=("embed",))
    before = state(row, ORIGIN_FIELDS)
    if not compare_and_swap(lock_column, row.id, lock, wanted):
        db.session.rollback()
        raise conflict(row, ORIGIN_FIELDS, "quiz", row.slug, wanted, actions=("embed",))
    record(user, row.slug, "quiz", row.slug, "embed", before, wanted)
    db.session.commit()


def create_quiz(values: dict[str, Any], topics: list[tuple[str, dict[str, str]]],
                user: str) -> models.Quiz:
    row = models.Quiz(**values)
    row.topics = [models.Topic(slug=slug, name=name, position=index)
                  for index, (slug, name) in enumerate(topics)]
    db.session.add(row)
    db.session.flush()
    record(user, row.slug, "quiz", row.slug, "create", None, state(row, QUIZ_FIELDS))
    db.session.commit()
    return row


def save_topic(quiz: models.Quiz, slug: str, name: dict[str, str], lock: int | None,
               user: str) -> None:
    key, wanted = f"{quiz.slug}/{slug}", {"name": name}
    topic = next((t for t in quiz.topics if t.slug == slug), None)
    if topic is None:
        if lock:
            raise Conflict({}, [], last_change("topic", key))  # gone since the form was opened
        topic = models.Topic(slug=slug, name=name, position=len(quiz.topics))
        quiz.topics.append(topic)
        before = None
    else:
        check_lock(topic, lock, TOPIC_FIELDS, "topic", key, wanted)
        before = state(topic, TOPIC_FIELDS)
        _apply(topic, wanted)
    flush_or_conflict(topic, TOPIC_FIELDS, "topic", key, wanted)
    record(user, quiz.slug, "topic", key, "create" if before is None else "update", before,
           wanted)
    db.session.commit()


def _topic(quiz: models.Quiz, slug: str) -> models.Topic:
    return next(t for t in quiz.topics if t.slug == slug)


def _save(quiz: models.Quiz, rows: list[Any], row: Any, new: Any, entity: str,
          fields: tuple[str, ...], values: dict[str, Any], lock: int | None, user: str) -> Any:
    """Create or update one row of the draft: lock check, change, audit entry, commit."""
    key = f"{quiz.slug}/{new.slug if row is None else row.slug}"
    if row is None:
        row, before = new, None
        rows.append(row)
    else:
        check_lock(row, lock, fields, entity, key, values)
        before = state(row, fields)
    wanted = values
    if "topic" in values:
        values = dict(values)
        row.topic = _topic(quiz, values.pop("topic"))
    _apply(row, values)
    flush_or_conflict(row, fields, entity, key, wanted)
    record(user, quiz.slug, entity, key, "create" if before is None else "update",
           before, state(row, fields))
    db.session.commit()
    return row


def save_statement(quiz: models.Quiz, row: models.Statement | None, slug: str,
                   values: dict[str, Any], lock: int | None, user: str) -> models.Statement:
    new = models.Statement(slug=slug, active=True) if row is None else None
    saved: models.Statement = _save(quiz, quiz.statements, row, new, "statement",
                                    STATEMENT_FIELDS, values, lock, user)
    return saved


def set_active(quiz: models.Quiz, row: models.Statement, active: bool, user: str) -> None:
    before = state(row, STATEMENT_FIELDS)
    row.active = active
    db.session.flush()
    record(user, quiz.slug, "statement", f"{quiz.slug}/{row.slug}",
           "activate" if active else "deactivate", before, state(row, STATEMENT_FIELDS))
    db.session.commit()


def move_statement(quiz: models.Quiz, row: models.Statement, step: int, user: str) -> None:
    """Swap places with the neighbour above (-1) or below (+1); renumber in tens."""
    ordered = sorted(quiz.statements, key=lambda s: (s.order, s.id))
    index = ordered.index(row)
    target = index + step
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    before = [s.slug for s in sorted(quiz.statements, key=lambda s: (s.order, s.id))]
    for position, statement in enumerate(ordered, start=1):
        if statement.order != position * 10:
            statement.order = position * 10
    record(user, quiz.slug, "statement", f"{quiz.slug}/{row.slug}", "reorder",
           {"order": before}, {"order": [s.slug for s in ordered]})
    db.session.commit()


def save_party(quiz: models.Quiz, row: models.Party | None, slug: str,
               values: dict[str, Any], lock: int | None, user: str) -> models.Party:
    new = models.Party(slug=slug) if row is None else None
    saved: models.Party = _save(quiz, quiz.parties, row, new, "party", PARTY_FIELDS, values,
                                lock, user)
    return saved


def save_position(quiz: models.Quiz, party: models.Party, statement: models.Statement,
                  values: dict[str, Any], lock: int | None, user: str) -> None:
    key = f"{quiz.slug}/{party.slug}/{statement.slug}"
    row = next((p for p in party.positions if p.statement_id == statement.id), None)
    if row is None:
        if lock:
            raise Conflict({}, list(values), None)  # deleted since the form was opened
        row = models.Position(statement=statement, quote="", source="", justification={})
        party.positions.append(row)
        before = None
    else:
        check_lock(row, lock, POSITION_FIELDS, "position", key, values)
        before = state(row, POSITION_FIELDS)
    _apply(row, values)
    flush_or_conflict(row, POSITION_FIELDS, "position", key, values)
    record(user, quiz.slug, "position", key, "create" if before is None else "update",
           before, state(row, POSITION_FIELDS))
    db.session.commit()


def profile_state(profile: models.EmbedProfile) -> dict[str, object]:
    return {**state(profile, PROFILE_FIELDS),
            "logo": f"{len(profile.logo)} bytes" if profile.logo else None}


def save_profile(quiz: models.Quiz, slug: str, values: dict[str, Any], lock: int | None,
                 user: str) -> models.EmbedProfile:
    """Create or update a partner look (``values`` may hold a new logo and its type)."""
    key = f"{quiz.slug}/{slug}"
    profile = db.session.scalar(select(models.EmbedProfile).where(
        models.EmbedProfile.quiz_id == quiz.id, models.EmbedProfile.slug == slug))
    if profile is None:
        if lock:
            raise Conflict({}, [], last_change("embed-profile", key))
        profile, before = models.EmbedProfile(quiz_id=quiz.id, slug=slug), None
        db.session.add(profile)
    else:
        check_lock(profile, lock, PROFILE_FIELDS, "embed-profile", key, values)
        before = profile_state(profile)
    _apply(profile, values)
    flush_or_conflict(profile, PROFILE_FIELDS, "embed-profile", key, values)
    record(user, quiz.slug, "embed-profile", key, "update" if before else "create", before,
           profile_state(profile))
    db.session.commit()
    return profile


def publish(quiz: models.Quiz, user: str, accept_audit: str | None = None,
            seen_version: int | None = None) -> int | None:
    """Publish the draft through the publish gate (``services.PublishRefused`` when it
    refuses and no ``accept_audit`` reason is given: nothing is stored then), unless the
    live version is no longer ``seen_version`` (``services.AlreadyPublished``)."""
    try:
        publication = services.publish_quiz(quiz.slug, accept_audit=accept_audit,
                                            seen_version=seen_version)
    except (services.PublishRefused, AlreadyPublished):
        db.session.rollback()
        raise
    if publication is not None:
        number = publication.number
        version = db.session.scalar(select(models.QuizVersion).where(
            models.QuizVersion.quiz_id == quiz.id, models.QuizVersion.number == number))
        version.published_by = user
        record(user, quiz.slug, "version", f"{quiz.slug}/{number}", "publish", None,
               services.gate_log(publication))
    db.session.commit()
    return None if publication is None else publication.number


def rollback(quiz: models.Quiz, number: int, user: str, seen_version: int | None = None) -> None:
    """Make an earlier published version the live one again (nothing is deleted), unless
    the live version is no longer ``seen_version`` (``services.AlreadyPublished``)."""
    if number not in {v.number for v in quiz.versions}:
        raise LookupError(number)
    before = quiz.published_version
    try:
        services.claim_live(quiz, before if seen_version is None else seen_version)
    except AlreadyPublished:
        db.session.rollback()
        raise
    quiz.published_version = number
    services.forget_live_versions()
    record(user, quiz.slug, "version", f"{quiz.slug}/{number}", "rollback",
           {"version": before}, {"version": number})
    db.session.commit()
