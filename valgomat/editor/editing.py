"""The editors' operations on drafts: every change checked, locked and logged.

Views parse forms; these functions apply a change to the draft rows, refuse
it when someone else saved in between (optimistic locking on ``lock_version``),
and write one audit-log entry with the state before and after.

Who commits: every operation commits itself. A public function here, in
``accounts`` (and ``auth.create_user``) or in ``content.lifecycle`` (load, import)
that changes the database ends in exactly one ``commit``, the change and its
audit-log entry together, or, when it refuses (``Conflict``, ``AlreadyPublished``,
``DraftChanged``, ``PublishRefused``, ``AccountRefused``), in a ``rollback`` that
leaves nothing behind. The steps they are made of (``record``,
``lifecycle.publish_quiz``, ``drafts.write_draft``, ``accounts.end_sessions``) only
add and flush. Views and CLI commands never commit or roll back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from valgomat.content import lifecycle
from valgomat.content.publish_gate import PublishRefused
from valgomat.extensions import db
from valgomat.storage import locking, models, published
from valgomat.storage.locking import (
    AlreadyPublished,
    Conflict,
    DraftChanged,
    check_lock,
    compare_and_swap,
    conflict,
    flush_or_conflict,
    last_change,
    state,
)
from valgomat.storage.programs import store_program_text

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


@contextmanager
def _refusal_rolls_back() -> Iterator[None]:
    """A refused save leaves nothing behind; a late ``StaleDataError`` (someone else's
    save came first) is a ``Conflict`` too."""
    try:
        yield
    except Conflict:
        db.session.rollback()
        raise
    except StaleDataError:
        db.session.rollback()
        raise Conflict({}, [], None) from None


def _apply(row: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def update_quiz(row: models.Quiz, values: dict[str, Any], lock: int | None, user: str) -> None:
    """Save the settings as one compare-and-swap on ``lock_version``."""
    with _refusal_rolls_back():
        check_lock(row, lock, QUIZ_FIELDS, "quiz", row.slug, values, actions=SETTINGS_ACTIONS)
        before = state(row, QUIZ_FIELDS)
        if not compare_and_swap(models.Quiz.lock_version, row.id, lock, values):
            db.session.rollback()  # the conflict is read as the database has it now
            raise conflict(row, QUIZ_FIELDS, "quiz", row.slug, values,
                           actions=SETTINGS_ACTIONS)
        db.session.expire(row)
        record(user, row.slug, "quiz", row.slug, "update", before, state(row, QUIZ_FIELDS))
    db.session.commit()


def save_origins(row: models.Quiz, origins: list[str], lock: int | None, user: str) -> None:
    """Save the partner-origin allowlist as one compare-and-swap on ``origins_lock_version``."""
    wanted, lock_column = {"embed_origins": origins}, models.Quiz.origins_lock_version
    with _refusal_rolls_back():
        check_lock(row, lock, ORIGIN_FIELDS, "quiz", row.slug, wanted,
                   counter=lock_column.key, actions=("embed",))
        before = state(row, ORIGIN_FIELDS)
        if not compare_and_swap(lock_column, row.id, lock, wanted):
            db.session.rollback()  # the conflict is read as the database has it now
            raise conflict(row, ORIGIN_FIELDS, "quiz", row.slug, wanted, actions=("embed",))
        record(user, row.slug, "quiz", row.slug, "embed", before, wanted)
    db.session.commit()


def create_quiz(values: dict[str, Any], topics: list[tuple[str, dict[str, str]]],
                user: str) -> models.Quiz:
    row = models.Quiz(**values)
    row.topics = [models.Topic(slug=slug, name=name, position=index)
                  for index, (slug, name) in enumerate(topics)]
    db.session.add(row)
    with _refusal_rolls_back():
        flush_or_conflict(row, QUIZ_FIELDS, "quiz", row.slug, values)  # the slug taken
        record(user, row.slug, "quiz", row.slug, "create", None, state(row, QUIZ_FIELDS))
    db.session.commit()
    return row


def _upsert(quiz: models.Quiz, entity: str, key: str, fields: tuple[str, ...], row: Any,
            create: Callable[[], Any], values: dict[str, Any], lock: int | None, user: str,
            snapshot: Callable[[Any], dict[str, Any]] | None = None) -> Any:
    """Create (``row`` None) or update one locked record of a quiz: lock check, change,
    audit entry, commit; a ``Conflict`` (nothing saved) when someone else saved it first."""
    snap = snapshot or (lambda saved: state(saved, fields))
    with _refusal_rolls_back():
        if row is None:
            if lock:  # the editor saw a record that is gone now
                raise Conflict({}, [], last_change(entity, key))
            row, before = create(), None
        else:
            check_lock(row, lock, fields, entity, key, values)
            before = snap(row)
        plain = dict(values)
        if "topic" in plain:  # a statement's topic comes as its slug
            row.topic = _topic(quiz, plain.pop("topic"))
        _apply(row, plain)
        flush_or_conflict(row, fields, entity, key, values)
        record(user, quiz.slug, entity, key, "create" if before is None else "update",
               before, snap(row))
    db.session.commit()
    return row


def _appended(rows: list[Any], row: Any) -> Any:
    rows.append(row)
    return row


def save_topic(quiz: models.Quiz, slug: str, name: dict[str, str], lock: int | None,
               user: str) -> None:
    topic = next((t for t in quiz.topics if t.slug == slug), None)
    _upsert(quiz, "topic", f"{quiz.slug}/{slug}", TOPIC_FIELDS, topic,
            lambda: _appended(quiz.topics, models.Topic(slug=slug, position=len(quiz.topics))),
            {"name": name}, lock, user)


def _topic(quiz: models.Quiz, slug: str) -> models.Topic:
    return next(t for t in quiz.topics if t.slug == slug)


def save_statement(quiz: models.Quiz, row: models.Statement | None, slug: str,
                   values: dict[str, Any], lock: int | None, user: str) -> models.Statement:
    key = f"{quiz.slug}/{slug if row is None else row.slug}"
    saved: models.Statement = _upsert(
        quiz, "statement", key, STATEMENT_FIELDS, row,
        lambda: _appended(quiz.statements, models.Statement(slug=slug, active=True)),
        values, lock, user)
    return saved


def set_active(quiz: models.Quiz, row: models.Statement, active: bool, user: str) -> None:
    """(De)activate; a ``Conflict`` when someone saved the statement since it was loaded."""
    key = f"{quiz.slug}/{row.slug}"
    before = state(row, STATEMENT_FIELDS)
    row.active = active
    with _refusal_rolls_back():
        flush_or_conflict(row, STATEMENT_FIELDS, "statement", key, {"active": active})
        record(user, quiz.slug, "statement", key, "activate" if active else "deactivate",
               before, state(row, STATEMENT_FIELDS))
    db.session.commit()


def move_statement(quiz: models.Quiz, row: models.Statement, step: int, user: str) -> None:
    """Swap places with the neighbour above (-1) or below (+1); renumber in tens (a
    ``Conflict`` when someone saved one of the renumbered statements meanwhile)."""
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
    with _refusal_rolls_back():
        flush_or_conflict(row, STATEMENT_FIELDS, "statement", f"{quiz.slug}/{row.slug}", {})
        record(user, quiz.slug, "statement", f"{quiz.slug}/{row.slug}", "reorder",
               {"order": before}, {"order": [s.slug for s in ordered]})
    db.session.commit()


def save_party(quiz: models.Quiz, row: models.Party | None, slug: str,
               values: dict[str, Any], lock: int | None, user: str) -> models.Party:
    key = f"{quiz.slug}/{slug if row is None else row.slug}"
    saved: models.Party = _upsert(
        quiz, "party", key, PARTY_FIELDS, row,
        lambda: _appended(quiz.parties, models.Party(slug=slug)), values, lock, user)
    return saved


def save_program(quiz: models.Quiz, row: models.Party, text: str, program: dict[str, str],
                 lock: int | None, user: str) -> models.Party:
    """Keep ``text`` (once, by its SHA-256) and make it the party's program with the
    details in ``program``: one locked update of the party, logged with the program's
    details before and after (the text itself is kept by its hash, not in the log)."""
    stored = {**program, "sha256": store_program_text(text)}  # a refused save rolls it back
    return save_party(quiz, row, row.slug, {"program": stored}, lock, user)


def save_position(quiz: models.Quiz, party: models.Party, statement: models.Statement,
                  values: dict[str, Any], lock: int | None, user: str) -> None:
    row = next((p for p in party.positions if p.statement_id == statement.id), None)
    _upsert(quiz, "position", f"{quiz.slug}/{party.slug}/{statement.slug}", POSITION_FIELDS,
            row, lambda: _appended(party.positions, models.Position(
                statement=statement, quote="", source="", justification={})),
            values, lock, user)


def profile_state(profile: models.EmbedProfile) -> dict[str, object]:
    return {**state(profile, PROFILE_FIELDS),
            "logo": f"{len(profile.logo)} bytes" if profile.logo else None}


def save_profile(quiz: models.Quiz, slug: str, values: dict[str, Any], lock: int | None,
                 user: str) -> models.EmbedProfile:
    """Create or update a partner look (``values`` may hold a new logo and its type)."""
    profile = db.session.scalar(select(models.EmbedProfile).where(
        models.EmbedProfile.quiz_id == quiz.id, models.EmbedProfile.slug == slug))

    def create() -> models.EmbedProfile:
        new = models.EmbedProfile(quiz_id=quiz.id, slug=slug)
        db.session.add(new)
        return new

    saved: models.EmbedProfile = _upsert(quiz, "embed-profile", f"{quiz.slug}/{slug}",
                                         PROFILE_FIELDS, profile, create, values, lock, user,
                                         snapshot=profile_state)
    return saved


def publish(quiz: models.Quiz, user: str, accept_audit: str | None = None,
            seen_version: int | None = None, seen_draft: str | None = None) -> int | None:
    """Publish the draft through the publish gate (``PublishRefused`` when it
    refuses and no ``accept_audit`` reason is given: nothing is stored then), unless the
    live version is no longer ``seen_version`` (``locking.AlreadyPublished``)."""
    try:
        publication = lifecycle.publish_quiz(quiz.slug, accept_audit=accept_audit,
                                            seen_version=seen_version, seen_draft=seen_draft)
    except (PublishRefused, AlreadyPublished, DraftChanged):
        db.session.rollback()
        raise
    if publication is not None:
        number = publication.number
        version = db.session.scalars(select(models.QuizVersion).where(
            models.QuizVersion.quiz_id == quiz.id, models.QuizVersion.number == number)).one()
        version.published_by = user
        record(user, quiz.slug, "version", f"{quiz.slug}/{number}", "publish", None,
               lifecycle.gate_log(publication))
    db.session.commit()
    return None if publication is None else publication.number


def rollback(quiz: models.Quiz, number: int, user: str, seen_version: int | None = None) -> None:
    """Make an earlier published version the live one again (nothing is deleted), unless
    the live version is no longer ``seen_version`` (``locking.AlreadyPublished``)."""
    if number not in {v.number for v in quiz.versions}:
        raise LookupError(number)
    before = quiz.published_version
    try:
        locking.claim_live(quiz, before if seen_version is None else seen_version)
    except AlreadyPublished:
        db.session.rollback()
        raise
    quiz.published_version = number
    published.forget_live_versions()
    record(user, quiz.slug, "version", f"{quiz.slug}/{number}", "rollback",
           {"version": before}, {"version": number})
    db.session.commit()
