"""One send budget under load: a broadcast while owners chat, against the Bot API emulation.

The real bot process (`python -m bot run`, polling, SQLite) with the product defaults
(SEND_MAX_PER_SECOND 29, 1 per chat, replies in bursts of up to 3); the emulator enforces
Telegram's 30 per rolling second and 3 per second per chat (short bursts) and answers 429
over them. A staff member confirms a broadcast to
--clients chats, then --owners owners each go through the first five questions of a
consultation at once (reading each answer for --think seconds). Prints the broadcast's rate and its share of the limit while the owners
chat and after, the owners' reply latency (to the first answer) during the broadcast, all
sends per second and the busiest rolling second (never above the limit), and 429 answers.

    .venv/bin/python bench/bench_send_budget.py [--clients 600] [--owners 20] [--think 1-3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from busy_hour import confirm_broadcast, figures, owners_chat, seed_agency  # noqa: E402
from fake_telegram import FakeTelegram  # noqa: E402

STAFF = 960_001
FIRST_CLIENT = 961_000
FIRST_OWNER = 969_000
TEXT = "Kabar bench minggu ini"


def _start_bot(fake: FakeTelegram, database_url: str, workdir: Path) -> subprocess.Popen[bytes]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "SEND_"))
    }
    env.update(
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_BASE_URL=fake.base_url,
        TELEGRAM_API_FILE_URL=fake.file_base_url,
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
    )
    since = fake.mark()
    log = (workdir / "bot.log").open("w")
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=workdir, env=env, stderr=log, stdout=log
    )
    fake.wait_polling(timeout=60, since=since)
    return bot


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=600, help="broadcast audience")
    parser.add_argument("--owners", type=int, default=20, help="owners chatting meanwhile")
    parser.add_argument(
        "--think",
        default="1-3",
        help="seconds an owner reads each answer before the next step (min-max; default 1-3)",
    )
    args = parser.parse_args()
    clients = list(range(FIRST_CLIENT, FIRST_CLIENT + args.clients))
    owners = list(range(FIRST_OWNER, FIRST_OWNER + args.owners))

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        seed_agency(database_url, staff=STAFF, clients=clients)
        with FakeTelegram(token="990099:BENCH-budget-token") as fake:
            bot = _start_bot(fake, database_url, workdir)
            try:
                fake.set_rate_limits(global_rate=30, per_chat_rate=3)
                staff = fake.user(STAFF, "Ovi")
                confirm_broadcast(fake, staff, TEXT, len(clients))
                confirmed = time.monotonic()
                low, high = (float(part) for part in args.think.split("-"))
                chats = owners_chat(fake, owners, think=(low, high))
                fake.wait_for(staff.id, predicate="Siaran selesai", timeout=600)
                finished = time.monotonic()
                seen = figures(fake, chats, set(clients))
                rate_limited = fake.rate_limited_count
            finally:
                bot.terminate()
                bot.wait(timeout=30)

    print(
        f"broadcast to {args.clients} chats while {args.owners} owners chat "
        f"reading {args.think} s ({len(chats.steps)} answers, {len(chats.failures)} owners stuck); "
        f"limits: bot 29/s (1/s per chat, replies 3), emulator 30/s, 3/s per chat"
    )
    print(
        f"owners chatted {chats.ended - chats.started:.1f} s; broadcast confirmed to final "
        f"report {finished - confirmed:.1f} s; {seen.deliveries} deliveries"
    )
    for line in seen.lines():
        print(line)
    print(f"429 answers: {rate_limited}")
    ok = not chats.failures and rate_limited == 0 and seen.deliveries == args.clients
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
