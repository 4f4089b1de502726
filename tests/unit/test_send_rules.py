"""The send budget's rules, its per-process pump and PTB's rate limiter over it, in virtual
time (no database here)."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram.error import RetryAfter

from bot.delivery.budget import SendBudget
from bot.delivery.ledger import MemoryLedger
from bot.delivery.rules import Entry, Limits, Priority, Request, decide
from handlers.send_budget import PERMIT_HELD, BudgetRateLimiter, counts
from tests.timing import FakeTime, max_in_window

REPLY, NOTICE, BULK = Priority.REPLY, Priority.NOTICE, Priority.BULK


def budget_in(time_: FakeTime, limits: Limits) -> SendBudget:
    return SendBudget(
        MemoryLedger(limits, time_.monotonic), limits, clock=time_.monotonic, sleep=time_.sleep
    )


# --------------------------------------------------------------------------------------------
# The rules
# --------------------------------------------------------------------------------------------


def test_caps_leave_room_for_replies_while_people_chat() -> None:
    limits = Limits(29)
    assert limits.headroom == 6
    quiet = {"replies_lately": False, "others_lately": False}
    chatting = {"replies_lately": True, "others_lately": True}
    assert [limits.caps(p, **quiet) for p in (REPLY, NOTICE, BULK)] == [
        (29, None),
        (29, None),
        (28, None),
    ]
    assert [limits.caps(p, **chatting) for p in (REPLY, NOTICE, BULK)] == [
        (29, None),
        (28, None),
        (27, 23),
    ]
    tiny = Limits(1)
    assert [tiny.caps(p, **chatting) for p in (REPLY, NOTICE, BULK)] == [
        (1, None),
        (1, None),
        (1, 1),
    ]


def test_a_reply_fits_beside_a_full_broadcast_window() -> None:
    limits = Limits(29)
    now = 100.0
    # 28 bulk sends in the last second: the broadcast's whole share while nobody else sends.
    entries = [Entry(now - 0.97 + i * limits.spacing, 10_000 + i, BULK) for i in range(28)]
    bulk = Request(1, 1, BULK)
    reply = Request(2, 2, REPLY)
    decision = decide(limits, entries, [bulk, reply], now)
    assert decision.granted == [reply]
    # The reply now counts as "lately": the broadcast keeps to its own share (23 of the
    # second) and waits until enough of its sends have left the window.
    assert decision.next_at == pytest.approx(entries[28 - 23].at + 1.0)


def test_replies_go_first_and_a_busy_chat_does_not_hold_others_back() -> None:
    limits = Limits(3)
    requests = [Request(1, 7, BULK), Request(2, 8, NOTICE), Request(3, 9, REPLY)]
    entries = [Entry(99.5, 9, REPLY)]  # chat 9 had a message half a second ago
    decision = decide(limits, entries, requests, 100.0)
    assert [r.key for r in decision.granted] == [2]  # 3 waits for its chat; 1 for the cap
    assert decision.next_at == pytest.approx(100.5)


def test_per_chat_limit_and_reply_burst() -> None:
    strict = Limits(30, per_chat_per_second=1)
    bursty = Limits(30, per_chat_per_second=1, reply_burst=3)
    entries = [Entry(99.9, 5, REPLY)]
    assert not decide(strict, entries, [Request(1, 5, REPLY)], 100.0).granted
    assert decide(bursty, entries, [Request(1, 5, REPLY)], 100.0).granted
    assert not decide(bursty, entries, [Request(1, 5, BULK)], 100.0).granted  # bulk: 1/s
    three = [Entry(99.8, 5, REPLY), Entry(99.9, 5, REPLY), Entry(99.95, 5, REPLY)]
    decision = decide(bursty, three, [Request(1, 5, REPLY)], 100.0)
    assert not decision.granted and decision.next_at == pytest.approx(100.8)  # 3 a second


def test_pause_stops_everyone() -> None:
    decision = decide(Limits(30), [], [Request(1, 1, REPLY)], 100.0, paused_until=104.0)
    assert not decision.granted and decision.next_at == 104.0


def test_bulk_is_spread_and_replies_are_not() -> None:
    limits = Limits(10)
    assert limits.bulk_burst == 2  # at most 2 bulk sends in any 0.2 s
    entries = [Entry(100.0, 1, BULK), Entry(100.05, 2, BULK)]
    decision = decide(limits, entries, [Request(1, 3, BULK), Request(2, 4, REPLY)], 100.06)
    assert [r.key for r in decision.granted] == [2]
    assert decision.next_at == pytest.approx(100.2)


# --------------------------------------------------------------------------------------------
# The pump, in virtual time
# --------------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    per_second=st.integers(1, 6),
    per_chat=st.integers(1, 3),
    burst=st.integers(1, 4),
    calls=st.lists(
        st.tuples(
            st.floats(0, 0.6),  # gap before the call
            st.integers(0, 3),  # chat
            st.sampled_from([REPLY, NOTICE, BULK]),
            st.floats(0, 0.9),  # how long the request takes (under the window)
            st.floats(0, 1),  # where in that time the server counts it
            st.booleans(),  # whether the caller reports done()
        ),
        min_size=1,
        max_size=60,
    ),
    pause=st.one_of(st.none(), st.tuples(st.integers(0, 59), st.floats(0.1, 3))),
)
def test_budget_never_exceeds_either_window(
    per_second: int,
    per_chat: int,
    burst: int,
    calls: list[tuple[float, int, Priority, float, float, bool]],
    pause: tuple[int, float] | None,
) -> None:
    time_ = FakeTime()
    limits = Limits(per_second, per_chat, reply_burst=burst)
    budget = budget_in(time_, limits)
    arrivals: list[tuple[float, int]] = []  # when the server counts each call, and its chat
    grants: list[float] = []
    pause_window: tuple[float, float, int] | None = None  # start, end, first call after it

    async def drive() -> None:
        nonlocal pause_window
        for index, (gap, chat, priority, latency, where, reports_done) in enumerate(calls):
            time_.advance(gap)
            if pause is not None and pause[0] == index:
                budget.pause(pause[1])
                pause_window = (time_.now, time_.now + pause[1], index)
            permit = await budget.acquire(chat, priority)
            granted = time_.now
            grants.append(granted)
            if reports_done:
                time_.at(granted + latency, permit.done)
                arrivals.append((granted + where * latency, chat))
            else:
                arrivals.append((granted, chat))
        await budget.close()

    asyncio.run(drive())
    assert max_in_window([at for at, _ in arrivals]) <= per_second
    for chat in {chat for _, chat in arrivals}:
        mine = [at for at, c in arrivals if c == chat]
        assert max_in_window(mine) <= max(per_chat, burst)
    if pause_window is not None:
        start, end, first = pause_window
        assert not [at for at in grants[first:] if start <= at < end]


@settings(max_examples=60, deadline=None)
@given(waiters=st.lists(st.sampled_from([REPLY, NOTICE, BULK]), min_size=2, max_size=25))
def test_waiters_are_served_by_priority_then_age(waiters: list[Priority]) -> None:
    """All waiting at once for distinct chats: the order is priority first, then arrival."""
    time_ = FakeTime()
    budget = budget_in(time_, Limits(2))
    order: list[int] = []

    async def one(index: int, priority: Priority) -> None:
        permit = await budget.acquire(1000 + index, priority)
        order.append(index)
        permit.done()

    async def drive() -> None:
        await budget.acquire(None, REPLY)  # the window starts busy: everyone has to queue
        await budget.acquire(None, REPLY)
        tasks = [asyncio.create_task(one(i, p)) for i, p in enumerate(waiters)]
        await asyncio.gather(*tasks)
        await budget.close()

    asyncio.run(drive())
    assert order == sorted(range(len(waiters)), key=lambda i: (waiters[i], i))


def test_a_reply_never_waits_behind_a_broadcast_backlog() -> None:
    time_ = FakeTime()
    limits = Limits(29)
    budget = budget_in(time_, limits)
    bulk_at: list[float] = []
    reply_waits: list[float] = []

    async def broadcast() -> None:
        for chat in range(300):
            await budget.acquire(10_000 + chat, BULK)
            bulk_at.append(time_.now)

    async def ask(chat: int, asked: float) -> None:
        (await budget.acquire(chat, REPLY)).done()
        reply_waits.append(time_.now - asked)

    asking: list[asyncio.Future[None]] = []
    for chat in range(1, 6):  # five people, each asking four times while the broadcast runs
        for turn in range(1, 5):
            when = time_.now + turn * 1.3 + chat * 0.05

            def spawn(chat: int = chat, when: float = when) -> None:
                asking.append(asyncio.ensure_future(ask(chat, when)))

            time_.at(when, spawn)

    async def drive() -> None:
        await broadcast()  # the budget's own (virtual) sleeps move the clock and spawn the asks
        await asyncio.gather(*asking)
        await budget.close()

    asyncio.run(drive())
    assert max_in_window(bulk_at) <= limits.per_second - 1  # one slot always left free
    assert max(reply_waits) <= limits.spacing + 1e-9, reply_waits
    spread = limits.bulk_burst * limits.spacing - 1e-6
    assert max_in_window(bulk_at, spread) <= limits.bulk_burst  # evenly spread


def test_cancelled_waiters_leave_no_trace() -> None:
    time_ = FakeTime()
    budget = budget_in(time_, Limits(1))

    async def drive() -> None:
        await budget.acquire(1, REPLY)
        waiting = asyncio.create_task(budget.acquire(2, BULK))
        await asyncio.sleep(0)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        started = time_.now
        await budget.acquire(3, REPLY)
        assert time_.now - started <= 1.0
        await budget.close()

    asyncio.run(drive())


def test_the_ledger_failing_falls_back_to_the_process_alone(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken:
        blocking = False

        def grant(self, *args: Any, **kwargs: Any) -> Any:
            raise OSError("database is gone")

    time_ = FakeTime()
    limits = Limits(5)
    budget = SendBudget(Broken(), limits, clock=time_.monotonic, sleep=time_.sleep)
    granted: list[float] = []

    async def drive() -> None:
        for chat in range(12):
            (await budget.acquire(chat, REPLY)).done()
            granted.append(time_.now)
        await budget.close()

    asyncio.run(drive())
    assert max_in_window(granted) <= 5
    assert sum("ledger failed" in r.getMessage() for r in caplog.records) == 1  # not per send


# --------------------------------------------------------------------------------------------
# PTB's rate limiter over the budget
# --------------------------------------------------------------------------------------------


class _Calls:
    def __init__(self, time_: FakeTime, failures: int = 0) -> None:
        self.time_ = time_
        self.at: list[float] = []
        self.failures = failures

    async def __call__(self, *_args: Any, **_kwargs: Any) -> dict[str, Any]:
        self.at.append(self.time_.now)
        if self.failures:
            self.failures -= 1
            raise RetryAfter(3)
        return {"ok": True}


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter(int)
def test_rate_limiter_counts_only_messages_and_retries_after_a_429() -> None:
    assert counts("sendMessage") and counts("editMessageText") and counts("sendPhoto")
    assert counts("copyMessage") and counts("forwardMessage")
    assert not counts("answerCallbackQuery") and not counts("getUpdates")
    assert not counts("sendChatAction") and not counts("getFile") and not counts("setWebhook")
    time_ = FakeTime()
    budget = budget_in(time_, Limits(30, 1))
    limiter = BudgetRateLimiter(budget)

    async def drive() -> None:
        call = _Calls(time_, failures=1)
        started = time_.now
        await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": 5}, None)
        assert call.at[0] == started and call.at[1] >= started + 3  # after everyone's pause
        assert budget.paused_until == started + 3
        free = _Calls(time_)
        for _ in range(3):  # not counted: never waits
            await limiter.process_request(free, (), {}, "answerCallbackQuery", {}, None)
        assert free.at == [time_.now] * 3
        edit = _Calls(time_)
        before = time_.now
        await limiter.process_request(edit, (), {}, "editMessageText", {"chat_id": 5}, BULK)
        assert edit.at[0] >= before + 1.0 - 1e-9 or edit.at[0] >= call.at[1] + 1.0 - 1e-9
        held = _Calls(time_, failures=1)
        with pytest.raises(RetryAfter):  # the caller (the outbox) handles its own 429
            await limiter.process_request(held, (), {}, "sendMessage", {"chat_id": 6}, PERMIT_HELD)
        assert len(held.at) == 1 and not math.isinf(budget.paused_until)
        await limiter.shutdown()

    asyncio.run(drive())
