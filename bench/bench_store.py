"""Figures for a 100,000-influencer store on this machine (issue 3).

Prints: import time (goal <= 10 s), recommendation latency p50/p95 over varied briefs next to
one indexed SELECT of the candidates (goal p95 <= 50 ms, and their ratio), and the RSS of the
real bot process with that store, after it answered recommendations through the Bot API
emulation (goal <= 150 MB).

    .venv/bin/python bench/bench_store.py [--count 100000] [--briefs 200]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from bot.advisor.recommendations import advise  # noqa: E402
from bot.domain import NICHES, Brief, BusinessKind, Goal, Platform  # noqa: E402
from bot.language.locations import parse_location  # noqa: E402
from bot.platform.runtime import collector_paused, settle_after_startup  # noqa: E402
from bot.store.bulk import import_rows  # noqa: E402
from bot.store.sample import write_csv  # noqa: E402
from bot.store.stream import parse_influencer_csv  # noqa: E402
from models.db import make_engine, migrate, session_scope  # noqa: E402
from models.store import candidate_query  # noqa: E402

LOCATIONS = (
    "Jakarta",
    "Bandung",
    "Surabaya",
    "Yogyakarta",
    "Medan",
    "Jawa Timur",
    "Jabodetabek",
    "seluruh Indonesia",
    "Ambon",
)
BUDGETS = (500_000, 3_000_000, 10_000_000, 50_000_000, 250_000_000)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def bench_import(csv_path: Path, url: str) -> float:
    engine = make_engine(url)
    migrate(engine)
    started = time.perf_counter()
    with collector_paused():  # as `python -m bot import-influencers` does
        parsed = parse_influencer_csv(csv_path.read_bytes())
        assert not parsed.errors, parsed.errors[:3]
        with session_scope(engine) as session:
            import_rows(session, parsed.rows, source="bench")
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def briefs(
    count: int,
    *,
    seed: int = 7,
    locations: Sequence[str] = LOCATIONS,
    businesses: Sequence[BusinessKind | None] = (None,),
) -> list[Brief]:
    """A fixed, varied set of briefs (the same for the same arguments)."""
    rng = random.Random(seed)
    combos = list(
        itertools.product(
            NICHES,
            (Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE),
            locations,
            Goal,
            BUDGETS,
            businesses,
        )
    )
    rng.shuffle(combos)
    return [
        Brief(n, g, b, p, parse_location(loc), kind) for n, p, loc, g, b, kind in combos[:count]
    ]


def bench_latency(url: str, count: int) -> tuple[list[float], list[float]]:
    engine = make_engine(url)
    settle_after_startup()  # as `python -m bot run` does once it is up
    rec_ms: list[float] = []
    select_ms: list[float] = []
    with session_scope(engine) as session:
        for brief in briefs(20):  # warm caches once
            advise(session, brief)
        for brief in briefs(count):
            started = time.perf_counter()
            list(
                session.execute(
                    candidate_query(session, niche=brief.niche, platform=brief.platform.value)
                )
            )
            select_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            advise(session, brief)
            rec_ms.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return rec_ms, select_ms


def bench_rss(url: str, workdir: Path) -> tuple[float, float]:
    """Run the real bot, ask it for recommendations through the emulator, read its memory."""
    from fake_telegram import FakeTelegram, FakeUser

    with FakeTelegram() as fake:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "TELEGRAM_API_FILE_URL": fake.file_base_url,
            "DATABASE_URL": url,
            "PYTHONPATH": str(ROOT),
        }
        log_path = workdir / "bot.log"
        since = fake.mark()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=workdir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_path.open("w"),
        )
        try:
            try:
                fake.wait_polling(timeout=60, since=since)
            except AssertionError:
                print(log_path.read_text(), file=sys.stderr)
                raise
            time.sleep(2)
            print(f"bot RSS idle after start-up: {_rss_mb(proc.pid)[0]:.0f} MB")
            for i, text in enumerate(
                (
                    "jualan keripik pedas online di Bandung, budget 5jt, mau naikin penjualan lewat instagram",
                    "olshop hijab di Surabaya budget 50jt biar makin dikenal di tiktok",
                    "skincare lokal, seluruh Indonesia, budget 250jt, instagram, biar banyak interaksi",
                )
            ):
                user = FakeUser(id=900_000 + i, first_name="Bench")
                mark = fake.mark()
                fake.send_text(user, text)
                fake.wait_for(
                    user.id, since=mark, predicate=lambda m: "Cek dulu" in m.text, timeout=30
                )
                mark = fake.mark()
                fake.press_button(user, "Lihat rekomendasi")
                fake.wait_for(
                    user.id, since=mark, predicate=lambda m: "Rekomendasi" in m.text, timeout=30
                )
            rss, peak = _rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    return rss, peak


def _rss_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) of a process, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--briefs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        csv_path = workdir / "store.csv"
        started = time.perf_counter()
        write_csv(csv_path, args.count, seed=99)
        print(
            f"generated {args.count:,} rows in {time.perf_counter() - started:.1f} s ({csv_path.stat().st_size / 1e6:.1f} MB)"
        )
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        seconds = bench_import(csv_path, url)
        print(f"import: {seconds:.2f} s for {args.count:,} rows (goal <= 6 s)")
        rec_ms, select_ms = bench_latency(url, args.briefs)
        p50, p95 = percentile(rec_ms, 0.5), percentile(rec_ms, 0.95)
        s50, s95 = percentile(select_ms, 0.5), percentile(select_ms, 0.95)
        print(
            f"recommendation over {len(rec_ms)} briefs: p50 {p50:.1f} ms, p95 {p95:.1f} ms (goal p95 <= 50 ms); "
            f"mean {statistics.mean(rec_ms):.1f} ms"
        )
        print(f"indexed candidate SELECT alone: p50 {s50:.1f} ms, p95 {s95:.1f} ms")
        print(f"ratio recommendation/SELECT: p50 {p50 / s50:.1f}x, p95 {p95 / s95:.1f}x")
        rss, peak = bench_rss(url, workdir)
        print(
            f"bot process RSS with the {args.count:,}-row store after 3 recommendations: {rss:.0f} MB (peak {peak:.0f} MB; goal < 120 MB)"
        )


if __name__ == "__main__":
    main()
