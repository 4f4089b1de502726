"""Admin alerts: one per minute per kind (a fake clock drives the window), never blocking, never recursive."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import queue
from collections.abc import Callable, Iterator

import pytest

from bot.chat.texts import render
from bot.platform.alerts import (
    ALERTS_HANDLER,
    Alert,
    AlertDispatcher,
    AlertEvent,
    AlertLimiter,
    AlertLogHandler,
)
from bot.platform.logs import chat_id_var, handler_var


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def event(kind: str = "advisor.text:NetworkError", chat_id: int | None = 42) -> AlertEvent:
    where, error = kind.split(":")
    return AlertEvent(
        kind=kind,
        where=where,
        error=error,
        location="handlers/common.py:1 (deliver)",
        chat_id=chat_id,
    )


def test_one_alert_per_kind_per_window_and_the_held_back_are_reported_once() -> None:
    clock = Clock()
    limiter = AlertLimiter(window=60, clock=clock)
    assert limiter.admit(event()) == Alert(event(), held_back=0)
    clock.now += 10
    assert limiter.admit(event()) is None
    assert limiter.admit(event(chat_id=43)) is None
    assert limiter.admit(event("jobs.sweep_summaries:OperationalError")) is not None  # another kind
    clock.now += 49.9
    assert limiter.overdue() == []  # still inside the first kind's window
    clock.now += 0.1
    (follow_up,) = limiter.overdue()
    assert follow_up == Alert(event(chat_id=43), held_back=2, repeat=True)  # the last one held back
    assert limiter.overdue() == []  # reported once
    clock.now += 30
    assert limiter.admit(event()) is None  # the follow-up was this window's one alert
    clock.now += 30
    assert limiter.admit(event()) == Alert(event(), held_back=1)  # held back ones ride along


def test_quiet_kinds_are_forgotten() -> None:
    clock = Clock()
    limiter = AlertLimiter(window=60, clock=clock)
    for i in range(100):
        limiter.admit(event(f"h{i}:E"))
    clock.now += 61
    assert limiter.overdue() == []
    assert limiter._kinds == {}


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    log = logging.getLogger("tests.alerts")
    log.propagate = False
    yield log
    log.handlers.clear()
    log.propagate = True


def test_the_handler_queues_errors_only_without_blocking(logger: logging.Logger) -> None:
    events: queue.Queue[AlertEvent] = queue.Queue(maxsize=2)
    handler = AlertLogHandler(events, exclude_loggers=("tests.alerts.sender",))
    logger.addHandler(handler)

    def log_some() -> None:  # in a copy of the context: the fields must not leak into other tests
        logger.warning("not an error")
        handler_var.set("advisor.text")
        chat_id_var.set(42)
        try:
            raise ConnectionError("gone")
        except ConnectionError:
            logger.exception("handler error: %s", "ConnectionError")
        logging.getLogger("tests.alerts.sender").error("alert send failed")  # excluded logger
        handler_var.set(ALERTS_HANDLER)
        logger.error("failed inside the alert task")  # never alerts about alerts
        handler_var.set(None)
        logger.error("outbox: lost the lease %s", "holder-1")
        logger.error("third: the queue is full")  # dropped, not blocking

    contextvars.copy_context().run(log_some)
    assert events.qsize() == 2 and handler.dropped == 1
    first, second = events.get_nowait(), events.get_nowait()
    assert first.kind == "advisor.text:ConnectionError" and first.chat_id == 42
    assert first.location.startswith("tests/unit/test_alerts.py:")
    assert second.kind == "tests.alerts:outbox: lost the lease %s"  # the template: no user data


async def _until(condition: Callable[[], bool]) -> None:
    """Let the dispatcher's task run (it polls every 10 ms) until `condition` holds."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the dispatcher never got there")


def test_dispatcher_sends_one_message_per_admin_and_survives_failing_sends() -> None:
    clock = Clock()
    sent: list[tuple[int, str]] = []
    broken = {7}

    async def send(chat_id: int, text: str) -> None:
        if chat_id in broken:
            logging.getLogger("telegram.ext").error("Bad Gateway while sending")  # must not recurse
            raise ConnectionError("Telegram is down")
        sent.append((chat_id, text))

    dispatcher = AlertDispatcher(send, {5, 7}, limiter=AlertLimiter(60, clock), poll_seconds=0.01)
    root = logging.getLogger()
    root.addHandler(dispatcher.handler)
    try:

        async def scenario() -> None:
            stop = asyncio.Event()
            task = asyncio.create_task(dispatcher.run(stop))
            handler_var.set("advisor.text")
            chat_id_var.set(42)
            for _ in range(3):
                logging.getLogger("handlers.system").error(
                    "handler error", exc_info=ValueError("x")
                )
            await _until(dispatcher.events.empty)  # a round took all three (it never yields)
            clock.now += 61
            await _until(lambda: len(sent) == 2)  # the follow-up of the window
            stop.set()
            await asyncio.wait_for(task, 2)

        asyncio.run(scenario())
    finally:
        root.removeHandler(dispatcher.handler)
    assert [chat for chat, _ in sent] == [5, 5]
    first, follow_up = (text for _, text in sent)
    assert "ValueError" in first and "advisor.text" in first and "42" in first
    assert "2× lagi dalam semenit terakhir" in follow_up
    assert dispatcher.events.empty()  # the failing sends' own errors were never queued


def test_alert_text_is_short_and_escaped() -> None:
    text = render("admin_alert", alert=Alert(event("x:<b>&"), held_back=3))
    assert "&lt;b&gt;&amp;" in text and "3×" in text and len(text) < 400
