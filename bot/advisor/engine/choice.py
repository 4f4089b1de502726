"""The engine's entry point: one portfolio per strategy for a brief, and the one to choose.

Per strategy the location level is the narrowest (from the area's start, see `area`) where
the budget can buy MIN_POOL usable candidates of the strategy's tiers. Each strategy's
portfolio maximises value minus the cost of taking its accounts (see `taking_costs`);
the strategy whose portfolio gives the most of what the goal needs (Totals.value) is
chosen, unless another gives nearly as much for clearly less money (`verdict.choose`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import NamedTuple

import numpy as np

from bot.advisor.engine.area import CITY, WALK_IN_FIT, area_of
from bot.advisor.engine.estimates import ObservedRates
from bot.advisor.engine.formats import best_format
from bot.advisor.engine.knapsack import optimise, ordered
from bot.advisor.engine.results import LEVELS, LeftOut, Pick, Portfolio, Recommendation
from bot.advisor.engine.table import CandidateTable
from bot.advisor.engine.values import OVERLAP, compute_totals, pick_for
from bot.advisor.engine.verdict import choose, useful_budget
from bot.domain import Brief, BusinessKind, Candidate, Platform, Strategy, Tier

#: The owner's effort per account (briefing, agreeing, paying, checking the post), as the
#: Rupiah it is worth: every account costs its price plus this.
COORDINATION_EFFORT_IDR = 250_000
#: A Rupiah left unspent is worth this share of what a Rupiah typically buys in the pool.
RUPIAH_VALUE_SHARE = 0.25
CORE_FIT_SHARE = 0.5  # places fitting at least half as well as the best are "where they are"
TYPICAL_TOP = 20  # the typical rate is the median of this many best rates
BEST_NET_SHARE = 0.5  # the effort never exceeds this share of the best affordable net gain
FALLBACK_COORDINATION_SHARE = 0.04  # of the typical value, when no account has a price
MAX_ACCOUNTS = 20  # more than this is more coordination than a small business can do
MAX_RESOLVES = 4  # knapsack solves spent on keeping a portfolio within MAX_ACCOUNTS
MIN_POOL = 3  # a location level is used when it has this many affordable candidates
MAX_OTHERS = 50
MAX_LOW_QUALITY_LEFT_OUT = 5

_RATE_CARD = attrgetter("formats")

PoorResults = Mapping[tuple[Platform, str], float | None]
"""Accounts whose results were poor for this owner: (platform, handle) -> their ROAS."""


def _level_for(table: CandidateTable, side_mask: np.ndarray, start: int, budget: int) -> int:
    """Narrowest level from `start` with at least MIN_POOL affordable candidates."""
    affordable = side_mask & (table.price <= budget)
    for lvl in range(start, 2):
        if int(np.count_nonzero(affordable & (table.level <= lvl))) >= MIN_POOL:
            return lvl
    return 2


def _min_price(prices: np.ndarray) -> int | None:
    return int(prices.min()) if len(prices) else None


def taking_costs(
    table: CandidateTable, pool: np.ndarray, budget: int, local: np.ndarray | None = None
) -> tuple[float, float]:
    """(coordination per account, value of a Rupiah): what taking an account costs.

    The old rule tied coordination to the best affordable account's value, so one
    affordable mega account made every micro account look worthless. Here both rest on
    the pool's typical value per Rupiah: the median of the TYPICAL_TOP best rates among
    affordable accounts where the customers are (places whose location fit is at least
    CORE_FIT_SHARE of the best fit present: a walk-in's own city, a destination's origin
    cities). No single account moves it far, it depends only on the pool's best accounts
    (which the shortlist always keeps), and accounts far from the customers are judged
    against what a Rupiah buys near them, not against each other. `local` (a walk-in's
    own area) counts at any price: when the budget cannot buy anyone near the shop, an
    account far away is still judged against what a Rupiah buys near it.

    A Rupiah kept is worth RUPIAH_VALUE_SHARE of the typical rate, and every account
    costs COORDINATION_EFFORT_IDR of effort on top of its price. So an account is taken
    when it brings at least a quarter of what its price plus the effort typically buys:
    marginal accounts (small ones bringing little, accounts far from the customers) are
    trimmed, useful small ones are not. The effort is capped at BEST_NET_SHARE of the
    best affordable account's net gain, so the budget buys something whenever an
    affordable account is worth its price (a cap only lowers the bar, never vetoes).
    """
    priced = (table.price > 0) & (table.value > 0)
    affordable = pool & (table.price <= budget) & priced
    sample = affordable if local is None else affordable | (pool & priced & local)
    if not sample.any():
        values = table.value[pool & (table.price <= budget)]
        typical = _median(values) if len(values) else 0.0
        return FALLBACK_COORDINATION_SHARE * typical, 0.0
    fits = table.fit[sample]
    rates = table.value[sample] / table.price[sample]
    if local is not None and not (pool & priced & (table.fit >= WALK_IN_FIT["province"])).any():
        # nobody in the shop's city or province: judge every account by what it would
        # bring if it were near the customers, so accounts far away count for what they add
        rates = rates / np.maximum(fits, 1e-9)
        fits = np.ones_like(fits)
    where_customers_are = fits >= CORE_FIT_SHARE * fits.max()
    top = np.sort(rates[where_customers_are])[::-1][:TYPICAL_TOP]
    rupiah_value = RUPIAH_VALUE_SHARE * _median(top)
    nets = table.value[affordable] - rupiah_value * table.price[affordable]
    best_net = float(nets.max()) if len(nets) else 0.0
    effort = rupiah_value * COORDINATION_EFFORT_IDR
    return max(0.0, min(effort, BEST_NET_SHARE * best_net)), rupiah_value


def _median(values: np.ndarray) -> float:
    """np.median's value; np.median imports numpy.ma (1 MB of memory) on its first call."""
    ordered = np.sort(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return float((ordered[middle - 1] + ordered[middle]) / 2)


def _solve(
    table: CandidateTable,
    pool: np.ndarray,
    budget: int,
    coordination: float,
    rupiah_value: float,
    strategy: Strategy,
) -> np.ndarray:
    """The strategy's best set (indices into the table), with at most MAX_ACCOUNTS.

    Above the maximum, the per-account cost is raised (a Lagrange multiplier on the
    count) and the knapsack solved again: first to the net gain of the first account
    that would not fit, then by bisection between a cost giving too many accounts and
    one giving few enough (MAX_RESOLVES solves at most). Of the sets within the maximum,
    including the first one cut to its MAX_ACCOUNTS most useful accounts, the one scoring
    best on the true objective wins: bigger accounts take the freed budget.
    """

    def run(c: float) -> np.ndarray:
        return pool[
            optimise(
                table.value[pool],
                table.price[pool],
                table.macro[pool],
                table.group[pool],
                budget,
                c,
                strategy,
                rupiah_value,
            )
        ]

    chosen = run(coordination)
    if len(chosen) <= MAX_ACCOUNTS:
        return chosen
    fits = [_cut(table, chosen, rupiah_value, strategy is Strategy.MIX)]
    gains = np.sort(_net_gains(table, chosen, rupiah_value))[::-1]
    too_low, enough = coordination, max(coordination, float(gains[MAX_ACCOUNTS]))
    for _ in range(MAX_RESOLVES):
        trial = run(enough)
        if len(trial) <= MAX_ACCOUNTS:
            fits.append(trial)
            break
        too_low, enough = enough, 2 * enough - too_low + 1e-9 * abs(enough)
    else:
        return max(fits, key=lambda idx: _score(table, idx, coordination, rupiah_value))
    for _ in range(MAX_RESOLVES - 1):
        middle = (too_low + enough) / 2
        trial = run(middle)
        if len(trial) <= MAX_ACCOUNTS:
            fits.append(trial)
            enough = middle
        else:
            too_low = middle
    return max(fits, key=lambda idx: _score(table, idx, coordination, rupiah_value))


def _score(
    table: CandidateTable, idx: np.ndarray, coordination: float, rupiah_value: float
) -> float:
    """The objective of a set: what its accounts add, less what taking them costs."""
    if len(idx) == 0:
        return 0.0
    return float(_net_gains(table, idx, rupiah_value).sum()) - coordination * len(idx)


def _net_gains(table: CandidateTable, idx: np.ndarray, rupiah_value: float) -> np.ndarray:
    """What each chosen account adds: its overlap-discounted value minus its price's value."""
    order = np.lexsort((-table.value[idx], table.group[idx]))
    idx_sorted = idx[order]
    groups = table.group[idx_sorted]
    position = np.zeros(len(idx_sorted), dtype=np.int64)
    for k in range(1, len(idx_sorted)):
        position[k] = position[k - 1] + 1 if groups[k] == groups[k - 1] else 0
    gains = np.empty(len(idx), dtype=float)
    gains[order] = (
        table.value[idx_sorted] * OVERLAP**position - rupiah_value * table.price[idx_sorted]
    )
    return gains


def _cut(table: CandidateTable, idx: np.ndarray, rupiah_value: float, mix: bool) -> np.ndarray:
    """The MAX_ACCOUNTS accounts adding the most (for MIX keeping one of each side)."""
    ranked = idx[np.argsort(-_net_gains(table, idx, rupiah_value), kind="stable")]
    kept = ranked[:MAX_ACCOUNTS]
    if mix:
        for side in (True, False):
            if not (table.macro[kept] == side).any():
                kept = np.append(kept[:-1], ranked[table.macro[ranked] == side][0])
    return kept


def recommend(
    brief: Brief,
    candidates: Sequence[Candidate],
    *,
    observed: Mapping[Tier, ObservedRates] | None = None,
    poor: PoorResults | None = None,
    local: tuple[int, int] | None = None,
) -> Recommendation:
    """Best portfolio per strategy for the brief, and the strategy to choose.

    Fitting = the brief's platform and niche (filtered here too, defensively). Accounts
    with a low audience quality or poor results for this owner (`poor`) never enter a
    portfolio (they are listed in `left_out`). Per strategy the location level is the
    narrowest from the area's start holding MIN_POOL usable candidates of the strategy's
    tiers that the budget can buy; its pool is everything at that level or narrower. MIX
    draws from the MICRO and MACRO pools. `observed` (per tier) carries the owner's own
    rates; they replace the benchmarks where a candidate lacks its own figures. `local`
    (fitting accounts in the target city: all, affordable) comes from the whole store
    when the caller only passes a shortlist. An account with a rate card enters in the
    one format `formats.best_format` prefers, judged against what a Rupiah buys in the
    pool at the main formats' prices; the pools and costs are then drawn again.
    """
    obs: Mapping[Tier, ObservedRates] = observed or {}
    poor = poor or {}
    budget = int(brief.budget)
    platform, niche = brief.platform, brief.niche
    fit = [
        c for c in candidates if c.platform == platform and niche in c.niches and c.price_idr >= 0
    ]
    # candidates come as the store holds them: a content format only from a rate card below
    s = _setup(brief, fit, obs, poor, formats=False)
    if any(map(_RATE_CARD, fit)):
        # rate cards: each such account enters in the format the objective prefers, priced
        # against what a Rupiah buys in this pool; then the pools are drawn again
        def value_of(c: Candidate) -> float:
            return pick_for(brief, c, obs.get(c.tier)).value

        fit = [best_format(c, budget, s.rupiah_value, value_of) for c in fit]
        s = _setup(brief, fit, obs, poor, formats=True)
    table, is_poor, usable = s.table, s.is_poor, s.usable
    (lvl_micro, lvl_macro), (micro_pool, macro_pool) = s.levels, s.pools
    pools = micro_pool | macro_pool
    coordination, rupiah_value = s.coordination, s.rupiah_value
    cache: dict[int, Pick] = {}

    def pick_at(i: int) -> Pick:
        p = cache.get(i)
        if p is None:
            c = fit[i]
            p = cache[i] = pick_for(brief, c, obs.get(c.tier))
        return p

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
        chosen_idx = _solve(table, pool, budget, coordination, rupiah_value, strategy)
        if strategy is Strategy.MIX and _score(table, chosen_idx, coordination, rupiah_value) <= 0:
            # only fillers giving each side its account, none worth its price: no portfolio
            chosen_idx = chosen_idx[:0]
        picks = ordered(pick_at(i) for i in chosen_idx.tolist())
        portfolios[strategy] = Portfolio(
            strategy=strategy,
            picks=picks,
            totals=compute_totals(picks, coordination, rupiah_value),
            level=LEVELS[lvl],
            pool_size=len(pool),
            cheapest_price=cheapest,
        )

    chosen, best, reason = choose(portfolios)
    worth = table.value - (coordination + rupiah_value * table.price) > 0

    widest = table.level <= max(lvl_micro, lvl_macro)
    affordable = table.price <= budget
    in_portfolio = {id(p) for p in portfolios[chosen].picks} if chosen else set()
    mask = widest & affordable & ~is_poor
    mask[[i for i, p in cache.items() if id(p) in in_portfolio]] = False
    rest = np.flatnonzero(mask)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(table.price[rest] > 0, table.value[rest] / table.price[rest], np.inf)
    rest = rest[np.argsort(-ratio, kind="stable")[:MAX_OTHERS]]
    others = sorted((pick_at(i) for i in rest.tolist()), key=_value_per_rupiah, reverse=True)

    left_out = [
        LeftOut(fit[i], "poor_results", poor.get((fit[i].platform, fit[i].handle)))
        for i in np.flatnonzero(is_poor & widest & affordable).tolist()
    ]
    weak = np.flatnonzero(table.low_quality & ~is_poor & widest & affordable & worth)
    weak = weak[np.argsort(-table.value[weak], kind="stable")[:MAX_LOW_QUALITY_LEFT_OUT]]
    left_out += [LeftOut(fit[i], "low_quality") for i in weak.tolist()]

    if local is None and brief.location.cities and not brief.location.is_national:
        in_city = (table.code & CITY) > 0
        local = (int(np.count_nonzero(in_city)), int(np.count_nonzero(in_city & affordable)))
    if not brief.location.cities or brief.location.is_national:
        local = None

    return Recommendation(
        brief=brief,
        chosen=chosen,
        portfolios=portfolios,
        others=tuple(others),
        cheapest_price=_cheapest(table, usable, worth & pools),
        cheapest_macro_price=_cheapest(table, usable & table.macro, worth & pools & table.macro),
        best_strategy=best,
        choice_reason=reason,
        useful_budget=useful_budget(portfolios, best, budget),
        local_fitting=None if local is None else local[0],
        local_affordable=None if local is None else local[1],
        left_out=tuple(left_out),
    )


class _Setup(NamedTuple):
    """The fitting accounts as columns, who may enter, each side's level and pool, the costs."""

    table: CandidateTable
    is_poor: np.ndarray
    usable: np.ndarray
    levels: tuple[int, int]  # micro, macro
    pools: tuple[np.ndarray, np.ndarray]  # micro, macro
    coordination: float
    rupiah_value: float


def _setup(
    brief: Brief,
    fit: list[Candidate],
    obs: Mapping[Tier, ObservedRates],
    poor: PoorResults,
    *,
    formats: bool,
) -> _Setup:
    budget = int(brief.budget)
    table = CandidateTable(brief, fit, obs, formats=formats)
    is_poor = np.array([(c.platform, c.handle) in poor for c in fit], dtype=bool)
    usable = ~table.low_quality & ~is_poor
    start = area_of(brief.location, brief.business).start
    lvl_micro = _level_for(table, usable & ~table.macro, start, budget)
    lvl_macro = _level_for(table, usable & table.macro, start, budget)
    micro_pool = usable & ~table.macro & (table.level <= lvl_micro)
    macro_pool = usable & table.macro & (table.level <= lvl_macro)
    walk_in = brief.business is BusinessKind.WALK_IN and not brief.location.is_national
    near_shop = ~table.outside if walk_in else None
    coordination, rupiah_value = taking_costs(table, micro_pool | macro_pool, budget, near_shop)
    return _Setup(
        table,
        is_poor,
        usable,
        (lvl_micro, lvl_macro),
        (micro_pool, macro_pool),
        coordination,
        rupiah_value,
    )


def _cheapest(table: CandidateTable, usable: np.ndarray, worth: np.ndarray) -> int | None:
    """The cheapest account worth its price (else the cheapest usable one at all).

    "Nothing fits the budget" names this price: an account the engine would take.
    """
    cheapest = _min_price(table.price[worth])
    return _min_price(table.price[usable]) if cheapest is None else cheapest


def _value_per_rupiah(p: Pick) -> float:
    price = p.candidate.price_idr
    return p.value / price if price > 0 else math.inf
