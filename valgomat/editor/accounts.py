"""Changes to editor accounts: passwords, deactivation and the end of sessions.

Every session cookie names its user as ``"<id>:<session_token>"`` (``User.get_id``);
a new token ends every session signed with the old one. The token is renewed at
logout, at every password change and at deactivation. Account changes go to the
editors' audit log, never with password data.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased
from werkzeug.security import generate_password_hash

from valgomat.editor import editing
from valgomat.extensions import db
from valgomat.storage.models import User

MIN_PASSWORD_LENGTH = 12


class AccountRefused(ValueError):
    """An account change the rules forbid; the message says why."""


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None. Nothing is trimmed: it is used as typed."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"The password needs at least {MIN_PASSWORD_LENGTH} characters."
    if not password.strip():
        return "The password must be not only spaces."
    return None


def password_hash(password: str) -> str:
    problem = password_problem(password)
    if problem:
        raise AccountRefused(problem)
    return generate_password_hash(password)


def end_sessions(user: User) -> None:
    """Revoke every session of ``user`` (the caller commits)."""
    user.session_token = secrets.token_urlsafe(32)


def log_out(user: User) -> None:
    """End every session of ``user``, so that a copy of the cookie does not outlive the
    logout."""
    end_sessions(user)
    db.session.commit()


def set_password(user: User, password: str, by: str) -> None:
    user.password_hash = password_hash(password)
    end_sessions(user)
    editing.record(by, None, "user", user.email, "password", None,
                   {"sessions": "ended", "by": "themself" if by == user.email else by})
    db.session.commit()


def set_active(user: User, active: bool, by: str) -> None:
    """Deactivate (ending its sessions) or reactivate an account.

    Nobody deactivates their own account, and the last active admin stays, so
    the newsroom can always manage its accounts."""
    if user.active == active:
        return
    if not active and user.email == by:
        raise AccountRefused("You cannot deactivate your own account.")
    if not active and user.is_admin and not _deactivate_admin(user):
        db.session.rollback()  # and with it the admins' row locks
        raise AccountRefused(f"{user.email} is the last active admin; make another admin "
                             "first.")
    user.active = active
    if not active:
        end_sessions(user)
    editing.record(by, None, "user", user.email, "activate" if active else "deactivate",
                   {"active": not active}, {"active": active})
    db.session.commit()


def _deactivate_admin(user: User) -> bool:
    """Deactivate an admin only while another active admin remains, so two admins
    deactivating each other at once cannot both succeed. PostgreSQL: the active
    admins' rows stay locked until the commit (the second waits, then sees the
    first's change). SQLite: the check is inside the one UPDATE, which runs under
    the database's write lock."""
    db.session.scalars(select(User.id).where(
        User.role == "admin", User.active.is_(True)).with_for_update()).all()
    others = aliased(User)
    another_admin = select(func.count(others.id)).where(
        others.role == "admin", others.active.is_(True), others.id != user.id).scalar_subquery()
    result = db.session.execute(
        update(User).where(User.id == user.id, another_admin >= 1).values(active=False)
        .execution_options(synchronize_session=False))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]  # an UPDATE's CursorResult
