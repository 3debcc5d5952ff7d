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

ENV_PREFIX = "VALGOMAT_"
# Shorter keys, or keys of a few characters repeated, are refused at start-up.
MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_DISTINCT = 8
KEY_RECIPE = "python -c 'import secrets; print(secrets.token_hex(32))'"
ON_OFF_WORDS = {"1": True, "true": True, "yes": True, "on": True,
                "0": False, "false": False, "no": False, "off": False}
ON_OFF_HINT = "use one of 1/0, true/false, yes/no, on/off (any case)"
DATABASE_STORAGE = "database://"


MAX_SESSION_HOURS = 24 * 31  # Flask's own default lifetime


class ConfigError(RuntimeError):
    """A setting that cannot work, refused at start-up with a message naming it."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SECRET_KEY", None,
            "Signs sessions and CSRF tokens (32 characters or more); required in production. "
            "Unset in development: a random key made once in instance/secret_key."),
    Setting("DATABASE_URL", None,
            "SQLAlchemy URL; default is SQLite at instance/valgomat.sqlite3."),
    Setting("CONTENT_DIR", None,
            "Folder holding questions/ and positions/; default is the repository root."),
    Setting("PRODUCTION", False,
            "Require a configured secret key, mark cookies secure, send HSTS."),
    Setting("MAX_CONTENT_LENGTH", 64 * 1024,
            "Largest request body accepted, in bytes (larger gets 413)."),
    Setting("COMPRESS_BR_LEVEL", 6,
            "Brotli quality for compressed responses (higher is smaller and slower)."),
    Setting("RATELIMIT_STORAGE_URI", DATABASE_STORAGE,
            "Where rate-limit counters live: database:// the app's own database (shared by "
            "every worker and server), redis://host:6379 shared, memory:// per process."),
    Setting("LOGIN_RATE_LIMIT", "10 per minute;50 per hour",
            "Login attempts allowed per client address (Flask-Limiter syntax)."),
    Setting("EDITOR_SESSION_HOURS", 12,
            "Hours an editor's login lasts (the session cookie's age limit; also its forms')."),
    Setting("EDITOR_AUDIT_VOTERS", 200_000,
            "Simulated voters in the editor's audit page (the CLI audit uses 1,000,000)."),
    Setting("LIVE_CHECK_SECONDS", 2,
            "How often a worker checks which version is live (a publish shows within this)."),
    Setting("CACHE_MAX_AGE", 60,
            "Seconds browsers and shared caches may keep an answer-free page or API GET "
            "(a publish shows within this); versioned documents are kept for good."),
    Setting("MATCH_RATE_LIMIT", "120 per minute",
            "Match API calls allowed per client address (Flask-Limiter syntax)."),
    Setting("TRUSTED_PROXIES", 0,
            "Proxy hops in front of the app whose X-Forwarded-For/-Proto/-Host/-Port count "
            "(0: none; such headers are ignored)."),
    Setting("DEFAULT_LANGUAGE", "nb", "Interface language when none is chosen."),
    Setting("LANGUAGES", ["nb", "sv", "en", "de"], "Interface languages offered."),
)



def parse_on_off(raw: str) -> bool:
    """Exactly the words of ON_OFF_WORDS: anything else is a mistake, never "off"."""
    try:
        return ON_OFF_WORDS[raw.strip().lower()]
    except KeyError:
        raise ValueError(ON_OFF_HINT) from None


_CONVERTERS: dict[type, Callable[[str], Any]] = {bool: parse_on_off, int: int, list: json.loads}


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
    except ValueError as exc:
        kind = type(setting.default).__name__
        hint = f": {exc}" if convert is parse_on_off else ""
        raise ConfigError(f"{ENV_PREFIX}{setting.name}={raw!r} is not a valid {kind}{hint}."
                          ) from None


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
    _check_on_off_settings(app)
    app.config["CACHE_MAX_AGE"] = _cache_max_age(app.config["CACHE_MAX_AGE"])
    app.config["SECRET_KEY"] = _secret_key(app)
    _rate_limit_storage(app)
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
    session_age = timedelta(hours=_session_hours(app.config["EDITOR_SESSION_HOURS"]))
    app.config["PERMANENT_SESSION_LIFETIME"] = session_age
    app.config["WTF_CSRF_TIME_LIMIT"] = int(session_age.total_seconds())
    app.config["REMEMBER_COOKIE_SECURE"] = bool(app.config["PRODUCTION"])
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"


def _check_on_off_settings(app: Flask) -> None:
    """On/off settings from instance/config.py or a caller may be text or 0/1 too."""
    for setting in SETTINGS:
        value = app.config[setting.name]
        if type(setting.default) is not bool or isinstance(value, bool):
            continue
        if isinstance(value, str) and value.strip().lower() in ON_OFF_WORDS:
            app.config[setting.name] = parse_on_off(value)
        elif isinstance(value, int) and value in (0, 1):
            app.config[setting.name] = bool(value)
        else:
            raise ConfigError(f"{setting.name}={value!r} is not on or off: {ON_OFF_HINT}.")


def _cache_max_age(seconds: Any) -> int:
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise ConfigError(f"CACHE_MAX_AGE={seconds!r} is not a whole number of seconds (0 or "
                          "more).")
    return seconds


def _session_hours(hours: Any) -> int:
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= MAX_SESSION_HOURS:
        raise ConfigError(f"EDITOR_SESSION_HOURS={hours!r} is not a whole number of hours from 1 "
                          f"to {MAX_SESSION_HOURS}.")
    return hours


def _secret_key(app: Flask) -> str | bytes:
    key = app.config["SECRET_KEY"]
    source = f"{ENV_PREFIX}SECRET_KEY (or SECRET_KEY in instance/config.py)"
    if key is None and app.config["PRODUCTION"]:
        raise ConfigError(f"Set {source} to a random value: production never generates a "
                          f"key. For example: {KEY_RECIPE}")
    if key is None:
        from valgomat.web.secret_key import KEY_FILE, instance_secret_key

        source = str(Path(app.instance_path) / KEY_FILE)
        try:
            key = instance_secret_key(Path(app.instance_path))
        except OSError as exc:
            raise ConfigError(f"No SECRET_KEY is configured and {source} cannot be made or "
                              f"read ({exc.strerror}): set {ENV_PREFIX}SECRET_KEY.") from None
    if not isinstance(key, str | bytes):
        raise ConfigError(f"{source} must be text, not {type(key).__name__}.")
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < MIN_SECRET_KEY_DISTINCT:
        raise ConfigError(
            f"{source} is too weak ({len(key)} characters, {len(set(key))} different): it needs "
            f"at least {MIN_SECRET_KEY_LENGTH} characters, with at least "
            f"{MIN_SECRET_KEY_DISTINCT} different ones. For example: {KEY_RECIPE}")
    return key


def _rate_limit_storage(app: Flask) -> None:
    if str(app.config["RATELIMIT_STORAGE_URI"]).startswith(DATABASE_STORAGE):
        import valgomat.storage.rate_limits  # noqa: F401 - registers database:// with `limits`

        # While the database is down, count per worker rather than fail the request.
        app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
