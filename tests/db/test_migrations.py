"""Migrations build exactly the schema the models describe, and re-running them is harmless."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, select, text
from sqlmodel import SQLModel

import models.tables  # noqa: F401
from models.base import utcnow
from models.db import MIGRATIONS_DIR, head_revision, make_engine, migrate, schema_is_current


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_head_read_from_the_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_heads() == [head_revision()]


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


def test_uploads_parked_in_conversation_rows_are_dropped(empty_database_url: str) -> None:
    """Older versions kept a waiting CSV base64-encoded in the conversation row."""
    engine = make_engine(empty_database_url)
    table = SQLModel.metadata.tables["conversation"]
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.upgrade(config, "0003")
            connection.execute(
                table.insert().values(
                    chat_id=1,
                    user_id=1,
                    step="k_add",
                    answers={
                        "pending_csv": "aGFuZGxl",
                        "pending_line": "@a reach 1",
                        "pending_budget": 5_000_000,
                        "flow": {"campaign_id": 3},
                    },
                    version=4,
                    updated_at=utcnow(),
                )
            )
        migrate(engine)
        with engine.connect() as connection:
            answers = connection.execute(select(table.c.answers)).scalar_one()
        assert answers == {"pending_budget": 5_000_000, "flow": {"campaign_id": 3}}
    finally:
        engine.dispose()


def test_search_rows_survive_the_change_of_key_both_ways(empty_database_url: str) -> None:
    """0014 rebuilds influencer_niche keyed by (niche, platform, scope, id); rows stay."""
    engine = make_engine(empty_database_url)
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0013")
            connection.execute(
                text(
                    "INSERT INTO influencer (id, scope, platform, handle, name, niches, followers,"
                    " price_idr, source, updated_at) VALUES (7, 'global', 'instagram', 'rina',"
                    " 'Rina', 'Kuliner|Gaya Hidup', 12000, 750000, 'import', '2026-12-01')"
                )
            )
            for position, niche in enumerate(("Kuliner", "Gaya Hidup")):
                connection.execute(
                    text(
                        "INSERT INTO influencer_niche (influencer_id, niche, platform, scope,"
                        " position, side, price_idr, city, province, value_awareness,"
                        " value_engagement, value_sales) VALUES (7, :niche, 'instagram',"
                        " 'global', :position, 'micro', 750000, 'Bandung', 'Jawa Barat', 1.5,"
                        " 2.5, 3.5)"
                    ),
                    {"niche": niche, "position": position},
                )
        read = text(
            "SELECT niche, position, price_idr, city, value_sales, ranking_version"
            " FROM influencer_niche ORDER BY position"
        )
        expected = [
            ("Kuliner", 0, 750000, "Bandung", 3.5, 1),
            ("Gaya Hidup", 1, 750000, "Bandung", 3.5, 1),
        ]
        migrate(engine)
        with engine.connect() as connection:
            assert [tuple(row) for row in connection.execute(read)] == expected
            differences = compare_metadata(
                MigrationContext.configure(connection), SQLModel.metadata
            )
            assert differences == []
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0013")
        with engine.connect() as connection:
            assert [tuple(row) for row in connection.execute(read)] == expected
        migrate(engine)
        with engine.begin() as connection:  # the account's entries still go with it
            connection.execute(text("DELETE FROM influencer WHERE id = 7"))
            assert connection.execute(text("SELECT count(*) FROM influencer_niche")).scalar() == 0
    finally:
        engine.dispose()
