"""Render 1,000 scheduled summaries (text + chart) and print the rate (goal >= 60 per second).

Each summary is built the way the sweeper builds it: the campaign's report from its
snapshots, the change since the previous report, the Indonesian text and the chart PNG.
Two runs: one at a time in one thread (the old sweeper, one core), then as the bot's sweep
does it: SWEEP_CONCURRENCY summaries at once, the database part in threads, the charts in
the chart worker processes (`bot.summaries.drawing`), so every core draws.

    .venv/bin/python bench/bench_summaries.py [--count 1000] [--workers N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.platform.runtime import settle_after_startup  # noqa: E402
from bot.reports.kpi.figures import FIGURE_FIELDS  # noqa: E402
from bot.summaries.drawing import ChartDrawer  # noqa: E402
from bot.summaries.sweeper import Claim, build_summary, draft_summary  # noqa: E402
from handlers.jobs import SWEEP_CONCURRENCY  # noqa: E402
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot  # noqa: E402
from models.db import make_engine, migrate, session_scope  # noqa: E402


def seed(engine, campaigns: int) -> list[int]:
    rng = random.Random(4)
    start = datetime(2026, 11, 1, 3, tzinfo=UTC)
    ids = []
    with session_scope(engine) as session:
        for c in range(campaigns):
            campaign = Campaign(
                owner_user_id=1000 + c,
                name=f"Kampanye {c}",
                budget_idr=50_000_000,
                start_date=date(2026, 11, 1),
                end_date=date(2026, 12, 31),
                goal="engagement",
            )
            session.add(campaign)
            session.flush()
            ids.append(campaign.id)
            for m in range(rng.randint(3, 10)):
                followers = int(10 ** rng.uniform(3.5, 6.5))
                member = CampaignMember(
                    campaign_id=campaign.id,
                    platform="instagram",
                    handle=f"akun{c}_{m}",
                    name=f"Akun {m}",
                    followers=followers,
                    fee_idr=rng.choice([500_000, 1_500_000, 5_000_000]),
                )
                session.add(member)
                session.flush()
                for day in range(rng.randint(1, 25)):
                    reach = int(followers * rng.uniform(0.05, 0.3) * (1 + day / 10))
                    values = {name: None for name in FIGURE_FIELDS}
                    values.update(
                        reach=reach,
                        impressions=reach * 2,
                        likes=reach // 12,
                        comments=reach // 150,
                        shares=reach // 300,
                    )
                    session.add(
                        PerformanceSnapshot(
                            member_id=member.id,
                            recorded_at=start + timedelta(days=day),
                            entry_id=f"b{c}{m}{day}",
                            **values,
                        )
                    )
    return ids


def claim_for(ids: list[int], i: int, now: datetime) -> Claim:
    return Claim(
        run_id=0,
        campaign_id=ids[i % len(ids)],
        chat_id=1,
        period_key="D2026-11-27",
        late=i % 10 == 0,
        covers_from=now - timedelta(days=1),
    )


def serial(
    engine, ids: list[int], count: int, now: datetime
) -> tuple[float, list[float], list[int]]:
    durations, sizes = [], []
    started = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        with session_scope(engine) as session:
            message = build_summary(
                session, claim_for(ids, i, now), now=now, default_timezone="Asia/Jakarta"
            )
            session.rollback()  # keep the report log from growing: every summary starts alike
        durations.append(time.perf_counter() - t0)
        sizes.append(len(message.chart_png))
    return time.perf_counter() - started, durations, sizes


def pipelined(
    engine, ids: list[int], count: int, now: datetime, drawer: ChartDrawer
) -> tuple[float, list[float]]:
    """As handlers/jobs.py sweeps: bounded concurrency, drafts in threads, charts in workers."""

    def draft(i: int):
        with session_scope(engine) as session:
            result = draft_summary(
                session, claim_for(ids, i, now), now=now, default_timezone="Asia/Jakarta"
            )
            session.rollback()
            return result

    async def run() -> list[float]:
        slots = asyncio.Semaphore(SWEEP_CONCURRENCY)

        async def one(i: int) -> float:
            async with slots:
                t0 = time.perf_counter()
                d = await asyncio.to_thread(draft, i)
                png = await drawer.draw(d.chart)
                assert png.startswith(b"\x89PNG")
                return time.perf_counter() - t0

        return list(await asyncio.gather(*(one(i) for i in range(count))))

    # workers start (spawn + Matplotlib import) before the clock runs, as in a running bot
    asyncio.run(_warm_up(drawer, draft(0).chart))
    started = time.perf_counter()
    durations = asyncio.run(run())
    return time.perf_counter() - started, durations


async def _warm_up(drawer: ChartDrawer, job) -> None:
    await asyncio.gather(*(drawer.draw(job) for _ in range(drawer.workers * 2)))


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--workers", type=int, default=None, help="chart processes (default: cores)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        migrate(engine)
        ids = seed(engine, 50)
        settle_after_startup()
        now = datetime(2026, 11, 27, 1, tzinfo=UTC)
        elapsed, durations, sizes = serial(engine, ids, args.count, now)
        drawer = ChartDrawer(args.workers)
        try:
            piped, piped_durations = pipelined(engine, ids, args.count, now, drawer)
        finally:
            drawer.close()
    print(
        f"{args.count} summaries (report from the database + text + chart), on {os.cpu_count()} cores"
    )
    print("| mode | summaries/s | p50 ms | p95 ms |")
    print("|---|---|---|---|")
    print(
        f"| one at a time, one thread | {args.count / elapsed:.0f} | {_p(durations, 0.5):.1f} "
        f"| {_p(durations, 0.95):.1f} |"
    )
    print(
        f"| sweep: {SWEEP_CONCURRENCY} at once, {drawer.workers} chart processes | "
        f"{args.count / piped:.0f} | {_p(piped_durations, 0.5):.1f} | {_p(piped_durations, 0.95):.1f} |"
    )
    print(
        f"goal: >= 60 per second with charts; chart PNG mean {statistics.mean(sizes) / 1024:.1f} KB"
    )


if __name__ == "__main__":
    main()
