"""Start-up calls to Telegram, retried while Telegram cannot be reached, until told to stop.

A bot started without network (or while Telegram is down) should say so in one line per
attempt and keep trying, not exit with pages of tracebacks. A token Telegram refuses, or a
request it rejects, is not a network problem: those errors go to the caller at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import urlsplit

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 5.0
MAX_RETRY_SECONDS = 60.0


def api_host(base_url: str) -> str:
    """The host (and port) of TELEGRAM_API_BASE_URL, for log lines; never the token."""
    return urlsplit(base_url.strip()).netloc or base_url


def stop_on_signals(stop: asyncio.Event, also: Callable[[], None] | None = None) -> None:
    """SIGTERM/SIGINT set `stop` (and call `also`); the first one is logged."""
    loop = asyncio.get_running_loop()

    def request_stop(sig: signal.Signals) -> None:
        if not stop.is_set():
            log.info("received %s; shutting down gracefully", sig.name)
        stop.set()
        if also is not None:
            also()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, request_stop, sig)


async def until_reachable(
    step: Callable[[], Awaitable[object]],
    *,
    stop: asyncio.Event,
    host: str,
    first_retry: float = FIRST_RETRY_SECONDS,
    max_retry: float = MAX_RETRY_SECONDS,
) -> bool:
    """Run `step` until it gets through: True then, False when `stop` is set first.

    Network errors (no route, timeouts, Telegram's 5xx answers) and flood control are retried
    with exponential backoff; any other error propagates (InvalidToken, BadRequest, ...).
    `step` must be safe to repeat after a failure.
    """
    delay = first_retry
    while not stop.is_set():
        try:
            return await _unless_stopped(step(), stop)
        except BadRequest:  # a NetworkError in PTB's hierarchy, but Telegram did answer
            raise
        except RetryAfter as exc:
            wait = max(_retry_after_seconds(exc), 1.0)
            log.warning("Telegram asks to slow down (%s); retrying in %g s", host, wait)
        except NetworkError as exc:
            wait = delay
            log.warning(
                "cannot reach Telegram (%s): %s; retrying in %g s", host, _reason(exc), wait
            )
            delay = min(delay * 2, max_retry)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)
    return False


async def _unless_stopped(call: Awaitable[object], stop: asyncio.Event) -> bool:
    """Await `call`; False (and `call` cancelled) if `stop` is set first. Errors propagate."""
    attempt = asyncio.ensure_future(call)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait((attempt, stopped), return_when=asyncio.FIRST_COMPLETED)
    except BaseException:  # cancelled from outside: take the attempt along
        attempt.cancel()
        raise
    finally:
        stopped.cancel()
    if not attempt.done():
        attempt.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await attempt
        return False
    attempt.result()
    return True


def _reason(exc: NetworkError) -> str:
    """PTB's message without its wrapping, on one line: "httpx.ConnectError: ..." stays."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _retry_after_seconds(exc: RetryAfter) -> float:
    """`retry_after` is an int or a timedelta depending on PTB_TIMEDELTA; reading it warns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
