"""A busy hour: a broadcast to many clients while owners chat with the bot.

Shared by the send budget's end-to-end test and its benchmark (bench/bench_send_budget.py):
an agency with its clients in a database, the staff member's /siaran up to "Kirim", owners
each going through the first questions of a consultation in threads of their own, and the
figures read back from the emulator's call log.
"""

from __future__ import annotations

import bisect
import random
import statistics
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from fake_telegram import FakeTelegram, FakeUser
from helpers import say, tap

from models.agencies import Agency, AgencyStaff, Client
from models.db import make_engine, migrate, session_scope

# What Telegram's flood control counts (the emulator counts the same methods).
COUNTED = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    }
)
TELEGRAM_LIMIT = 30  # messages per rolling second, what the emulator enforces
# A consultation's first questions: what the owner does, and what the bot's answer says.
STEPS = (
    (None, "/start", "Usahanya di bidang apa"),
    ("Kuliner", None, "Tujuan utama"),
    ("penjualan naik", None, "Budget untuk endorse"),
    ("Rp3 jt", None, "platform mana"),
    ("Instagram", None, "Target pembelinya"),
)


def seed_agency(database_url: str, *, staff: int, clients: Iterable[int]) -> None:
    """An agency whose owner is `staff`, with one joined client per chat."""
    engine = make_engine(database_url)
    migrate(engine)
    with session_scope(engine) as session:
        agency = Agency(name="Agensi Sibuk", owner_user_id=staff)
        session.add(agency)
        session.flush()
        assert agency.id is not None
        session.add(AgencyStaff(agency_id=agency.id, user_id=staff, role="owner", first_name="Ovi"))
        for i, chat in enumerate(clients):
            session.add(
                Client(
                    agency_id=agency.id, business_name=f"Usaha {i:04d}", user_id=chat, chat_id=chat
                )
            )
    engine.dispose()


def _act(fake: FakeTelegram, user: FakeUser, text: str | None, button: str | None) -> int:
    mark = fake.mark()
    if text is not None:
        fake.send_text(user, text)
    else:
        assert button is not None
        fake.press_button(user, button)
    return mark


def confirm_broadcast(fake: FakeTelegram, staff: FakeUser, text: str, count: int) -> int:
    """/siaran to all clients; returns the id of the message whose "Kirim" was pressed."""
    say(fake, staff, "/siaran", "Tulis kabar untuk klien", timeout=60)
    say(fake, staff, text, "Dikirim ke siapa?", timeout=60)
    recipients = f"Penerima: {count:,} chat".replace(",", ".")
    preview = tap(fake, staff, "Semua klien", recipients, timeout=60)
    tap(fake, staff, "Kirim", "masuk antrean", preview.message_id, timeout=60)
    return preview.message_id


@dataclass
class Chats:
    """What the owners saw: (asked, first answer, expected answer) monotonic times per step."""

    steps: list[tuple[int, float, float, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def started(self) -> float:
        return min(asked for _, asked, _, _ in self.steps)

    @property
    def ended(self) -> float:
        return max(done for _, _, _, done in self.steps)

    def first_reply_latencies(self) -> list[float]:
        return [first - asked for _, asked, first, _ in self.steps]


def _chat(
    fake: FakeTelegram,
    user: FakeUser,
    chats: Chats,
    rng: random.Random,
    think: tuple[float, float],
) -> None:
    try:
        for button, text, expect in STEPS:
            time.sleep(rng.uniform(*think))
            mark = _act(fake, user, text, button)
            asked = time.monotonic()
            fake.wait_for(user.id, since=mark, timeout=60)
            first = time.monotonic()
            fake.wait_for(user.id, since=mark, predicate=expect, timeout=60)
            with chats.lock:
                chats.steps.append((user.id, asked, first, time.monotonic()))
    except AssertionError as exc:
        with chats.lock:
            chats.failures.append(f"owner {user.id}: {str(exc)[:400]}")


def owners_chat(
    fake: FakeTelegram,
    owner_ids: Iterable[int],
    *,
    think: tuple[float, float] = (0.2, 0.6),
    seed: int = 7,
) -> Chats:
    """Every owner goes through STEPS at once (a thread each), reading each answer for
    `think` seconds (uniform; the default is a quick reader); returns when all are done."""
    chats = Chats()
    threads = [
        threading.Thread(
            target=_chat,
            args=(fake, fake.user(owner, f"Pemilik {n}"), chats, random.Random(seed + n), think),
        )
        for n, owner in enumerate(owner_ids)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return chats


@dataclass
class Figures:
    """The run as the emulator saw it; rates are per second, shares of TELEGRAM_LIMIT."""

    broadcast_during_chat: float
    broadcast_after_chat: float
    sends_during_chat: float
    peak_second: int
    reply_p50: float
    reply_p95: float
    deliveries: int

    def lines(self) -> list[str]:
        limit = TELEGRAM_LIMIT
        return [
            f"broadcast while owners chat: {self.broadcast_during_chat:.1f}/s "
            f"({self.broadcast_during_chat / limit:.0%} of the {limit}/s limit)",
            f"broadcast after they stop:  {self.broadcast_after_chat:.1f}/s "
            f"({self.broadcast_after_chat / limit:.0%} of the limit)",
            f"all sends while owners chat: {self.sends_during_chat:.1f} in a rolling second "
            f"on average ({self.sends_during_chat / limit:.0%}); busiest rolling second: "
            f"{self.peak_second} (limit {limit})",
            f"reply latency during the broadcast: p50 {self.reply_p50 * 1000:.0f} ms, "
            f"p95 {self.reply_p95 * 1000:.0f} ms (to the first answer)",
        ]


def peak_window(times: list[float], window: float = 1.0) -> int:
    """The most calls within any rolling `window` seconds, as the emulator counts them."""
    times = sorted(times)
    best = start = 0
    for end, at in enumerate(times):
        while times[start] <= at - window:
            start += 1
        best = max(best, end - start + 1)
    return best


def _mean_second(times: list[float], start: float, end: float) -> float:
    """Sends in the rolling second before each send between `start` and `end`, on average:
    how full the second was while the owners chatted (the emulator's way of counting)."""
    full = []
    for at in times:
        if start <= at <= end:
            full.append(bisect.bisect_right(times, at) - bisect.bisect_right(times, at - 1.0))
    return statistics.mean(full) if full else 0.0


def figures(fake: FakeTelegram, chats: Chats, clients: set[int]) -> Figures:
    counted = [c for c in fake.call_log if c.method in COUNTED and c.status == 200]
    deliveries = sorted(
        c.started for c in counted if c.method == "sendMessage" and c.chat_id in clients
    )
    start, end = chats.started, chats.ended
    during = [t for t in deliveries if start <= t <= end]
    after = [t for t in deliveries if t > end]
    latencies = chats.first_reply_latencies()
    return Figures(
        broadcast_during_chat=len(during) / max(end - start, 1e-9),
        broadcast_after_chat=(len(after) / (after[-1] - end)) if len(after) > 1 else 0.0,
        sends_during_chat=_mean_second(sorted(c.started for c in counted), start, end),
        peak_second=peak_window([c.started for c in counted]),
        reply_p50=statistics.median(latencies),
        reply_p95=statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else latencies[0],
        deliveries=len(deliveries),
    )
