"""The outbox: queueing, the sender's state machine, crash recovery, the lease, progress.

Virtual time (`FakeTime`) drives the send budget and the sender's clock where timing matters, so
retry_after pauses and backoffs take no real time. pytest-asyncio is not installed: each test
runs its own `asyncio.run`.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text, update
from sqlmodel import Session

from bot.delivery.budget import Permit, SendBudget
from bot.delivery.lease import TableLease, default_holder, holder_is_gone
from bot.delivery.ledger import MemoryLedger
from bot.delivery.outcomes import (
    MAX_ATTEMPTS,
    Blocked,
    BroadcastProgress,
    Failed,
    OutboxJob,
    Outcome,
    RetryAfter,
    Sent,
)
from bot.delivery.progress import Track
from bot.delivery.queue import _insert_outbox_rows
from bot.delivery.rules import Limits, Priority
from bot.delivery.store import Snapshot
from models.agencies import BlockedChat, Broadcast, Lease, OutboxMessage
from models.db import session_scope
from tests.db.outbox import (
    PROGRESS_CHAT,
    Recorder,
    broadcast_row,
    make_broadcast,
    make_budget,
    queue,
    rows,
    sender,
)
from tests.timing import FakeTime

ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------------------------
# Queueing
# --------------------------------------------------------------------------------------------


def test_queue_ignores_duplicates_and_second_queueing(engine: Engine) -> None:
    broadcast_id = make_broadcast(engine)
    assert queue(engine, broadcast_id, [1, 2, 2, 3, 1]) == (3, 0)
    assert queue(engine, broadcast_id, [3, 4]) == (1, 0)
    assert queue(engine, broadcast_id, []) == (0, 0)
    assert sorted(rows(engine, broadcast_id)) == [1, 2, 3, 4]
    assert {row.status for row in rows(engine).values()} == {"pending"}
    assert broadcast_row(engine, broadcast_id).status == "queued"


def test_queue_marks_blocked_chats_at_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(BlockedChat(chat_id=2))
    broadcast_id = make_broadcast(engine)
    assert queue(engine, broadcast_id, [1, 2, 3]) == (2, 1)
    assert {chat: row.status for chat, row in rows(engine).items()} == {
        1: "pending",
        2: "blocked",
        3: "pending",
    }


def test_queue_unknown_or_cancelled_broadcast_is_refused(engine: Engine) -> None:
    with pytest.raises(LookupError):
        queue(engine, 12345, [1])
    broadcast_id = make_broadcast(engine)
    with session_scope(engine) as session:
        session.exec(
            update(Broadcast).where(Broadcast.id == broadcast_id).values(status="cancelled")
        )
    with pytest.raises(ValueError):
        queue(engine, broadcast_id, [1])


def test_concurrent_insert_is_tolerated_inside_the_transaction(engine: Engine) -> None:
    """Rows someone else queued meanwhile are skipped by savepoint; the rest of the work stays."""
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, [2])
    candidates = [
        {"broadcast_id": broadcast_id, "chat_id": chat, "status": "pending", "attempts": 0}
        for chat in (1, 2, 3)
    ]
    with Session(engine) as session:
        session.exec(update(Broadcast).where(Broadcast.id == broadcast_id).values(audience="x"))
        inserted = _insert_outbox_rows(session, candidates)
        assert [row["chat_id"] for row in inserted] == [1, 3]
        session.rollback()  # the savepoints were nested: the outer rollback undoes everything
    assert sorted(rows(engine)) == [2]
    assert broadcast_row(engine, broadcast_id).audience == "all"
    with session_scope(engine) as session:
        session.exec(update(Broadcast).where(Broadcast.id == broadcast_id).values(audience="x"))
        _insert_outbox_rows(session, candidates)
    assert sorted(rows(engine)) == [1, 2, 3]
    assert broadcast_row(engine, broadcast_id).audience == "x"


# --------------------------------------------------------------------------------------------
# Outcomes
# --------------------------------------------------------------------------------------------


def test_sent_rows_are_marked_and_broadcast_finishes(engine: Engine) -> None:
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, range(1, 121))
    send = Recorder()
    attempted = asyncio.run(sender(engine, send, batch_size=7).run_once())
    assert attempted == 120
    assert send.chats == Counter({chat: 1 for chat in range(1, 121)})
    assert all(row.status == "sent" and row.sent_at for row in rows(engine).values())
    broadcast = broadcast_row(engine, broadcast_id)
    assert broadcast.status == "done" and broadcast.finished_at is not None
    assert asyncio.run(sender(engine, send).run_once()) == 0  # nothing due: nothing repeats


def test_failed_backs_off_then_gives_up(engine: Engine) -> None:
    time_ = FakeTime()
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, [7])
    send = Recorder({7: [Failed("Bad Gateway")] * MAX_ATTEMPTS}, clock=time_)
    reports: list[BroadcastProgress] = []

    async def progress(report: BroadcastProgress) -> None:
        reports.append(report)

    outbox = sender(engine, send, progress=progress, time_=time_)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert asyncio.run(outbox.run_once()) == 1
        row = rows(engine)[7]
        assert row.attempts == attempt and row.last_error == "Bad Gateway"
        if attempt < MAX_ATTEMPTS:
            assert row.status == "pending"
            sent_at = time_.epoch + timedelta(seconds=send.calls[-1][1] - 1000.0)
            assert row.not_before == sent_at + timedelta(seconds=2**attempt)
            assert asyncio.run(outbox.run_once()) == 0  # not due before the backoff is over
            time_.advance(2**attempt)
    assert rows(engine)[7].status == "failed"
    assert reports[-1].done and (reports[-1].failed, reports[-1].sent) == (1, 0)
    assert sum(report.done for report in reports) == 1


def test_any_exception_from_send_is_a_failed_attempt(engine: Engine) -> None:
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, [5])
    send = Recorder({5: [RuntimeError("connection reset")]})
    asyncio.run(sender(engine, send).run_once())
    row = rows(engine)[5]
    assert (row.status, row.attempts) == ("pending", 1)
    assert "RuntimeError: connection reset" in row.last_error


def test_retry_after_pauses_everyone_and_retries_the_row_once(engine: Engine) -> None:
    time_ = FakeTime()
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, [1, 2, 3])
    send = Recorder({1: [RetryAfter(5)]}, clock=time_)
    outbox = sender(engine, send, time_=time_, concurrency=1)
    started = time_.now
    assert asyncio.run(outbox.run_once()) == 4
    assert send.chats == Counter({1: 2, 2: 1, 3: 1})
    assert [chat for chat, _ in send.calls] == [1, 2, 3, 1]
    assert all(at >= started + 5 for _, at in send.calls[1:])  # nobody sent during the pause
    assert outbox.budget.paused_until == started + 5
    assert {row.status for row in rows(engine).values()} == {"sent"}
    assert rows(engine)[1].attempts == 0  # flood control is not the chat's fault


def test_blocked_chat_is_remembered_and_skipped_later(engine: Engine) -> None:
    first = make_broadcast(engine)
    queue(engine, first, [1, 2, 3])
    send = Recorder({2: [Blocked("Forbidden: bot was blocked by the user")]})
    reports: list[BroadcastProgress] = []

    async def progress(report: BroadcastProgress) -> None:
        reports.append(report)

    asyncio.run(sender(engine, send, progress=progress).run_once())
    assert rows(engine, first)[2].status == "blocked"
    with Session(engine) as session:
        assert session.get(BlockedChat, 2) is not None
    final = reports[-1]
    assert final.done and final.blocked_chat_ids == [2]
    assert (final.sent, final.blocked, final.failed, final.remaining) == (2, 1, 0, 0)

    second = make_broadcast(engine)
    assert queue(engine, second, [2, 3]) == (1, 1)
    send.calls.clear()
    asyncio.run(sender(engine, send).run_once())
    assert send.chats == Counter({3: 1})


def test_chat_blocked_meanwhile_is_settled_at_claim_without_a_send(engine: Engine) -> None:
    first, second = make_broadcast(engine), make_broadcast(engine)
    queue(engine, first, [5])
    queue(engine, second, [5, 6])  # queued before chat 5 turned out blocked
    send = Recorder({5: [Blocked()]})
    asyncio.run(sender(engine, send, batch_size=1, concurrency=1).run_once())
    assert send.chats == Counter({5: 1, 6: 1})
    assert rows(engine, second)[5].status == "blocked"
    assert broadcast_row(engine, second).status == "done"


def test_batches_of_only_newly_blocked_chats_do_not_end_the_drain(engine: Engine) -> None:
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, range(1, 27))
    with session_scope(engine) as session:  # 25 chats blocked the bot after the queueing
        session.add_all([BlockedChat(chat_id=chat) for chat in range(1, 26)])
    send = Recorder()
    assert asyncio.run(sender(engine, send, batch_size=10).run_once()) == 1
    assert send.chats == Counter({26: 1})
    assert Counter(row.status for row in rows(engine).values()) == Counter(
        {"blocked": 25, "sent": 1}
    )


def test_broadcast_with_only_blocked_chats_still_gets_its_final_report(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add_all([BlockedChat(chat_id=8), BlockedChat(chat_id=9)])
    broadcast_id = make_broadcast(engine)
    assert queue(engine, broadcast_id, [8, 9]) == (0, 2)
    reports: list[BroadcastProgress] = []

    async def progress(report: BroadcastProgress) -> None:
        reports.append(report)

    send = Recorder()
    assert asyncio.run(sender(engine, send, progress=progress).run_once()) == 0
    assert [(r.done, r.blocked, r.blocked_chat_ids) for r in reports] == [(True, 2, [8, 9])]
    assert broadcast_row(engine, broadcast_id).status == "done"


# --------------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------------


class SpyBudget(SendBudget):
    """Records every slot taken: (chat, priority)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.acquired: list[tuple[int | None, Priority]] = []

    async def acquire(self, chat_id: int | None, priority: Priority = Priority.REPLY) -> Permit:
        permit = await super().acquire(chat_id, priority)
        self.acquired.append((chat_id, priority))
        return permit


