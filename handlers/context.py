"""Per-update log context: every log line names its update, chat and handler, and each handled
update gets one line with its duration.

The fields live in context variables (bot/logs.py), so they follow the work into
`asyncio.to_thread` and the database code logs them too.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import Token
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.platform.logs import chat_id_var, handler_var, update_id_var

log = logging.getLogger(__name__)

Callback = Callable[[Any, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, Any]]
JobCallback = Callable[[ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, Any]]
T = TypeVar("T")


def handler_name(callback: Callable[..., Any]) -> str:
    """`handlers.chat.text` -> `advisor.text`: short enough to grep, unique enough to find."""
    module = callback.__module__.removeprefix("handlers.").removeprefix("bot.")
    return f"{module}.{callback.__qualname__}"


def _duration_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _bind(update: object, handler: str) -> list[tuple[Any, Token]]:
    chat = update.effective_chat if isinstance(update, Update) else None
    return [
        (
            update_id_var,
            update_id_var.set(update.update_id if isinstance(update, Update) else None),
        ),
        (chat_id_var, chat_id_var.set(chat.id if chat else None)),
        (handler_var, handler_var.set(handler)),
    ]


def _unbind(tokens: list[tuple[Any, Token]]) -> None:
    for var, token in reversed(tokens):
        var.reset(token)


def traced(callback: Callback, *, name: str | None = None, level: int = logging.INFO) -> Callback:
    """Run an update handler with its log context set and log one line with its duration.

    On an exception the fields stay set: PTB runs the error handler next, in the same task (one
    task per update), and its lines must say which handler failed. The task ends right after.
    """
    name = name or handler_name(callback)

    @functools.wraps(callback)
    async def wrapper(update: object, context: ContextTypes.DEFAULT_TYPE) -> Any:
        tokens = _bind(update, name)
        started = time.perf_counter()
        try:
            result = await callback(update, context)
        except ApplicationHandlerStop:
            log.log(
                level,
                "update handled",
                extra={"duration_ms": _duration_ms(started), "outcome": "stop"},
            )
            _unbind(tokens)
            raise
        except Exception:
            log.log(
                level,
                "update failed",
                extra={"duration_ms": _duration_ms(started), "outcome": "error"},
            )
            raise
        log.log(
            level, "update handled", extra={"duration_ms": _duration_ms(started), "outcome": "ok"}
        )
        _unbind(tokens)
        return result

    return wrapper


def traced_error_handler(callback: Callback) -> Callback:
    """The error handler keeps the failing handler's name (left set by `traced`) in its lines."""
    own_name = handler_name(callback)

    @functools.wraps(callback)
    async def wrapper(update: object, context: ContextTypes.DEFAULT_TYPE) -> Any:
        tokens = _bind(update, handler_var.get() or own_name) if isinstance(update, Update) else []
        try:
            return await callback(update, context)
        finally:
            _unbind(tokens)

    return wrapper


def traced_job(callback: JobCallback, *, name: str | None = None) -> JobCallback:
    """A repeating job: its lines carry handler=<job name>, and a failure (a database outage,
    say) is logged once and left for the next tick instead of escaping into the job queue."""
    name = name or handler_name(callback)

    @functools.wraps(callback)
    async def wrapper(context: ContextTypes.DEFAULT_TYPE) -> None:
        token = handler_var.set(name)
        started = time.perf_counter()
        try:
            await callback(context)
        except Exception:
            log.exception(
                "job failed; trying again at the next tick",
                extra={"duration_ms": _duration_ms(started)},
            )
        else:
            log.debug("job done", extra={"duration_ms": _duration_ms(started)})
        finally:
            handler_var.reset(token)

    return wrapper


async def named(name: str, work: Awaitable[T]) -> T:
    """Await `work` with handler=<name> (for a long-running task such as the outbox sender)."""
    handler_var.set(name)  # a task has its own context: this stays inside it
    return await work
