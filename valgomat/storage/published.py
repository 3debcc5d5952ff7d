"""Published versions on the voter's hot path: cached per worker, robust to outages.

Published versions are immutable, so each one is read from the database once
per worker and kept (the live ones always, up to ``MAX_CACHED_VERSIONS`` in all,
the least recently used going first). Which version is live is checked for all
quizzes in one query at most every ``LIVE_CHECK_SECONDS``; a publish or rollback
in this worker forgets the check at once, and other workers and hosts see it
within those seconds.
When the database is unavailable, voters keep getting the versions already
cached, and only what was never cached fails. The same check reads the embed
profiles' lock versions, so that ``partner.themes`` knows when a partner's look
changed without asking the database on every request.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from valgomat.core.model import Quiz, quiz_from_dict
from valgomat.extensions import db
from valgomat.storage import models

LIVE_KEY, SNAPSHOT_KEY = "valgomat.live", "valgomat.storage.published"
MAX_CACHED_VERSIONS = 32  # per worker


@dataclass(frozen=True)
class LiveIndex:
    numbers: dict[str, int]  # slug → live version number, published quizzes only
    ids: dict[str, int]  # slug → quiz row id
    origins: dict[str, list[str]]  # slug → partner origins allowed to embed (all quizzes)
    profiles: dict[tuple[str, str], int]  # (quiz slug, embed profile slug) → its lock_version
    checked_at: float


def live_index() -> LiveIndex:
    state: LiveIndex | None = current_app.extensions.get(LIVE_KEY)
    ttl = float(current_app.config["LIVE_CHECK_SECONDS"])
    if state is not None and time.monotonic() - state.checked_at < ttl:
        return state
    try:
        rows = db.session.execute(select(models.Quiz.slug, models.Quiz.id,
                                         models.Quiz.published_version,
                                         models.Quiz.embed_origins)).all()
        profiles = db.session.execute(select(
            models.Quiz.slug, models.EmbedProfile.slug, models.EmbedProfile.lock_version)
            .join(models.Quiz)).all()
    except SQLAlchemyError:
        db.session.rollback()
        if state is None:
            raise
        current_app.logger.warning("Database unavailable: serving cached published versions.")
        return state
    state = LiveIndex({r.slug: r.published_version for r in rows
                       if r.published_version is not None},
                      {r.slug: r.id for r in rows},
                      {r.slug: list(r.embed_origins or []) for r in rows},
                      {(quiz, profile): lock for quiz, profile, lock in profiles},
                      time.monotonic())
    current_app.extensions[LIVE_KEY] = state
    return state


def forget_live_versions() -> None:
    """Call after a publish, rollback or allowlist change: this worker re-reads at once."""
    current_app.extensions.pop(LIVE_KEY, None)


def published_quiz(slug: str, version: int | None = None) -> Quiz | None:
    """The live (or a named earlier) published version of a quiz."""
    live = live_index()
    if slug not in live.numbers:
        return None
    number = live.numbers[slug] if version is None else version
    cache: OrderedDict[tuple[str, int], Quiz] = current_app.extensions.setdefault(
        SNAPSHOT_KEY, OrderedDict())
    key = (slug, number)
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    snapshot = db.session.scalar(select(models.QuizVersion.snapshot).where(
        models.QuizVersion.quiz_id == live.ids[slug], models.QuizVersion.number == number))
    if snapshot is None:
        return None
    cache[key] = quiz_from_dict(snapshot, version=number)
    _forget_old_versions(cache, live)
    return cache[key]


def _forget_old_versions(cache: OrderedDict[tuple[str, int], Quiz], live: LiveIndex) -> None:
    """Keep at most ``MAX_CACHED_VERSIONS``: the least recently used go, never a live one.

    Old versions are only reached through share links; each cached version also
    holds what was derived from it (scoring tables, rendered pieces).
    """
    while len(cache) > MAX_CACHED_VERSIONS:
        stale = next((key for key in cache if live.numbers.get(key[0]) != key[1]), None)
        if stale is None:
            return
        del cache[stale]


def published_quizzes() -> list[Quiz]:
    return [quiz for slug in sorted(live_index().numbers)
            if (quiz := published_quiz(slug)) is not None]


def partner_origins(slug: str | None) -> set[str]:
    """Origins allowed to embed and call the API: one quiz's, or any quiz's."""
    origins = live_index().origins
    if slug is not None:
        return set(origins.get(slug, ()))
    return {origin for listed in origins.values() for origin in listed}
