"""The outbox sender: drains queued broadcasts under the send budget, one process at a time.

One sender at a time (a lease, lease.py) claims small batches of rows as "sending", commits,
takes a slot from the send budget for each (bulk priority: replies to people go first),
sends, and records each outcome in its own short transaction (store.py). After a crash only
the sends that were in flight can repeat; everything claimed but not yet sent goes back to
"pending" and is sent once. Progress for the staff member is progress.py's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from bot.delivery.budget import Budget, Permit
from bot.delivery.lease import LEASE_NAME, LEASE_SECONDS, SenderLease, TableLease
from bot.delivery.outcomes import (
    Blocked,
    Failed,
    OutboxJob,
    Outcome,
    ProgressFunc,
    RetryAfter,
    SendFunc,
)
from bot.delivery.progress import FIRST_PROGRESS_AFTER, PROGRESS_INTERVAL_SECONDS, Book, Reporter
from bot.delivery.rules import Priority
from bot.delivery.store import OutboxStore
from models.base import utcnow

log = logging.getLogger(__name__)


@dataclass
class _Run:
    """State of one drain; events are made inside the running loop."""

    halt: asyncio.Event = field(default_factory=asyncio.Event)
    need_more: asyncio.Event = field(default_factory=asyncio.Event)
    book: Book = field(default_factory=Book)
    attempted: int = 0
    lease_lost: bool = False
    skipped: list[int] = field(default_factory=list)
    blocked_chats: set[int] = field(default_factory=set)

    def stop(self, *, lease_lost: bool = False) -> None:
        self.lease_lost = self.lease_lost or lease_lost
        self.halt.set()
        self.need_more.set()
        self.book.kick.set()


class OutboxSender:
    """Drains the outbox under the send budget; one instance per process, one active at a time."""

    def __init__(
        self,
        engine: Engine,
        *,
        send: SendFunc,
        progress: ProgressFunc | None,
        budget: Budget,
        concurrency: int = 8,
        holder: str,
        lease_seconds: float = LEASE_SECONDS,
        clock: Callable[[], datetime] = utcnow,
        batch_size: int = 50,
        progress_interval: float = PROGRESS_INTERVAL_SECONDS,
        first_progress_after: float = FIRST_PROGRESS_AFTER,
        poll_interval: float = 1.0,
        lease: SenderLease | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if concurrency < 1 or batch_size < 1:
            raise ValueError("concurrency and batch_size must be positive")
        self.engine = engine
        self.budget = budget
        self.concurrency = concurrency
        self.holder = holder
        self.lease_seconds = lease_seconds
        self.clock = clock
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.store = OutboxStore(engine, clock)
        self.reporter = Reporter(
            self.store,
            progress,
            clock=clock,
            interval=progress_interval,
            first_after=first_progress_after,
            rate=float(budget.limits.per_second),
            sleep=sleep,
        )
        self._send = send
        self._lease: SenderLease = lease or TableLease(
            engine, name=LEASE_NAME, holder=holder, seconds=lease_seconds, clock=clock
        )
        self._fresh = True  # a new instance has nothing in flight: every "sending" row is orphaned
        self._stop: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None

    # ---------------------------------------------------------------- public API

    async def run_once(self) -> int:
        """Take the lease, send everything due now, release; returns how many sends were tried.

        Returns 0 without sending when another process holds the lease.
        """
        grant = await asyncio.to_thread(self._lease.acquire)
        if grant is None:
            return 0
        run = _Run()
        helpers = [asyncio.create_task(self._heartbeat(run))]
        if self._stop is not None:
            helpers.append(asyncio.create_task(self._watch_stop(run, self._stop)))
        try:
            recovered = await asyncio.to_thread(
                self.store.recover,
                all_sending=grant.took_over or self._fresh,
                older_than=self.lease_seconds,
            )
            self._fresh = False
            if recovered:
                log.warning(
                    "outbox: %d rows left sending by a stopped sender go out again", recovered
                )
            await self._drain(run)
            if not run.lease_lost:
                await self.reporter.finish_all(run.book)
            return run.attempted
        finally:
            for helper in helpers:
                helper.cancel()
            for helper in helpers:
                with contextlib.suppress(asyncio.CancelledError):
                    await helper
            await asyncio.to_thread(self._lease.release)

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Drain whenever there is work until `stop` is set; a stop lets in-flight sends finish."""
        self._stop = stop
        self._wake = asyncio.Event()
        try:
            while not stop.is_set():
                pause = self.poll_interval
                try:
                    if await asyncio.to_thread(self.store.has_work):
                        await self.run_once()
                except Exception:
                    log.exception("outbox sender run failed; trying again shortly")
                    pause = max(5.0, self.poll_interval)
                await self._idle(stop, pause)
        finally:
            self._stop = None
            self._wake = None

    def wake(self) -> None:
        """Start draining now rather than at the next poll (call after queue_broadcast commits)."""
        if self._wake is not None:
            self._wake.set()

    # ---------------------------------------------------------------- the drain

    async def _drain(self, run: _Run) -> None:
        queue: asyncio.Queue[OutboxJob | None] = asyncio.Queue()
        reporter_stop = asyncio.Event()
        reporter = asyncio.create_task(self.reporter.loop(run.book, run.halt, reporter_stop))
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(self.concurrency):
                    group.create_task(self._worker(run, queue))
                group.create_task(self._claimer(run, queue))
        finally:
            reporter_stop.set()
            run.book.kick.set()
            with contextlib.suppress(asyncio.CancelledError):
                await reporter
            if run.skipped and not run.lease_lost:
                # Claimed but never sent (graceful stop): hand them back now rather than later.
                await asyncio.to_thread(self.store.requeue, run.skipped)

    def _low_water(self) -> int:
        return max(self.concurrency, self.batch_size // 4)

    async def _claimer(self, run: _Run, queue: asyncio.Queue[OutboxJob | None]) -> None:
        """Keep a small local queue of claimed rows so the workers never wait for the database."""
        try:
            while not run.halt.is_set():
                while queue.qsize() > self._low_water() and not run.halt.is_set():
                    run.need_more.clear()
                    if queue.qsize() > self._low_water():
                        await run.need_more.wait()
                if run.halt.is_set():
                    break
                jobs, touched = await asyncio.to_thread(self.store.claim, self.batch_size)
                run.book.touched(touched)
                if not jobs and not touched:
                    # Nothing due: let the in-flight sends finish, since an outcome can make a
                    # row due again (a short retry_after); then stop when still nothing is due.
                    await queue.join()
                    jobs, touched = await asyncio.to_thread(self.store.claim, self.batch_size)
                    run.book.touched(touched)
                    if not jobs and not touched:
                        break
                for job in jobs:
                    run.book.outstanding[job.broadcast_id] += 1
                    queue.put_nowait(job)
        finally:
            for _ in range(self.concurrency):
                queue.put_nowait(None)

    async def _worker(self, run: _Run, queue: asyncio.Queue[OutboxJob | None]) -> None:
        while True:
            job = await queue.get()
            try:
                if job is None:
                    return
                if queue.qsize() <= self._low_water():
                    run.need_more.set()
                if job.chat_id in run.blocked_chats:
                    # Answered 403 for another row since this one was claimed: no second try.
                    await self._settle(run, job, Blocked("blocked earlier in this run"))
                    continue
                permit = None if run.halt.is_set() else await self._acquire(run, job.chat_id)
                if permit is None:
                    run.skipped.append(job.outbox_id)
                    run.book.outstanding[job.broadcast_id] -= 1
                    continue
                run.attempted += 1
                run.book.started(job.broadcast_id, self.clock())
                try:
                    outcome = await self._call_send(job)
                finally:
                    permit.done()
                if isinstance(outcome, Blocked):
                    run.blocked_chats.add(job.chat_id)
                await self._settle(run, job, outcome)
            finally:
                queue.task_done()

    async def _settle(self, run: _Run, job: OutboxJob, outcome: Outcome) -> None:
        """Record the outcome right away (its own transaction), then tell the reporter."""
        final = await asyncio.to_thread(self.store.record, job, outcome)
        run.book.settled(job.broadcast_id, final=final)

    async def _acquire(self, run: _Run, chat_id: int) -> Permit | None:
        """A permit, or None when the run halts first (a long retry_after must not delay a stop)."""
        acquiring = asyncio.ensure_future(self.budget.acquire(chat_id, Priority.BULK))
        halting = asyncio.ensure_future(run.halt.wait())
        try:
            await asyncio.wait({acquiring, halting}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            halting.cancel()
            if not acquiring.done():
                acquiring.cancel()
        if acquiring.cancelled() or not acquiring.done():
            return None
        permit = acquiring.result()
        if run.halt.is_set():
            permit.done()
            return None
        return permit

    async def _call_send(self, job: OutboxJob) -> Outcome:
        try:
            outcome = await self._send(job)
        except Outcome as raised:
            outcome = raised
        except Exception as exc:  # any other error is a failed attempt
            log.warning("outbox: send of row %s raised %s", job.outbox_id, type(exc).__name__)
            outcome = Failed(f"{type(exc).__name__}: {exc}")
        if not isinstance(outcome, Outcome):
            outcome = Failed(f"send returned {outcome!r}")
        if isinstance(outcome, RetryAfter):
            self.budget.pause(outcome.seconds)
        return outcome

    async def _heartbeat(self, run: _Run) -> None:
        interval = max(0.5, self.lease_seconds / 3)
        while True:
            await asyncio.sleep(interval)
            try:
                ok = await asyncio.to_thread(self._lease.renew)
            except Exception:
                log.exception("outbox: lease renewal failed")
                ok = False
            if not ok:
                log.error("outbox: lost the lease; stopping after the sends in flight")
                run.stop(lease_lost=True)
                return

    async def _watch_stop(self, run: _Run, stop: asyncio.Event) -> None:
        await stop.wait()
        run.stop()

    async def _idle(self, stop: asyncio.Event, seconds: float) -> None:
        wake = self._wake
        waiters = [asyncio.ensure_future(stop.wait())]
        if wake is not None:
            waiters.append(asyncio.ensure_future(wake.wait()))
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            if wake is not None:
                wake.clear()
