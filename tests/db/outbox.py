"""Driving the outbox sender in tests: a send budget in memory, a scripted send function, a
broadcast queued for given chats, and the rows it left behind."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.delivery.budget import SendBudget
from bot.delivery.ledger import MemoryLedger
from bot.delivery.outcomes import Failed, OutboxJob, Outcome, RetryAfter, Sent
from bot.delivery.queue import QueueCounts, queue_broadcast
from bot.delivery.rules import Limits
from bot.delivery.sender import OutboxSender
from models.agencies import Agency, Broadcast, OutboxMessage
from models.db import session_scope
from tests.timing import FakeTime

PROGRESS_CHAT = 999


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


def make_budget(
    per_second: int = 1000, per_chat: int = 1000, time_: FakeTime | None = None
) -> SendBudget:
    """A send budget of this process alone (in memory), on `time_`'s clock when given."""
    limits = Limits(per_second, per_chat)
    if time_ is None:
        return SendBudget(MemoryLedger(limits), limits)
    return SendBudget(
        MemoryLedger(limits, time_.monotonic), limits, clock=time_.monotonic, sleep=time_.sleep
    )


def sender(
    engine: Engine,
    send: Callable,
    *,
    progress: Callable | None = None,
    time_: FakeTime | None = None,
    budget: SendBudget | None = None,
    holder: str = "test-sender",
    **kwargs: Any,
) -> OutboxSender:
    """A sender with a budget that never holds it back (on `time_`'s clock when given).

    Progress shows at once (`first_progress_after=0`): its wait has tests of its own.
    """
    if budget is None:
        budget = make_budget(time_=time_)
    if time_ is not None:
        kwargs.setdefault("clock", time_.utcnow)
        kwargs.setdefault("sleep", time_.sleep)
    kwargs.setdefault("first_progress_after", 0.0)
    return OutboxSender(
        engine, send=send, progress=progress, budget=budget, holder=holder, **kwargs
    )
