"""Changes to editor accounts: passwords, deactivation and the end of sessions.

Every session cookie names its user as ``"<id>:<session_token>"`` (``User.get_id``);
a new token ends every session signed with the old one. The token is renewed at
logout, at every password change and at deactivation. Account changes go to the
editors' audit log, never with password data.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from valgomat import editing
from valgomat.extensions import db
from valgomat.models import User

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
    if not active and user.is_admin and _active_admins() <= 1:
        raise AccountRefused(f"{user.email} is the last active admin; make another admin "
                             "first.")
    user.active = active
    if not active:
        end_sessions(user)
    editing.record(by, None, "user", user.email, "activate" if active else "deactivate",
                   {"active": not active}, {"active": active})
    db.session.commit()


def _active_admins() -> int:
    return db.session.scalar(select(func.count(User.id)).where(
        User.role == "admin", User.active.is_(True))) or 0
