"""Shared fixtures: a migrated database per test, on SQLite or PostgreSQL (see tests/testdb.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from models.db import make_engine, migrate
from tests import testdb


def pytest_report_header() -> str:
    return f"database backend: {testdb.backend()}"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty, migrated database, made once and copied for each test."""
    url = testdb.new_database(tmp_path_factory.mktemp("template"))
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    yield url
    testdb.drop_database(url)


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all, for tests of migrations from scratch."""
    url = testdb.new_database(tmp_path)
    yield url
    testdb.drop_database(url)


@pytest.fixture
def database_url(tmp_path: Path, migrated_template: str) -> Iterator[str]:
    """A migrated database of this test's own."""
    url = testdb.new_database(tmp_path, template=migrated_template)
    yield url
    testdb.drop_database(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
