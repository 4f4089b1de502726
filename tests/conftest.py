"""Shared fixtures: a migrated database per test, on SQLite or PostgreSQL (see tests/testdb.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from models.db import make_engine, migrate
from tests import testdb

# Every database a test can get comes from one of these fixtures (tests/e2e's bots run on
# copies of `seeded_db`); a test that uses none of them runs the same on either backend.
DATABASE_FIXTURES = frozenset({"migrated_template", "empty_database_url", "seeded_db"})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests marked `database` (those that use a test database); "
        "the second backend's pass needs no others",
    )
    parser.addoption(
        "--e2e",
        choices=("include", "only", "skip"),
        default="include",
        help="keep the tests marked `e2e` with the others (default), or run only them, or "
        "none of them: scripts/test.sh runs a pass as two such halves at the same time",
    )


def pytest_report_header() -> str:
    return f"database backend: {testdb.backend()}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests that use a database, so a pass on another backend can pick just those."""
    for item in items:
        if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.database)
    wanted = [_database_wanted(config), _e2e_wanted(config)]
    kept = [item for item in items if all(want(item) for want in wanted)]
    if len(kept) < len(items):
        chosen = set(kept)
        config.hook.pytest_deselected(items=[item for item in items if item not in chosen])
        items[:] = kept


def _database_wanted(config: pytest.Config) -> Callable[[pytest.Item], bool]:
    if not config.getoption("database_tests_only"):
        return lambda item: True
    return lambda item: item.get_closest_marker("database") is not None


def _e2e_wanted(config: pytest.Config) -> Callable[[pytest.Item], bool]:
    choice = config.getoption("e2e")
    if choice == "include":
        return lambda item: True
    return lambda item: (item.get_closest_marker("e2e") is not None) == (choice == "only")


def pytest_runtest_setup(item: pytest.Item) -> None:
    testdb.marked_for_databases = item.get_closest_marker("database") is not None


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
