"""Broadcast throughput through the outbox against the Bot API emulation (no real Telegram).

The emulator enforces Telegram's flood limits (30 messages per rolling second overall, 1 per
chat) and answers 429 over them. The sender runs with the product defaults (29 per second,
1 per chat) through a real PTB `telegram.Bot` without a rate limiter of PTB's, so the send
budget (its database ledger, as in the bot) is what is measured. Prints elapsed time, delivery rate, the rate as a share of
the allowed 30/s, 429 answers, the busiest second the emulator saw, and deliveries per chat
(each must be exactly 1).

    .venv/bin/python bench/bench_broadcast.py [--count 10000]   # 10,000 takes about 6 minutes
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import telegram  # noqa: E402
from fake_telegram import RATE_LIMITED_METHODS, FakeTelegram  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from telegram.error import BadRequest, Forbidden, TelegramError  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.delivery.budget import SendBudget  # noqa: E402
from bot.delivery.ledger import SqlLedger  # noqa: E402
from bot.delivery.outcomes import (  # noqa: E402
    Blocked,
    BroadcastProgress,
    Failed,
    OutboxJob,
    Outcome,
    RetryAfter,
    Sent,
)
from bot.delivery.progress import PROGRESS_INTERVAL_SECONDS  # noqa: E402
from bot.delivery.queue import queue_broadcast  # noqa: E402
from bot.delivery.rules import Limits, Priority  # noqa: E402
from bot.delivery.sender import OutboxSender  # noqa: E402
from models.agencies import Agency, Broadcast, OutboxMessage  # noqa: E402
from models.db import make_engine, migrate, session_scope  # noqa: E402

ALLOWED_PER_SECOND = 30  # what the emulator (and Telegram) allow
STAFF_CHAT = 900_000_001  # where the progress message lives
FIRST_CLIENT_CHAT = 700_000_000
TEXT = (
    "Halo Kak! Update kampanye minggu ini: jangkauan naik 18% dan 3 konten baru tayang besok. "
    "Laporan lengkap menyusul. Terima kasih 🙏"
)


def retry_after_seconds(error: telegram.error.RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def make_send(bot: telegram.Bot):
    """The Telegram side of the outbox: Bot API answers mapped to outcomes."""

    async def send(job: OutboxJob) -> Outcome:
        try:
            if job.photo_file_id:
                await bot.send_photo(job.chat_id, job.photo_file_id, caption=job.text)
            else:
                await bot.send_message(job.chat_id, job.text)
        except telegram.error.RetryAfter as exc:
            return RetryAfter(retry_after_seconds(exc))
        except Forbidden as exc:
            return Blocked(exc.message)
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                return Blocked(exc.message)
            return Failed(exc.message)
        except TelegramError as exc:
            return Failed(f"{type(exc).__name__}: {exc.message}")
        return Sent()

    return send


def make_progress(bot: telegram.Bot, reports: list[BroadcastProgress], budget: SendBudget):
    """One progress message in the staff chat, edited in place (as the bot does), each edit
    with a slot of the send budget (the bot's rate limiter takes it there)."""
    message_ids: dict[int, int] = {}

    async def progress(p: BroadcastProgress) -> None:
        reports.append(p)
        if p.progress_chat_id is None:
            return
        permit = await budget.acquire(p.progress_chat_id, Priority.BULK)
        state = "Selesai ✅" if p.done else f"sisa ±{p.eta_seconds:.0f} dtk"
        text = (
            f"Broadcast #{p.broadcast_id}: terkirim {p.sent}/{p.total}, gagal {p.failed}, "
            f"diblokir {p.blocked}. {state}"
        )
        try:
            if p.broadcast_id in message_ids:
                await bot.edit_message_text(text, p.progress_chat_id, message_ids[p.broadcast_id])
            else:
                message = await bot.send_message(p.progress_chat_id, text)
                message_ids[p.broadcast_id] = message.message_id
        except BadRequest as exc:
            if "not modified" not in exc.message:
                raise
        finally:
            permit.done()

    return progress


def peak_window(times: list[float], window: float = 1.0) -> int:
    """The most calls the server received within any rolling `window` seconds."""
    times = sorted(times)
    best = start = 0
    for end, at in enumerate(times):
        while times[start] <= at - window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def run(args: argparse.Namespace, fake: FakeTelegram, engine) -> dict:
    request = HTTPXRequest(connection_pool_size=args.concurrency + 4)
    bot = telegram.Bot(
        fake.token, base_url=fake.base_url, base_file_url=fake.file_base_url, request=request
    )
    reports: list[BroadcastProgress] = []
    limits = Limits(args.per_second, args.per_chat)
    budget = SendBudget(SqlLedger(engine, limits), limits)
    async with bot:
        sender = OutboxSender(
            engine,
            send=make_send(bot),
            progress=make_progress(bot, reports, budget),
            budget=budget,
            concurrency=args.concurrency,
            batch_size=args.batch,
            progress_interval=args.progress_interval,
            holder="bench",
        )
        started = time.monotonic()
        attempted = await sender.run_once()
        elapsed = time.monotonic() - started
        await budget.close()
    return {"attempted": attempted, "elapsed": elapsed, "reports": reports}


def main() -> int:
    defaults = Settings.model_fields
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="client chats (default 10000)")
    parser.add_argument("--per-second", type=int, default=defaults["send_max_per_second"].default)
    parser.add_argument(
        "--per-chat", type=int, default=defaults["send_max_per_chat_per_second"].default
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument(
        "--progress-interval",
        type=float,
        default=PROGRESS_INTERVAL_SECONDS,
        help="seconds between progress edits (the product default)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # URLs carry the token

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        migrate(engine)
        chats = list(range(FIRST_CLIENT_CHAT, FIRST_CLIENT_CHAT + args.count))
        queued_at = time.monotonic()
        with session_scope(engine) as session:
            agency = Agency(name="Agensi Bench", owner_user_id=STAFF_CHAT)
            session.add(agency)
            session.flush()
            broadcast = Broadcast(
                agency_id=agency.id,
                created_by=STAFF_CHAT,
                text=TEXT,
                audience="all",
                progress_chat_id=STAFF_CHAT,
            )
            session.add(broadcast)
            session.flush()
            counts = queue_broadcast(session, broadcast_id=broadcast.id, chat_ids=chats)
        queue_seconds = time.monotonic() - queued_at

        with FakeTelegram(global_rate=ALLOWED_PER_SECOND, per_chat_rate=1) as fake:
            result = asyncio.run(run(args, fake, engine))
            log = fake.call_log
            per_chat = Counter(len(fake.messages(chat)) for chat in chats)
            rate_limited = fake.rate_limited_count

        with session_scope(engine) as session:
            statuses = dict(
                session.exec(
                    select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
                ).all()
            )
            final_status = session.get(Broadcast, broadcast.id).status
        engine.dispose()

    elapsed = result["elapsed"]
    counted = [c for c in log if c.method in RATE_LIMITED_METHODS and c.status == 200]
    delivered_at = sorted(
        c.started for c in counted if c.method == "sendMessage" and c.chat_id != STAFF_CHAT
    )
    deliveries = len(delivered_at)
    span = delivered_at[-1] - delivered_at[0] if deliveries > 1 else 0.0
    progress_calls = len(counted) - deliveries
    delivery_rate = deliveries / elapsed
    api_rate = len(counted) / elapsed
    done_reports = [r for r in result["reports"] if r.done]

    print(f"queued {counts.queued} rows ({counts.blocked} blocked) in {queue_seconds:.2f} s")
    print(
        f"limits: sender {args.per_second}/s overall and {args.per_chat}/s per chat, "
        f"emulator {ALLOWED_PER_SECOND}/s and 1/s per chat; concurrency {args.concurrency}, "
        f"batch {args.batch}, progress every {args.progress_interval:g} s; the send budget alone"
    )
    print(f"elapsed {elapsed:.2f} s for {result['attempted']} send attempts")
    print(
        f"deliveries {deliveries}: {delivery_rate:.2f} msg/s = "
        f"{delivery_rate / ALLOWED_PER_SECOND:.1%} of the allowed {ALLOWED_PER_SECOND}/s"
    )
    print(
        f"all rate-limited calls incl. {progress_calls} progress messages/edits: "
        f"{api_rate:.2f}/s = {api_rate / ALLOWED_PER_SECOND:.1%} of the allowed"
    )
    if span:
        print(
            f"first to last delivery {span:.2f} s: {(deliveries - 1) / span:.2f} msg/s "
            f"(all calls in that span: {(len(counted) - 1) / span:.2f}/s)"
        )
    print(f"429 answers: {rate_limited}")
    print(
        f"busiest rolling second at the emulator: {peak_window([c.started for c in counted])} calls"
    )
    print(f"deliveries per chat: {dict(sorted(per_chat.items()))} (want {{1: {args.count}}})")
    print(f"rows by status: {statuses}; broadcast status: {final_status}")
    print(
        f"progress reports: {len(result['reports'])}, done=True: {len(done_reports)}"
        + (
            f" (sent={done_reports[-1].sent}, remaining={done_reports[-1].remaining})"
            if done_reports
            else ""
        )
    )
    ok = per_chat == Counter({1: args.count}) and rate_limited == 0 and len(done_reports) == 1
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