def spy_budget(time_: FakeTime, per_second: int = 1000, per_chat: int = 1) -> SpyBudget:
    limits = Limits(per_second, per_chat)
    return SpyBudget(
        MemoryLedger(limits, time_.monotonic), limits, clock=time_.monotonic, sleep=time_.sleep
    )


def test_progress_is_throttled_and_done_once(engine: Engine) -> None:
    time_ = FakeTime()
    broadcast_id = make_broadcast(engine)
    chats = list(range(1, 31))
    queue(engine, broadcast_id, chats)
    budget = spy_budget(time_)
    reports: list[tuple[float, BroadcastProgress]] = []

    async def progress(report: BroadcastProgress) -> None:
        reports.append((time_.now, report))

    async def send(job: OutboxJob) -> Outcome:
        await asyncio.sleep(0.01)  # real time, so the reporter gets its turns
        time_.advance(0.5)
        return Blocked() if job.chat_id in (4, 17) else Sent()

    outbox = sender(engine, send, progress=progress, time_=time_, budget=budget, concurrency=1)
    asyncio.run(outbox.run_once())

    assert len(reports) >= 3
    *interim, (_, final) = reports
    assert all(not report.done for _, report in interim)
    assert all(b - a >= 2.0 for (a, _), (b, _) in itertools.pairwise(reports[:-1]))
    assert (final.done, final.sent, final.blocked, final.failed, final.remaining) == (
        True,
        28,
        2,
        0,
        0,
    )
    assert final.blocked_chat_ids == [4, 17] and final.total == 30
    assert all(report.progress_chat_id == PROGRESS_CHAT for _, report in reports)
    # One bulk slot per send; a progress edit takes its own slot where it is sent (the bot's
    # rate limiter), not here.
    assert budget.acquired == [(chat, Priority.BULK) for chat in chats]
    assert all(report.eta_seconds > 0 for _, report in interim)
    assert broadcast_row(engine, broadcast_id).status == "done"


