"""Recommendation latency as the store grows: 10k, 100k and 1M accounts in one run (issue 13).

For each size a fresh database is filled through the real command line
(`python -m bot import-influencers`), then a fixed set of briefs is answered three ways:
- full scan: every search row of the niche is ranked (`advise(..., cache=None)`);
- first, scan: a process that has not seen this kind of brief yet, before the niches are
  packed (right after a store change): it reads the niche's rows once and keeps its skyband;
- packing: the bot's job packs every niche for the store's revision (timed);
- first: as "first, scan", but the niche is read from its pack (the usual case);
- repeat: the same briefs again, any budget, answered from the kept skyband;
- after a change: the store revision moves (as an import's switch moves it), the bot's
  periodic job packs the niches and searches the asked kinds again (timed), and the briefs
  are answered again.
It prints p50/p95 per way, the skyband's size against the niche's, and how many of the
answers are identical to the full scan's (chosen strategy, every portfolio's accounts,
cheapest prices, other candidates, local counts).

    .venv/bin/python bench/bench_recommend.py [--sizes 10000,100000,1000000] [--briefs 120]
        [--postgres postgresql://user@host/db] [--no-sqlite]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_import import fresh_database, run_cli  # noqa: E402
from bench.bench_store import LOCATIONS as STORE_LOCATIONS  # noqa: E402
from bench.bench_store import briefs  # noqa: E402
from bot.advisor.recommendations import advise  # noqa: E402
from bot.advisor.search_cache import SearchCache  # noqa: E402
from bot.advisor.search_packs import build_packs  # noqa: E402
from bot.domain import Brief, BusinessKind  # noqa: E402
from bot.platform.runtime import settle_after_startup  # noqa: E402
from bot.store.sample import write_csv  # noqa: E402
from models.db import make_engine, migrate, session_scope  # noqa: E402
from models.revision import bump_store_revision  # noqa: E402
from tests.db.stores import answer_signature  # noqa: E402

LOCATIONS = (*STORE_LOCATIONS, "Bali")  # Bali: a destination with its origin cities


def wanted_briefs(count: int) -> list[Brief]:
    """The fixed briefs: every niche, platform, place (Bali: a destination with its origin
    cities), goal, budget and kind of business."""
    return briefs(count, seed=13, locations=LOCATIONS, businesses=(None, *BusinessKind))


def signature(advice) -> tuple:
    return answer_signature(advice.recommendation)


def pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn()
    return (time.perf_counter() - started) * 1000, out


def measure(url: str, wanted: list[Brief]) -> dict[str, object]:
    engine = make_engine(url)
    migrate(engine)  # a reused database may predate the newest migration
    with session_scope(engine) as session:
        bump_store_revision(session)  # as after an import: no niche is packed yet
    settle_after_startup()
    cache = SearchCache()
    full_ms, scan_ms, first_ms, repeat_ms = [], [], [], []
    same = same_scan = 0
    band, pool = [], []
    with session_scope(engine) as session:
        for brief in wanted[:5]:  # warm the connection and the templates
            advise(session, brief, cache=None)
        full = {}
        for i, brief in enumerate(wanted):
            ms, full[i] = timed(lambda b=brief: advise(session, b, cache=None))
            full_ms.append(ms)
        scanned = SearchCache()
        for i, brief in enumerate(wanted):
            ms, got = timed(lambda b=brief: advise(session, b, cache=scanned))
            scan_ms.append(ms)
            same_scan += signature(got) == signature(full[i])
    pack_ms, _ = timed(lambda: build_packs(engine))
    with session_scope(engine) as session:
        for brief in wanted:
            ms, _ = timed(lambda b=brief: advise(session, b, cache=cache))
            first_ms.append(ms)
        for i, brief in enumerate(wanted):
            ms, fast = timed(lambda b=brief: advise(session, b, cache=cache))
            repeat_ms.append(ms)
            same += signature(fast) == signature(full[i])
        for entry in cache._entries.values():
            band.append(len(entry.ids))
            pool.append(entry.pool_size)
    # the store changes (as an import's switch does); the bot's job searches again
    with session_scope(engine) as session:
        bump_store_revision(session)
    with session_scope(engine) as session:
        cache.rewarm(session)  # the job's first tick after a change only notes the revision

    def job_tick() -> None:
        build_packs(engine)
        with session_scope(engine) as session:
            cache.rewarm(session, limit=len(wanted))

    rewarm_ms, _ = timed(job_tick)
    with session_scope(engine) as session:
        after_ms = [timed(lambda b=brief: advise(session, b, cache=cache))[0] for brief in wanted]
    engine.dispose()
    return {
        "full": full_ms,
        "scan": scan_ms,
        "same_scan": same_scan,
        "pack_s": pack_ms / 1000,
        "first": first_ms,
        "repeat": repeat_ms,
        "same": same,
        "band": statistics.mean(band) if band else 0,
        "pool": statistics.mean(pool) if pool else 0,
        "band_max": max(band, default=0),
        "rewarm_s": rewarm_ms / 1000,
        "after": after_ms,
    }


def reused_database(backend: str, pg_url: str | None, workdir: Path, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{workdir / name}.db"
    assert pg_url is not None
    return pg_url.rsplit("/", 1)[0] + f"/{name}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--briefs", type=int, default=120)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"))
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--workdir", default=None, help="keep CSVs and databases here")
    parser.add_argument(
        "--reuse", action="store_true", help="answer on the databases an earlier run left"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.postgres else [])
    wanted = wanted_briefs(args.briefs)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        print(
            "| backend | accounts | import s | full scan p50/p95 ms "
            "| first, scan p50/p95 ms | packing s | first p50/p95 ms "
            "| repeat p50/p95 ms | skyband / niche rows (max) | identical (scan, pack) "
            "| pack + re-search after a change s | then p50/p95 ms |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for backend in backends:
            for size in sizes:
                csv_path = workdir / f"store_{size}.csv"
                if not csv_path.exists():
                    write_csv(csv_path, size)
                name = f"bench_rec_{size}"
                if args.reuse:
                    url = reused_database(backend, args.postgres, workdir, name)
                    seconds = float("nan")
                else:
                    url = fresh_database(backend, args.postgres, workdir, name)
                    seconds, _ = run_cli(url, csv_path)
                got = measure(url, wanted)
                row = [
                    backend,
                    f"{size:,}",
                    f"{seconds:.1f}",
                    *(
                        f"{pct(got[k], 0.5):.1f} / {pct(got[k], 0.95):.1f}"  # type: ignore[arg-type]
                        for k in ("full", "scan")
                    ),
                    f"{got['pack_s']:.1f}",
                    *(
                        f"{pct(got[k], 0.5):.1f} / {pct(got[k], 0.95):.1f}"  # type: ignore[arg-type]
                        for k in ("first", "repeat")
                    ),
                    f"{got['band']:,.0f} / {got['pool']:,.0f} ({got['band_max']:,})",
                    f"{got['same_scan']}/{len(wanted)}, {got['same']}/{len(wanted)}",
                    f"{got['rewarm_s']:.1f}",
                    f"{pct(got['after'], 0.5):.1f} / {pct(got['after'], 0.95):.1f}",  # type: ignore[arg-type]
                ]
                print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
