"""Every setting in one table: name, default, one-line help.

Configuration is layered: these defaults, then ``instance/config.py``, then
``VALGOMAT_<NAME>`` environment variables, then the mapping a test passes in.
``tests/test_docs.py`` fails when a setting here is missing from the README.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

DEV_SECRET_KEY = "dev-only-not-secret"
ENV_PREFIX = "VALGOMAT_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SECRET_KEY", DEV_SECRET_KEY,
            "Signs sessions and CSRF tokens; must be set to a random value in production."),
    Setting("DATABASE_URL", None,
            "SQLAlchemy URL; default is SQLite at instance/valgomat.sqlite3."),
    Setting("CONTENT_DIR", None,
            "Folder holding questions/ and positions/; default is the repository root."),
    Setting("PRODUCTION", False,
            "Refuse to start with the development secret key."),
    Setting("MAX_CONTENT_LENGTH", 64 * 1024,
            "Largest request body accepted, in bytes (larger gets 413)."),
    Setting("COMPRESS_BR_LEVEL", 6,
            "Brotli quality for compressed responses (higher is smaller and slower)."),
    Setting("RATELIMIT_STORAGE_URI", "memory://",
            "Where rate-limit counters live: memory:// per process, redis://host:6379 shared."),
    Setting("LOGIN_RATE_LIMIT", "10 per minute;50 per hour",
            "Login attempts allowed per client address (Flask-Limiter syntax)."),
    Setting("EDITOR_SESSION_HOURS", 12,
            "Hours an editor's login lasts (the session cookie's age limit; also its forms')."),
    Setting("EDITOR_AUDIT_VOTERS", 200_000,
            "Simulated voters in the editor's audit page (the CLI audit uses 1,000,000)."),
    Setting("LIVE_CHECK_SECONDS", 2,
            "How often a worker checks which version is live (a publish shows within this)."),
    Setting("MATCH_RATE_LIMIT", "120 per minute",
            "Match API calls allowed per client address (Flask-Limiter syntax)."),
    Setting("TRUSTED_PROXIES", 0,
            "Proxy hops in front of the app whose X-Forwarded-For/-Proto/-Host/-Port count "
            "(0: none; such headers are ignored)."),
    Setting("DEFAULT_LANGUAGE", "nb", "Interface language when none is chosen."),
    Setting("LANGUAGES", ["nb", "sv", "en", "de"], "Interface languages offered."),
)

_CONVERTERS: dict[type, Callable[[str], Any]] = {
    bool: lambda v: v.lower() in {"1", "true", "yes", "on"}, int: int, list: json.loads}


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill ``app.config`` from defaults, instance file, environment and test mapping."""
    for setting in SETTINGS:
        app.config[setting.name] = setting.default
    app.config.from_pyfile("config.py", silent=True)
    _warn_unknown_keys(app, Path(app.instance_path) / "config.py")
    for setting in SETTINGS:
        raw = os.environ.get(ENV_PREFIX + setting.name)
        if raw is not None:
            app.config[setting.name] = _convert(setting, raw)
    if test_config:
        app.config.update(test_config)
    _finish(app)


def _convert(setting: Setting, raw: str) -> Any:
    convert = _CONVERTERS.get(type(setting.default))
    try:
        return convert(raw) if convert else raw
    except ValueError:
        kind = type(setting.default).__name__
        raise RuntimeError(f"{ENV_PREFIX}{setting.name}={raw!r} is not a valid {kind}.") from None


def _warn_unknown_keys(app: Flask, path: Path) -> None:
    if not path.exists():
        return
    namespace: dict[str, Any] = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102 - trusted file
    known = {s.name for s in SETTINGS}
    for key in namespace:
        if key.isupper() and key not in known and key not in app.config:
            warnings.warn(f"{path}: unknown setting {key}", stacklevel=2)


def _finish(app: Flask) -> None:
    if app.config["PRODUCTION"] and app.config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise RuntimeError("Set VALGOMAT_SECRET_KEY: the development key is refused in production.")
    url = app.config["DATABASE_URL"] or (
        "sqlite:///" + str(Path(app.instance_path) / "valgomat.sqlite3"))
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    app.config["CONTENT_DIR"] = app.config["CONTENT_DIR"] or str(
        Path(__file__).resolve().parent.parent)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config["PRODUCTION"])
    # Flask refuses a session cookie signed longer ago than this (31 days by default); a
    # form's CSRF token lasts as long as the login, not Flask-WTF's default hour.
    session_age = timedelta(hours=app.config["EDITOR_SESSION_HOURS"])
    app.config["PERMANENT_SESSION_LIFETIME"] = session_age
    app.config["WTF_CSRF_TIME_LIMIT"] = int(session_age.total_seconds())
    app.config["REMEMBER_COOKIE_SECURE"] = bool(app.config["PRODUCTION"])
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