def test_the_eta_uses_the_budget_until_the_real_rate_shows(engine: Engine) -> None:
    time_ = FakeTime()
    reporter = sender(engine, Recorder(), time_=time_, budget=make_budget(29)).reporter
    snap = Snapshot(
        status="queued",
        created_at=time_.utcnow(),
        progress_chat_id=PROGRESS_CHAT,
        progress_message_id=None,
        counts=Counter({"sent": 10, "pending": 58}),
        blocked_chat_ids=[],
    )
    assert reporter.progress_of(1, snap, None, done=False).eta_seconds == pytest.approx(2.0)
    track = Track(first_at=time_.utcnow(), finished_rows=10)
    time_.advance(0.5)  # too soon to tell a rate
    assert reporter.progress_of(1, snap, track, done=False).eta_seconds == pytest.approx(2.0)
    time_.advance(1.5)  # 10 rows in 2 s
    assert reporter.progress_of(1, snap, track, done=False).eta_seconds == pytest.approx(11.6)


def _created_now(engine: Engine, broadcast_id: int, time_: FakeTime) -> None:
    """The broadcast was confirmed "now" on the virtual clock."""
    with session_scope(engine) as session:
        session.exec(
            update(Broadcast).where(Broadcast.id == broadcast_id).values(created_at=time_.utcnow())
        )


