"""Render 1,000 scheduled summaries (text + chart) and print the rate (goal >= 30 per second).

Each summary is built the way the sweeper builds it: the campaign's report from its
snapshots, the change since the previous report, the Indonesian text and the chart PNG.

    .venv/bin/python bench/bench_summaries.py [--count 1000]
"""

from __future__ import annotations

import argparse
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
from bot.summaries.sweeper import Claim, build_summary  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        migrate(engine)
        ids = seed(engine, 50)
        settle_after_startup()
        now = datetime(2026, 11, 27, 1, tzinfo=UTC)
        durations = []
        sizes = []
        started = time.perf_counter()
        for i in range(args.count):
            cid = ids[i % len(ids)]
            claim = Claim(
                run_id=0,
                campaign_id=cid,
                chat_id=1,
                period_key="D2026-11-27",
                late=i % 10 == 0,
                covers_from=now - timedelta(days=1),
            )
            t0 = time.perf_counter()
            with session_scope(engine) as session:
                message = build_summary(session, claim, now=now, default_timezone="Asia/Jakarta")
                session.rollback()  # keep the report log from growing: every summary starts alike
            durations.append(time.perf_counter() - t0)
            sizes.append(len(message.chart_png))
        elapsed = time.perf_counter() - started
    ordered = sorted(durations)
    print(
        f"{args.count} summaries (report from the database + text + chart) in {elapsed:.1f} s: "
        f"{args.count / elapsed:.0f} per second (goal >= 30)"
    )
    print(
        f"per summary: p50 {ordered[len(ordered) // 2] * 1000:.1f} ms, p95 {ordered[int(len(ordered) * 0.95)] * 1000:.1f} ms; "
        f"chart PNG mean {statistics.mean(sizes) / 1024:.1f} KB"
    )


if __name__ == "__main__":
    main()
