"""Influencer import at scale (issue 13): time, memory, and whether the chat keeps answering.

For each size it writes a sample CSV (bot/store/sample.py write_csv; the "forms" variant
writes prices as "250rb", "1jt", "Rp 1.250.000"), imports it into an empty database through
the command line (`python -m bot import-influencers`, the whole process: wall time and peak
RSS), and meanwhile runs a /start-like writer: every 50 ms one transaction that claims an
update id and saves a conversation row, as the bot does for /start. Its latency p50/p95/max
and failures are printed. The "chat" path imports the same bytes through
bot/store/upload.py in a thread of the measuring process (as the bot does), so the writer
also competes for the same interpreter. The baseline is a plain `executemany` of the same
rows into the same tables in one transaction (the database's own cost; goal: import at
most 2x of it).

    .venv/bin/python bench/bench_import.py [--sizes 100000,1000000] [--forms]
        [--paths cli,chat] [--postgres URL] [--no-sqlite] [--reimport] [--baseline-max N]

Goals: 100,000 rows <= 6 s and 1,000,000 <= 60 s through the CLI, peak RSS < 300 MB,
ratio <= 2x, /start p95 < 200 ms on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, text  # noqa: E402

from bot.store import fast  # noqa: E402
from bot.store.sample import write_csv  # noqa: E402
from bot.store.stream import read_influencers  # noqa: E402
from models.conversations import claim_update, load_conversation, save_conversation  # noqa: E402
from models.db import make_engine, migrate, session_scope  # noqa: E402
from models.store_import import ACCOUNT_COLUMNS, ENTRY_COLUMNS  # noqa: E402

FILES = Path(tempfile.gettempdir()) / "bench_import_files"
TICK = 0.05  # the /start-like writer's pace


@dataclass
class Run:
    backend: str
    rows: int
    variant: str
    path: str
    seconds: float
    rss_mb: float | None
    start_ms: list[float]
    failures: int
    baseline: float | None = None


def sample_file(count: int, forms: bool) -> Path:
    FILES.mkdir(exist_ok=True)
    plain = FILES / f"influencers_{count}.csv"
    if not plain.exists():
        write_csv(plain, count)
    if not forms:
        return plain
    path = FILES / f"influencers_{count}_forms.csv"
    if not path.exists():
        with plain.open(newline="") as src, path.open("w", newline="") as out:
            reader = csv.reader(src)
            writer = csv.writer(out, lineterminator="\n")
            header = next(reader)
            writer.writerow(header)
            price = header.index("price_idr")
            for i, cells in enumerate(reader):
                cells[price] = price_form(int(cells[price]), i)
                writer.writerow(cells)
    return path


def price_form(value: int, i: int) -> str:
    """The same amount as an owner might type it: 250rb, 1jt, 1,5jt or Rp 1.250.000."""
    if i % 3 == 0:
        return f"Rp {value:,}".replace(",", ".")
    if value % 1_000_000 == 0:
        return f"{value // 1_000_000}jt"
    if value % 100_000 == 0 and value > 1_000_000:
        return f"{value / 1_000_000:g}jt".replace(".", ",")
    if value % 1000 == 0:
        return f"{value // 1000}rb"
    return str(value)


class StartWriter:
    """A /start every 50 ms: claim an update id and save the chat's conversation row."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.latencies: list[float] = []
        self.failures = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        update_id = 10_000_000
        while not self.stop.is_set():
            update_id += 1
            started = time.perf_counter()
            try:
                with session_scope(self.engine) as session:
                    claim_update(session, update_id=update_id)
                    conv = load_conversation(session, chat_id=update_id % 50, user_id=42)
                    save_conversation(session, conv, step="start", answers={"bench": update_id})
                self.latencies.append((time.perf_counter() - started) * 1000)
            except Exception as exc:  # counted and shown
                self.failures += 1
                print(f"  /start failed: {type(exc).__name__}: {exc}"[:200], file=sys.stderr)
            time.sleep(max(0.0, TICK - (time.perf_counter() - started)))

    def __enter__(self) -> StartWriter:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.engine.dispose()


def fresh_database(backend: str, pg_url: str | None, workdir: Path, name: str) -> str:
    if backend == "sqlite":
        path = workdir / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        assert pg_url is not None
        admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            conn.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        url = pg_url.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url


def run_cli(url: str, path: Path) -> tuple[float, float]:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "import-influencers", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import failed:\n{out}\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def run_chat(url: str, path: Path) -> float:
    from bot.store.upload import Target, import_upload

    engine = make_engine(url)
    data = path.read_bytes()
    started = time.perf_counter()
    result = import_upload(engine, data, target=Target("global", ""), filename=path.name)
    elapsed = time.perf_counter() - started
    engine.dispose()
    assert result.counts is not None, result.errors[:3]
    return elapsed