def test_first_progress_comes_soon_after_the_confirmation_then_every_few_seconds(
    engine: Engine,
) -> None:
    """The confirmation's own "queued" edit goes first; the running count follows promptly."""
    time_ = FakeTime()
    broadcast_id = make_broadcast(engine)
    _created_now(engine, broadcast_id, time_)
    confirmed = time_.now
    queue(engine, broadcast_id, range(1, 41))
    reports: list[tuple[float, BroadcastProgress]] = []

    async def progress(report: BroadcastProgress) -> None:
        reports.append((time_.now, report))

    async def send(job: OutboxJob) -> Outcome:
        # Real time too, so the reporter gets its turns; 20 ms, not less: a report is timed
        # where it arrives, and a busy machine that holds the reporter back more than a
        # send's real time would shift one report by a whole send (0.25 s).
        await asyncio.sleep(0.02)
        time_.advance(0.25)  # 40 sends: a 10-second broadcast
        return Sent()

    outbox = sender(
        engine,
        send,
        progress=progress,
        time_=time_,
        concurrency=1,
        first_progress_after=1.5,
        progress_interval=4.0,
    )
    asyncio.run(outbox.run_once())
    times = [at - confirmed for at, _ in reports]
    assert 1.5 <= times[0] < 2.0, times  # not at the first interval (4 s)
    assert not reports[0][1].done and reports[-1][1].done
    assert all(4.0 <= b - a < 4.5 for a, b in itertools.pairwise(times[:-1])), times
    assert sum(report.done for _, report in reports) == 1


def test_a_broadcast_done_at_once_reports_only_after_its_confirmation_shows(
    engine: Engine,
) -> None:
    time_ = FakeTime()
    broadcast_id = make_broadcast(engine)
    _created_now(engine, broadcast_id, time_)
    confirmed = time_.now
    queue(engine, broadcast_id, [1, 2])
    reports: list[tuple[float, BroadcastProgress]] = []

    async def progress(report: BroadcastProgress) -> None:
        reports.append((time_.now, report))

    outbox = sender(engine, Recorder(), progress=progress, time_=time_, first_progress_after=1.5)
    assert asyncio.run(outbox.run_once()) == 2
    assert [(at - confirmed >= 1.5, report.done) for at, report in reports] == [(True, True)]
    assert broadcast_row(engine, broadcast_id).status == "done"


def test_after_a_restart_progress_of_an_older_broadcast_shows_at_once(engine: Engine) -> None:
    time_ = FakeTime()
    broadcast_id = make_broadcast(engine)
    with session_scope(engine) as session:
        session.exec(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id)
            .values(created_at=time_.utcnow() - timedelta(minutes=5))
        )
    queue(engine, broadcast_id, range(1, 21))
    started = time_.now
    reports: list[tuple[float, BroadcastProgress]] = []

    async def progress(report: BroadcastProgress) -> None:
        reports.append((time_.now, report))

    async def send(job: OutboxJob) -> Outcome:
        await asyncio.sleep(0.02)  # real time for the reporter, as above
        time_.advance(0.5)
        return Sent()

    outbox = sender(
        engine, send, progress=progress, time_=time_, concurrency=1, first_progress_after=1.5
    )
    asyncio.run(outbox.run_once())
    assert reports[0][0] - started <= 1.0 and not reports[0][1].done


# --------------------------------------------------------------------------------------------
# Crashes and the lease
# --------------------------------------------------------------------------------------------


