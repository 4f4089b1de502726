"""Several bot processes on one database: work is split, never repeated.

Each "process" here is an engine of its own (its own connection pool) in a thread; on
PostgreSQL they really race, on SQLite the database serialises their writes.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlmodel import select

from bot.chat import router
from bot.chat.person import Person
from bot.delivery.lease import AdvisoryLease, TableLease, sender_lease
from bot.summaries.sweeper import STALE_CLAIM, Claim, claim_due
from models.campaigns import Campaign, SummaryRun, SummarySchedule
from models.conversations import Conversation, claim_update
from models.db import make_engine, session_scope
from tests import testdb
from tests.db.chat import call, texts

NOW = datetime(2026, 11, 27, 2, 0, 30, tzinfo=UTC)  # 09:00:30 WIB
CAMPAIGNS = 40


def _due_schedules(engine: Engine) -> None:
    with session_scope(engine) as session:
        for i in range(CAMPAIGNS):
            campaign = Campaign(
                owner_user_id=10_000 + i,
                name=f"Promo {i}",
                budget_idr=5_000_000,
                start_date=date(2026, 11, 1),
                end_date=date(2026, 12, 31),
            )
            session.add(campaign)
            session.flush()
            session.add(
                SummarySchedule(
                    campaign_id=campaign.id,
                    frequency="daily",
                    at_time="09:00",
                    created_at=NOW - timedelta(days=3),
                    updated_at=NOW - timedelta(days=3),
                )
            )


def _race(engines: list[Engine], work: Callable[[Engine], list]) -> list:
    """Run `work` once per engine at the same moment; every result, every error re-raised."""
    barrier = threading.Barrier(len(engines))
    results: list = []
    errors: list[BaseException] = []

    def run(engine: Engine) -> None:
        try:
            barrier.wait()
            results.extend(work(engine))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def processes(database_url: str) -> list[Engine]:
    engines = [make_engine(database_url) for _ in range(3)]
    yield engines
    for engine in engines:
        engine.dispose()


def _sweep(engine: Engine) -> list[Claim]:
    with session_scope(engine) as session:
        return claim_due(session, now=NOW)


def test_three_sweepers_claim_each_period_exactly_once(processes: list[Engine]) -> None:
    _due_schedules(processes[0])
    claims = _race(processes, _sweep)
    assert len(claims) == CAMPAIGNS
    assert len({(c.campaign_id, c.period_key) for c in claims}) == CAMPAIGNS
    with session_scope(processes[0]) as session:
        runs = session.exec(
            select(SummaryRun.campaign_id, SummaryRun.period_key, SummaryRun.status)
        ).all()
    sending = Counter((cid, key) for cid, key, status in runs if status == "sending")
    assert len(sending) == CAMPAIGNS and set(sending.values()) == {1}
    assert _race(processes, _sweep) == []  # nothing is due twice


def test_a_stale_claim_is_taken_over_by_exactly_one_process(processes: list[Engine]) -> None:
    _due_schedules(processes[0])
    first = _sweep(processes[0])  # this "process" dies before sending any of them
    assert len(first) == CAMPAIGNS
    later = NOW + STALE_CLAIM + timedelta(minutes=1)

    def sweep_later(engine: Engine) -> list[Claim]:
        with session_scope(engine) as session:
            return claim_due(session, now=later)

    retaken = _race(processes, sweep_later)
    assert sorted(c.run_id for c in retaken) == sorted(c.run_id for c in first)


def test_a_conversation_moves_between_processes(processes: list[Engine]) -> None:
    """Each message of one chat lands on another process; nothing is lost between them."""
    lia = Person(id=555, first_name="Lia", chat_id=555)
    out = call(processes[0], router.start, lia)
    for i, message in enumerate(
        ["jualan sambal", "penjualan", "5jt", "instagram", "Bandung", "online"], start=1
    ):
        out = call(processes[i % len(processes)], router.text_message, lia, message)
    recap = texts(out)
    assert "Kuliner" in recap and "Rp5.000.000" in recap and "Bandung" in recap
    with session_scope(processes[1]) as session:
        assert len(session.exec(select(Conversation).where(Conversation.chat_id == 555)).all()) == 1


def test_one_outbox_sender_at_a_time(database_url: str) -> None:
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        leases = [sender_lease(e, holder=f"p{i}", seconds=30) for i, e in enumerate(engines)]
        expected = AdvisoryLease if testdb.is_postgres() else TableLease
        assert all(isinstance(lease, expected) for lease in leases)
        assert leases[0].acquire() is not None
        assert leases[1].acquire() is None
        assert leases[0].renew()
        leases[0].release()
        assert leases[1].acquire() is not None
        assert leases[0].acquire() is None
        leases[1].release()
    finally:
        for engine in engines:
            engine.dispose()


@pytest.mark.skipif(not testdb.is_postgres(), reason="advisory locks are PostgreSQL's")
def test_a_dead_senders_advisory_lease_frees_at_once(database_url: str) -> None:
    first, second = make_engine(database_url), make_engine(database_url)
    try:
        dead, alive = AdvisoryLease(first), AdvisoryLease(second)
        assert dead.acquire() is not None and alive.acquire() is None
        # The process dies: PostgreSQL ends its connection and frees its locks, no expiry wait.
        with second.connect() as connection:
            connection.execute(
                # The timeout makes the call wait until the backend is gone (it only signals
                # otherwise); the database filter spares tests running beside this one.
                text(
                    "SELECT pg_terminate_backend(l.pid, 10000) FROM pg_locks l"
                    " JOIN pg_database d ON d.oid = l.database"
                    " WHERE l.locktype = 'advisory' AND l.objid = :k AND d.datname = current_database()"
                ),
                {"k": AdvisoryLease.KEY},
            )
        grant = alive.acquire()
        assert grant is not None and grant.took_over
        assert not dead.renew()  # the old holder notices and stops sending
        alive.release()
    finally:
        first.dispose()
        second.dispose()


def test_an_update_given_to_every_process_is_handled_by_one(processes: list[Engine]) -> None:
    """A webhook retry can reach another process while the first still works on it."""

    def claim(engine: Engine) -> list[bool]:
        results = []
        for update_id in range(1000, 1050):
            with session_scope(engine) as session:
                results.append(claim_update(session, update_id=update_id))
        return results

    wins = _race(processes, claim)
    assert wins.count(True) == 50 and wins.count(False) == 100
