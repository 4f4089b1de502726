"""Engine, sessions and start-up migrations (portable across SQLite and PostgreSQL)."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import logging
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

import models.migrations

if TYPE_CHECKING:
    from alembic.config import Config


class _QuietMigrations(logging.Filter):
    """Drops Alembic's per-start chatter; a migration that really runs still logs its line."""

    _CHATTER = ("Context impl", "Will assume")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self._CHATTER)


# Importing Alembic registers its autogenerate plugins with one INFO line each ("setup
# plugin ..."); the bot never autogenerates. Alembic is imported lazily below, after this.
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
logging.getLogger("alembic.runtime.migration").addFilter(_QuietMigrations())

MIGRATIONS_DIR = Path(models.migrations.__file__).resolve().parent
# Any constant works; it only has to be the same in every process of this app.
_PG_MIGRATION_LOCK_KEY = 0x554D4B4D  # "UMKM"
POOL_SIZE = 32
#: SQLite: how long a writer waits for the write lock before "database is locked" (seconds)
SQLITE_BUSY_SECONDS = 30.0
#: SQLite: how often a waiting writer tries the write lock again (seconds)
SQLITE_LOCK_POLL = 0.0005


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create the engine; SQLite gets WAL, a busy timeout and foreign keys."""
    parsed = make_url(url)
    kwargs: dict = {"echo": echo, "pool_pre_ping": True}
    if parsed.get_backend_name() == "postgresql":
        # One connection per database thread of the bot (handlers.app.DB_THREADS) plus the outbox
        # sender's lease; a smaller pool would queue updates behind each other.
        kwargs.update(pool_size=POOL_SIZE, max_overflow=8, pool_timeout=10)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


#: execution option of `read_only`'s engine
_READ_ONLY = "umkm_read_only"


def read_only(engine: Engine) -> Engine:
    """The same database, for transactions that only read.

    On SQLite they begin deferred: a snapshot of the WAL that never holds the write lock,
    so a long read (packing a niche of 100,000 accounts) does not keep the chat's writes
    waiting. A write in such a transaction fails; elsewhere this changes nothing.
    """
    return engine.execution_options(**{_READ_ONLY: True})


def _sqlite_begin(connection) -> None:
    """Take the write lock when a transaction starts, waiting up to SQLITE_BUSY_SECONDS.

    SQLite's default deferred transactions deadlock when two connections both read and then
    both write: one gets "database is locked" at once, whatever the busy timeout. Taking
    the lock up front makes writers queue instead. (pysqlite's own transaction handling
    is switched off in `_sqlite_on_connect`, so savepoints also behave.) Transactions that
    only read (`read_only`) cannot deadlock that way and begin deferred.
    """
    if connection.get_execution_options().get(_READ_ONLY):
        connection.exec_driver_sql("BEGIN")
        return
    _begin_immediate(connection.connection.dbapi_connection)


def _begin_immediate(raw: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, trying again every half millisecond while another writer holds the lock.

    SQLite's own busy handler sleeps longer and longer between tries (up to 100 ms), and a
    bulk import commits batch after batch with only a moment in between: a /start waiting
    that way missed gap after gap and stalled for up to 1.4 s during a big import. Short,
    even tries catch the first gap, so a writer waits about one import batch.
    """
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    raw.execute("PRAGMA busy_timeout=0")  # fail at once when busy: the loop below waits
    try:
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(SQLITE_LOCK_POLL)
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")


def _busy(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY or "locked" in str(error)


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextlib.contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _alembic_config(connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Two processes starting together must not both run the same migration."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        database = url.database
        if not database or database == ":memory:":
            yield
            return
        lock_path = Path(database).expanduser().resolve().with_suffix(".migrate.lock")
        with open(lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_MIGRATION_LOCK_KEY})
            connection.commit()


_REVISION_LINE = re.compile(r'^(down_revision|revision)\s*:[^=]*=\s*"?([0-9A-Za-z_]+|None)"?', re.M)


@functools.cache
def head_revision() -> str:
    """The newest revision, read from the migration files without importing Alembic.

    Alembic costs ~10 MB of memory once imported; a bot starting on a current schema (almost
    every start) needs only this comparison. Linear history: the head is the one revision
    no other names as its predecessor.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((key, value) for key, value in _REVISION_LINE.findall(path.read_text()))
        if "revision" in found:
            revisions.add(found["revision"])
            parents.add(found.get("down_revision", "None"))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it already is."""
    if current_revision(engine) == head_revision():
        return
    from alembic import command

    with _migration_lock(engine), engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")


def schema_is_current(engine: Engine) -> bool:
    """True when the database is at the newest revision (for health checks)."""
    return current_revision(engine) == head_revision()
