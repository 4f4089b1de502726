"""Recommendations built by hand, so text tests do not depend on the engine's choices.

`grid()` spans goals, budgets, business kinds, places, chosen strategies, near ties,
feasible and infeasible alternatives, ranges, long names, five picks and every marker
(a self-reported account bought as a story among them).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace

from bot.advisor.engine.estimates import Estimate
from bot.advisor.engine.results import LeftOut, Pick, Portfolio, Recommendation, Totals
from bot.domain import (
    NATIONWIDE,
    Brief,
    BusinessKind,
    Candidate,
    Goal,
    Location,
    Platform,
    Strategy,
    Tier,
    tier_of,
)

MEDAN = Location(
    kind="city", name="Medan", cities=frozenset({"Medan"}), provinces=frozenset({"Sumatera Utara"})
)
LONG_NAME = "Kedai Kopi & Roti Bakar Mbak Sulastri Cabang Setiabudi Medan Official"
LONG_HANDLE = "kedai_kopi_roti_bakar_official_"


def candidate(
    i: int,
    followers: int,
    price: int,
    *,
    city: str = "Medan",
    name: str | None = None,
    handle: str | None = None,
    er: float | None = 3.0,
    quality: int | None = 80,
    sample: bool = False,
    platform: Platform = Platform.INSTAGRAM,
    niche: str = "Kuliner",
) -> Candidate:
    return Candidate(
        id=i,
        platform=platform,
        handle=handle or f"akun_{i}",
        name=name or f"Akun {i}",
        niches=(niche,),
        city=city,
        province="Sumatera Utara" if city == "Medan" else "DKI Jakarta",
        followers=followers,
        engagement_rate=er,
        avg_views=None,
        price_idr=price,
        audience_quality=quality,
        sample=sample,
    )


def pick(
    c: Candidate,
    *,
    match: str = "city",
    outside: bool = False,
    low_quality: bool = False,
) -> Pick:
    reach = c.followers * 0.1
    engagements = reach * 0.05
    return Pick(
        candidate=c,
        tier=tier_of(c.followers, c.platform),
        estimate=Estimate(reach, engagements, engagements * 0.02, True, c.engagement_rate is None),
        location_match=match,  # type: ignore[arg-type]
        primary_niche=True,
        value=engagements,
        low_quality=low_quality,
        outside_area=outside,
    )


def totals(
    cost: int,
    reach: float,
    engagements: float,
    conversions: float,
    accounts: int,
    value: float,
    *,
    ranges: bool = False,
) -> Totals:
    return Totals(
        cost=cost,
        reach=reach,
        engagements=engagements,
        conversions=conversions,
        accounts=accounts,
        cost_per_1000_reach=cost / reach * 1000 if reach else None,
        cost_per_engagement=cost / engagements if engagements else None,
        cost_per_conversion=cost / conversions if conversions else None,
        estimated=True,
        score=value,
        score_per_rupiah=value / cost if cost else None,
        value=value,
        reach_range=(reach * 0.5, reach * 1.6) if ranges else None,
        engagements_range=(engagements * 0.4, engagements * 1.8) if ranges else None,
        conversions_range=(conversions * 0.3, conversions * 2.5) if ranges else None,
    )


def portfolio(
    strategy: Strategy, picks: list[Pick], t: Totals | None, cheapest: int | None = 1
) -> Portfolio:
    if t is None:
        picks = []
    return Portfolio(
        strategy=strategy,
        picks=tuple(picks),
        totals=t or Totals(0, 0.0, 0.0, 0.0, 0, None, None, None, False, 0.0, None),
        level="city",
        pool_size=len(picks),
        cheapest_price=cheapest,
    )


def _micro_picks(n: int, *, long: bool, markers: bool) -> list[Pick]:
    picks = []
    for i in range(n):
        followers = 6_000 if i % 2 == 0 else 45_000  # nano and micro
        c = candidate(
            i + 1,
            followers,
            400_000 + 100_000 * i,
            name=LONG_NAME if long else None,
            handle=f"{LONG_HANDLE}{i}"[:22] if long else None,
            city="Jakarta" if markers and i == 1 else "Medan",
            er=None if i == 2 else 3.4,
            quality=35 if markers and i == 3 else 80,
            sample=markers and i == 0,
        )
        if markers and i == 4:  # listed by the influencer, bought as a story from its rate card
            c = replace(
                c,
                self_reported=True,
                formats=(("reels", 900_000), ("story", c.price_idr)),
                content_format="story",
            )
        outside = markers and i == 1
        picks.append(
            pick(
                c,
                match="national" if outside else "city",
                outside=outside,
                low_quality=markers and i == 3,
            )
        )
    return picks


def _macro_picks(n: int, *, long: bool) -> list[Pick]:
    return [
        pick(
            candidate(
                100 + i,
                2_500_000 if i == 0 else 300_000,
                30_000_000 if i == 0 else 6_000_000,
                name=LONG_NAME if long else None,
                handle=f"{LONG_HANDLE}m{i}"[:22] if long else None,
            )
        )
        for i in range(n)
    ]


def build(
    goal: Goal,
    chosen: Strategy,
    *,
    budget: int = 50_000_000,
    business: BusinessKind | None = None,
    location: Location = MEDAN,
    micro: tuple[int, float, float] | None = (5, 40_000.0, 2_400.0),
    macro: tuple[int, float, float] | None = (2, 90_000.0, 2_000.0),
    mix: tuple[int, float, float] | None = (4, 70_000.0, 2_600.0),
    near_tie: bool = False,
    useful_budget: int | None = None,
    long: bool = False,
    markers: bool = False,
    ranges: bool = False,
    left_out: bool = False,
    local: tuple[int | None, int | None] = (None, None),
    platform: Platform = Platform.INSTAGRAM,
    niche: str = "Kuliner",
) -> Recommendation:
    """Each strategy is (accounts, reach, engagements) or None (infeasible); its value is
    what the goal needs, so the comparisons follow the figures given."""
    brief = Brief(niche, goal, budget, platform, location, business)
    shapes = {Strategy.MICRO: micro, Strategy.MACRO: macro, Strategy.MIX: mix}
    portfolios = {}
    for strategy, shape in shapes.items():
        if shape is None:
            cheapest = None if strategy == Strategy.MICRO else budget * 2
            portfolios[strategy] = portfolio(strategy, [], None, cheapest)
            continue
        n, reach, engagements = shape
        if strategy == Strategy.MICRO:
            picks = _micro_picks(n, long=long, markers=markers)
        elif strategy == Strategy.MACRO:
            picks = _macro_picks(n, long=long)
        else:
            picks = _micro_picks(n - 1, long=long, markers=markers) + _macro_picks(1, long=long)
        cost = sum(p.candidate.price_idr for p in picks)
        conversions = engagements * 0.02
        value = {Goal.AWARENESS: reach, Goal.ENGAGEMENT: engagements, Goal.SALES: conversions}
        t = totals(cost, reach, engagements, conversions, n, value[goal], ranges=ranges)
        portfolios[strategy] = portfolio(strategy, picks, t)
    feasible = [s for s, p in portfolios.items() if p.feasible]
    best = max(feasible, key=lambda s: portfolios[s].totals.value) if feasible else None
    gone = (
        (
            LeftOut(candidate(900, 50_000, 1_000_000, handle="warung_mahal"), "poor_results", 0.15),
            LeftOut(candidate(901, 30_000, 800_000, handle="bot_followers"), "low_quality"),
        )
        if left_out
        else ()
    )
    return Recommendation(
        brief=brief,
        chosen=chosen if portfolios[chosen].feasible else None,
        portfolios=portfolios,
        others=(),
        cheapest_price=400_000,
        cheapest_macro_price=6_000_000,
        best_strategy=best,
        choice_reason="near_tie" if near_tie and best != chosen else "best",
        useful_budget=useful_budget,
        local_fitting=local[0],
        local_affordable=local[1],
        left_out=gone,
    )


def grid() -> Iterator[Recommendation]:
    """Many shapes of recommendation, every one with a chosen strategy."""
    shapes = [
        ((5, 40_000.0, 2_400.0), (2, 90_000.0, 2_000.0), (4, 70_000.0, 2_600.0)),
        ((5, 40_000.0, 2_400.0), (2, 41_000.0, 2_450.0), (4, 39_500.0, 2_380.0)),
        ((5, 40_000.0, 2_400.0), None, None),
        ((3, 12_000.0, 900.0), (1, 12_500.0, 400.0), None),
    ]
    for goal, chosen, (micro, macro, mix), near, business, markers, long in itertools.product(
        Goal,
        Strategy,
        shapes,
        (False, True),
        (None, BusinessKind.WALK_IN, BusinessKind.ONLINE),
        (False, True),
        (False, True),
    ):
        rec = build(
            goal,
            chosen,
            micro=micro,
            macro=macro,
            mix=mix,
            near_tie=near,
            business=business,
            markers=markers,
            long=long,
            ranges=long,
            left_out=markers,
            useful_budget=30_000_000 if markers and near else None,
            local=(0, 0) if business == BusinessKind.WALK_IN and not markers else (2, 1),
            location=NATIONWIDE if business == BusinessKind.ONLINE and not long else MEDAN,
        )
        if rec.chosen is not None:
            yield rec


def scaled(rec: Recommendation, strategy: Strategy, factor: float) -> Recommendation:
    """The same recommendation with one strategy's outcomes (not its cost) scaled."""
    p = rec.portfolios[strategy]
    t = p.totals
    new = totals(
        t.cost,
        t.reach * factor,
        t.engagements * factor,
        t.conversions * factor,
        t.accounts,
        t.value * factor,
    )
    return replace(rec, portfolios={**rec.portfolios, strategy: replace(p, totals=new)})


def all_away(rec: Recommendation) -> Recommendation:
    """The same recommendation with every account from outside the target area."""
    portfolios = {
        s: replace(
            p,
            picks=tuple(replace(x, location_match="national", outside_area=True) for x in p.picks),
        )
        for s, p in rec.portfolios.items()
    }
    return replace(rec, portfolios=portfolios)


__all__ = [
    "Tier",
    "all_away",
    "build",
    "grid",
    "scaled",
    "candidate",
    "pick",
    "totals",
    "portfolio",
]
