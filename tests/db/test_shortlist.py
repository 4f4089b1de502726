"""Reading only the shortlist gives exactly the recommendation the whole niche would give."""

from __future__ import annotations

import csv
import io
import itertools
import random

from sqlalchemy import Engine
from sqlmodel import Session

from bot.advisor.engine.choice import recommend
from bot.advisor.recommendations import advise
from bot.domain import NICHES, Brief, BusinessKind, Goal, Platform
from bot.language.locations import parse_location
from bot.store.sample import CSV_COLUMNS, generate_influencers
from bot.store.search import fetch_candidates
from tests.db.stores import answer_signature, load_store


def _load(engine: Engine, count: int) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(generate_influencers(count, seed=5))
    load_store(engine, out.getvalue())


def test_shortlist_matches_the_full_pool(engine: Engine) -> None:
    _load(engine, 8000)
    rng = random.Random(3)
    combos = list(
        itertools.product(
            NICHES[:6],
            (Platform.INSTAGRAM, Platform.TIKTOK),
            (
                "Jakarta",
                "Bandung",
                "Jawa Timur",
                "Jabodetabek",
                "seluruh Indonesia",
                "Ambon",
                "Bali",
            ),
            Goal,
            (300_000, 3_000_000, 20_000_000, 150_000_000),
            (None, *BusinessKind),
        )
    )
    identical = 0
    with Session(engine) as session:
        for niche, platform, place, goal, budget, business in rng.sample(combos, 60):
            brief = Brief(niche, goal, budget, platform, parse_location(place), business)
            full = recommend(brief, fetch_candidates(session, niche=niche, platform=platform))
            fast = advise(session, brief).recommendation
            identical += answer_signature(fast) == answer_signature(full)
            assert fast.chosen == full.chosen, brief
            assert (fast.local_fitting, fast.local_affordable) == (
                full.local_fitting,
                full.local_affordable,
            )
            for strategy, portfolio in full.portfolios.items():
                got = fast.portfolios[strategy].totals
                assert got.cost <= budget
                assert got.score >= portfolio.totals.score - 0.005 * abs(portfolio.totals.score), (
                    brief
                )
    print(f"identical recommendations: {identical}/60")
    assert identical >= 57
