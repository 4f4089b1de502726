"""One send budget for everything the bot sends, shared by every process on the database.

Telegram counts a bot's messages together: replies, edits, summaries, admin alerts and
broadcasts, from every process. So each send takes a slot from this budget first
(`await budget.acquire(chat_id, priority)`), and says when its request finished
(`permit.done()`). A 429 from Telegram pauses everyone (`budget.pause(seconds)`).

Each process runs one pump: local waiters queue here, most urgent first, and the pump asks
the ledger for slots on their behalf, one short database round for all of them at a time
(ledger.py), rather than every request knocking on the database itself. The rules for what
fits are in rules.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

from bot.delivery.ledger import Ledger, MemoryLedger, Round
from bot.delivery.rules import Limits, Priority, Request

log = logging.getLogger(__name__)

FLUSH_DELAY = 0.1  # finished sends wait this long for a round to ride along with
_MIN_SLEEP = 0.001  # never spin: a wait computed as 0 still yields for a moment
_WARN_EVERY = 30.0  # seconds between warnings while the database ledger is failing
_RETRY_SECONDS = 0.5  # after a round failed for a reason of its own (not the ledger's)


class Permit:
    """One granted send; `done()` once its request has finished (succeeded or not).

    The slot counts from the grant until then, and from the moment `done()` is called after:
    Telegram counts a message when it arrives, somewhere in between, so counting finish times
    can never make a window look emptier than Telegram's, however the network delays vary.
    """

    __slots__ = ("_on_done", "chat_id", "priority")

    def __init__(
        self, chat_id: int | None, priority: Priority, on_done: Callable[[], None] | None
    ) -> None:
        self.chat_id = chat_id
        self.priority = priority
        self._on_done = on_done

    def done(self) -> None:
        on_done, self._on_done = self._on_done, None
        if on_done is not None:
            on_done()


class Budget(Protocol):
    """What senders need from the budget (the outbox takes any implementation)."""

    @property
    def limits(self) -> Limits: ...

    async def acquire(self, chat_id: int | None, priority: Priority = Priority.REPLY) -> Permit: ...

    def pause(self, seconds: float) -> None: ...


@dataclass(order=True)
class _Waiter:
    priority: int
    seq: int
    chat_id: int | None = field(compare=False)
    future: asyncio.Future[Permit] = field(compare=False)


class SendBudget:
    """The budget of one process over a ledger (the database's, or memory for tests).

    `clock` and `sleep` are injectable so tests run in virtual time; `clock` only needs to
    agree with the ledger's when the ledger is in memory.
    """

    def __init__(
        self,
        ledger: Ledger,
        limits: Limits,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.ledger = ledger
        self._limits = limits
        self._clock = clock
        self._sleep = sleep
        self._fallback = MemoryLedger(limits, clock)
        self._waiters: list[_Waiter] = []
        self._seq = itertools.count()
        self._finished: dict[int, float] = {}  # entry id -> local time its request finished
        self._pause = 0.0  # seconds of pause not yet written to the ledger
        self._pause_noted_at = 0.0
        self._paused_until = -math.inf
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._pump: asyncio.Task[None] | None = None
        self._warned_at = -math.inf
        self._idle = False

    @property
    def limits(self) -> Limits:
        return self._limits

    @property
    def paused_until(self) -> float:
        """Until when this process knows nobody may send (its own clock)."""
        return self._paused_until

    async def acquire(self, chat_id: int | None, priority: Priority = Priority.REPLY) -> Permit:
        """Wait for a slot for one send to `chat_id` (None: a send that no chat limit covers)."""
        self._ensure_pump()
        future: asyncio.Future[Permit] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, _Waiter(int(priority), next(self._seq), chat_id, future))
        self._kick()
        try:
            return await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                future.result().done()  # granted just as the caller gave up: the slot is spent
            raise

    def pause(self, seconds: float) -> None:
        """Nobody sends for `seconds` (Telegram's retry_after is for the whole bot)."""
        seconds = max(0.0, float(seconds))
        now = self._clock()
        self._paused_until = max(self._paused_until, now + seconds)
        self._pause = max(self._pause - (now - self._pause_noted_at), seconds)
        self._pause_noted_at = now
        self._kick()

    async def close(self) -> None:
        """Stop the pump; finished sends not yet written stay local (they age out anyway)."""
        pump, self._pump = self._pump, None
        if pump is not None:
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump
        for waiter in self._waiters:
            waiter.future.cancel()
        self._waiters.clear()

    # ---------------------------------------------------------------- the pump

    def _ensure_pump(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (tests run several): start afresh
            self._loop, self._wake, self._pump = loop, asyncio.Event(), None
            self._waiters = [w for w in self._waiters if w.future.get_loop() is loop]
        if self._pump is None or self._pump.done():
            self._pump = loop.create_task(self._run(), name="send-budget")

    def _kick(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                await self._turn()
            except Exception:  # waiters must never be left without a pump
                log.exception("send budget: a round failed; trying again shortly")
                await asyncio.sleep(_RETRY_SECONDS)

    async def _turn(self) -> None:
        """One turn of the pump: a ledger round when anyone waits, then a nap."""
        wake = self._wake
        assert wake is not None
        wake.clear()
        self._drop_gone()
        if not (self._waiters or self._finished or self._pause):
            self._idle = True
            try:
                await wake.wait()
            finally:
                self._idle = False
            return
        if not (self._waiters or self._pause):
            # Only finished sends to write: let a few gather, or ride along with a grant.
            await self._nap(wake, FLUSH_DELAY)
            wake.clear()
        wait = await self._round()
        if self._waiters:
            # Finished sends must reach the other processes well within a second.
            await self._nap(wake, min(wait, FLUSH_DELAY) if self._finished else wait)

    def _drop_gone(self) -> None:
        if any(w.future.done() for w in self._waiters):
            self._waiters = [w for w in self._waiters if not w.future.done()]
            heapq.heapify(self._waiters)

    async def _round(self) -> float:
        """One ledger round for every local waiter; returns how long until the next one."""
        requests = [Request(w.seq, w.chat_id, Priority(w.priority)) for w in sorted(self._waiters)]
        now = self._clock()
        finished = {key: now - at for key, at in self._finished.items()}
        pause = max(0.0, self._pause - (now - self._pause_noted_at))
        self._finished, self._pause = {}, 0.0
        answer, on_done = await self._grant(requests, finished, pause)
        by_seq = {w.seq: w for w in self._waiters}
        for key, entry_id in answer.granted.items():
            waiter = by_seq.get(key)
            if waiter is None or waiter.future.done():
                continue  # cancelled meanwhile: the slot is spent, nothing else to do
            permit = Permit(waiter.chat_id, Priority(waiter.priority), partial(on_done, entry_id))
            waiter.future.set_result(permit)
        self._drop_gone()
        return answer.wait if math.isinf(answer.wait) else max(answer.wait, _MIN_SLEEP)

    async def _grant(
        self, requests: list[Request], finished: dict[int, float], pause: float
    ) -> tuple[Round, Callable[[int], None]]:
        """A round of the ledger, or of the local fallback while the ledger fails."""
        ledger: Ledger = self.ledger
        try:
            if ledger.blocking:
                answer = await asyncio.to_thread(
                    ledger.grant, requests, finished=finished, pause=pause
                )
            else:
                answer = ledger.grant(requests, finished=finished, pause=pause)
        except Exception as exc:  # the bot keeps talking while the database is out
            now = self._clock()
            if now - self._warned_at >= _WARN_EVERY:
                self._warned_at = now
                log.warning(
                    "send budget: the ledger failed (%s); this process keeps to the limits "
                    "by itself until it is back",
                    type(exc).__name__,
                )
            return self._fallback.grant(requests, finished={}, pause=pause), self._fallback_done
        return answer, self._ledger_done

    def _ledger_done(self, entry_id: int) -> None:
        if not self.ledger.blocking:  # in memory: no round trip to save
            self.ledger.grant([], finished={entry_id: 0.0}, pause=0.0)
            return
        self._finished[entry_id] = self._clock()
        if self._idle:
            self._kick()

    def _fallback_done(self, entry_id: int) -> None:
        self._fallback.grant([], finished={entry_id: 0.0}, pause=0.0)

    async def _nap(self, wake: asyncio.Event, seconds: float) -> None:
        """Sleep `seconds` (inf: until woken); a wake-up (a new waiter, a pause) cuts it short."""
        if math.isinf(seconds):
            await wake.wait()
            return
        sleeping = asyncio.ensure_future(self._sleep(seconds))
        waking = asyncio.ensure_future(wake.wait())
        try:
            await asyncio.wait({sleeping, waking}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeping.cancel()
            waking.cancel()
