"""Evaluation of the advice: does each recommendation buy what the owner's budget should buy?

Runs 66 briefs (all three goals, Rp300rb to Rp300jt, four platforms, walk-in / online /
destination / unknown businesses, cities, provinces and "seluruh Indonesia") through the
bot's real path, `advise` on a SQLite database, over three stores:

- sample: the bundled sample store, loaded by the `seed-demo` command's loader;
- cheap:  accounts priced ten times below the market, mostly nano and micro (a Rp150 jt
          awareness brief once got 15 micro accounts for Rp1,3 jt here);
- thin:   Medan (Kecantikan, Instagram), Makassar (Edukasi, Instagram) and Bandung
          (Kuliner, TikTok) hold two fitting accounts each, other cities plenty.

One row per brief: chosen strategy, budget used, outcome share (the chosen portfolio's
`Totals.value` over the best feasible strategy's; goal 100%, or >= 90% on a near tie),
comparisons that agree with the numbers (goal: all), visible characters of the main message
(goal <= 1,200), and for walk-in briefs the share of spend outside the city. A "!" marks a
missed goal. Then the summary.

    .venv/bin/python bench/bench_advice.py [--store thin] [--match Medan] [--show 12]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine  # noqa: E402

from bench.advice_eval import Case, Result, evaluate, summary, table_header, table_row  # noqa: E402
from bench.advice_stores import cheap_store, load_csv, load_sample, thin_city_store  # noqa: E402
from models.db import make_engine, migrate, session_scope  # noqa: E402

IG, TT, YT, FB = "instagram", "tiktok", "youtube", "facebook"
AW, EN, SA = "awareness", "engagement", "sales"
WALK, ONLINE, DEST = "walk_in", "online", "destination"
NATIONAL = "seluruh Indonesia"


def _cases(store: str, rows: list[tuple]) -> list[Case]:
    return [Case(store, *row) for row in rows]


# The bundled sample store: every niche and platform, the typical briefs of its owners.
SAMPLE = _cases(
    "sample",
    [
        ("Kuliner", AW, "3jt", IG, "Bandung", WALK),
        ("Kuliner", SA, "500rb", IG, "Medan", WALK),
        ("Kuliner", EN, "10jt", TT, "Jakarta", None),
        ("Kuliner", AW, "150jt", IG, NATIONAL, ONLINE),
        ("Kuliner", SA, "300rb", TT, "Semarang", WALK),
        ("Fashion", SA, "25jt", IG, NATIONAL, ONLINE),
        ("Fashion", AW, "150jt", TT, NATIONAL, ONLINE),
        ("Fashion", EN, "7,5jt", FB, NATIONAL, ONLINE),
        ("Kecantikan", SA, "5jt", IG, "Medan", WALK),
        ("Kecantikan", EN, "50jt", IG, "Jakarta", ONLINE),
        ("Kecantikan", AW, "300jt", YT, NATIONAL, None),
        ("Travel", AW, "20jt", IG, "Jakarta", DEST),
        ("Travel", SA, "75jt", IG, NATIONAL, DEST),
        ("Edukasi", SA, "2jt", IG, "Makassar", WALK),
        ("Edukasi", EN, "1jt", TT, "Surabaya", WALK),
        ("Teknologi & Gadget", AW, "200jt", YT, NATIONAL, ONLINE),
        ("Gaming", EN, "15jt", YT, NATIONAL, None),
        ("Kesehatan & Kebugaran", SA, "8jt", IG, "Surabaya", WALK),
        ("Gaya Hidup", AW, "40jt", TT, "Jawa Barat", None),
        ("Otomotif", SA, "12jt", YT, "Jawa Timur", ONLINE),
        ("Parenting & Keluarga", EN, "3jt", IG, "Yogyakarta", None),
        ("Properti & Rumah", SA, "100jt", IG, "Jabodetabek", None),
        ("Hiburan", AW, "60jt", TT, NATIONAL, None),
        ("Pertanian", SA, "5jt", FB, NATIONAL, ONLINE),
    ],
)

# Far below market prices: large budgets must still be spent on what the goal needs.
CHEAP = _cases(
    "cheap",
    [
        ("Kuliner", AW, "150jt", IG, NATIONAL, ONLINE),
        ("Kuliner", AW, "200jt", IG, NATIONAL, None),
        ("Kuliner", SA, "50jt", IG, "Jakarta", WALK),
        ("Kuliner", EN, "10jt", TT, "Surabaya", None),
        ("Kuliner", SA, "300rb", IG, "Bandung", WALK),
        ("Kuliner", AW, "1jt", TT, NATIONAL, ONLINE),
        ("Fashion", AW, "300jt", IG, NATIONAL, ONLINE),
        ("Fashion", SA, "25jt", TT, NATIONAL, ONLINE),
        ("Fashion", EN, "5jt", IG, "Jawa Timur", None),
        ("Fashion", SA, "2,5jt", IG, "Yogyakarta", WALK),
        ("Kecantikan", AW, "100jt", YT, NATIONAL, None),
        ("Kecantikan", SA, "15jt", IG, "Medan", WALK),
        ("Kecantikan", EN, "75jt", TT, NATIONAL, ONLINE),
        ("Kecantikan", SA, "500rb", IG, "Jakarta", WALK),
        ("Gaya Hidup", AW, "20jt", IG, "Denpasar", DEST),
        ("Gaya Hidup", EN, "120jt", TT, NATIONAL, None),
        ("Gaya Hidup", SA, "3jt", IG, "Jabodetabek", WALK),
        ("Teknologi & Gadget", AW, "250jt", YT, NATIONAL, ONLINE),
        ("Teknologi & Gadget", SA, "40jt", IG, NATIONAL, ONLINE),
        ("Teknologi & Gadget", EN, "8jt", TT, "Jakarta", None),
        ("Kuliner", SA, "1,5jt", TT, "Makassar", WALK),
    ],
)

# Two fitting accounts in the target city: walk-in budgets must not drift elsewhere.
THIN = _cases(
    "thin",
    [
        ("Kecantikan", SA, "5jt", IG, "Medan", WALK),
        ("Kecantikan", SA, "500rb", IG, "Medan", WALK),
        ("Kecantikan", AW, "30jt", IG, "Medan", WALK),
        ("Kecantikan", EN, "2jt", IG, "Medan", WALK),
        ("Kecantikan", SA, "5jt", IG, "Medan", ONLINE),
        ("Kecantikan", AW, "80jt", IG, "Medan", None),
        ("Kecantikan", SA, "20jt", IG, NATIONAL, ONLINE),
        ("Edukasi", SA, "3jt", IG, "Makassar", WALK),
        ("Edukasi", EN, "10jt", IG, "Makassar", WALK),
        ("Edukasi", AW, "1jt", IG, "Makassar", WALK),
        ("Edukasi", SA, "50jt", IG, "Makassar", None),
        ("Edukasi", AW, "300jt", IG, NATIONAL, ONLINE),
        ("Kuliner", SA, "2jt", TT, "Bandung", WALK),
        ("Kuliner", AW, "15jt", TT, "Bandung", WALK),
        ("Kuliner", EN, "300rb", TT, "Bandung", WALK),
        ("Kuliner", SA, "8jt", TT, "Jawa Barat", ONLINE),
        ("Kuliner", AW, "45jt", TT, "Jakarta", DEST),
        ("Fashion", SA, "12jt", IG, "Surabaya", WALK),
        ("Kesehatan & Kebugaran", EN, "6jt", TT, NATIONAL, None),
        ("Kesehatan & Kebugaran", SA, "4jt", IG, "Medan", WALK),
        ("Kesehatan & Kebugaran", AW, "150jt", YT, NATIONAL, None),
    ],
)

STORES: dict[str, tuple[Callable[[Engine], object], list[Case]]] = {
    "sample": (load_sample, SAMPLE),
    "cheap": (lambda engine: load_csv(engine, cheap_store(), source="bench"), CHEAP),
    "thin": (lambda engine: load_csv(engine, thin_city_store(), source="bench"), THIN),
}


def run_store(name: str, cases: list[Case], workdir: Path) -> list[tuple[Result, str]]:
    loader, _ = STORES[name]
    engine = make_engine(f"sqlite:///{workdir / f'{name}.sqlite3'}")
    migrate(engine)
    loader(engine)
    try:
        with session_scope(engine) as session:
            evaluate(session, cases[0])  # warm-up: templates, caches
            return [evaluate(session, case) for case in cases]
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", action="append", choices=sorted(STORES), help="repeatable")
    parser.add_argument("--match", help="only briefs whose short label contains this text")
    parser.add_argument("--show", type=int, action="append", help="print brief N's main text")
    args = parser.parse_args()
    stores = args.store or list(STORES)
    outcomes: list[tuple[Result, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in stores:
            cases = STORES[name][1]
            if args.match:
                cases = [c for c in cases if args.match.lower() in c.label.lower()]
            if cases:
                outcomes += run_store(name, cases, Path(tmp))
    if not outcomes:
        sys.exit("no brief matches")
    print(table_header())
    for number, (result, _) in enumerate(outcomes, 1):
        print(table_row(number, result))
        for claim in result.failed_claims:
            print(f"      claim does not hold: {claim}")
    print()
    for line in summary([result for result, _ in outcomes]):
        print(line)
    for number in args.show or ():
        result, text = outcomes[number - 1]
        print(f"\n--- #{number} {result.case.store}: {result.case.label}\n{text}")


if __name__ == "__main__":
    main()
