"""The outbox: the one way anything is sent to many chats.

A broadcast becomes one `outbox_message` row per (broadcast, chat). One sender at a time
(a lease) drains the table under Telegram's limits: it claims small batches as "sending",
commits, sends, and records each outcome in its own short transaction right after the send
returns. After a crash only the sends that were in flight can repeat; everything claimed but
not yet sent goes back to "pending" and is sent once.

Nothing here imports Telegram: the Telegram layer injects the send function (which maps the
Bot API's answers to `Sent`, `RetryAfter`, `Blocked` or `Failed`) and the progress function.
Database work is plain synchronous SQLAlchemy, run with `asyncio.to_thread` so it stays off
the event loop, and portable (no SQLite-only or PostgreSQL-only SQL).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import socket
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

from sqlalchemy import Connection, Engine, delete, exists, func, insert, or_, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from models.agencies import BlockedChat, Broadcast, Lease, OutboxMessage
from models.base import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LEASE_NAME = "outbox"
PROGRESS_INTERVAL_SECONDS = 4.0  # edits count against the limits: every 4 s keeps deliveries >= 95%
_LAST_ERROR_MAX = 200
_IN_CHUNK = 500  # bound the parameters of one IN (...) (SQLite allows 999 in old builds)
_MIN_SLEEP = 1e-6  # never sleep 0 in a wait loop: a float clock must move forward
_YIELD_SECONDS = 0.001  # how long a caller steps aside for an older one that may go first

# --------------------------------------------------------------------------------------------
# Queueing
# --------------------------------------------------------------------------------------------


class QueueCounts(NamedTuple):
    """Rows a queueing added: `queued` will be sent, `blocked` were skipped at once (403 earlier)."""

    queued: int
    blocked: int


def queue_broadcast(session: Session, *, broadcast_id: int, chat_ids: Iterable[int]) -> QueueCounts:
    """Queue one row per chat for the broadcast and mark it "queued" (the caller commits).

    Duplicates are ignored, a chat already queued for this broadcast is a no-op (the unique
    key guarantees it even against a concurrent queueing), and chats that blocked the bot get
    a "blocked" row right away so the final report lists them without a send.
    """
    session.flush()
    # A write first: it takes the broadcast's row lock on PostgreSQL (two confirmations of one
    # broadcast queue one after the other) and makes pysqlite open the transaction, so the
    # savepoints below are real savepoints and not transactions of their own.
    touched = session.exec(
        update(Broadcast.__table__)
        .where(Broadcast.__table__.c.id == broadcast_id)
        .values(status=Broadcast.__table__.c.status)
    )
    if touched.rowcount == 0:
        raise LookupError(f"broadcast {broadcast_id} does not exist")
    broadcast = session.get(Broadcast, broadcast_id)
    assert broadcast is not None
    if broadcast.status == "cancelled":
        raise ValueError(f"broadcast {broadcast_id} was cancelled")

    wanted = list(dict.fromkeys(int(chat_id) for chat_id in chat_ids))
    present = set(
        session.exec(
            select(OutboxMessage.chat_id).where(OutboxMessage.broadcast_id == broadcast_id)
        ).scalars()
    )
    fresh = [chat_id for chat_id in wanted if chat_id not in present]
    blocked: set[int] = set()
    for chunk in _chunks(fresh, _IN_CHUNK):
        blocked.update(
            session.exec(
                select(BlockedChat.chat_id).where(BlockedChat.chat_id.in_(chunk))
            ).scalars()
        )
    rows = [
        {
            "broadcast_id": broadcast_id,
            "chat_id": chat_id,
            "status": "blocked" if chat_id in blocked else "pending",
            "attempts": 0,
        }
        for chat_id in fresh
    ]
    inserted = _insert_outbox_rows(session, rows)
    if inserted or broadcast.status == "draft":
        # New rows reopen a finished broadcast; an empty audience still gets its final report.
        broadcast.status = "queued"
        broadcast.finished_at = None
        session.add(broadcast)
        session.flush()
    queued = sum(1 for row in inserted if row["status"] == "pending")
    return QueueCounts(queued=queued, blocked=len(inserted) - queued)


def _insert_outbox_rows(session: Session, rows: list[dict]) -> list[dict]:
    """Insert all rows at once; if a concurrent queueing got some first, row by row."""
    if not rows:
        return []
    try:
        with session.begin_nested():
            for chunk in _chunks(rows, _IN_CHUNK):
                session.exec(insert(OutboxMessage.__table__), params=chunk)
        return rows
    except IntegrityError:
        log.info("outbox: some rows were queued concurrently; inserting one by one")
    inserted: list[dict] = []
    for row in rows:
        try:
            with session.begin_nested():
                session.exec(insert(OutboxMessage.__table__), params=[row])
        except IntegrityError:
            continue
        inserted.append(row)
    return inserted


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------------------------------
# Rate limiting
# --------------------------------------------------------------------------------------------


class Permit:
    """One admitted call; `done()` when its request finished, to make the limit latency-proof.

    A permit counts in the windows from the moment it was granted. `done()` moves that moment
    to when the request finished: Telegram counts a call when it arrives, somewhere between
    the two, so a window that counts finish times can never look emptier than Telegram's, however
    the network delays vary. A permit never marked done counts from its grant (a plain rolling
    window), which is exact as long as requests take less than the window.
    """

    __slots__ = ("_clock", "at")

    def __init__(self, at: float, clock: Callable[[], float]) -> None:
        self.at = at
        self._clock = clock

    def done(self) -> None:
        now = self._clock()
        if now > self.at:
            self.at = now


class RateLimiter:
    """At most `per_second` calls in any rolling second overall and `per_chat_per_second` per chat.

    Shared by every sender of the process (broadcast sends and progress edits), because
    Telegram counts them together. Grants are also spaced evenly (1/per_second apart unless
    `smooth=False`): a full window's worth in one burst is legal by the numbers, but bursts are
    what flood control punishes first. `pause(seconds)` stops everyone after a 429's
    retry_after. Clock and sleep are injectable so tests run in virtual time.
    """

    def __init__(
        self,
        per_second: int,
        per_chat_per_second: int,
        clock: Callable[[], float] = time.monotonic,
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        window: float = 1.0,
        smooth: bool = True,
    ) -> None:
        if per_second < 1 or per_chat_per_second < 1 or window <= 0:
            raise ValueError("rate limits must be positive")
        self.per_second = per_second
        self.per_chat_per_second = per_chat_per_second
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._global: list[Permit] = []
        self._chats: dict[int, list[Permit]] = {}
        self._paused_until = -math.inf
        self._spacing = window / per_second if smooth else 0.0
        self._next_at = -math.inf  # the smoothing schedule: earliest time of the next grant
        self._tickets = 0
        self._waiting: dict[int, int] = {}  # ticket -> chat id, oldest first

    async def acquire(self, chat_id: int) -> Permit:
        """Wait until one more call to `chat_id` fits both windows (and any pause), then take it.

        First come, first served among callers that may send now: without that, a progress
        edit waiting beside eight busy send loops can starve for the whole broadcast.
        """
        self._tickets += 1
        ticket = self._tickets
        self._waiting[ticket] = chat_id
        try:
            while True:
                now = self._clock()
                wait = self._wait_needed(chat_id, now)
                if wait <= 0:
                    if not self._older_waiter_fits(ticket, now):
                        return self._grant(chat_id, now)
                    wait = _YIELD_SECONDS  # the older caller wakes up and takes this slot
                await self._sleep(max(wait, _MIN_SLEEP))
        finally:
            del self._waiting[ticket]

    def _grant(self, chat_id: int, now: float) -> Permit:
        permit = Permit(now, self._clock)
        # Keep to the schedule when a wake-up was a little late (late wake-ups must not add
        # up); start a new schedule after an idle spell (no catch-up burst).
        late = now - self._next_at
        self._next_at = (self._next_at if late < self._spacing else now) + self._spacing
        self._global.append(permit)
        self._chats.setdefault(chat_id, []).append(permit)
        return permit

    def _older_waiter_fits(self, ticket: int, now: float) -> bool:
        """Whether a caller waiting longer could take the slot now (its chat's window allows)."""
        for other, chat_id in self._waiting.items():
            if other >= ticket:
                return False
            stamps = self._chats.get(chat_id)
            if (
                not stamps
                or self._window_wait(
                    [p for p in stamps if p.at > now - self.window], self.per_chat_per_second, now
                )
                <= 0
            ):
                return True
        return False

    def pause(self, seconds: float) -> None:
        """Nobody is admitted for `seconds` (Telegram's retry_after applies to the whole bot)."""
        self._paused_until = max(self._paused_until, self._clock() + max(0.0, float(seconds)))

    @property
    def paused_until(self) -> float:
        return self._paused_until

    def _wait_needed(self, chat_id: int, now: float) -> float:
        """Seconds until a call fits; <= 0 means now. Check and grant happen with no await between."""
        horizon = now - self.window
        wait = max(self._paused_until - now, self._next_at - now)
        self._global = [p for p in self._global if p.at > horizon]
        wait = max(wait, self._window_wait(self._global, self.per_second, now))
        stamps = self._chats.get(chat_id)
        if stamps is not None:
            stamps[:] = [p for p in stamps if p.at > horizon]
            if stamps:
                wait = max(wait, self._window_wait(stamps, self.per_chat_per_second, now))
            else:
                del self._chats[chat_id]
        if len(self._chats) > 256:  # chats seen once stay behind; sweep them now and then
            self._chats = {
                chat: kept
                for chat, permits in self._chats.items()
                if (kept := [p for p in permits if p.at > horizon])
            }
        return wait

    def _window_wait(self, permits: list[Permit], limit: int, now: float) -> float:
        if len(permits) < limit:
            return 0.0
        # The call fits once all but limit - 1 of the counted permits have left the window.
        times = sorted(p.at for p in permits)
        return times[len(times) - limit] + self.window - now


# --------------------------------------------------------------------------------------------
# Outcomes, jobs, progress
# --------------------------------------------------------------------------------------------


class Outcome(Exception):  # noqa: N818 - an outcome, raised or returned, not only an error
    """What one send came to. The send function returns one or raises one."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(repr(a) for a in self.args)})"


class Sent(Outcome):
    """Telegram accepted the message."""


class RetryAfter(Outcome):
    """429: flood control; nobody may send for `seconds`, then this row is tried again."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = float(seconds)


class Blocked(Outcome):
    """403: the user blocked the bot, the chat is gone or we were kicked; never send there again."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason)
        self.reason = reason


class Failed(Outcome):
    """Any other error: retried with exponential backoff, then "failed" after MAX_ATTEMPTS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OutboxJob:
    """Everything the send function needs for one row."""

    outbox_id: int
    broadcast_id: int
    chat_id: int
    text: str
    photo_file_id: str | None
    attempts: int = 0


@dataclass(frozen=True)
class BroadcastProgress:
    """Counts for the staff member's progress message; `done` exactly once, at the end."""

    broadcast_id: int
    progress_chat_id: int | None
    progress_message_id: int | None
    sent: int
    failed: int
    blocked: int
    remaining: int
    eta_seconds: float
    done: bool
    blocked_chat_ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.blocked + self.remaining


SendFunc = Callable[[OutboxJob], Awaitable[Outcome]]
ProgressFunc = Callable[[BroadcastProgress], Awaitable[None]]


# --------------------------------------------------------------------------------------------
# Lease
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaseGrant:
    """`took_over`: nobody alive held the lease before us, so every "sending" row is orphaned."""

    took_over: bool


class SenderLease(Protocol):
    """One sender at a time. A PostgreSQL advisory lock can implement the same three calls."""

    def acquire(self) -> LeaseGrant | None: ...

    def renew(self) -> bool: ...

    def release(self) -> None: ...


class TableLease:
    """A lease as a row of the `lease` table: portable compare-and-swap, no dialect tricks."""

    def __init__(
        self,
        engine: Engine,
        *,
        name: str,
        holder: str,
        seconds: float,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.name = name
        self.holder = holder
        self.seconds = seconds
        self.clock = clock

    def acquire(self) -> LeaseGrant | None:
        """Take the lease if it is free, expired or already ours; None while someone else holds it."""
        now = self.clock()
        expires = now + timedelta(seconds=self.seconds)
        try:
            with self.engine.begin() as conn:
                row = conn.execute(
                    select(Lease.holder, Lease.expires_at).where(Lease.name == self.name)
                ).first()
                if row is None:
                    conn.execute(
                        insert(Lease.__table__).values(
                            name=self.name, holder=self.holder, expires_at=expires
                        )
                    )
                    return LeaseGrant(took_over=True)
                ours = row.holder == self.holder and row.expires_at > now
                if row.holder != self.holder and row.expires_at > now:
                    return None
                # Compare-and-swap on what we read: of two racing takers exactly one matches.
                swapped = conn.execute(
                    update(Lease.__table__)
                    .where(
                        Lease.name == self.name,
                        Lease.holder == row.holder,
                        Lease.expires_at == row.expires_at,
                    )
                    .values(holder=self.holder, expires_at=expires)
                )
                if swapped.rowcount != 1:
                    return None
                return LeaseGrant(took_over=not ours)
        except IntegrityError:  # another process inserted the row first
            return None

    def renew(self) -> bool:
        """Extend our lease; False means someone else took it (stop sending at once)."""
        expires = self.clock() + timedelta(seconds=self.seconds)
        with self.engine.begin() as conn:
            result = conn.execute(
                update(Lease.__table__)
                .where(Lease.name == self.name, Lease.holder == self.holder)
                .values(expires_at=expires)
            )
        return result.rowcount == 1

    def release(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                delete(Lease.__table__).where(Lease.name == self.name, Lease.holder == self.holder)
            )


class AdvisoryLease:
    """PostgreSQL's session advisory lock, held on a connection of its own.

    Better than a table lease where it is available: a process that dies drops its
    connection, and PostgreSQL frees the lock at once instead of after an expiry.
    """

    KEY = 0x554D4F42  # any constant; every process of this app must use the same one

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    def acquire(self) -> LeaseGrant | None:
        if self._connection is not None:
            return LeaseGrant(took_over=False) if self.renew() else None
        connection = self.engine.connect()
        try:
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": self.KEY}
            ).scalar()
            connection.commit()
        except BaseException:
            connection.close()
            raise
        if not got:
            connection.close()
            return None
        self._connection = connection
        # Whoever held it before is gone (a released lock leaves no "sending" rows behind).
        return LeaseGrant(took_over=True)

    def renew(self) -> bool:
        """Still ours while our connection is alive; a dropped connection released the lock."""
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1")).scalar()
            self._connection.commit()
        except DBAPIError:
            self._drop()
            return False
        return True

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.KEY})
            self._connection.commit()
        except DBAPIError:
            log.warning(
                "outbox: could not unlock the advisory lease; closing its connection frees it"
            )
        self._drop()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(DBAPIError):
                connection.invalidate()  # never hand a connection holding the lock back to the pool
                connection.close()


