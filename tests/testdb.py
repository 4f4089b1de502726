"""Test databases on either backend: SQLite files, or databases on a PostgreSQL server.

Set TEST_DATABASE_URL to a PostgreSQL server's URL (any database on it, e.g.
`postgresql+psycopg://postgres@127.0.0.1:5432/postgres`) to run the suite on PostgreSQL;
`scripts/test.sh` starts a throw-away server and does so. Without it every test uses SQLite.
Each test gets its own database; copies are made with `CREATE DATABASE ... TEMPLATE`, so a
migrated or seeded database is built once per session.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SERVER_URL = os.environ.get("TEST_DATABASE_URL", "")
_counter = itertools.count(1)
_PREFIX = f"t{os.getpid()}_{uuid.uuid4().hex[:6]}"
# False while a test without the `database` marker runs (tests/conftest.py sets it): such a
# test is left out of the PostgreSQL pass, so it must not make a database of its own.
marked_for_databases = True


def backend() -> str:
    return "postgresql" if is_postgres() else "sqlite"


def is_postgres() -> bool:
    return SERVER_URL.startswith("postgresql")


def _admin_execute(statement: str) -> None:
    engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def _url_for(name: str) -> str:
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def new_database(directory: Path, *, template: str | None = None) -> str:
    """A new database (empty, or a copy of `template`'s URL) and its URL."""
    assert marked_for_databases, (
        "a test that makes a database must be marked `database` (use a database fixture, "
        "or @pytest.mark.database), or the PostgreSQL pass leaves it out"
    )
    if not is_postgres():
        path = directory / f"db{next(_counter)}.sqlite3"
        if template is not None:
            source = make_url(template).database
            assert source, f"not a SQLite file URL: {template}"
            shutil.copy(source, path)
        return f"sqlite:///{path}"
    name = f"{_PREFIX}_{next(_counter)}"
    if template is None:
        _admin_execute(f'CREATE DATABASE "{name}"')
    else:
        _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(template).database}"')
    return _url_for(name)


def drop_database(url: str) -> None:
    """Drop a PostgreSQL test database (connections still open are closed); files stay."""
    if url.startswith("postgresql"):
        _admin_execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
