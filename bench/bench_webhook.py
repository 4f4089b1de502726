"""Updates per second, end to end, with many users chatting at once: webhook mode on PostgreSQL.

Simulated users talk to the Bot API emulation (`tests/e2e/fake_telegram/`), which delivers
their updates by webhook to real bot processes, round robin when there are several (like a
reverse proxy). Each user is a closed loop: send, wait for the bot's answer, send the next
message. One round trip (update in, expected answer out) counts as one handled update.

Measured in the same run, on one PostgreSQL database seeded with the bundled sample store:
  - echo:        a trivial echo bot on the same stack (bench/webhook_bots.py echo);
  - product x1:  `python -m bot run` in webhook mode, one process;
  - product x2:  two processes on the same database behind the emulator's round robin.
Users of the product go through the advisor: /mulai, niche, goal, budget, platform, city,
then the "Lihat rekomendasi" button (a full recommendation from the store), and again.

    .venv/bin/python bench/bench_webhook.py [--users 200] [--seconds 40] [--think 2-6]

Needs PostgreSQL's server binaries (Debian's postgresql package; `bash scripts/postgres.sh
install`); a throw-away server is started on a free port unless --database-url is given.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import httpx  # noqa: E402
from fake_telegram import FakeTelegram  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

NICHES = [
    "jualan keripik",
    "skincare lokal",
    "olshop hijab",
    "kopi susu botolan",
    "aksesoris hp",
    "mainan anak",
]
GOALS = ["penjualan", "biar makin dikenal", "engagement"]
BUDGETS = ["3jt", "5 juta", "7,5jt", "10jt", "25 juta"]
PLATFORMS = ["instagram", "tiktok", "youtube"]
# the shops sell online, so the recap follows the location (no question about the customers)
CITIES = [
    *(f"{city}, jualan online" for city in ("Bandung", "Jakarta", "Surabaya", "Jogja", "Medan")),
    "seluruh Indonesia",
]
ADVISOR_STEPS = (  # (what the user sends, what the answer must contain)
    ("/mulai", "Usahanya di bidang apa"),
    (NICHES, "Tujuan utama"),
    (GOALS, "Budget untuk endorse"),
    (BUDGETS, "platform mana"),
    (PLATFORMS, "Target pembelinya"),
    (CITIES, "Cek dulu"),
    (None, "Rekomendasi"),  # None: tap "Lihat rekomendasi"
)


@dataclass
class Tally:
    done: list[float] = field(default_factory=list)  # completion times of round trips
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, at: float, latency: float) -> None:
        with self.lock:
            self.done.append(at)
            self.latencies.append(latency)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bots:
    """Bot processes of one kind in webhook mode, behind the emulator's round robin."""

    def __init__(
        self, kind: str, count: int, fake: FakeTelegram, database_url: str, workdir: Path
    ) -> None:
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        urls = []
        for i in range(count):
            port = _free_port()
            url = f"http://127.0.0.1:{port}/tg/{kind}{i}"
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_"))
            }
            env.update(
                TELEGRAM_BOT_TOKEN=fake.token,
                TELEGRAM_API_BASE_URL=fake.base_url,
                TELEGRAM_API_FILE_URL=fake.file_base_url,
                DATABASE_URL=database_url,
                WEBHOOK_URL=url,
                WEBHOOK_SECRET=SECRET,
                WEBHOOK_LISTEN="127.0.0.1",
                WEBHOOK_PORT=str(port),
                SWEEP_INTERVAL_SECONDS="30",
                LOG_LEVEL="WARNING",
                PYTHONPATH=str(ROOT),
            )
            log = workdir / f"{kind}{i}.log"
            self.logs.append(log)
            self.procs.append(
                subprocess.Popen(
                    [sys.executable, str(ROOT / "bench" / "webhook_bots.py"), kind],
                    cwd=workdir,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=log.open("w"),
                )
            )
            urls.append((url, port))
        for (_url, port), proc, log in zip(urls, self.procs, self.logs, strict=True):
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    raise SystemExit(f"{kind} bot exited at start:\n{log.read_text()}")
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"{kind} bot never became healthy:\n{log.read_text()}")
                time.sleep(0.2)
        fake.balance_between([url for url, _ in urls])

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the bot processes have used so far."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for proc in self.procs:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


SECRET = secrets.token_urlsafe(24)