def prepared(rows: list, first_id: int) -> tuple[list[tuple], list[tuple]]:
    """The rows the import writes, as plain tuples (not timed)."""
    accounts, entries = [], []
    for id_, row in enumerate(rows, start=first_id):
        accounts.append(
            (id_, "global", row.platform, row.handle, row.name, "|".join(row.niches),
             row.city, row.province, row.followers, row.engagement_rate, row.avg_views,
             row.price_idr, row.audience_quality, row.contact, "bench",
             "2026-12-07 00:00:00.000000")
        )  # fmt: skip
        side, primary, secondary = fast.entry_figures(
            row.platform, row.followers, row.engagement_rate, row.avg_views,
            row.price_idr, row.audience_quality,
        )  # fmt: skip
        for position, niche in enumerate(row.niches):
            values = primary if position == 0 else secondary
            entries.append(
                (id_, "global", niche, row.platform, position, side, row.price_idr,
                 row.city, row.province, *values, fast.RANKING_VERSION)
            )  # fmt: skip
    return accounts, entries


def baseline(url: str, path: Path) -> float:
    """One transaction of plain executemany calls of the same rows (only those timed)."""
    engine: Engine = make_engine(url)
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    accounts_sql = (
        f"INSERT INTO influencer (id, scope, {', '.join(ACCOUNT_COLUMNS)}) "
        f"VALUES ({', '.join([mark] * (len(ACCOUNT_COLUMNS) + 2))})"
    )
    entries_sql = (
        f"INSERT INTO influencer_niche (influencer_id, scope, {', '.join(ENTRY_COLUMNS)}) "
        f"VALUES ({', '.join([mark] * (len(ENTRY_COLUMNS) + 2))})"
    )
    spent = 0.0
    done = 0
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":  # the same page cache the import gets
            cursor.execute("PRAGMA cache_size = -49152")

        def sink(rows: list) -> None:
            nonlocal spent, done
            accounts, entries = prepared(rows, done + 1)
            done += len(rows)
            started = time.perf_counter()
            cursor.executemany(accounts_sql, accounts)
            cursor.executemany(entries_sql, entries)
            spent += time.perf_counter() - started

        with path.open("rb") as handle:
            read_influencers(handle, sink, batch=20_000)
        started = time.perf_counter()
        raw.commit()
        spent += time.perf_counter() - started
    finally:
        raw.close()
        engine.dispose()
    return spent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if values else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--forms", action="store_true", help="also the 250rb/1jt/Rp variant")
    parser.add_argument("--paths", default="cli", help="cli, chat or cli,chat")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"))
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--baseline-max",
        type=int,
        default=100_000,
        help="measure the executemany baseline up to this size (one huge SQLite transaction "
        "of a million rows takes minutes)",
    )
    parser.add_argument("--reimport", action="store_true", help="import the file twice")
    args = parser.parse_args()
    backends = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.postgres else [])
    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",")):
            for variant in ["plain", "forms"] if args.forms else ["plain"]:
                path = sample_file(size, variant == "forms")
                for backend in backends:
                    base = None
                    if size <= args.baseline_max and variant == "plain":
                        url = fresh_database(backend, args.postgres, workdir, "bench_base")
                        base = baseline(url, path)
                    for how in args.paths.split(","):
                        url = fresh_database(backend, args.postgres, workdir, "bench_import")
                        for attempt in ("first", "again") if args.reimport else ("first",):
                            with StartWriter(url) as writer:
                                if how == "cli":
                                    seconds, rss = run_cli(url, path)
                                else:
                                    seconds, rss = run_chat(url, path), None
                            label = how if attempt == "first" else f"{how} (again)"
                            run = Run(backend, size, variant, label, seconds, rss,
                                      writer.latencies, writer.failures, base)  # fmt: skip
                            runs.append(run)
                            report([run], header=len(runs) == 1)
    print()
    report(runs, header=True)


def report(runs: list[Run], *, header: bool) -> None:
    if header:
        print(
            f"{'backend':10} {'rows':>9} {'prices':6} {'path':12} {'import s':>8} "
            f"{'rows/s':>8} {'RSS MB':>6} {'execmany s':>10} {'ratio':>5} "
            f"{'/start p50':>10} {'p95':>6} {'max':>7} {'n':>5} {'fail':>4}"
        )
    for r in runs:
        rss = f"{r.rss_mb:6.0f}" if r.rss_mb is not None else "     -"
        base = f"{r.baseline:10.1f}" if r.baseline else "         -"
        ratio = f"{r.seconds / r.baseline:5.1f}" if r.baseline else "    -"
        print(
            f"{r.backend:10} {r.rows:9,} {r.variant:6} {r.path:12} {r.seconds:8.1f} "
            f"{r.rows / r.seconds:8,.0f} {rss} {base} {ratio} "
            f"{statistics.median(r.start_ms) if r.start_ms else 0:10.1f} "
            f"{percentile(r.start_ms, 0.95):6.1f} {max(r.start_ms, default=0):7.1f} "
            f"{len(r.start_ms):5} {r.failures:4}",
            flush=True,
        )


if __name__ == "__main__":
    main()