def sender_lease(engine: Engine, *, holder: str, seconds: float) -> SenderLease:
    """The advisory lock on PostgreSQL, the portable table lease elsewhere."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLease(engine)
    return TableLease(engine, name=LEASE_NAME, holder=holder, seconds=seconds)


def default_holder() -> str:
    """A holder name unique per process: two processes must never share one."""
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


# --------------------------------------------------------------------------------------------
# The sender
# --------------------------------------------------------------------------------------------


@dataclass
class _Track:
    """What one run knows about one broadcast, for throttled progress and the ETA."""

    first_at: datetime | None = None
    finished_rows: int = 0
    dirty: bool = False
    last_report: datetime | None = None
    events: int = 0  # outcomes seen; a "finished?" probe runs once per change, not per tick
    probed_events: int = -1


@dataclass
class _Snapshot:
    status: str
    progress_chat_id: int | None
    progress_message_id: int | None
    counts: Counter
    blocked_chat_ids: list[int]

    @property
    def remaining(self) -> int:
        return self.counts["pending"] + self.counts["sending"]


@dataclass
class _Run:
    """State of one drain; events are made inside the running loop."""

    halt: asyncio.Event
    need_more: asyncio.Event
    kick: asyncio.Event  # wakes the progress reporter after an outcome
    attempted: int = 0
    lease_lost: bool = False
    skipped: list[int] = field(default_factory=list)
    blocked_chats: set[int] = field(default_factory=set)
    tracks: dict[int, _Track] = field(default_factory=dict)
    outstanding: Counter = field(default_factory=Counter)

    def stop(self, *, lease_lost: bool = False) -> None:
        self.lease_lost = self.lease_lost or lease_lost
        self.halt.set()
        self.need_more.set()
        self.kick.set()


class OutboxSender:
    """Drains the outbox under the rate limits; one instance per process, one active at a time."""

    def __init__(
        self,
        engine: Engine,
        *,
        send: SendFunc,
        progress: ProgressFunc | None,
        limiter: RateLimiter,
        concurrency: int = 8,
        holder: str,
        lease_seconds: int = 30,
        clock: Callable[[], datetime] = utcnow,
        batch_size: int = 50,
        progress_interval: float = PROGRESS_INTERVAL_SECONDS,
        poll_interval: float = 1.0,
        lease: SenderLease | None = None,
    ) -> None:
        if concurrency < 1 or batch_size < 1:
            raise ValueError("concurrency and batch_size must be positive")
        self.engine = engine
        self.limiter = limiter
        self.concurrency = concurrency
        self.holder = holder
        self.lease_seconds = lease_seconds
        self.clock = clock
        self.batch_size = batch_size
        self.progress_interval = progress_interval
        self.poll_interval = poll_interval
        self._send = send
        self._progress = progress
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
        run = _Run(halt=asyncio.Event(), need_more=asyncio.Event(), kick=asyncio.Event())
        helpers = [asyncio.create_task(self._heartbeat(run))]
        if self._stop is not None:
            helpers.append(asyncio.create_task(self._watch_stop(run, self._stop)))
        try:
            recovered = await asyncio.to_thread(self._recover, grant.took_over or self._fresh)
            self._fresh = False
            if recovered:
                log.warning(
                    "outbox: %d rows left sending by a stopped sender go out again", recovered
                )
            await self._drain(run)
            if not run.lease_lost:
                await self._finish_broadcasts(run)
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
                    if await asyncio.to_thread(self._has_work):
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
        reporter = asyncio.create_task(self._progress_loop(run, reporter_stop))
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(self.concurrency):
                    group.create_task(self._worker(run, queue))
                group.create_task(self._claimer(run, queue))
        finally:
            reporter_stop.set()
            run.kick.set()
            with contextlib.suppress(asyncio.CancelledError):
                await reporter
            if run.skipped and not run.lease_lost:
                # Claimed but never sent (graceful stop): hand them back now rather than later.
                await asyncio.to_thread(self._requeue, run.skipped)

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
                jobs, touched = await asyncio.to_thread(self._claim, self.batch_size)
                self._note_touched(run, touched)
                if not jobs and not touched:
                    # Nothing due: let the in-flight sends finish, since an outcome can make a
                    # row due again (a short retry_after); then stop when still nothing is due.
                    await queue.join()
                    jobs, touched = await asyncio.to_thread(self._claim, self.batch_size)
                    self._note_touched(run, touched)
                    if not jobs and not touched:
                        break
                for job in jobs:
                    run.outstanding[job.broadcast_id] += 1
                    queue.put_nowait(job)
        finally:
            for _ in range(self.concurrency):
                queue.put_nowait(None)

    def _note_touched(self, run: _Run, broadcast_ids: Iterable[int]) -> None:
        for broadcast_id in broadcast_ids:  # rows settled during the claim (blocked chats)
            track = run.tracks.setdefault(broadcast_id, _Track())
            track.dirty = True
            track.events += 1

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
                    run.outstanding[job.broadcast_id] -= 1
                    continue
                run.attempted += 1
                track = run.tracks.setdefault(job.broadcast_id, _Track())
                if track.first_at is None:
                    track.first_at = self.clock()
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
        final = await asyncio.to_thread(self._record, job, outcome)
        run.outstanding[job.broadcast_id] -= 1
        track = run.tracks.setdefault(job.broadcast_id, _Track())
        track.dirty = True
        track.events += 1
        if final:
            track.finished_rows += 1
        run.kick.set()  # the reporter decides whether a report is due

    async def _acquire(self, run: _Run, chat_id: int) -> Permit | None:
        """A permit, or None when the run halts first (a long retry_after must not delay a stop)."""
        acquiring = asyncio.ensure_future(self.limiter.acquire(chat_id))
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
            return None
        return permit

    async def _call_send(self, job: OutboxJob) -> Outcome:
        try:
            outcome = await self._send(job)
        except Outcome as raised:
            outcome = raised
        except Exception as exc:  # noqa: BLE001 - any other error is a failed attempt
            log.warning("outbox: send of row %s raised %s", job.outbox_id, type(exc).__name__)
            outcome = Failed(f"{type(exc).__name__}: {exc}")
        if not isinstance(outcome, Outcome):
            outcome = Failed(f"send returned {outcome!r}")
        if isinstance(outcome, RetryAfter):
            self.limiter.pause(outcome.seconds)
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

    # ---------------------------------------------------------------- progress

    async def _progress_loop(self, run: _Run, stop: asyncio.Event) -> None:
        """Throttled progress per broadcast, and the final report as soon as one is finished."""
        while not stop.is_set():
            run.kick.clear()
            try:
                await self._report_due(run)
            except Exception:
                log.exception("outbox: progress report failed")
            if stop.is_set():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(run.kick.wait(), timeout=0.2)

    async def _report_due(self, run: _Run) -> None:
        for broadcast_id, track in list(run.tracks.items()):
            if not track.dirty or run.halt.is_set():
                continue
            now = self.clock()
            due = (
                track.last_report is None
                or (now - track.last_report).total_seconds() >= self.progress_interval
            )
            maybe_finished = (
                run.outstanding[broadcast_id] <= 0 and track.events != track.probed_events
            )
            if not (due or maybe_finished):
                continue
            track.probed_events = track.events
            snap = await asyncio.to_thread(self._snapshot, broadcast_id)
            if snap is None:
                del run.tracks[broadcast_id]
                continue
            if snap.remaining == 0 and snap.status == "queued":
                await self._finish(broadcast_id, snap, track)
                del run.tracks[broadcast_id]
                continue
            if not due:
                continue
            progress = self._progress_of(broadcast_id, snap, track, done=False)
            first_report = track.last_report is None
            track.last_report = now
            if progress.eta_seconds < self.progress_interval and not first_report:
                # The final report comes sooner than the next one would: an edit now would
                # only hold the final one back (one message per chat per second).
                continue
            track.dirty = False
            await self._emit(progress)

    async def _finish_broadcasts(self, run: _Run) -> None:
        """Final reports for every queued broadcast with nothing left to send, then "done"."""
        for broadcast_id in await asyncio.to_thread(self._finished_broadcast_ids):
            snap = await asyncio.to_thread(self._snapshot, broadcast_id)
            if snap is None or snap.remaining or snap.status != "queued":
                continue
            await self._finish(broadcast_id, snap, run.tracks.get(broadcast_id))

    async def _finish(self, broadcast_id: int, snap: _Snapshot, track: _Track | None) -> None:
        # Report before recording "done": a crash in between repeats the final report once
        # rather than losing it (the edit is then "not modified", which the caller ignores).
        await self._emit(self._progress_of(broadcast_id, snap, track, done=True))
        await asyncio.to_thread(self._mark_done, broadcast_id)

    def _progress_of(
        self, broadcast_id: int, snap: _Snapshot, track: _Track | None, *, done: bool
    ) -> BroadcastProgress:
        remaining = snap.remaining
        rate = float(self.limiter.per_second)
        if track is not None and track.first_at is not None and track.finished_rows:
            elapsed = (self.clock() - track.first_at).total_seconds()
            if elapsed >= 1.0:
                rate = track.finished_rows / elapsed
        return BroadcastProgress(
            broadcast_id=broadcast_id,
            progress_chat_id=snap.progress_chat_id,
            progress_message_id=snap.progress_message_id,
            sent=snap.counts["sent"],
            failed=snap.counts["failed"],
            blocked=snap.counts["blocked"],
            remaining=remaining,
            eta_seconds=remaining / rate if remaining else 0.0,
            done=done,
            blocked_chat_ids=list(snap.blocked_chat_ids),
        )

    async def _emit(self, progress: BroadcastProgress) -> None:
        """Progress edits are messages too: they wait for the same limiter as the sends."""
        if self._progress is None:
            return
        permit = None
        if progress.progress_chat_id is not None:
            permit = await self.limiter.acquire(progress.progress_chat_id)
        try:
            await self._progress(progress)
        except Exception:
            log.exception(
                "outbox: progress callback failed for broadcast %s", progress.broadcast_id
            )
        finally:
            if permit is not None:
                permit.done()

    # ---------------------------------------------------------------- database (sync, in threads)

    def _recover(self, all_sending: bool) -> int:
        """Rows a dead sender left "sending" go back to "pending" (only in-flight ones can repeat)."""
        statement = update(OutboxMessage.__table__).where(OutboxMessage.status == "sending")
        if not all_sending:
            cutoff = self.clock() - timedelta(seconds=self.lease_seconds)
            statement = statement.where(
                or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < cutoff)
            )
        with self.engine.begin() as conn:
            return conn.execute(statement.values(status="pending", claimed_at=None)).rowcount

    def _claim(self, limit: int) -> tuple[list[OutboxJob], set[int]]:
        """Claim up to `limit` due rows as "sending" (oldest first) and commit before any send."""
        now = self.clock()
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(
                    OutboxMessage.id,
                    OutboxMessage.broadcast_id,
                    OutboxMessage.chat_id,
                    OutboxMessage.attempts,
                    Broadcast.text,
                    Broadcast.photo_file_id,
                )
                .join(Broadcast, Broadcast.id == OutboxMessage.broadcast_id)
                .where(
                    OutboxMessage.status == "pending",
                    or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= now),
                    Broadcast.status == "queued",
                )
                .order_by(OutboxMessage.id)
                .limit(limit)
                .with_for_update(of=OutboxMessage.__table__, skip_locked=True)
            ).all()
            if not rows:
                return [], set()
            blocked = set(
                conn.execute(
                    select(BlockedChat.chat_id).where(
                        BlockedChat.chat_id.in_({row.chat_id for row in rows})
                    )
                ).scalars()
            )
            jobs: list[OutboxJob] = []
            touched: set[int] = set()
            for row in rows:
                status = "blocked" if row.chat_id in blocked else "sending"
                claimed = conn.execute(
                    update(OutboxMessage.__table__)
                    .where(OutboxMessage.id == row.id, OutboxMessage.status == "pending")
                    .values(status=status, claimed_at=now)
                ).rowcount
                if claimed != 1:
                    continue
                if status == "blocked":  # blocked since it was queued: settle without a send
                    touched.add(row.broadcast_id)
                    continue
                jobs.append(
                    OutboxJob(
                        outbox_id=row.id,
                        broadcast_id=row.broadcast_id,
                        chat_id=row.chat_id,
                        text=row.text,
                        photo_file_id=row.photo_file_id,
                        attempts=row.attempts,
                    )
                )
        return jobs, touched

    def _record(self, job: OutboxJob, outcome: Outcome) -> bool:
        """Record one outcome in its own short transaction; True when the row is settled."""
        now = self.clock()
        row = update(OutboxMessage.__table__).where(
            OutboxMessage.id == job.outbox_id, OutboxMessage.status == "sending"
        )
        final = True
        if isinstance(outcome, Sent):
            row = row.values(status="sent", sent_at=now)
        elif isinstance(outcome, RetryAfter):
            final = False
            row = row.values(
                status="pending",
                claimed_at=None,
                not_before=now + timedelta(seconds=max(0.0, outcome.seconds)),
            )
        elif isinstance(outcome, Blocked):
            row = row.values(status="blocked", last_error=_short(outcome.reason or "blocked"))
        else:
            reason = outcome.reason if isinstance(outcome, Failed) else repr(outcome)
            attempts = job.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                row = row.values(status="failed", attempts=attempts, last_error=_short(reason))
            else:
                final = False
                row = row.values(
                    status="pending",
                    attempts=attempts,
                    last_error=_short(reason),
                    claimed_at=None,
                    not_before=now + timedelta(seconds=2**attempts),
                )
        with self.engine.begin() as conn:
            conn.execute(row)
            if isinstance(outcome, Blocked):
                _remember_blocked(conn, job.chat_id, now)
        return final

    def _requeue(self, outbox_ids: list[int]) -> None:
        with self.engine.begin() as conn:
            for chunk in _chunks(outbox_ids, _IN_CHUNK):
                conn.execute(
                    update(OutboxMessage.__table__)
                    .where(OutboxMessage.id.in_(chunk), OutboxMessage.status == "sending")
                    .values(status="pending", claimed_at=None)
                )

    def _snapshot(self, broadcast_id: int) -> _Snapshot | None:
        with self.engine.connect() as conn:
            broadcast = conn.execute(
                select(
                    Broadcast.status, Broadcast.progress_chat_id, Broadcast.progress_message_id
                ).where(Broadcast.id == broadcast_id)
            ).first()
            if broadcast is None:
                return None
            counts: Counter = Counter(
                dict(
                    conn.execute(
                        select(OutboxMessage.status, func.count())
                        .where(OutboxMessage.broadcast_id == broadcast_id)
                        .group_by(OutboxMessage.status)
                    ).all()
                )
            )
            blocked_ids = list(
                conn.execute(
                    select(OutboxMessage.chat_id)
                    .where(
                        OutboxMessage.broadcast_id == broadcast_id,
                        OutboxMessage.status == "blocked",
                    )
                    .order_by(OutboxMessage.id)
                ).scalars()
            )
        return _Snapshot(
            status=broadcast.status,
            progress_chat_id=broadcast.progress_chat_id,
            progress_message_id=broadcast.progress_message_id,
            counts=counts,
            blocked_chat_ids=blocked_ids,
        )

    def _unfinished(self):  # noqa: ANN202 - a SQL expression
        return exists().where(
            OutboxMessage.broadcast_id == Broadcast.id,
            OutboxMessage.status.in_(("pending", "sending")),
        )

    def _finished_broadcast_ids(self) -> list[int]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(Broadcast.id)
                    .where(Broadcast.status == "queued", ~self._unfinished())
                    .order_by(Broadcast.id)
                ).scalars()
            )

    def _mark_done(self, broadcast_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(Broadcast.__table__)
                .where(
                    Broadcast.id == broadcast_id,
                    Broadcast.status == "queued",
                    ~self._unfinished(),
                )
                .values(status="done", finished_at=self.clock())
            )

    def _has_work(self) -> bool:
        """Cheap check before taking the lease, so an idle bot does not write every poll."""
        now = self.clock()
        with self.engine.connect() as conn:
            due = conn.execute(
                select(OutboxMessage.id)
                .where(
                    or_(
                        OutboxMessage.status == "sending",
                        (OutboxMessage.status == "pending")
                        & or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= now),
                    )
                )
                .limit(1)
            ).first()
            if due is not None:
                return True
            return (
                conn.execute(
                    select(Broadcast.id)
                    .where(Broadcast.status == "queued", ~self._unfinished())
                    .limit(1)
                ).first()
                is not None
            )


def _remember_blocked(conn, chat_id: int, now: datetime) -> None:  # noqa: ANN001
    """Check-then-insert; a concurrent insert of the same chat is fine (savepoint)."""
    present = conn.execute(
        select(BlockedChat.chat_id).where(BlockedChat.chat_id == chat_id)
    ).first()
    if present is not None:
        return
    try:
        with conn.begin_nested():
            conn.execute(insert(BlockedChat.__table__).values(chat_id=chat_id, blocked_at=now))
    except IntegrityError:
        pass


def _short(text: str) -> str:
    return text if len(text) <= _LAST_ERROR_MAX else text[: _LAST_ERROR_MAX - 1] + "…"