def _user_loop(
    fake: FakeTelegram,
    user_id: int,
    kind: str,
    stop_at: float,
    tally: Tally,
    seed: int,
    think: tuple[float, float],
) -> None:
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, max(think[1], 0.5)))  # users do not all start in the same instant
    user = fake.user(user_id, f"User{user_id}")
    step = 0
    last = None
    while time.monotonic() < stop_at:
        sent, expect = ADVISOR_STEPS[step]
        message = (
            sent
            if isinstance(sent, str)
            else ("Lihat rekomendasi" if sent is None else rng.choice(sent))
        )
        mark = fake.mark()
        started = time.monotonic()
        try:
            if kind == "echo":
                fake.send_text(user, message)
                fake.wait_for(user.id, since=mark, timeout=30)
            elif sent is None:
                fake.press_button(user, "Lihat rekomendasi", last.message_id if last else None)
                last = fake.wait_for(user.id, since=mark, predicate=expect, timeout=30)
            else:
                fake.send_text(user, message)
                last = fake.wait_for(user.id, since=mark, predicate=expect, timeout=30)
        except (AssertionError, KeyError, ValueError):
            with tally.lock:
                tally.failures += 1
            step = 0
            continue
        tally.add(time.monotonic(), time.monotonic() - started)
        step = (step + 1) % len(ADVISOR_STEPS)
        if think[1] > 0:
            time.sleep(rng.uniform(*think))  # reading the answer and typing the next one


def measure(
    fake: FakeTelegram,
    kind: str,
    users: int,
    seconds: float,
    first_user: int,
    think: tuple[float, float],
) -> tuple[float, Tally]:
    """Run `users` closed-loop users for `seconds`; the rate counts after a warm-up."""
    warmup = max(min(5.0, seconds / 4), think[1] * 2)
    tally = Tally()
    start = time.monotonic()
    stop_at = start + warmup + seconds
    threads = [
        threading.Thread(
            target=_user_loop,
            args=(fake, first_user + i, kind, stop_at, tally, i, think),
            daemon=True,
        )
        for i in range(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + warmup + 60)
    window = [t for t in tally.done if start + warmup <= t <= stop_at]
    return len(window) / seconds, tally


def _database(args: argparse.Namespace, workdir: Path) -> tuple[str, str | None]:
    """A fresh database on the given server, or on a throw-away one; (url, pg dir to stop)."""
    pgdir = None
    server = args.database_url
    if server is None:
        pgdir = str(workdir / "pg")
        os.makedirs(pgdir)
        os.chmod(workdir, 0o755)
        os.chmod(pgdir, 0o755)
        server = subprocess.run(
            ["bash", str(ROOT / "scripts" / "postgres.sh"), "start", pgdir],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    name = f"bench_webhook_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "bot", "seed-demo"],
        cwd=workdir,
        env=env,
        check=True,
        capture_output=True,
    )
    return url, pgdir


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument(
        "--database-url", help="a PostgreSQL server URL (default: start a throw-away one)"
    )
    parser.add_argument(
        "--think",
        default="2-6",
        help="seconds a user pauses between messages, MIN-MAX (default 2-6: reading and typing); 0 = flat out",
    )
    args = parser.parse_args()
    low, _, high = args.think.partition("-")
    think = (float(low), float(high or low))
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url, pgdir = _database(args, workdir)
        print(
            f"database: PostgreSQL, {args.users} users, pause between messages {args.think} s, "
            f"{args.seconds:.0f} s per run after a warm-up"
        )
        results: dict[str, tuple[float, Tally]] = {}
        try:
            with FakeTelegram(token="777000:BENCH-token") as fake:
                first_user = 1_000_000
                for label, kind, count in (
                    ("echo bot", "echo", 1),
                    ("product x1", "product", 1),
                    ("product x2", "product", 2),
                ):
                    bots = Bots(kind, count, fake, url, workdir)
                    try:
                        cpu_before, calls_before = bots.cpu_seconds(), len(fake.calls)
                        results[label] = measure(
                            fake, kind, args.users, args.seconds, first_user, think
                        )
                        cpu = bots.cpu_seconds() - cpu_before
                        calls = fake.calls[calls_before:]
                    finally:
                        bots.stop()
                        fake.balance_between(None)
                    first_user += args.users
                    rate, tally = results[label]
                    p50 = (
                        statistics.median(tally.latencies) * 1000
                        if tally.latencies
                        else float("nan")
                    )
                    p95 = (
                        statistics.quantiles(tally.latencies, n=20)[-1] * 1000
                        if len(tally.latencies) > 20
                        else float("nan")
                    )
                    handled = max(1, len(tally.done))
                    methods = Counter(method for method, _ in calls)
                    print(
                        f"{label:<11} {rate:7.1f} updates/s   round trip p50 {p50:6.0f} ms  p95 {p95:6.0f} ms   "
                        f"failures {tally.failures}   bot CPU {cpu / handled * 1000:5.1f} ms/update   "
                        f"Bot API calls/update {len(calls) / handled:4.2f} ({', '.join(f'{m} {n}' for m, n in methods.most_common(4))})"
                    )
        finally:
            if pgdir:
                subprocess.run(
                    ["bash", str(ROOT / "scripts" / "postgres.sh"), "stop", pgdir], check=False
                )
        echo = results["echo bot"][0]
        for label in ("product x1", "product x2"):
            print(f"{label}: {results[label][0] / echo * 100:.0f}% of the echo bot (goal >= 80%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
