"""The send budget over the database: several processes on one database share one budget.

Each "process" is an engine of its own (its own connection pool) and an event loop of its
own in a thread, as in test_several_processes.py; on PostgreSQL they really race.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import Engine, select, update

from bot.delivery.budget import SendBudget
from bot.delivery.ledger import SqlLedger
from bot.delivery.rules import Limits, Priority, Request
from models.db import make_engine
from models.sending import SendLedger
from tests import testdb
from tests.timing import max_in_window

LEDGER = SendLedger.metadata.tables["send_ledger"]


def _kinds(engine: Engine) -> Counter[str]:
    with engine.connect() as conn:
        return Counter(conn.execute(select(LEDGER.c.kind)).scalars())


def test_a_round_grants_records_and_prunes(engine: Engine) -> None:
    limits = Limits(2, 1)
    ledger = SqlLedger(engine, limits, prune_every=0.0)
    first = ledger.grant(
        [
            Request(1, 10, Priority.BULK),
            Request(2, 11, Priority.REPLY),
            Request(3, 12, Priority.REPLY),
        ],
        finished={},
        pause=0.0,
    )
    assert sorted(first.granted) == [2, 3]  # replies first; the bulk send waits
    assert 0 < first.wait <= 1.0
    finished = {entry_id: 0.0 for entry_id in first.granted.values()}
    again = ledger.grant([Request(4, 13, Priority.REPLY)], finished=finished, pause=0.0)
    assert not again.granted  # the window is full
    assert _kinds(engine) == Counter({"send": 2})
    paused = ledger.grant([], finished={}, pause=30.0)
    assert not paused.granted and _kinds(engine) == Counter({"send": 2, "pause": 1})
    with engine.begin() as conn:  # a minute passes (on PostgreSQL the database's clock counts)
        conn.execute(update(LEDGER).values(at=LEDGER.c.at - 60, granted=LEDGER.c.granted - 60))
    assert ledger.grant([Request(5, 14, Priority.REPLY)], finished={}, pause=0.0).granted
    assert _kinds(engine) == Counter({"send": 1})  # old sends and the old pause are gone


def test_a_pause_recorded_by_one_process_stops_the_other(database_url: str) -> None:
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        limits = Limits(30)
        first, second = (SqlLedger(e, limits) for e in engines)
        first.grant([], finished={}, pause=5.0)
        answer = second.grant([Request(1, 1, Priority.REPLY)], finished={}, pause=0.0)
        assert not answer.granted and 4.0 < answer.wait <= 5.0
    finally:
        for engine in engines:
            engine.dispose()


@pytest.mark.parametrize("per_second", [12])
def test_two_processes_together_stay_within_one_budget(database_url: str, per_second: int) -> None:
    """Each sends a broadcast and replies at once: together at most `per_second` a second,
    one a second per broadcast chat (short bursts for replies), and replies are not held up
    by the broadcasts."""
    limits = Limits(per_second, 1, reply_burst=2)
    arrivals: list[tuple[float, int, Priority]] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    async def process(index: int, engine: Engine) -> None:
        budget = SendBudget(SqlLedger(engine, limits), limits, clock=time.time)
        rng = random.Random(index)

        async def send(chat: int, priority: Priority) -> None:
            permit = await budget.acquire(chat, priority)
            granted = time.time()
            latency = rng.uniform(0.0, 0.05)
            await asyncio.sleep(latency)
            permit.done()
            with lock:
                arrivals.append((granted + rng.random() * latency, chat, priority))

        async def person(chat: int) -> None:
            for _ in range(3):
                await asyncio.sleep(rng.uniform(0.3, 0.8))
                await send(chat, Priority.REPLY)

        bulk = [send(10_000 * (index + 1) + n, Priority.BULK) for n in range(20)]
        people = [person(100 * (index + 1) + n) for n in range(3)]
        await asyncio.gather(*bulk, *people)
        await budget.close()

    def run(index: int) -> None:
        engine = make_engine(database_url)
        try:
            asyncio.run(process(index, engine))
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(arrivals) == 2 * (20 + 3 * 3)
    assert max_in_window([at for at, _, _ in arrivals]) <= per_second
    for chat in {chat for _, chat, _ in arrivals}:
        mine = [(at, priority) for at, c, priority in arrivals if c == chat]
        most = limits.reply_burst if mine[0][1] == Priority.REPLY else 1
        assert max_in_window([at for at, _ in mine]) <= most
    # Replies never wait for the broadcasts' backlog: the last one is sent before it is done.
    last_reply = max(at for at, _, priority in arrivals if priority == Priority.REPLY)
    assert last_reply < max(at for at, _, priority in arrivals if priority == Priority.BULK)


def test_rows_past_the_window_never_count_even_before_they_are_pruned(engine: Engine) -> None:
    """PostgreSQL rounds prune about once a second; the rounds between must ignore old rows."""
    limits = Limits(1, 1)
    ledger = SqlLedger(engine, limits, prune_every=3600.0)
    assert ledger.grant([Request(1, 10, Priority.REPLY)], finished={}, pause=0.0).granted
    assert not ledger.grant([Request(2, 11, Priority.REPLY)], finished={}, pause=0.0).granted
    with engine.begin() as conn:  # a minute passes
        conn.execute(update(LEDGER).values(at=LEDGER.c.at - 60, granted=LEDGER.c.granted - 60))
    assert ledger.grant([Request(3, 12, Priority.REPLY)], finished={}, pause=0.0).granted
    kept = _kinds(engine)["send"]
    assert kept == (2 if testdb.is_postgres() else 1)  # not pruned within the hour on PostgreSQL
