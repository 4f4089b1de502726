"""Fixtures of the database tests: a migrated database holding a small influencer store."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.db.stores import ADVISOR_STORE, load_store


@pytest.fixture
def influencer_csv() -> str:
    """The store `db` holds; a test module that needs other influencers overrides this."""
    return ADVISOR_STORE


@pytest.fixture
def db(engine: Engine, influencer_csv: str) -> Engine:
    """A migrated database of this test's own with `influencer_csv` imported."""
    load_store(engine, influencer_csv)
    return engine
