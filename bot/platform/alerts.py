"""Errors to the admins: every ERROR record becomes a short message, at most one per minute per kind.

No Telegram here: a rate limiter with an injectable clock, a logging handler that queues
records without ever blocking the code that logged, and a dispatcher that drains the queue in
an asyncio task and sends through whatever coroutine the application hands it.

The dispatcher's own task runs with handler=alerts, and its records (a failed alert send, say)
are never queued: an alert must not cause another alert.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import time
import traceback
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from bot.chat.texts import render
from bot.platform.logs import chat_id_var, handler_var, update_id_var

log = logging.getLogger(__name__)

ALERTS_HANDLER = "alerts"
WINDOW_SECONDS = 60.0
_ROOT = Path(__file__).resolve().parents[2]
_OWN_PACKAGES = frozenset({"bot", "handlers", "models"})
# Our own plumbing every Bot API call passes through: never the telling place.
_PLUMBING = frozenset({"handlers/send_budget.py"})


@dataclass(frozen=True)
class AlertEvent:
    """What an admin may see: no message text (it may quote users), no secrets."""

    kind: str
    where: str  # the handler or job, else the logger
    error: str  # the exception type, else the log call's message template
    location: str  # file:line (function) in our code, "" when unknown
    chat_id: int | None = None
    update_id: int | None = None


@dataclass(frozen=True)
class Alert:
    event: AlertEvent
    held_back: int  # errors of this kind not sent on their own since the last alert
    repeat: bool = False  # only reports errors held back during the last window


@dataclass
class _Kind:
    sent_at: float
    last: AlertEvent
    held_back: int = 0


class AlertLimiter:
    """At most one alert per kind per window; what it holds back is counted and reported once
    the window has passed (as the next window's one alert)."""

    def __init__(
        self, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.window = window
        self._clock = clock
        self._kinds: dict[str, _Kind] = {}

    def admit(self, event: AlertEvent) -> Alert | None:
        """The alert to send now, or None when this kind already had its alert this window."""
        now = self._clock()
        state = self._kinds.get(event.kind)
        if state is not None and now - state.sent_at < self.window:
            state.held_back += 1
            state.last = event
            return None
        held_back = state.held_back if state else 0
        self._kinds[event.kind] = _Kind(sent_at=now, last=event)
        return Alert(event, held_back)

    def overdue(self) -> list[Alert]:
        """Follow-ups for kinds whose window has passed with errors held back; quiet kinds are forgotten."""
        now = self._clock()
        alerts = []
        for kind, state in list(self._kinds.items()):
            if now - state.sent_at < self.window:
                continue
            if state.held_back:
                alerts.append(Alert(state.last, state.held_back, repeat=True))
                self._kinds[kind] = _Kind(sent_at=now, last=state.last)
            else:
                del self._kinds[kind]
        return alerts


def _short_path(filename: str) -> tuple[str, bool]:
    """(path shown to admins, whether it is our own code)."""
    try:
        relative = Path(filename).resolve().relative_to(_ROOT)
    except (ValueError, OSError):
        return Path(filename).name, False
    path = relative.as_posix()
    return path, relative.parts[0] in _OWN_PACKAGES and path not in _PLUMBING


def _location(tb: TracebackType | None, record: logging.LogRecord) -> str:
    """The innermost frame of our own code (more telling than one deep inside a library)."""
    frames = traceback.extract_tb(tb) if tb is not None else []
    if not frames:
        return f"{_short_path(record.pathname)[0]}:{record.lineno}"
    own = [frame for frame in frames if _short_path(frame.filename)[1]]
    frame = (own or frames)[-1]
    return f"{_short_path(frame.filename)[0]}:{frame.lineno} ({frame.name})"


def event_from_record(record: logging.LogRecord) -> AlertEvent:
    handler = getattr(record, "handler", None) or handler_var.get()
    chat_id = getattr(record, "chat_id", None) or chat_id_var.get()
    update_id = getattr(record, "update_id", None) or update_id_var.get()
    exc = record.exc_info[1] if record.exc_info else None
    error = type(exc).__name__ if exc is not None else str(record.msg)[:80]
    where = handler or record.name
    return AlertEvent(
        kind=f"{where}:{error}",
        where=where,
        error=error,
        location=_location(exc.__traceback__ if exc is not None else None, record),
        chat_id=chat_id,
        update_id=update_id,
    )


class AlertLogHandler(logging.Handler):
    """Queues an AlertEvent per ERROR record; never blocks, drops (and counts) when full."""

    def __init__(
        self, events: queue.Queue[AlertEvent], *, exclude_loggers: Iterable[str] = (__name__,)
    ) -> None:
        super().__init__(level=logging.ERROR)
        self._events = events
        self._excluded = tuple(exclude_loggers)
        self.dropped = 0

    def emit(self, record: logging.LogRecord) -> None:
        if handler_var.get() == ALERTS_HANDLER or record.name.startswith(self._excluded):
            return
        try:
            self._events.put_nowait(event_from_record(record))
        except queue.Full:
            self.dropped += 1
        except Exception:
            self.dropped += 1


class AlertDispatcher:
    """Drains the queue in an asyncio task and sends each admitted alert to every admin."""

    def __init__(
        self,
        send: Callable[[int, str], Awaitable[object]],
        admin_ids: Iterable[int],
        *,
        limiter: AlertLimiter | None = None,
        maxsize: int = 200,
        poll_seconds: float = 0.5,
    ) -> None:
        self._send = send
        self.admin_ids = sorted(admin_ids)
        self.limiter = limiter or AlertLimiter()
        self.events: queue.Queue[AlertEvent] = queue.Queue(maxsize)
        self.handler = AlertLogHandler(self.events)
        self.poll_seconds = poll_seconds
        self._dropped_reported = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop` is set (then one last round, for errors logged while stopping)."""
        handler_var.set(ALERTS_HANDLER)  # this task's own records never alert
        while True:
            try:
                await self.flush()
            except Exception:
                log.warning("admin alerts: a round failed", exc_info=True)
            if stop.is_set():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.poll_seconds)

    async def flush(self) -> None:
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                break
            if (alert := self.limiter.admit(event)) is not None:
                await self._deliver(alert)
        for alert in self.limiter.overdue():
            await self._deliver(alert)
        if self.handler.dropped > self._dropped_reported:
            log.warning(
                "admin alerts: %s errors dropped (queue full)",
                self.handler.dropped - self._dropped_reported,
            )
            self._dropped_reported = self.handler.dropped

    async def _deliver(self, alert: Alert) -> None:
        text = render("admin_alert", alert=alert)
        for admin_id in self.admin_ids:
            try:
                await self._send(admin_id, text)
            except Exception as exc:
                log.warning("admin alert to %s not sent: %s", admin_id, type(exc).__name__)