def test_crash_leftovers_are_sent_exactly_once(engine: Engine) -> None:
    time_ = FakeTime()
    now = time_.utcnow()
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, range(1, 7))
    with session_scope(engine) as session:
        # A sender died (kill -9): 1-2 went out, 3-5 were claimed (in flight), 6 was waiting.
        for chat, status in {
            1: "sent",
            2: "sent",
            3: "sending",
            4: "sending",
            5: "sending",
        }.items():
            session.exec(
                update(OutboxMessage)
                .where(OutboxMessage.chat_id == chat)
                .values(status=status, claimed_at=now - timedelta(seconds=2))
            )
        session.add(
            Lease(name="outbox", holder="dead-host:4242", expires_at=now - timedelta(seconds=1))
        )
    send = Recorder()
    outbox = sender(engine, send, time_=time_, holder="new-host:1")
    assert asyncio.run(outbox.run_once()) == 4
    assert send.chats == Counter({3: 1, 4: 1, 5: 1, 6: 1})
    assert asyncio.run(outbox.run_once()) == 0
    assert {row.status for row in rows(engine).values()} == {"sent"}
    assert broadcast_row(engine, broadcast_id).status == "done"


def test_restart_under_the_same_holder_name_recovers_too(engine: Engine) -> None:
    time_ = FakeTime()
    now = time_.utcnow()
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, [1, 2])
    with session_scope(engine) as session:
        session.exec(update(OutboxMessage).values(status="sending", claimed_at=now))
        session.add(Lease(name="outbox", holder="bot", expires_at=now + timedelta(seconds=20)))
    send = Recorder()
    assert asyncio.run(sender(engine, send, time_=time_, holder="bot").run_once()) == 2
    assert send.chats == Counter({1: 1, 2: 1})


def test_live_lease_of_another_process_keeps_us_out(engine: Engine) -> None:
    time_ = FakeTime()
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, [1, 2])
    with session_scope(engine) as session:
        session.exec(
            update(OutboxMessage)
            .where(OutboxMessage.chat_id == 1)
            .values(status="sending", claimed_at=time_.utcnow())
        )
        session.add(
            Lease(name="outbox", holder="other", expires_at=time_.utcnow() + timedelta(seconds=10))
        )
    send = Recorder()
    assert asyncio.run(sender(engine, send, time_=time_).run_once()) == 0
    assert send.calls == []
    assert rows(engine)[1].status == "sending"  # the other sender's claim is left alone
    time_.advance(11)  # the other process died: its lease ran out
    assert asyncio.run(sender(engine, send, time_=time_).run_once()) == 2
    assert send.chats == Counter({1: 1, 2: 1})


def test_two_senders_racing_for_the_lease_send_each_row_once(engine: Engine) -> None:
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, range(1, 41))
    send = Recorder(delay=0.005)

    async def race() -> list[int]:
        first = sender(engine, send, holder="proc-a")
        second = sender(engine, send, holder="proc-b")
        return sorted(await asyncio.gather(first.run_once(), second.run_once()))

    assert asyncio.run(race()) == [0, 40]
    assert send.chats == Counter({chat: 1 for chat in range(1, 41)})


def test_lease_api(engine: Engine) -> None:
    time_ = FakeTime()
    a = TableLease(engine, name="outbox", holder="a", seconds=30, clock=time_.utcnow)
    b = TableLease(engine, name="outbox", holder="b", seconds=30, clock=time_.utcnow)
    assert a.acquire().took_over is True
    assert a.acquire().took_over is False  # already ours
    assert b.acquire() is None
    time_.advance(20)
    assert a.renew() is True
    time_.advance(29)
    assert b.acquire() is None  # renewed: still a's
    time_.advance(2)
    assert b.acquire().took_over is True
    assert a.renew() is False  # a must stop sending
    a.release()  # releasing someone else's lease does nothing
    assert a.acquire() is None
    b.release()
    assert a.acquire().took_over is True


