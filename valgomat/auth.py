"""Editor accounts: Flask-Login sessions, hashed passwords, roles, the CLI.

Voters never log in. Editors edit drafts; admins also publish, roll back and
manage accounts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click
from flask import Flask, Request, abort
from flask.cli import with_appcontext
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from valgomat.extensions import db, limiter, login_manager
from valgomat.models import User

ROLES = ("admin", "editor")
MIN_PASSWORD_LENGTH = 12
F = TypeVar("F", bound=Callable[..., Any])


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


def create_user(email: str, password: str, role: str) -> User:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if "@" not in email or len(email) > 254:
        raise ValueError(f"'{email}' is not an e-mail address.")
    if find_user(email) is not None:
        raise ValueError(f"An account for {email} exists already.")
    user = User(email=email.strip(), password_hash=generate_password_hash(password), role=role)
    db.session.add(user)
    db.session.commit()
    return user


def admin_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403, description="Only an admin can do this.")
        return view(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


editor_cli = click.Group("editor", help="Manage editor accounts.")


@editor_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
@with_appcontext
def create_command(email: str, role: str) -> None:
    """Create an account; the password is prompted for, or read from stdin."""
    from flask_migrate import upgrade

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    upgrade()
    try:
        user = create_user(email, password, role)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {user.role} {user.email}.")


class CookieOnlySessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with no signing work when there is no cookie.

    Only editors have a session; a voter's or partner's request carries no cookie,
    and Flask would still build a signing serializer for it on every request.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    app.session_interface = CookieOnlySessions()
    login_manager.init_app(app)
    login_manager.login_view = "editor.login"
    login_manager.session_protection = "strong"
    from valgomat.proxies import session_identifier

    login_manager._session_identifier_generator = session_identifier  # not X-Forwarded-For
    limiter.init_app(app)
    # Flask-Limiter also checks application-wide limits before every request. We set
    # none (only the login form and the match API are limited, by their decorators),
    # so that check would only cost time on every page of election-eve traffic.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    app.cli.add_command(editor_cli)
