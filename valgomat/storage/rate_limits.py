"""Rate-limit counters in the app's own database: ``RATELIMIT_STORAGE_URI=database://``.

gunicorn runs several worker processes, and with ``memory://`` each kept its own
counters, so a login limit of 10 a minute let through about 45. Counting in the
database (SQLite or PostgreSQL, whichever the app uses) makes a limit hold for the
whole instance and for every server on the same database, with nothing more to run.
Redis remains the choice at scale: this costs one small write per limited request.

This is a `limits` storage (the library under Flask-Limiter), registered by its
``STORAGE_SCHEME``; it supports the fixed-window strategy, Flask-Limiter's default.
Each increment is a single upsert, so concurrent workers never lose a count.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any

from limits.storage import Storage
from sqlalchemy import Integer, Table, bindparam, case, create_engine, delete, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.dml import ReturningInsert

from valgomat.storage.models import RateLimitCounter

COUNTERS = RateLimitCounter.__table__
PURGE_EVERY_SECONDS = 60.0
_INSERTS: dict[str, Callable[[Table], postgresql.Insert | sqlite.Insert]] = {
    "postgresql": postgresql.insert, "sqlite": sqlite.insert}


class DatabaseStorage(Storage):
    """Counters in the ``rate_limit_counters`` table of the current app's database."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._last_purge = 0.0

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        engine = _engine()
        with engine.connect() as connection:
            count = connection.execute(_upsert(engine.dialect.name), {
                "key": key, "amount": amount, "expires_at": now + expiry, "now": now,
            }).scalar_one()
            if now - self._last_purge > PURGE_EVERY_SECONDS:
                self._last_purge = now
                connection.execute(delete(COUNTERS).where(COUNTERS.c.expires_at <= now))
        return int(count)

    def get(self, key: str) -> int:
        with _engine().connect() as connection:
            count = connection.execute(select(COUNTERS.c.count).where(
                COUNTERS.c.key == key, COUNTERS.c.expires_at > time.time())).scalar()
        return int(count or 0)

    def get_expiry(self, key: str) -> float:
        now = time.time()
        with _engine().connect() as connection:
            expires_at = connection.execute(select(COUNTERS.c.expires_at).where(
                COUNTERS.c.key == key, COUNTERS.c.expires_at > now)).scalar()
        return float(expires_at or now)

    def check(self) -> bool:
        try:
            with _engine().connect() as connection:
                connection.execute(select(COUNTERS.c.key).limit(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with _engine().connect() as connection:
            return int(connection.execute(delete(COUNTERS)).rowcount)

    def clear(self, key: str) -> None:
        with _engine().connect() as connection:
            connection.execute(delete(COUNTERS).where(COUNTERS.c.key == key))


@functools.cache
def _upsert(dialect: str) -> ReturningInsert[Any]:
    """Add ``amount`` to the counter, or start it afresh when its window has ended, in
    one statement (SET expressions all read the row as it was). Built once: making
    the statement costs more than running it."""
    expired = COUNTERS.c.expires_at <= bindparam("now")
    amount = bindparam("amount", type_=Integer)
    insert = _INSERTS[dialect](COUNTERS).values(
        key=bindparam("key"), count=amount, expires_at=bindparam("expires_at"))
    return insert.on_conflict_do_update(index_elements=[COUNTERS.c.key], set_={
        "count": case((expired, amount), else_=COUNTERS.c.count + amount),
        "expires_at": case((expired, bindparam("expires_at")), else_=COUNTERS.c.expires_at),
    }).returning(COUNTERS.c.count)


def _engine() -> Engine:
    from flask import current_app

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _ENGINES[url] = _counter_engine(url)
            while len(_ENGINES) > MAX_ENGINES:  # a worker serves one app; tests make many
                _ENGINES.pop(next(iter(_ENGINES))).dispose()  # closes its pooled connections
    return engine


MAX_ENGINES = 4
_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _counter_engine(url: str) -> Engine:
    """The counters' own engine on the app's database (Flask-Limiter keeps one storage
    per process, whichever app is active). Autocommit: an increment is one statement
    and one round trip, with no transaction around it."""
    if url.startswith("sqlite"):
        engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=1)
        event.listen(engine, "connect", _sqlite_write_ahead_log)
        return engine
    # A counter lost in a crash costs nothing; waiting for the disk at each increment would.
    return create_engine(url, isolation_level="AUTOCOMMIT", pool_size=2,
                         connect_args={"options": "-c synchronous_commit=off"})


def _sqlite_write_ahead_log(dbapi_connection: Any, _record: Any) -> None:
    """Several workers write counters into the one file. SQLite's default journal locks
    every reader out while one writes and waits for the disk at each commit (15 ms a
    match call); in WAL mode (which then holds for the whole file) readers go on, and
    with synchronous=NORMAL a counter write waits for no disk."""
    cursor = dbapi_connection.cursor()
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