def _holder_of_a_child(*, keep_running: bool) -> tuple[str, subprocess.Popen[str]]:
    """default_holder() of another process on this host, still running or not."""
    code = (
        "import sys; from bot.delivery.lease import default_holder; "
        "print(default_holder(), flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None and child.stdin is not None
    holder = child.stdout.readline().strip()
    if not keep_running:
        child.stdin.close()
        child.wait(timeout=30)
    return holder, child


def test_a_restart_on_the_same_host_takes_the_lease_over_at_once(engine: Engine) -> None:
    """The old holder (killed) left a lease with time to run: no waiting for its expiry."""
    time_ = FakeTime()
    dead, _ = _holder_of_a_child(keep_running=False)
    alive, child = _holder_of_a_child(keep_running=True)
    try:
        assert holder_is_gone(dead) and not holder_is_gone(alive)
        assert not holder_is_gone(default_holder())
        for holder, expected in ((alive, None), (dead, True)):
            with session_scope(engine) as session:
                session.merge(
                    Lease(
                        name="outbox",
                        holder=holder,
                        expires_at=time_.utcnow() + timedelta(seconds=10),
                    )
                )
            lease = TableLease(
                engine, name="outbox", holder=default_holder(), seconds=10, clock=time_.utcnow
            )
            grant = lease.acquire()
            assert (grant.took_over if grant else None) is expected, holder
    finally:
        child.kill()
        child.wait(timeout=30)


def test_holder_names_and_what_counts_as_gone() -> None:
    mine = default_holder()
    host, pid, start = mine.rsplit(":", 2)
    assert int(pid) == os.getpid() and start and len(mine) <= 80
    assert not holder_is_gone("bot")  # not one of ours (tests, older versions): expiry decides
    assert not holder_is_gone("elsewhere.example:1:1")  # another host: expiry decides
    assert holder_is_gone(f"{host}:{pid}:{start}0")  # our pid, but another process's start


async def _until_sending_started(send: Recorder, timeout: float = 10.0) -> None:
    """Wait (real time) until the sender has made a few sends: sleeping a fixed time is flaky."""
    for _ in range(int(timeout / 0.01)):
        if len(send.calls) >= 3:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the sender never started sending")


def test_losing_the_lease_stops_sending_and_leaves_the_rows_to_the_new_holder(
    engine: Engine,
) -> None:
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, range(1, 201))
    send = Recorder(delay=0.01)

    async def scenario() -> int:
        outbox = sender(engine, send, holder="slow", lease_seconds=1.5, concurrency=2)
        task = asyncio.create_task(outbox.run_once())
        await _until_sending_started(send)
        with engine.begin() as conn:  # another process took over (we looked dead to it)
            conn.execute(text("UPDATE lease SET holder = 'thief'"))
        return await asyncio.wait_for(task, timeout=5)

    attempted = asyncio.run(scenario())
    assert 0 < attempted < 200
    statuses = Counter(row.status for row in rows(engine).values())
    assert (
        statuses["sent"] == attempted
        and statuses["pending"] + statuses["sending"] == 200 - attempted
    )
    with Session(engine) as session:
        assert session.get(Lease, "outbox").holder == "thief"


def test_graceful_stop_hands_back_claimed_rows(engine: Engine) -> None:
    broadcast_id = make_broadcast(engine)
    queue(engine, broadcast_id, range(1, 101))
    send = Recorder(delay=0.01)

    async def scenario() -> None:
        stop = asyncio.Event()
        outbox = sender(engine, send, concurrency=2, poll_interval=0.05)
        task = asyncio.create_task(outbox.run_forever(stop))
        await _until_sending_started(send)
        stop.set()
        await asyncio.wait_for(task, timeout=5)

    asyncio.run(scenario())
    sent_first = len(send.calls)
    statuses = Counter(row.status for row in rows(engine).values())
    assert 0 < sent_first < 100
    assert statuses == Counter({"sent": sent_first, "pending": 100 - sent_first})
    with Session(engine) as session:
        assert session.get(Lease, "outbox") is None  # released
    asyncio.run(sender(engine, send).run_once())
    assert send.chats == Counter({chat: 1 for chat in range(1, 101)})


def test_run_forever_picks_up_new_broadcasts(engine: Engine) -> None:
    send = Recorder()
    reports: list[BroadcastProgress] = []

    async def progress(report: BroadcastProgress) -> None:
        reports.append(report)

    async def scenario() -> None:
        stop = asyncio.Event()
        outbox = sender(engine, send, progress=progress, poll_interval=30)
        task = asyncio.create_task(outbox.run_forever(stop))
        await asyncio.sleep(0.05)
        broadcast_id = await asyncio.to_thread(make_broadcast, engine)
        await asyncio.to_thread(queue, engine, broadcast_id, [1, 2, 3])
        outbox.wake()  # no 30 s poll wait
        for _ in range(1000):  # generous: a loaded CI machine is slow
            if any(report.done for report in reports):
                break
            await asyncio.sleep(0.01)
        stop.set()
        await asyncio.wait_for(task, timeout=5)

    asyncio.run(scenario())
    assert send.chats == Counter({1: 1, 2: 1, 3: 1})
    assert [report.done for report in reports][-1] is True
