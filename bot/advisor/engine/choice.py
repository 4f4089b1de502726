"""The engine's entry point: one portfolio per strategy for a brief, and the one to choose.

Per strategy the location level is the narrowest (city, then province, then national)
where the budget can buy MIN_POOL candidates of the strategy's tiers; the strategy with the
best score per Rupiah is chosen; the best further candidates by value per Rupiah come along.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from bot.advisor.engine.estimates import ObservedRates
from bot.advisor.engine.knapsack import optimise, ordered
from bot.advisor.engine.results import LEVELS, Pick, Portfolio, Recommendation
from bot.advisor.engine.table import CandidateTable
from bot.advisor.engine.values import compute_totals, pick_for
from bot.domain import Brief, Candidate, Strategy, Tier

COORDINATION_SHARE = 0.04  # per-account cost: share of the best affordable pool value
MIN_POOL = 3  # a location level is used when it has this many affordable candidates
MAX_OTHERS = 50


def _start_level(brief: Brief) -> int:
    loc = brief.location
    if loc.is_national:
        return 2
    if loc.kind == "city" or loc.cities:
        return 0
    return 1


def _level_for(table: CandidateTable, side_mask: np.ndarray, start: int, budget: int) -> int:
    """Narrowest level from `start` with at least MIN_POOL affordable candidates."""
    affordable = side_mask & (table.price <= budget)
    for lvl in range(start, 2):
        if int(np.count_nonzero(affordable & (table.level <= lvl))) >= MIN_POOL:
            return lvl
    return 2


def _min_price(prices: np.ndarray) -> int | None:
    return int(prices.min()) if len(prices) else None


def recommend(
    brief: Brief,
    candidates: Sequence[Candidate],
    *,
    observed: Mapping[Tier, ObservedRates] | None = None,
) -> Recommendation:
    """Best portfolio per strategy for the brief, and the strategy with best value per Rupiah.

    Fitting = the brief's platform and niche (filtered here too, defensively). Per strategy
    the location level is the narrowest, from the brief's start (city when it names
    cities, else province; nationwide: national), holding MIN_POOL candidates of the
    strategy's tiers that the budget can buy; its pool is everything at that level or
    narrower. MIX draws from the MICRO and MACRO pools. `observed` (per tier) carries the
    owner's own rates from earlier campaigns; they replace the benchmarks where a
    candidate lacks its own figures.
    """
    obs: Mapping[Tier, ObservedRates] = observed or {}
    budget = int(brief.budget)
    platform, niche = brief.platform, brief.niche
    fit = [
        c for c in candidates if c.platform == platform and niche in c.niches and c.price_idr >= 0
    ]
    table = CandidateTable(brief, fit, obs)
    cache: dict[int, Pick] = {}

    def pick_at(i: int) -> Pick:
        p = cache.get(i)
        if p is None:
            c = fit[i]
            p = cache[i] = pick_for(brief, c, obs.get(c.tier))
        return p

    start = _start_level(brief)
    lvl_micro = _level_for(table, ~table.macro, start, budget)
    lvl_macro = _level_for(table, table.macro, start, budget)
    micro_pool = ~table.macro & (table.level <= lvl_micro)
    macro_pool = table.macro & (table.level <= lvl_macro)

    # One constant per brief so strategies compare fairly. It scales with the best account
    # the budget can buy in the pools: a mega account far out of reach must not make every
    # affordable micro account look worthless. That best account always beats it, so a
    # portfolio exists whenever the pools hold anything affordable (with a value > 0).
    usable = (micro_pool | macro_pool) & (table.price <= budget)
    best_value = float(table.value[usable].max()) if usable.any() else 0.0
    coordination = COORDINATION_SHARE * max(best_value, 0.0)
    setups = {
        Strategy.MICRO: (micro_pool, lvl_micro),
        Strategy.MACRO: (macro_pool, lvl_macro),
        Strategy.MIX: (micro_pool | macro_pool, max(lvl_micro, lvl_macro)),
    }

    portfolios: dict[Strategy, Portfolio] = {}
    for strategy, (mask, lvl) in setups.items():
        pool = np.flatnonzero(mask)
        if strategy is Strategy.MIX:
            a = _min_price(table.price[micro_pool])
            b = _min_price(table.price[macro_pool])
            cheapest = None if a is None or b is None else a + b
        else:
            cheapest = _min_price(table.price[pool])
        chosen_idx = pool[
            optimise(
                table.value[pool],
                table.price[pool],
                table.macro[pool],
                table.group[pool],
                budget,
                coordination,
                strategy,
            )
        ]
        picks = ordered(pick_at(i) for i in chosen_idx.tolist())
        portfolios[strategy] = Portfolio(
            strategy=strategy,
            picks=picks,
            totals=compute_totals(picks, coordination),
            level=LEVELS[lvl],
            pool_size=len(pool),
            cheapest_price=cheapest,
        )

    chosen = _choose(portfolios)

    in_portfolio = {id(p) for p in portfolios[chosen].picks} if chosen else set()
    mask = (table.level <= max(lvl_micro, lvl_macro)) & (table.price <= budget)
    mask[[i for i, p in cache.items() if id(p) in in_portfolio]] = False
    rest = np.flatnonzero(mask)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(table.price[rest] > 0, table.value[rest] / table.price[rest], np.inf)
    rest = rest[np.argsort(-ratio, kind="stable")[:MAX_OTHERS]]
    others = sorted((pick_at(i) for i in rest.tolist()), key=_value_per_rupiah, reverse=True)

    return Recommendation(
        brief=brief,
        chosen=chosen,
        portfolios=portfolios,
        others=tuple(others),
        cheapest_price=_min_price(table.price),
        cheapest_macro_price=_min_price(table.price[table.macro]),
    )


def _value_per_rupiah(p: Pick) -> float:
    price = p.candidate.price_idr
    return p.value / price if price > 0 else math.inf


def _choose(portfolios: Mapping[Strategy, Portfolio]) -> Strategy | None:
    """Highest score per Rupiah among feasible portfolios; ties go to fewer accounts."""
    best: Strategy | None = None
    best_key: tuple[float, int] | None = None
    for strategy, p in portfolios.items():
        if not p.feasible:
            continue
        spr = p.totals.score_per_rupiah
        key = (math.inf if spr is None else spr, -p.totals.accounts)
        if best_key is None or key > best_key:
            best, best_key = strategy, key
    return best
