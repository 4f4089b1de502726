"""Migrations build exactly the schema the models describe, and re-running them is harmless."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

import models.tables  # noqa: F401
from models.db import make_engine, migrate, schema_is_current


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_migrate_is_idempotent_and_current(engine: Engine) -> None:
    migrate(engine)
    assert schema_is_current(engine)


def test_migrations_run_from_an_empty_database(empty_database_url: str) -> None:
    """On the backend under test (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""
    engine = make_engine(empty_database_url)
    try:
        assert not schema_is_current(engine)
        migrate(engine)
        assert schema_is_current(engine)
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
    finally:
        engine.dispose()
