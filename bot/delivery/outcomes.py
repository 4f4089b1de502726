"""What the outbox hands to the Telegram layer and gets back: jobs, outcomes, progress.

Nothing here imports Telegram: the Telegram layer injects the send function (which maps the
Bot API's answers to `Sent`, `RetryAfter`, `Blocked` or `Failed`) and the progress function.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

MAX_ATTEMPTS = 5


class Outcome(Exception):  # an outcome, raised or returned, not only an error
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
