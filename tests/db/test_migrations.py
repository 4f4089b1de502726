"""Migrations build exactly the schema the models describe, and re-running them is harmless."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

import models.tables  # noqa: F401
from models.db import migrate, schema_is_current


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_migrate_is_idempotent_and_current(engine: Engine) -> None:
    migrate(engine)
    assert schema_is_current(engine)
