"""Timing in tests of sending: a virtual clock, and sends counted per rolling window.

The virtual clock moves the send budget's monotonic seconds and the outbox sender's UTC
datetimes together, and only when the test (or a sleep) moves them.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

_SETTLE_STEPS = 10  # event-loop turns for what a timer woke (a wake-up travels a few tasks)


class FakeTime:
    """One virtual clock; `sleep` advances it at once (and records how long was slept)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.epoch = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
        self.sleeps: list[float] = []
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = itertools.count()

    def monotonic(self) -> float:
        return self.now

    def utcnow(self) -> datetime:
        return self.epoch + timedelta(seconds=self.now - 1000.0)

    def at(self, when: float, callback: Callable[[], None]) -> None:
        heapq.heappush(self._timers, (when, next(self._seq), callback))

    def advance(self, seconds: float) -> None:
        """Move time forward, running callbacks due on the way at their exact times."""
        target = self.now + seconds
        while self._timers and self._timers[0][0] <= target:
            when, _, callback = heapq.heappop(self._timers)
            self.now = max(self.now, when)
            callback()
        self.now = target

    async def sleep(self, seconds: float) -> None:
        """Advance by `seconds`, yielding after each timer so the tasks it woke can run (and
        cancel this sleep, as a real wake-up would cut a real sleep short)."""
        self.sleeps.append(seconds)
        target = self.now + seconds
        while self._timers and self._timers[0][0] <= target:
            when, _, callback = heapq.heappop(self._timers)
            self.now = max(self.now, when)
            callback()
            for _ in range(_SETTLE_STEPS):
                await asyncio.sleep(0)
        self.now = max(self.now, target)
        await asyncio.sleep(0)


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """Most events in any half-open window (t - window, t], as Telegram's emulator counts."""
    times = sorted(times)
    best = start = 0
    for end, at in enumerate(times):
        while times[start] <= at - window:
            start += 1
        best = max(best, end - start + 1)
    return best
