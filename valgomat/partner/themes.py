"""Partner looks (embed profiles) on the embed's hot path: cached per worker.

A themed embed page, its stylesheet and its logo need the profile on every
request. Each worker keeps the profiles it has served and reads one again only
when the live check (``storage.published.live_index``, every ``LIVE_CHECK_SECONDS``)
finds a new lock version for it, so an edit shows within those seconds on other
workers, and at once on the worker that saved it. When the database is
unavailable, the cached look keeps being served.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.exc import SQLAlchemyError

from valgomat.extensions import db
from valgomat.storage import models
from valgomat.storage.published import forget_live_versions, live_index

THEME_KEY = "valgomat.themes"


@dataclass(frozen=True)
class Theme:
    """The values of one embed profile, detached from the database session."""

    slug: str
    brand_colour: str
    accent_colour: str
    font: str
    radius: int
    logo: bytes | None
    logo_type: str | None
    lock_version: int
    updated_at: datetime


def embed_theme(quiz_slug: str, profile_slug: str) -> Theme | None:
    """The quiz's profile of that name, or None when it has none (or none could be read)."""
    key = (quiz_slug, profile_slug)
    wanted = live_index().profiles.get(key)
    cache: dict[tuple[str, str], Theme] = current_app.extensions.setdefault(THEME_KEY, {})
    cached = cache.get(key)
    if wanted is None:
        cache.pop(key, None)
        return None
    if cached is not None and cached.lock_version == wanted:
        return cached
    try:
        row = db.session.scalar(select(models.EmbedProfile).join(models.Quiz).where(
            models.Quiz.slug == quiz_slug, models.EmbedProfile.slug == profile_slug))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("Database unavailable: serving the cached embed profile.")
        return cached
    if row is None:
        return cached
    cache[key] = _theme(row)
    return cache[key]


def _theme(row: models.EmbedProfile) -> Theme:
    return Theme(row.slug, row.brand_colour, row.accent_colour, row.font, row.radius, row.logo,
                 row.logo_type, row.lock_version, row.updated_at)


@event.listens_for(models.EmbedProfile, "after_insert")
@event.listens_for(models.EmbedProfile, "after_update")
@event.listens_for(models.EmbedProfile, "after_delete")
def _saved_here(mapper: object, connection: object, target: models.EmbedProfile) -> None:
    """Whoever saves a profile in this worker (editor, command line) sees it at once."""
    if has_app_context():
        forget_live_versions()
