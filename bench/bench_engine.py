"""Time `recommend()` on a 3,000-candidate store over 200 varied briefs (p50 / p95).

Not a unit test: timings depend on the machine. Run: .venv/bin/python bench/bench_engine.py
Two scenarios: the whole mixed store passed in (recommend filters platform and niche
itself), and the worst case where all 3,000 candidates fit the brief. Then the storage of
those 400 results: saving one (JSON dump) and loading it back, as every button press does.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.advisor.engine.choice import recommend
from bot.advisor.engine.results import RECOMMENDATION_JSON, Recommendation
from bot.domain import NATIONWIDE, NICHES, Brief, Candidate, Goal, Location, Platform

PLACES: list[tuple[str, str]] = [
    ("Bandung", "Jawa Barat"),
    ("Bekasi", "Jawa Barat"),
    ("Bogor", "Jawa Barat"),
    ("Jakarta Selatan", "DKI Jakarta"),
    ("Jakarta Barat", "DKI Jakarta"),
    ("Surabaya", "Jawa Timur"),
    ("Malang", "Jawa Timur"),
    ("Yogyakarta", "DI Yogyakarta"),
    ("Semarang", "Jawa Tengah"),
    ("Medan", "Sumatera Utara"),
    ("Makassar", "Sulawesi Selatan"),
    ("Denpasar", "Bali"),
]
PLATFORMS = [Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE]


def price_for(followers: int, rng: random.Random) -> int:
    """Endorse prices per post as in the 2024-2025 surveys, rounded to Rp25.000."""
    if followers < 10_000:
        lo, hi = 50_000, 500_000
    elif followers < 100_000:
        lo, hi = 500_000, 5_000_000
    elif followers < 1_000_000:
        lo, hi = 2_500_000, 15_000_000
    else:
        lo, hi = 10_000_000, 60_000_000
    return max(25_000, round(rng.uniform(lo, hi) / 25_000) * 25_000)


def make_store(
    n: int, rng: random.Random, *, platform: Platform | None = None, niche: str | None = None
) -> list[Candidate]:
    store = []
    for i in range(n):
        followers = int(10 ** rng.uniform(3, 7))
        city, province = rng.choice(PLACES)
        if rng.random() < 0.1:
            city = None
        niches = [niche] if niche else []
        niches += rng.sample(NICHES, 2)
        store.append(
            Candidate(
                id=i,
                platform=platform or rng.choice(PLATFORMS),
                handle=f"acc{i}",
                name=f"Akun {i}",
                niches=tuple(dict.fromkeys(niches)),
                city=city,
                province=province,
                followers=followers,
                engagement_rate=round(rng.uniform(0.5, 8), 2) if rng.random() < 0.6 else None,
                avg_views=int(followers * rng.uniform(0.02, 0.3)) if rng.random() < 0.5 else None,
                price_idr=price_for(followers, rng),
                audience_quality=rng.randint(30, 95) if rng.random() < 0.7 else None,
            )
        )
    return store


def make_brief(
    rng: random.Random, *, platform: Platform | None = None, niche: str | None = None
) -> Brief:
    r = rng.random()
    if r < 0.4:
        city, province = rng.choice(PLACES)
        location = Location("city", city, frozenset({city}), frozenset({province}))
    elif r < 0.7:
        _, province = rng.choice(PLACES)
        location = Location("province", province, frozenset(), frozenset({province}))
    else:
        location = NATIONWIDE
    budget = rng.choice(
        [
            300_000,
            1_000_000,
            3_000_000,
            5_000_000,
            7_500_000,
            15_000_000,
            50_000_000,
            120_000_000,
            350_000_000,
            1_234_567,
        ]
    )
    return Brief(
        niche=niche or rng.choice(NICHES[:6]),
        goal=rng.choice(list(Goal)),
        budget=budget,
        platform=platform or rng.choice(PLATFORMS),
        location=location,
    )


def run(label: str, store: list[Candidate], briefs: list[Brief]) -> list[Recommendation]:
    for b in briefs[:5]:  # warm-up
        recommend(b, store)
    wall: list[float] = []
    cpu: list[float] = []  # thread CPU time: what the engine costs when the machine is busy
    recs = []
    for b in briefs:
        t0, c0 = time.perf_counter(), time.thread_time()
        recs.append(recommend(b, store))
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    report(label, wall, cpu)
    return recs


def run_storage(recs: list[Recommendation]) -> None:
    """Save (dump to JSON text) and load (JSON text to a Recommendation), 3 rounds."""
    texts = [json.dumps(RECOMMENDATION_JSON.dump(rec)) for rec in recs]
    size = sum(map(len, texts)) / len(texts) / 1024
    for step, work in (
        ("save", [lambda rec=rec: json.dumps(RECOMMENDATION_JSON.dump(rec)) for rec in recs]),
        ("load", [lambda text=text: RECOMMENDATION_JSON.load(json.loads(text)) for text in texts]),
    ):
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(3):
            for job in work:
                t0, c0 = time.perf_counter(), time.thread_time()
                job()
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.thread_time() - c0) * 1000)
        report(f"{step} a recommendation ({size:.0f} KB of JSON)", wall, cpu)


def report(label: str, wall: list[float], cpu: list[float]) -> None:
    for name, times in (("wall", wall), ("cpu", cpu)):
        times.sort()
        p50 = statistics.median(times)
        p95 = times[int(0.95 * len(times)) - 1]
        print(f"{label} [{name}]: p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms")


def main() -> None:
    rng = random.Random(42)
    store = make_store(3000, rng)
    recs = run("mixed store, 3,000 candidates", store, [make_brief(rng) for _ in range(200)])
    fit_all = make_store(3000, rng, platform=Platform.INSTAGRAM, niche="Kuliner")
    briefs = [make_brief(rng, platform=Platform.INSTAGRAM, niche="Kuliner") for _ in range(200)]
    recs += run("all 3,000 candidates fit the brief", fit_all, briefs)
    run_storage(recs)


if __name__ == "__main__":
    main()
