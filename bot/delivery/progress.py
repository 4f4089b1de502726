"""Broadcast progress for the staff member: one message, edited as the broadcast goes.

The message is the one where they confirmed the broadcast: it first shows that the
broadcast is queued (the handler's reply), then the running count, then the final report.
Nothing is shown before FIRST_PROGRESS_AFTER seconds after the confirmation, so the
handler's edit lands first and the running count or final report is never overwritten by
it; after that a report comes every PROGRESS_INTERVAL_SECONDS while rows are settled, and
the final one as soon as nothing is left. Progress edits are sends too: the progress
function sends them through the same budget as everything else.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.delivery.outcomes import BroadcastProgress, ProgressFunc
from bot.delivery.store import OutboxStore, Snapshot

log = logging.getLogger(__name__)

FIRST_PROGRESS_AFTER = 1.5  # seconds after the confirmation: its "queued" edit goes first
PROGRESS_INTERVAL_SECONDS = 4.0  # edits count against the limits: every 4 s is plenty
_TICK_SECONDS = 0.2  # how often the reporter looks when no outcome wakes it


@dataclass
class Track:
    """What one drain knows about one broadcast, for throttled progress and the ETA."""

    first_at: datetime | None = None
    finished_rows: int = 0
    dirty: bool = False
    last_report: datetime | None = None
    events: int = 0  # outcomes seen; a "finished?" probe runs once per change, not per tick
    probed_events: int = -1
    shown_from: datetime | None = None  # nothing is shown before (known after a snapshot)


@dataclass
class Book:
    """Per-broadcast bookkeeping of one drain, kept by the workers, read by the reporter."""

    kick: asyncio.Event = field(default_factory=asyncio.Event)  # wakes the reporter
    tracks: dict[int, Track] = field(default_factory=dict)
    outstanding: Counter[int] = field(default_factory=Counter)  # claimed, not yet settled

    def track(self, broadcast_id: int) -> Track:
        return self.tracks.setdefault(broadcast_id, Track())

    def started(self, broadcast_id: int, now: datetime) -> None:
        track = self.track(broadcast_id)
        if track.first_at is None:
            track.first_at = now

    def settled(self, broadcast_id: int, *, final: bool) -> None:
        """An outcome was recorded (`final`: the row will not be sent again)."""
        self.outstanding[broadcast_id] -= 1
        self.touched([broadcast_id])
        if final:
            self.tracks[broadcast_id].finished_rows += 1
        self.kick.set()

    def touched(self, broadcast_ids: Iterable[int]) -> None:
        """Rows changed without a send of ours (e.g. settled as blocked at the claim)."""
        for broadcast_id in broadcast_ids:
            track = self.track(broadcast_id)
            track.dirty = True
            track.events += 1


class Reporter:
    """Decides when each broadcast's progress is shown, and shows it."""

    def __init__(
        self,
        store: OutboxStore,
        progress: ProgressFunc | None,
        *,
        clock: Callable[[], datetime],
        interval: float,
        first_after: float,
        rate: float,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.store = store
        self.progress = progress
        self.clock = clock
        self.interval = interval
        self.first_after = first_after
        self.rate = rate  # sends per second assumed for the ETA until the real rate shows
        self.sleep = sleep

    async def loop(self, book: Book, halt: asyncio.Event, stop: asyncio.Event) -> None:
        """Throttled progress per broadcast, and the final report as soon as one is finished."""
        while not stop.is_set():
            book.kick.clear()
            try:
                await self.report_due(book, halt)
            except Exception:
                log.exception("outbox: progress report failed")
            if stop.is_set():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(book.kick.wait(), timeout=_TICK_SECONDS)

    async def report_due(self, book: Book, halt: asyncio.Event) -> None:
        for broadcast_id, track in list(book.tracks.items()):
            if not track.dirty or halt.is_set():
                continue
            now = self.clock()
            if track.shown_from is not None and now < track.shown_from:
                continue
            due = track.last_report is None or (
                (now - track.last_report).total_seconds() >= self.interval
            )
            maybe_finished = (
                book.outstanding[broadcast_id] <= 0 and track.events != track.probed_events
            )
            if not (due or maybe_finished):
                continue
            snap = await asyncio.to_thread(self.store.snapshot, broadcast_id)
            if snap is None:
                del book.tracks[broadcast_id]
                continue
            track.shown_from = self._shown_from(snap, now)
            if now < track.shown_from:
                continue  # looked again once it may be shown (probed_events left as it was)
            track.probed_events = track.events
            if snap.remaining == 0 and snap.status == "queued":
                await self.finish(broadcast_id, snap, track)
                del book.tracks[broadcast_id]
                continue
            if not due:
                continue
            report = self.progress_of(broadcast_id, snap, track, done=False)
            first_report = track.last_report is None
            track.last_report = now
            if report.eta_seconds < self.interval and not first_report:
                # The final report comes sooner than the next one would: an edit now would
                # only hold the final one back (one message per chat per second).
                continue
            track.dirty = False
            await self.emit(report)

    async def finish_all(self, book: Book) -> None:
        """Final reports for every queued broadcast with nothing left to send, then "done"."""
        for broadcast_id in await asyncio.to_thread(self.store.finished_broadcast_ids):
            snap = await asyncio.to_thread(self.store.snapshot, broadcast_id)
            if snap is None or snap.remaining or snap.status != "queued":
                continue
            now = self.clock()
            wait = (self._shown_from(snap, now) - now).total_seconds()
            if wait > 0:  # a broadcast done within a second: its "queued" edit goes first
                await self.sleep(wait)
            await self.finish(broadcast_id, snap, book.tracks.get(broadcast_id))

    def _shown_from(self, snap: Snapshot, now: datetime) -> datetime:
        """When the broadcast's progress may first be shown (a clock behind the database's
        must not hold it back longer than `first_after`)."""
        return min(snap.created_at, now) + timedelta(seconds=self.first_after)

    async def finish(self, broadcast_id: int, snap: Snapshot, track: Track | None) -> None:
        # Report before recording "done": a crash in between repeats the final report once
        # rather than losing it (the edit is then "not modified", which the caller ignores).
        await self.emit(self.progress_of(broadcast_id, snap, track, done=True))
        await asyncio.to_thread(self.store.mark_done, broadcast_id)

    def progress_of(
        self, broadcast_id: int, snap: Snapshot, track: Track | None, *, done: bool
    ) -> BroadcastProgress:
        remaining = snap.remaining
        rate = self.rate
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

    async def emit(self, report: BroadcastProgress) -> None:
        if self.progress is None:
            return
        try:
            await self.progress(report)
        except Exception:
            log.exception("outbox: progress callback failed for broadcast %s", report.broadcast_id)
