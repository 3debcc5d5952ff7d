"""Flask extensions, created unbound here and bound in ``create_app``.

``db`` is created on import. The web extensions are created when first imported
(PEP 562 ``__getattr__``, one object each), so that a command needing only the
database (``create_database_app``) does not load the web stack.
"""

import sqlite3
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

if TYPE_CHECKING:
    from flask_babel import Babel
    from flask_compress import Compress
    from flask_limiter import Limiter
    from flask_login import LoginManager
    from flask_migrate import Migrate
    from flask_wtf import CSRFProtect

    migrate: Migrate
    csrf: CSRFProtect
    babel: Babel
    compress: Compress
    login_manager: LoginManager
    limiter: Limiter


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def _migrate() -> Any:
    from flask_migrate import Migrate

    return Migrate()


def _csrf() -> Any:
    from flask_wtf import CSRFProtect

    return CSRFProtect()


def _babel() -> Any:
    from flask_babel import Babel

    return Babel()


def _compress() -> Any:
    from flask_compress import Compress

    return Compress()


def _login_manager() -> Any:
    from flask_login import LoginManager

    return LoginManager()


def _limiter() -> Any:
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address

    # No default limits: only the routes that need one (login, later the match API) get it.
    return Limiter(key_func=get_remote_address, default_limits=[])


_WEB: dict[str, Callable[[], Any]] = {
    "migrate": _migrate, "csrf": _csrf, "babel": _babel, "compress": _compress,
    "login_manager": _login_manager, "limiter": _limiter}
_CREATING = threading.Lock()


def __getattr__(name: str) -> Any:
    """A web extension, created on first use and kept as a module attribute."""
    factory = _WEB.get(name)
    if factory is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _CREATING:
        if name not in globals():
            globals()[name] = factory()
    return globals()[name]


@event.listens_for(Engine, "connect")
def _enforce_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys unless asked, per connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
