"""Flood control (429 with retry_after), blocked chats, and injected failures and delays."""

from __future__ import annotations

import math
import time
from collections import deque

from .records import (
    _Fault,
)
from .state import EmulatorState
from .wire import (
    _ApiError,
)

# Methods that consume the flood-control budget (Telegram throttles message creation/edits).
RATE_LIMITED_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    }
)


class Faults(EmulatorState):
    """What makes a call fail on purpose: Telegram's limits, a user who blocked the bot, and
    faults a test injects."""

    def set_rate_limits(
        self,
        global_rate: int | None = None,
        per_chat_rate: int | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        """Enable/disable flood control (sends per rolling second); None switches a limit off."""
        with self._lock:
            self._global_rate = global_rate
            self._per_chat_rate = per_chat_rate
            self._retry_after = retry_after
            self._global_window.clear()
            self._chat_windows.clear()

    def fail_next(
        self,
        method: str,
        times: int = 1,
        status: int = 500,
        *,
        description: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` ("*" = any) answer with ``status``."""
        with self._lock:
            queue = self._fail_queue.setdefault(method.lower(), deque())
            for _ in range(times):
                queue.append(
                    _Fault(status=status, description=description, retry_after=retry_after)
                )

    def delay_next(self, method: str, times: int = 1, seconds: float = 1.0) -> None:
        """Delay the next ``times`` calls of ``method`` ("*" = any) by ``seconds`` each."""
        with self._lock:
            queue = self._delay_queue.setdefault(method.lower(), deque())
            for _ in range(times):
                queue.append(_Fault(seconds=seconds))

    def block(self, chat_id: int) -> None:
        """The user blocks the bot: sends to this chat answer 403."""
        with self._lock:
            self.blocked_chats.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        with self._lock:
            self.blocked_chats.discard(chat_id)

    def _take_fault(self, queues: dict[str, deque[_Fault]], method: str) -> _Fault | None:
        with self._lock:
            for key in (method.lower(), "*"):
                queue = queues.get(key)
                if queue:
                    return queue.popleft()
            return None

    def _check_blocked(self, chat_id: int) -> None:
        if chat_id in self.blocked_chats:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")

    def _check_rate(self, chat_id: int) -> None:
        """Rolling one-second windows; only successful, counted sends are recorded."""
        if self._global_rate is None and self._per_chat_rate is None:
            return
        now = time.monotonic()
        windows: list[tuple[deque[float], int]] = []
        if self._global_rate is not None:
            windows.append((self._global_window, self._global_rate))
        if self._per_chat_rate is not None:
            windows.append((self._chat_windows.setdefault(chat_id, deque()), self._per_chat_rate))
        wait = 0.0
        for window, limit in windows:
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= limit:
                wait = max(wait, (window[0] + 1.0 - now) if window else 1.0)
        if wait > 0:
            self.rate_limited_count += 1
            retry_after = self._retry_after or max(1, math.ceil(wait))
            raise _ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
        for window, _limit in windows:
            window.append(now)
