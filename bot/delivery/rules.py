"""The send budget's rules: which sends fit now, and when the next one will.

Pure arithmetic over the ledger's recent entries, shared by the database ledger and the
in-memory one, so the rules are tested without a database and the two cannot drift apart.

- Overall, at most `per_second` sends in any rolling second (Telegram allows about 30).
- Per chat, at most `per_chat_per_second` in any rolling second for what the bot sends on
  its own (summaries, alerts, broadcasts, progress). A reply to the person talking in that
  chat may come in a short burst, up to `reply_burst` in a second (Telegram allows short
  bursts): an answer of two or three messages goes out at once, and the person's own pace
  (one message or tap at a time) keeps the sustained rate near one a second.
- Priorities: a reply to a person may use the whole second; notices (summaries, alerts) leave
  a slot free while people are chatting; bulk (broadcasts, their progress edits) always
  leaves a slot free, two while anyone else has sent lately, and then takes at most
  `per_second - headroom` of the second itself. So a reply never waits behind a broadcast
  backlog, in this process or another one, and the budget is not left idle while it waits.
- Bulk sends are spread evenly: at most `bulk_burst` in any `bulk_burst / per_second` s.
  Bursts are what flood control punishes first; counting over a few slots rather than
  spacing each send from the last keeps late grants from adding up to a slower broadcast.
- A pause (Telegram's retry_after) stops everyone until it is over.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum


class Priority(IntEnum):
    """Who waits for the send; lower goes first. (Non-zero: PTB drops falsy rate_limit_args.)"""

    REPLY = 1  # a person is waiting for the answer
    NOTICE = 2  # scheduled summaries, admin alerts
    BULK = 3  # broadcasts and their progress edits


@dataclass(frozen=True)
class Limits:
    """The budget's numbers; `window` is Telegram's rolling second."""

    per_second: int
    per_chat_per_second: int = 1
    reply_burst: int = 1
    window: float = 1.0
    recent: float = 2.0  # "lately", for the headroom: people chatting now will chat on

    def __post_init__(self) -> None:
        if self.per_second < 1 or self.per_chat_per_second < 1 or self.window <= 0:
            raise ValueError("send limits must be positive")
        if self.reply_burst < 1 or self.recent < 0:
            raise ValueError("reply_burst must be positive and recent not negative")

    @property
    def headroom(self) -> int:
        """Slots a broadcast leaves free while others send: a fifth of the budget, at least 2."""
        return max(2, math.ceil(self.per_second / 5))

    @property
    def spacing(self) -> float:
        return self.window / self.per_second

    @property
    def bulk_burst(self) -> int:
        """Bulk sends allowed in `bulk_burst * spacing` seconds (an eighth of a second's)."""
        return max(1, math.ceil(self.per_second / 8))

    @property
    def retention(self) -> float:
        """How long entries matter: the longest window any rule looks back over."""
        return max(self.window, self.recent) + self.window

    def caps(
        self, priority: Priority, *, replies_lately: bool, others_lately: bool
    ) -> tuple[int, int | None]:
        """How full the rolling second may be for one more send of this priority: a cap on
        all sends in it, and for bulk one on bulk sends alone (None: no such cap)."""
        n = self.per_second
        if priority == Priority.REPLY:
            return n, None
        if priority == Priority.NOTICE:
            return max(1, n - 1) if replies_lately else n, None
        if others_lately:
            return max(1, n - 2), max(1, n - self.headroom)
        return max(1, n - 1), None


@dataclass(frozen=True)
class Entry:
    """A recent send as the ledger holds it: counted `at` (its grant, then its finish), and
    `granted` (what spreading bulk sends goes by; the time of the grant when left out)."""

    at: float
    chat_id: int | None
    priority: int
    granted: float | None = None


@dataclass(frozen=True)
class Request:
    """A local waiter asking for a slot; `key` maps the answer back to it."""

    key: int
    chat_id: int | None
    priority: Priority


@dataclass
class Decision:
    """What one round granted, and when (absolute) the first refused request may fit."""

    granted: list[Request] = field(default_factory=list)
    next_at: float = math.inf


def _fits_after(times: Sequence[float], limit: int, window: float) -> float:
    """Earliest time one more send keeps at most `limit` in any `window`; times sorted."""
    if len(times) < limit:
        return -math.inf
    # It fits once all but limit - 1 of the counted sends have left the window.
    return times[len(times) - limit] + window


class Window:
    """The ledger's recent entries, as the rules need them; `add` records a grant."""

    def __init__(self, limits: Limits, entries: Iterable[Entry], *, paused_until: float) -> None:
        self.limits = limits
        self.paused_until = paused_until
        self._times: list[float] = []
        self._bulk_times: list[float] = []
        self._bulk_grants: list[float] = []
        self._chats: dict[int, list[float]] = {}
        self._last_reply = -math.inf
        self._last_other = -math.inf  # notices and replies: anyone but bulk
        for entry in entries:
            self.add(entry)

    def add(self, entry: Entry) -> None:
        bisect.insort(self._times, entry.at)
        if entry.priority == Priority.BULK:
            bisect.insort(self._bulk_times, entry.at)
            bisect.insort(self._bulk_grants, entry.at if entry.granted is None else entry.granted)
        if entry.chat_id is not None:
            bisect.insort(self._chats.setdefault(entry.chat_id, []), entry.at)
        if entry.priority == Priority.REPLY:
            self._last_reply = max(self._last_reply, entry.at)
        if entry.priority != Priority.BULK:
            self._last_other = max(self._last_other, entry.at)

    def earliest(self, request: Request, now: float) -> float:
        """When the request fits at the earliest (<= now: at once), if nothing else is sent."""
        limits = self.limits
        at = max(now, self.paused_until)
        if request.priority == Priority.BULK:
            burst = limits.bulk_burst
            at = max(at, _fits_after(self._bulk_grants, burst, burst * limits.spacing))
        if request.chat_id is not None:
            chat = self._chats.get(request.chat_id, [])
            per_second = limits.per_chat_per_second
            if request.priority == Priority.REPLY:
                per_second = max(per_second, limits.reply_burst)
            at = max(at, _fits_after(chat, per_second, limits.window))
        return max(at, self._overall(request.priority, at))

    def _overall(self, priority: Priority, start: float) -> float:
        """Earliest time >= start within the overall caps, which grow as "lately" passes."""
        limits = self.limits
        best = math.inf
        # The cap only changes when the last reply or other send stops counting as recent.
        for moment in sorted(
            {start, self._last_reply + limits.recent, self._last_other + limits.recent}
        ):
            if moment < start:
                continue
            overall, bulk = limits.caps(
                priority,
                replies_lately=moment < self._last_reply + limits.recent,
                others_lately=moment < self._last_other + limits.recent,
            )
            at = max(moment, _fits_after(self._times, overall, limits.window))
            if bulk is not None:
                at = max(at, _fits_after(self._bulk_times, bulk, limits.window))
            best = min(best, at)
        return best


def decide(
    limits: Limits,
    entries: Iterable[Entry],
    requests: Sequence[Request],
    now: float,
    *,
    paused_until: float = -math.inf,
) -> Decision:
    """Grant, in order of priority then age, every request that fits now.

    A request held back only by its own chat's limit does not hold back the others.
    """
    window = Window(limits, entries, paused_until=paused_until)
    decision = Decision()
    refused: list[Request] = []
    for request in sorted(requests, key=lambda r: (r.priority, r.key)):
        if window.earliest(request, now) <= now:
            window.add(Entry(now, request.chat_id, request.priority, now))
            decision.granted.append(request)
        else:
            refused.append(request)
    if refused:
        decision.next_at = min(window.earliest(request, now) for request in refused)
    return decision
