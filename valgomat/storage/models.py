"""The database schema: typed SQLAlchemy 2 models.

Natural keys are the content slugs (unique per quiz). The draft lives in the
normalised tables (``quizzes`` … ``positions``); publishing freezes the draft
into an immutable ``quiz_versions`` row holding the canonical JSON snapshot,
which is all voters and the API ever read. Schema changes go through Alembic
migrations in ``valgomat/storage/migrations``; a test checks models and migrations agree.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from valgomat.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


Json = dict[str, Any]

# db.Model is made at run time (Flask-SQLAlchemy), so mypy sees no class to subclass:
# hence the ignore on every model's base, and the models type as Any.

class Quiz(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[Json] = mapped_column(JSON)
    description: Mapped[Json] = mapped_column(JSON, default=dict)
    languages: Mapped[list[str]] = mapped_column(JSON)
    scale: Mapped[int]
    method: Mapped[str] = mapped_column(String(20))
    missing: Mapped[str] = mapped_column(String(20))
    importance_multiplier: Mapped[float]
    quotes_required: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Partner origins (scheme://host[:port]) allowed to frame the embed pages and call the API.
    embed_origins: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    published_version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
    # Bumped by settings edits only (publishing must not conflict with an open form).
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Bumped by saves of the partner-origin allowlist (its own form, its own lock).
    origins_lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    topics: Mapped[list[Topic]] = relationship(
        back_populates="quiz", cascade="all, delete-orphan", order_by="Topic.position")
    statements: Mapped[list[Statement]] = relationship(
        back_populates="quiz", cascade="all, delete-orphan",
        order_by=lambda: (Statement.order, Statement.id))
    parties: Mapped[list[Party]] = relationship(
        back_populates="quiz", cascade="all, delete-orphan", order_by="Party.slug")
    versions: Mapped[list[QuizVersion]] = relationship(
        back_populates="quiz", cascade="all, delete-orphan", order_by="QuizVersion.number")


class Topic(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "topics"
    __table_args__ = (UniqueConstraint("quiz_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(100))
    name: Mapped[Json] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": lock_version}

    quiz: Mapped[Quiz] = relationship(back_populates="topics")


class Statement(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "statements"
    __table_args__ = (UniqueConstraint("quiz_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(100))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"))
    text: Mapped[Json] = mapped_column(JSON)
    explanation: Mapped[Json] = mapped_column(JSON, default=dict)
    weight: Mapped[float] = mapped_column(default=1.0)
    order: Mapped[int] = mapped_column("sort_order", default=0)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": lock_version}

    quiz: Mapped[Quiz] = relationship(back_populates="statements")
    topic: Mapped[Topic] = relationship()


class Party(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "parties"
    __table_args__ = (UniqueConstraint("quiz_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(50))
    colour: Mapped[str] = mapped_column(String(7))
    program: Mapped[Json] = mapped_column(JSON, default=dict)
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": lock_version}

    quiz: Mapped[Quiz] = relationship(back_populates="parties")
    positions: Mapped[list[Position]] = relationship(
        back_populates="party", cascade="all, delete-orphan")


class Position(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "positions"
    __table_args__ = (UniqueConstraint("party_id", "statement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    value: Mapped[int | None]
    quote: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str | None] = mapped_column(String(10))
    justification: Mapped[Json] = mapped_column(JSON, default=dict)
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": lock_version}

    party: Mapped[Party] = relationship(back_populates="positions")
    statement: Mapped[Statement] = relationship()


class QuizVersion(db.Model):  # type: ignore[name-defined,misc]
    """An immutable published version: the frozen canonical snapshot of a draft."""

    __tablename__ = "quiz_versions"
    __table_args__ = (UniqueConstraint("quiz_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    number: Mapped[int]
    snapshot: Mapped[Json] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(254))
    # The publish gate (core.audit.gate): the admin's reason when the version was
    # published although the gate refused it, and the gate's blocking warnings then
    # ([] when it passed; also kept for uncurated imports, which the gate never
    # refuses; NULL for versions published before the gate existed).
    published_despite: Mapped[str | None] = mapped_column(Text)
    gate_warnings: Mapped[list[Json] | None] = mapped_column(JSON)

    quiz: Mapped[Quiz] = relationship(back_populates="versions")


class ContentLoad(db.Model):  # type: ignore[name-defined,misc]
    """One run of ``content load``: which files (by hash) went in, and when."""

    __tablename__ = "content_loads"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(Text)
    quizzes: Mapped[list[str]] = mapped_column(JSON)
    changed: Mapped[list[str]] = mapped_column(JSON)
    published: Mapped[list[str]] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EmbedProfile(db.Model):  # type: ignore[name-defined,misc]
    """A partner's look for the embedded quiz: validated values only, no free CSS."""

    __tablename__ = "embed_profiles"
    __table_args__ = (UniqueConstraint("quiz_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(100))
    brand_colour: Mapped[str] = mapped_column(String(7))
    accent_colour: Mapped[str] = mapped_column(String(7))
    font: Mapped[str] = mapped_column(String(20), default="system")
    radius: Mapped[int] = mapped_column(default=6)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(30))
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": lock_version}
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)


class User(db.Model):  # type: ignore[name-defined,misc]
    """An editor or admin of the newsroom; voters never have accounts."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default="editor")
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Part of every session cookie's user id; a new token (on logout, password change or
    # deactivation) revokes every session signed with the old one.
    session_token: Mapped[str] = mapped_column(
        String(64), default=lambda: secrets.token_urlsafe(32), server_default="")

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        return self.active

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """What the session cookie holds: the id with the current session token."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class Change(db.Model):  # type: ignore[name-defined,misc]
    """One entry of the editors' audit log: who changed what, when, before and after."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_email: Mapped[str] = mapped_column(String(254), index=True)
    quiz_slug: Mapped[str | None] = mapped_column(String(100), index=True)
    entity: Mapped[str] = mapped_column(String(20))
    entity_key: Mapped[str] = mapped_column(String(220))
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[Json | None] = mapped_column(JSON)
    after: Mapped[Json | None] = mapped_column(JSON)


class RateLimitCounter(db.Model):  # type: ignore[name-defined,misc]
    """One fixed-window rate-limit counter (``valgomat/storage/rate_limits.py``): the
    login and match limits count here, so every worker and server shares them."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    count: Mapped[int]
    # Unix time at which the window ends; expired rows count as absent and are reused.
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class ProgramText(db.Model):  # type: ignore[name-defined,misc]
    """A party program's text, kept once per content (``valgomat/storage/programs.py``);
    a published version's ``Program.sha256`` names the text its quotes were checked in."""

    __tablename__ = "program_texts"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
