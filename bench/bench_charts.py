"""Time `render_summary_chart()` on 1,000 varied campaigns: charts per second and PNG size.

Not a unit test: timings depend on the machine. Run: .venv/bin/python bench/bench_charts.py
The product sends up to 30 summaries a second, so the chart alone should sustain >= 45/s.
Data is built before the clock starts: 1 to 60 points, hourly to daily spacing, gaps,
magnitudes from hundreds to hundreds of millions, sometimes an unknown CPE or no data at all.
"""

from __future__ import annotations

import random
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.reports.charts.canvas import render_summary_chart
from bot.reports.charts.data import ChartLabels, ChartPoint
from bot.reports.report import chart_labels

CHARTS = 1_000
SHOPS = ["Kopi Senja", "Batik Laras", "Sambal Bu Rudy", "Keripik Maicih", "Hijab Alila", "Roti Oma"]
ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]


def labels_for(shop: str) -> ChartLabels:
    """The product's own chart words (bot/templates/chart_label.j2)."""
    return chart_labels(f"Kampanye {shop}")


Case = tuple[list[ChartPoint], float | None, float | None, ChartLabels, str]


def make_case(rng: random.Random) -> Case:
    """One campaign as the scheduler would see it."""
    count = 0 if rng.random() < 0.03 else rng.randint(1, 60)
    step = timedelta(hours=rng.choice([1, 3, 6, 24, 24, 24]))
    start = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 40_000))
    scale = 10 ** rng.uniform(2, 8)  # hundreds of views to hundreds of millions
    engagement_rate = rng.uniform(0.005, 0.12)
    gap_rate = rng.choice([0.0, 0.0, 0.05, 0.2])
    reach = 0.0
    points = []
    for i in range(count):
        reach += scale * rng.uniform(0.2, 1.5) / max(count, 1)
        missing = rng.random() < gap_rate
        points.append(
            ChartPoint(
                at=start + i * step,
                reach_or_views=None if missing else reach,
                engagements=None if missing else reach * engagement_rate * rng.uniform(0.8, 1.2),
            )
        )
    micro = None if rng.random() < 0.15 else rng.uniform(150, 3_000)
    macro = None if rng.random() < 0.25 else rng.uniform(400, 12_000)
    shop = rng.choice(SHOPS)
    return points, micro, macro, labels_for(shop), rng.choice(ZONES)


def render(case: Case) -> bytes:
    points, micro, macro, labels, zone = case
    return render_summary_chart(
        points, cpe_micro=micro, cpe_macro=macro, labels=labels, timezone=zone
    )


def throughput(cases: list[Case], threads: int) -> tuple[float, list[int]]:
    """Charts per second with `threads` workers sharing the list, and the PNG sizes."""
    sizes: list[int] = []
    lock = threading.Lock()
    shards = [cases[i::threads] for i in range(threads)]

    def work(shard: list[Case]) -> None:
        local = [len(render(case)) for case in shard]
        with lock:
            sizes.extend(local)

    workers = [threading.Thread(target=work, args=(shard,)) for shard in shards]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return len(cases) / (time.perf_counter() - started), sizes


def main() -> None:
    rng = random.Random(20261127)
    cases = [make_case(rng) for _ in range(CHARTS)]
    render(cases[0])  # warm-up: this thread's figure, fonts, Babel data

    # Single warm renders, one at a time: latency as a worker sees it.
    latencies = []
    for case in cases[:200]:
        started = time.perf_counter()
        render(case)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(len(latencies) * 0.95) - 1]

    rate, sizes = throughput(cases, threads=1)
    rate2, _ = throughput(cases, threads=2)
    print(f"charts: {CHARTS}, points per chart: 0-60, {sum(not c[0] for c in cases)} with no data")
    print(f"1 thread : {rate:6.1f} charts/s")
    print(f"2 threads: {rate2:6.1f} charts/s (the GIL limits the gain)")
    print(f"warm single render: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(f"PNG size: mean {statistics.mean(sizes) / 1024:.1f} KB, max {max(sizes) / 1024:.1f} KB")


if __name__ == "__main__":
    main()
