"""Editor accounts: Flask-Login sessions, hashed passwords, roles.

Voters never log in. Editors edit drafts; admins also publish, roll back and
manage accounts.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Flask, Request, Response, abort
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash

from valgomat.editor import accounts, editing
from valgomat.extensions import db, limiter, login_manager
from valgomat.storage.models import User

P = ParamSpec("P")
R = TypeVar("R")


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)  # same work whether or not the user exists
        return None
    return user if check_password_hash(user.password_hash, password) else None


# A fixed hash of "not a real password" with Werkzeug's default parameters (scrypt
# N=2^15, r=8, p=1): checking against it costs what checking a real account costs,
# without hashing at every import (a fifth of a second of every start-up).
_DUMMY_HASH = ("scrypt:32768:8:1$RbPYC09hrykmw0Ma$c08e4a0e74cb12f24bbb1027e84d585708cdda6b825d"
               "429e766a75ea50a79a368177bef6bf963ee3b2d1794c0a2098999b770727e7fb6081741eabc89"
               "26a5dcf")


def create_user(email: str, password: str, role: str, by: str | None = None) -> User:
    """A new account; an admin's creation (``by``) goes to the audit log with it."""
    if "@" not in email or len(email) > 254:
        raise ValueError(f"'{email}' is not an e-mail address.")
    if find_user(email) is not None:
        raise ValueError(f"An account for {email} exists already.")
    user = User(email=email.strip(), password_hash=accounts.password_hash(password), role=role)
    db.session.add(user)
    if by is not None:
        editing.record(by, None, "user", user.email, "create", None,
                       {"email": user.email, "role": user.role})
    try:
        db.session.commit()
    except IntegrityError:  # created by someone else since find_user looked
        db.session.rollback()
        raise ValueError(f"An account for {email} exists already.") from None
    return user


def admin_required(view: Callable[P, R]) -> Callable[P, R]:
    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403, description="Only an admin can do this.")
        return view(*args, **kwargs)
    return wrapper


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session id ``"<id>:<session_token>"``, while that token is current."""
    user_id, _, token = session_id.partition(":")
    if not (token and user_id.isascii() and user_id.isdigit() and len(user_id) < 19):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not user.session_token:
        return None
    return user if hmac.compare_digest(user.session_token.encode(), token.encode()) else None


class CookieOnlySessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with no signing work when there is no cookie.

    Only editors have a session; a voter's or partner's request carries no cookie,
    and Flask would still build a signing serializer for it on every request.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """A response that read the session (it varies by cookie) is never stored by a
        shared cache, whatever its blueprint allowed: a last guard for public pages."""
        super().save_session(app, session, response)
        if "cookie" in response.vary and response.cache_control.public:
            response.headers["Cache-Control"] = "no-store"


def init_app(app: Flask) -> None:
    app.session_interface = CookieOnlySessions()
    # A page that reads the session gets "Vary: Cookie" and is never public (web.headers).
    # Flask-Login would read it on every request (to refresh a remember-me cookie) and for
    # every template (the user for `current_user`): only editor routes log in and out, so
    # that refresh runs after them, and templates get the lazy `current_user` proxy, which
    # reads the session only in the editor templates that name it.
    login_manager.init_app(app, add_context_processor=False)
    app.after_request_funcs[None].remove(login_manager._update_remember_cookie)
    app.after_request_funcs.setdefault("editor", []).append(login_manager._update_remember_cookie)
    app.jinja_env.globals["current_user"] = current_user
    login_manager.login_view = "editor.login"
    login_manager.session_protection = "strong"
    from valgomat.web.proxies import session_identifier

    login_manager._session_identifier_generator = session_identifier  # not X-Forwarded-For
    limiter.init_app(app)
    # Flask-Limiter also checks application-wide limits before every request. We set
    # none (only the login form and the match API are limited, by their decorators),
    # so that check would only cost time on every page of election-eve traffic. Flask-Limiter
    # has no public switch for it (the decorators call the same method themselves), so
    # this names a private method, and pyproject.toml pins Flask-Limiter's major version.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
