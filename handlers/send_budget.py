"""Every Bot API call that sends or edits a message takes a slot from the one send budget.

PTB hands each request of the application's Bot to its rate limiter; this one asks the
budget (bot/delivery/budget.py, shared by every process on the database) for a slot with
the priority the caller passed as `rate_limit_args` (a reply when none was given), and on a
429 records the pause for everyone and tries again once it is over.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, Final, Literal, cast

from sqlalchemy import Engine
from telegram import Bot
from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter, ExtBot
from telegram.warnings import PTBDeprecationWarning

from bot.config import Settings
from bot.delivery.budget import SendBudget
from bot.delivery.ledger import SqlLedger
from bot.delivery.rules import Limits, Priority

log = logging.getLogger(__name__)

# rate_limit_args of a request whose caller took its slot itself (the outbox sender: it must
# be able to give up waiting when it stops, and it records a 429 against the row).
PERMIT_HELD: Final = "permit-held"
SendArgs = Priority | Literal["permit-held"]
BudgetBot = ExtBot[SendArgs]

# Methods that create or change a message: what Telegram's flood control counts.
_NOT_COUNTED = frozenset({"sendchataction"})
_COUNTED_PREFIXES = ("send", "edit", "copymessage", "forwardmessage")


def counts(endpoint: str) -> bool:
    name = endpoint.lower()
    return name.startswith(_COUNTED_PREFIXES) and name not in _NOT_COUNTED


def limits_of(settings: Settings) -> Limits:
    return Limits(
        per_second=settings.send_max_per_second,
        per_chat_per_second=settings.send_max_per_chat_per_second,
        reply_burst=settings.send_reply_burst,
    )


def shared_budget(settings: Settings, engine: Engine) -> SendBudget:
    """The budget of this process over the database's ledger (what every process shares)."""
    limits = limits_of(settings)
    return SendBudget(SqlLedger(engine, limits), limits)


def retry_after_seconds(error: RetryAfter) -> float:
    """retry_after in seconds, whichever type this PTB version hands out."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def budget_bot(bot: Bot) -> BudgetBot:
    """The application's Bot, typed for `rate_limit_args` (its rate limiter is ours)."""
    if not isinstance(bot, ExtBot) or not isinstance(bot.rate_limiter, BudgetRateLimiter):
        raise TypeError("the application's bot does not send through the send budget")
    return cast(BudgetBot, bot)


def _chat_of(data: dict[str, Any]) -> int | None:
    chat_id = data.get("chat_id")
    if isinstance(chat_id, int):
        return chat_id
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        return int(chat_id)
    return None  # an @username or an inline message: only the overall limit applies


class BudgetRateLimiter(BaseRateLimiter[SendArgs]):
    """PTB's rate limiter interface over the send budget."""

    def __init__(self, budget: SendBudget, *, max_retries: int = 3) -> None:
        self.budget = budget
        self.max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to do: the budget starts its pump with the first request."""

    async def shutdown(self) -> None:
        await self.budget.close()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: SendArgs | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if not counts(endpoint):
            return await callback(*args, **kwargs)
        if rate_limit_args == PERMIT_HELD:
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.budget.pause(retry_after_seconds(exc))
                raise
        priority = rate_limit_args if isinstance(rate_limit_args, Priority) else Priority.REPLY
        chat_id = _chat_of(data)
        for attempt in range(self.max_retries + 1):
            permit = await self.budget.acquire(chat_id, priority)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                self.budget.pause(seconds)
                if attempt == self.max_retries:
                    raise
                log.warning(
                    "%s got a 429: everyone waits %.1f s, then it is tried again", endpoint, seconds
                )
            finally:
                permit.done()
        raise AssertionError("unreachable")
