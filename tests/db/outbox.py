"""Driving the outbox sender in tests: one virtual clock, a scripted send function, a broadcast
queued for given chats, and the rows it left behind."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.delivery.outbox import (
    Failed,
    OutboxJob,
    OutboxSender,
    Outcome,
    QueueCounts,
    RateLimiter,
    RetryAfter,
    Sent,
    queue_broadcast,
)
from models.agencies import Agency, Broadcast, OutboxMessage
from models.db import session_scope

PROGRESS_CHAT = 999


class FakeTime:
    """One virtual clock for the limiter (monotonic seconds) and the sender (UTC datetimes)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.epoch = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
        self.sleeps: list[float] = []
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = itertools.count()

    def monotonic(self) -> float:
        return self.now

    def utcnow(self) -> datetime:
        return self.epoch + timedelta(seconds=self.now - 1000.0)

    def at(self, when: float, callback: Callable[[], None]) -> None:
        heapq.heappush(self._timers, (when, next(self._seq), callback))

    def advance(self, seconds: float) -> None:
        """Move time forward, running callbacks due on the way at their exact times."""
        target = self.now + seconds
        while self._timers and self._timers[0][0] <= target:
            when, _, callback = heapq.heappop(self._timers)
            self.now = max(self.now, when)
            callback()
        self.now = target

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)


def make_broadcast(engine: Engine, text_: str = "Halo Kak, update kampanye!") -> int:
    """A new agency's broadcast, not queued yet, reporting progress to PROGRESS_CHAT."""
    with session_scope(engine) as session:
        agency = Agency(name="Agensi Uji", owner_user_id=1)
        session.add(agency)
        session.flush()
        assert agency.id is not None
        broadcast = Broadcast(
            agency_id=agency.id,
            created_by=1,
            text=text_,
            audience="all",
            progress_chat_id=PROGRESS_CHAT,
        )
        session.add(broadcast)
        session.flush()
        assert broadcast.id is not None
        return broadcast.id


def queue(engine: Engine, broadcast_id: int, chat_ids: Iterable[int]) -> QueueCounts:
    """Queue the broadcast for `chat_ids` in a transaction of its own."""
    with session_scope(engine) as session:
        return queue_broadcast(session, broadcast_id=broadcast_id, chat_ids=chat_ids)


def rows(engine: Engine, broadcast_id: int | None = None) -> dict[int, OutboxMessage]:
    """The outbox rows (of one broadcast) by chat id."""
    with Session(engine) as session:
        statement = select(OutboxMessage)
        if broadcast_id is not None:
            statement = statement.where(OutboxMessage.broadcast_id == broadcast_id)
        return {row.chat_id: row for row in session.exec(statement)}


def broadcast_row(engine: Engine, broadcast_id: int) -> Broadcast:
    with Session(engine) as session:
        row = session.get(Broadcast, broadcast_id)
        assert row is not None
        return row


class Recorder:
    """A send function that records every call and answers from a script (default Sent)."""

    def __init__(
        self,
        answers: dict[int, list[Outcome | BaseException]] | None = None,
        *,
        delay: float = 0.0,
        clock: FakeTime | None = None,
    ) -> None:
        self.answers = answers or {}
        self.calls: list[tuple[int, float | None]] = []
        self.delay = delay
        self.clock = clock

    async def __call__(self, job: OutboxJob) -> Outcome:
        self.calls.append((job.chat_id, self.clock.now if self.clock else None))
        if self.delay:
            await asyncio.sleep(self.delay)
        script = self.answers.get(job.chat_id)
        answer = script.pop(0) if script else Sent()
        if isinstance(answer, BaseException) and not isinstance(answer, Outcome):
            raise answer
        if isinstance(answer, RetryAfter | Failed) and len(self.calls) % 2 == 0:
            raise answer  # the sender may raise outcomes as well as return them
        return answer

    @property
    def chats(self) -> Counter:
        return Counter(chat for chat, _ in self.calls)


def sender(
    engine: Engine,
    send: Callable,
    *,
    progress: Callable | None = None,
    time_: FakeTime | None = None,
    limiter: RateLimiter | None = None,
    holder: str = "test-sender",
    **kwargs: Any,
) -> OutboxSender:
    """A sender with a limiter that never holds it back (on `time_`'s clock when given)."""
    if limiter is None:
        limiter = (
            RateLimiter(1000, 1000, clock=time_.monotonic, sleep=time_.sleep)
            if time_
            else RateLimiter(1000, 1000)
        )
    if time_ is not None:
        kwargs.setdefault("clock", time_.utcnow)
    return OutboxSender(
        engine, send=send, progress=progress, limiter=limiter, holder=holder, **kwargs
    )
