"""The recommendation engine: the best portfolio per strategy under the budget, and a choice.

Plain Python + numpy, no Telegram, no database, no user-facing text: the result is a
structured `Recommendation` that the texts render (and the database stores via to_dict).

Model (PRODUCT.md, "The recommendation"):
- value of a pick = goal metric (reach / engagements / conversions) x niche fit x location
  fit x audience-quality factor;
- audiences of one place overlap, so inside an overlap group (candidate city, else province)
  the k-th best pick only adds OVERLAP**k of its value, and a group holds at most
  MAX_PER_GROUP picks;
- every account costs coordination effort: a constant per brief subtracted per pick
  (COORDINATION_SHARE of the best single value the budget can buy in the pools);
- the portfolio's price never exceeds the budget.
The optimiser is an exact 0/1 knapsack DP over a discretised budget (see `build_portfolio`).
Location levels (city, then province, then national) are chosen per strategy by how many
candidates of its tiers the budget can buy there (see `recommend`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import attrgetter
from typing import Literal

import numpy as np

from bot.advisor.estimates import (
    DEFAULT_QUALITY,
    ER_BANDS,
    ER_OVER_1M,
    LOW_QUALITY,
    PURCHASE_RATE,
    REACH_SHARE_POINTS,
    Estimate,
    ObservedRates,
    estimate,
    quality_of,
)
from bot.domain import Brief, Candidate, Goal, Location, Platform, Strategy, Tier, tier_of

OVERLAP = 0.8  # each further account in the same overlap group adds OVERLAP**k of its value
MAX_PER_GROUP = 5  # never more than this many accounts from one overlap group
COORDINATION_SHARE = 0.04  # per-account cost: share of the best affordable pool value
MIN_POOL = 3  # a location level is used when it has this many affordable candidates

NICHE_FIT_PRIMARY = 1.0
NICHE_FIT_SECONDARY = 0.85
LOCATION_FIT: dict[str, float] = {"city": 1.0, "province": 0.85, "national": 0.6}
QUALITY_FLOOR = 0.2

MAX_UNITS = 1500  # budget cells of the DP; exact when gcd(prices) gives no more than this
POOL_CAP = 80  # items per strategy the DP sees at most (only lossless pruning below it)
MAX_OTHERS = 50

LocationMatch = Literal["city", "province", "national"]
LEVELS: tuple[LocationMatch, ...] = ("city", "province", "national")

MICRO_TIERS = frozenset({Tier.NANO, Tier.MICRO})
MACRO_TIERS = frozenset({Tier.MACRO, Tier.MEGA})
STRATEGY_TIERS: dict[Strategy, frozenset[Tier]] = {
    Strategy.MICRO: MICRO_TIERS,
    Strategy.MACRO: MACRO_TIERS,
    Strategy.MIX: MICRO_TIERS | MACRO_TIERS,
}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Pick:
    """One candidate as the engine sees it for a brief: estimate, fit and value."""

    candidate: Candidate
    tier: Tier
    estimate: Estimate
    location_match: LocationMatch
    primary_niche: bool
    value: float
    low_quality: bool

    def to_dict(self) -> dict:
        return {
            "candidate": self.candidate.to_dict(),
            "tier": self.tier.value,
            "estimate": self.estimate.to_dict(),
            "location_match": self.location_match,
            "primary_niche": self.primary_niche,
            "value": self.value,
            "low_quality": self.low_quality,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Pick:
        return cls(
            candidate=Candidate.from_dict(data["candidate"]),
            tier=Tier(data["tier"]),
            estimate=Estimate.from_dict(data["estimate"]),
            location_match=data["location_match"],
            primary_niche=bool(data["primary_niche"]),
            value=float(data["value"]),
            low_quality=bool(data["low_quality"]),
        )


@dataclass(frozen=True)
class Totals:
    """What a portfolio costs and is expected to bring (reach de-duplicated by overlap)."""

    cost: int
    reach: float
    engagements: float
    conversions: float
    accounts: int
    cost_per_1000_reach: float | None
    cost_per_engagement: float | None
    cost_per_conversion: float | None
    estimated: bool
    score: float
    score_per_rupiah: float | None

    def to_dict(self) -> dict:
        return {
            "cost": self.cost,
            "reach": self.reach,
            "engagements": self.engagements,
            "conversions": self.conversions,
            "accounts": self.accounts,
            "cost_per_1000_reach": self.cost_per_1000_reach,
            "cost_per_engagement": self.cost_per_engagement,
            "cost_per_conversion": self.cost_per_conversion,
            "estimated": self.estimated,
            "score": self.score,
            "score_per_rupiah": self.score_per_rupiah,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Totals:
        return cls(
            cost=int(data["cost"]),
            reach=float(data["reach"]),
            engagements=float(data["engagements"]),
            conversions=float(data["conversions"]),
            accounts=int(data["accounts"]),
            cost_per_1000_reach=_opt_float(data["cost_per_1000_reach"]),
            cost_per_engagement=_opt_float(data["cost_per_engagement"]),
            cost_per_conversion=_opt_float(data["cost_per_conversion"]),
            estimated=bool(data["estimated"]),
            score=float(data["score"]),
            score_per_rupiah=_opt_float(data["score_per_rupiah"]),
        )


EMPTY_TOTALS = Totals(0, 0.0, 0.0, 0.0, 0, None, None, None, False, 0.0, None)


@dataclass(frozen=True)
class Portfolio:
    """The best set of accounts for one strategy, and where they were looked for."""

    strategy: Strategy
    picks: tuple[Pick, ...]  # by value, best first
    totals: Totals
    level: LocationMatch  # the location level the strategy's pool was drawn from
    pool_size: int  # fitting candidates of the strategy's tiers at that level
    cheapest_price: int | None  # cheapest in the pool (MIX: cheapest micro + cheapest macro)

    @property
    def feasible(self) -> bool:
        return bool(self.picks)

    def to_dict(self) -> dict:
        return {
            "strategy": self.strategy.value,
            "picks": [p.to_dict() for p in self.picks],
            "totals": self.totals.to_dict(),
            "level": self.level,
            "pool_size": self.pool_size,
            "cheapest_price": self.cheapest_price,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Portfolio:
        return cls(
            strategy=Strategy(data["strategy"]),
            picks=tuple(Pick.from_dict(p) for p in data["picks"]),
            totals=Totals.from_dict(data["totals"]),
            level=data["level"],
            pool_size=int(data["pool_size"]),
            cheapest_price=_opt_int(data["cheapest_price"]),
        )


@dataclass(frozen=True)
class Recommendation:
    """The engine's answer for one brief: every strategy's portfolio and the one chosen."""

    brief: Brief
    chosen: Strategy | None
    portfolios: dict[Strategy, Portfolio]
    others: tuple[Pick, ...]  # further affordable fitting candidates, best value per Rupiah
    cheapest_price: int | None  # cheapest fitting candidate, any tier, any level
    cheapest_macro_price: int | None  # cheapest fitting macro/mega candidate, any level

    def portfolio(self) -> Portfolio | None:
        """The chosen portfolio, or None when nothing fits the budget."""
        return None if self.chosen is None else self.portfolios[self.chosen]

    def to_dict(self) -> dict:
        return {
            "brief": self.brief.to_dict(),
            "chosen": None if self.chosen is None else self.chosen.value,
            "portfolios": {s.value: p.to_dict() for s, p in self.portfolios.items()},
            "others": [p.to_dict() for p in self.others],
            "cheapest_price": self.cheapest_price,
            "cheapest_macro_price": self.cheapest_macro_price,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Recommendation:
        return cls(
            brief=Brief.from_dict(data["brief"]),
            chosen=None if data["chosen"] is None else Strategy(data["chosen"]),
            portfolios={Strategy(k): Portfolio.from_dict(v) for k, v in data["portfolios"].items()},
            others=tuple(Pick.from_dict(p) for p in data["others"]),
            cheapest_price=_opt_int(data["cheapest_price"]),
            cheapest_macro_price=_opt_int(data["cheapest_macro_price"]),
        )


def _opt_float(x: float | None) -> float | None:
    return None if x is None else float(x)


def _opt_int(x: int | None) -> int | None:
    return None if x is None else int(x)


# --------------------------------------------------------------------------- one pick


def group_of(c: Candidate) -> str:
    """Overlap group: audiences of one place (and the brief's one niche) overlap."""
    return (c.city or c.province or "").casefold()


@lru_cache(maxsize=256)
def _folded_places(loc: Location) -> tuple[frozenset[str], frozenset[str]]:
    """The brief's cities and provinces, case-folded (names are compared case-insensitively)."""
    return (
        frozenset(x.casefold() for x in loc.cities),
        frozenset(x.casefold() for x in loc.provinces),
    )


def _location_match(brief: Brief, c: Candidate) -> LocationMatch:
    loc = brief.location
    if loc.is_national:
        return "national"
    cities, provinces = _folded_places(loc)
    if c.city and c.city.casefold() in cities:
        return "city"
    if c.province and c.province.casefold() in provinces:
        return "province"
    return "national"


def _goal_metric(goal: Goal, est: Estimate) -> float:
    if goal is Goal.AWARENESS:
        return est.reach
    if goal is Goal.ENGAGEMENT:
        return est.engagements
    return est.conversions


def fit_value(goal: Goal, est: Estimate, c: Candidate, *, primary: bool) -> float:
    """What the goal needs from this account, weighted by niche fit and audience quality.

    Everything except location fit, which depends on where the brief targets; the store
    keeps this per niche and goal so candidate searches can rank in advance.
    """
    niche_fit = NICHE_FIT_PRIMARY if primary else NICHE_FIT_SECONDARY
    if goal is Goal.SALES:
        quality_factor = 1.0  # conversions already weigh audience quality
    else:
        quality_factor = min(max(quality_of(c) / 100, QUALITY_FLOOR), 1.0)
    return _goal_metric(goal, est) * niche_fit * quality_factor


def location_fit(brief: Brief, match: LocationMatch) -> float:
    return 1.0 if brief.location.is_national else LOCATION_FIT[match]


def pick_for(brief: Brief, c: Candidate, observed: ObservedRates | None = None) -> Pick:
    """Estimate and fit of one candidate for the brief (the unit the optimiser works on)."""
    est = estimate(c, observed)
    match = _location_match(brief, c)
    primary = bool(c.niches) and c.niches[0] == brief.niche
    value = fit_value(brief.goal, est, c, primary=primary) * location_fit(brief, match)
    return Pick(
        candidate=c,
        tier=c.tier,
        estimate=est,
        location_match=match,
        primary_niche=primary,
        value=float(value),
        low_quality=c.audience_quality is not None and c.audience_quality < LOW_QUALITY,
    )


# --------------------------------------------------------------------------- objective


def _grouped(picks: Sequence[Pick]) -> dict[str, list[Pick]]:
    groups: dict[str, list[Pick]] = {}
    for p in picks:
        groups.setdefault(group_of(p.candidate), []).append(p)
    return groups


def portfolio_score(picks: Sequence[Pick], coordination: float) -> float:
    """THE objective: overlap-discounted value minus coordination per account.

    Within a group values are taken best first, the k-th adding value * OVERLAP**k;
    a group holding more than MAX_PER_GROUP picks makes the set infeasible (-inf).
    """
    score = 0.0
    for members in _grouped(picks).values():
        if len(members) > MAX_PER_GROUP:
            return -math.inf
        values = sorted((p.value for p in members), reverse=True)
        score += sum(v * OVERLAP**k for k, v in enumerate(values))
    return score - coordination * len(picks)


def compute_totals(picks: Sequence[Pick], coordination: float) -> Totals:
    """Cost, de-duplicated reach, sums and ratios for a portfolio (zeros when empty)."""
    if not picks:
        return EMPTY_TOTALS
    cost = sum(p.candidate.price_idr for p in picks)
    reach = 0.0
    for members in _grouped(picks).values():
        reaches = sorted((p.estimate.reach for p in members), reverse=True)
        reach += sum(r * OVERLAP**k for k, r in enumerate(reaches))
    engagements = float(sum(p.estimate.engagements for p in picks))
    conversions = float(sum(p.estimate.conversions for p in picks))
    score = portfolio_score(picks, coordination)
    return Totals(
        cost=int(cost),
        reach=float(reach),
        engagements=engagements,
        conversions=conversions,
        accounts=len(picks),
        cost_per_1000_reach=cost / reach * 1000 if reach > 0 else None,
        cost_per_engagement=cost / engagements if engagements > 0 else None,
        cost_per_conversion=cost / conversions if conversions > 0 else None,
        estimated=any(p.estimate.estimated for p in picks),
        score=float(score),
        score_per_rupiah=score / cost if cost > 0 else None,
    )


# --------------------------------------------------------------------------- pruning


def _cap(idx: np.ndarray, value: np.ndarray, price: np.ndarray, k: int) -> np.ndarray:
    """Keep k of idx: alternately the next best by value and by value per Rupiah."""
    if len(idx) <= k:
        return idx
    if k <= 0:
        return idx[:0]
    v = value[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(price[idx] > 0, v / np.maximum(price[idx], 1), np.inf)
    by_value = idx[np.argsort(-v, kind="stable")]
    by_ratio = idx[np.argsort(-ratio, kind="stable")]
    merged = np.empty(2 * len(idx), dtype=idx.dtype)
    merged[0::2] = by_value
    merged[1::2] = by_ratio
    _, first = np.unique(merged, return_index=True)
    return merged[np.sort(first)][:k]


def _cap_mix(
    idx: np.ndarray,
    value: np.ndarray,
    price: np.ndarray,
    macro: np.ndarray,
    coordination: float,
    k: int,
) -> np.ndarray:
    """Cap for MIX: the k places are shared so both sides stay represented.

    Items that do not beat the coordination cost only matter as the one account that
    gives a side its presence, so per side they come last, cheapest first.
    """
    if len(idx) <= k:
        return idx
    sides = [idx[~macro[idx]], idx[macro[idx]]]
    quota_micro = min(len(sides[0]), max(k // 2, k - len(sides[1])))
    quotas = [quota_micro, min(len(sides[1]), k - quota_micro)]
    kept = []
    for side, quota in zip(sides, quotas, strict=True):
        useful = value[side] - coordination > 0
        good, weak = side[useful], side[~useful]
        take_good = _cap(good, value, price, quota - (1 if len(weak) else 0))
        rest = quota - len(take_good)
        kept.extend([take_good, weak[np.argsort(price[weak], kind="stable")][:rest]])
    return np.concatenate(kept)


def _positive_positions(value: np.ndarray, coordination: float) -> np.ndarray:
    """How many group positions j (0..MAX_PER_GROUP-1) give value * OVERLAP**j > coordination."""
    decay = OVERLAP ** np.arange(MAX_PER_GROUP)
    return np.count_nonzero(value[:, None] * decay[None, :] > coordination, axis=1)


def _undominated(
    idx: np.ndarray,
    value: np.ndarray,
    price: np.ndarray,
    group: np.ndarray,
    side: np.ndarray,
    coordination: float,
) -> np.ndarray:
    """Drop items beaten on price and value by enough others of their group and side.

    Some optimal set holds, per group, only picks at positions with a positive gain plus
    at most one "filler" per side (the side's only account, MIX only): dropping a tail
    pick with a non-positive gain never lowers the score. So an item x sits in it at a
    position < d_x (its positive positions), or as a filler; then fewer than
    need_x = max(1, d_x) of its dominators (same group and side, price <= and value >=)
    are in the set, one is outside, and swapping x for it costs no more and scores no
    less. Hence x with need_x dominators can go. Dominators are counted in a strict order
    (price, then value, then index) so identical items cannot eliminate each other.
    """
    n = len(idx)
    if n <= 1:
        return idx
    v, p, g = value[idx], price[idx], group[idx]
    need = np.maximum(_positive_positions(v, coordination), 1)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((idx, -v, p))] = np.arange(n)
    dominated_by = (
        (g[None, :] == g[:, None])
        & (rank[None, :] < rank[:, None])
        & (p[None, :] <= p[:, None])
        & (v[None, :] >= v[:, None])
    )
    s = side[idx]
    dominated_by &= s[None, :] == s[:, None]
    return idx[dominated_by.sum(axis=1) < need]


def _prune(
    value: np.ndarray,
    price: np.ndarray,
    macro: np.ndarray,
    group: np.ndarray,
    budget: int,
    coordination: float,
    strategy: Strategy,
) -> np.ndarray:
    """Sorted indices (into the arrays) of the items that can matter for this strategy.

    Lossless steps first: unaffordable items go; for MICRO/MACRO so do items whose value
    does not beat the coordination cost (they can only lower the score; for MIX one of
    them may be a side's only account, so they stay); then dominated items (see
    `_undominated`; its matrix is bounded by a first cap at 3 x POOL_CAP). Only then, if more than POOL_CAP remain, the cap (best by value and
    by value per Rupiah). So a pool of at most POOL_CAP items is solved exactly.
    """
    idx = np.flatnonzero(price <= budget)
    mix = strategy is Strategy.MIX
    if not mix:
        idx = idx[value[idx] - coordination > 0]

    def cap(ix: np.ndarray, k: int) -> np.ndarray:
        if mix:
            return _cap_mix(ix, value, price, macro, coordination, k)
        return _cap(ix, value, price, k)

    idx = cap(idx, 3 * POOL_CAP)  # bounds the dominance matrix
    idx = _undominated(idx, value, price, group, macro, coordination)
    return np.sort(cap(idx, POOL_CAP))


# --------------------------------------------------------------------------- optimiser


def _knapsack(
    values: Sequence[float],
    weights: Sequence[int],
    groups: Sequence[int],
    macro: Sequence[bool],
    cap: int,
    coordination: float,
    need_both: bool,
) -> list[int]:
    """Exact DP for the objective under sum(weights) <= cap; returns chosen item indices.

    Grid axes: j = picks already taken from the current group, then (MIX only) has-macro
    and has-micro bits, then the budget cell b ("at most b", vectorised with numpy).
    Groups are processed one at a time; inside a group items go best value first, so
    taking an item as the j-th adds exactly value * OVERLAP**j - coordination. After a
    group, j collapses by max. Per item a "take" bit array (and for MIX the side state it
    came from) and per group its final grid allow backtracking.
    """
    sides = 2 if need_both else 1
    width = cap + 1
    dp = np.full((sides, sides, width), -np.inf)
    dp[0, 0] = 0.0
    decay = OVERLAP ** np.arange(MAX_PER_GROUP)

    members_by_group: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        members_by_group.setdefault(g, []).append(i)

    Take = tuple[np.ndarray, np.ndarray | None] | None
    trail: list[tuple[list[int], list[Take], np.ndarray]] = []
    for members in members_by_group.values():
        members.sort(key=lambda i: -values[i])
        # Some optimal set takes, per group, only picks with a positive gain, plus (MIX)
        # at most one filler per side giving that side its only account: a tail pick with
        # a non-positive gain can be dropped without lowering the score (see _undominated).
        useful = int(np.count_nonzero(values[members[0]] * decay > coordination))
        depth = min(len(members), MAX_PER_GROUP, useful + 2 if need_both else max(useful, 1))
        grid = np.full((depth + 1, sides, sides, width), -np.inf)
        grid[0] = dp
        takes: list[Take] = []
        for i in members:
            w = weights[i]
            gains = values[i] * decay[:depth] - coordination
            positive = int(np.count_nonzero(gains > 0))
            d = depth if need_both else positive
            if w > cap or d == 0:
                takes.append(None)
                continue
            gains = gains[:d, None, None, None]
            if not need_both:
                src = grid[:d, :, :, : width - w] + gains
                tgt = grid[1 : d + 1, :, :, w:]
                take = src > tgt
                np.maximum(tgt, src, out=tgt)
                takes.append((take, None))
                continue
            if macro[i]:  # reaches has-macro = 1 from has-macro 0 or 1
                lacking = grid[:d, 0:1, :, : width - w]
                having = grid[:d, 1:2, :, : width - w]
                tgt = grid[1 : d + 1, 1:2, :, w:]
            else:
                lacking = grid[:d, :, 0:1, : width - w]
                having = grid[:d, :, 1:2, : width - w]
                tgt = grid[1 : d + 1, :, 1:2, w:]
            # from a state already having the item's side only positive gains can help
            if positive == d:
                from_having = having > lacking
                src = np.maximum(lacking, having)
                src += gains
            else:
                src = lacking + gains
                from_having = None
                if positive:
                    via_having = having[:positive] + gains[:positive]
                    from_having = via_having > src[:positive]
                    np.maximum(src[:positive], via_having, out=src[:positive])
            take = src > tgt
            np.maximum(tgt, src, out=tgt)
            takes.append((take, from_having))
        trail.append((members, takes, grid))
        dp = grid.max(axis=0)

    has_macro = has_micro = 1 if need_both else 0
    b = cap
    if not np.isfinite(dp[has_macro, has_micro, b]):
        return []
    chosen: list[int] = []
    for members, takes, grid in reversed(trail):
        j = int(np.argmax(grid[:, has_macro, has_micro, b]))  # first max: fewest picks
        for i, t in zip(reversed(members), reversed(takes), strict=True):
            if j == 0:
                break
            w = weights[i]
            if t is None or b < w or j > t[0].shape[0]:
                continue
            take, from_having = t
            if need_both:
                is_macro = bool(macro[i])
                if (has_macro if is_macro else has_micro) == 0:
                    continue  # this state lacks the item's side: it was not taken
                # the take arrays only hold the states having the item's side (size-1 axis)
                ma, mi = (0, has_micro) if is_macro else (has_macro, 0)
                if not take[j - 1, ma, mi, b - w]:
                    continue
                if (
                    from_having is None
                    or j > from_having.shape[0]
                    or not from_having[j - 1, ma, mi, b - w]
                ):
                    if is_macro:
                        has_macro = 0
                    else:
                        has_micro = 0
            elif not take[j - 1, 0, 0, b - w]:
                continue
            chosen.append(i)
            j -= 1
            b -= w
    return chosen


def _solve(
    value: np.ndarray,
    price: np.ndarray,
    group: np.ndarray,
    macro: np.ndarray,
    budget: int,
    coordination: float,
    need_both: bool,
) -> list[int]:
    """Discretise the budget and run the DP; the real total never exceeds the budget.

    Exact path: unit = gcd of the prices (every sum of prices is a multiple of it, so
    budget // unit cells lose nothing) when that gives at most MAX_UNITS cells. Otherwise
    unit ~ budget / MAX_UNITS: first the relaxation with prices rounded DOWN (if its answer
    fits the real budget it is the true optimum), else prices rounded UP (always fits).
    """
    prices = [int(p) for p in price.tolist()]
    values = [float(v) for v in value.tolist()]
    groups = group.tolist()
    sides = macro.tolist()
    g = reduce(math.gcd, prices, 0)

    def run(weights: list[int], cap: int) -> list[int]:
        # cells above the total weight of all items behave like that total: skip them
        cap = min(cap, sum(weights))
        return _knapsack(values, weights, groups, sides, cap, coordination, need_both)

    if sum(prices) <= budget:  # everything fits together: the budget cannot bind
        return run([0] * len(prices), 0)
    if budget // g <= MAX_UNITS:
        return run([p // g for p in prices], budget // g)
    unit = g * math.ceil(budget / g / MAX_UNITS)
    cap = budget // unit
    relaxed = run([p // unit for p in prices], cap)
    if sum(prices[i] for i in relaxed) <= budget:
        return relaxed
    return run([-(-p // unit) for p in prices], cap)


def _optimise(
    value: np.ndarray,
    price: np.ndarray,
    macro: np.ndarray,
    group: np.ndarray,
    budget: int,
    coordination: float,
    strategy: Strategy,
) -> np.ndarray:
    """Indices of the best set for the strategy (arrays already hold only its tiers)."""
    if budget <= 0 or len(value) == 0:
        return np.empty(0, dtype=np.int64)
    keep = _prune(value, price, macro, group, budget, coordination, strategy)
    need_both = strategy is Strategy.MIX
    if len(keep) == 0 or (need_both and not (macro[keep].any() and not macro[keep].all())):
        return np.empty(0, dtype=np.int64)
    chosen = _solve(
        value[keep], price[keep], group[keep], macro[keep], budget, coordination, need_both
    )
    return keep[np.array(chosen, dtype=np.int64)]


def build_portfolio(
    pool: Sequence[Pick], budget: int, strategy: Strategy, coordination: float
) -> tuple[Pick, ...]:
    """The optimiser: the set maximising `portfolio_score` with total price <= budget.

    Keeps only the strategy's tiers (MIX: all, with at least one of each side), prunes
    what cannot matter (see `_prune`), and solves the knapsack exactly (up to budget
    discretisation, see `_solve`). Returns picks by value, best first; () when infeasible.
    """
    tiers = STRATEGY_TIERS[strategy]
    items = [p for p in pool if p.tier in tiers and p.candidate.price_idr >= 0]
    group_ids: dict[str, int] = {}
    group = np.array(
        [group_ids.setdefault(group_of(p.candidate), len(group_ids)) for p in items],
        dtype=np.int64,
    )
    chosen = _optimise(
        np.array([p.value for p in items], dtype=float),
        np.array([p.candidate.price_idr for p in items], dtype=np.int64),
        np.array([p.tier in MACRO_TIERS for p in items], dtype=bool),
        group,
        budget,
        coordination,
        strategy,
    )
    return _ordered(items[i] for i in chosen.tolist())


def _ordered(picks: Iterable[Pick]) -> tuple[Pick, ...]:
    return tuple(sorted(picks, key=lambda p: (-p.value, p.candidate.id)))


# --------------------------------------------------------------------------- recommend

_TIER_ORDER = (Tier.NANO, Tier.MICRO, Tier.MACRO, Tier.MEGA)
_LOG_REACH_X = np.log10([f for f, _ in REACH_SHARE_POINTS])
_REACH_Y = np.array([s for _, s in REACH_SHARE_POINTS])
_ER_UPPERS = np.array([u for u, _ in ER_BANDS], dtype=float)
_ER_RATES = np.array([r for _, r in ER_BANDS] + [ER_OVER_1M])
_LOCATION_FIT_BY_LEVEL = np.array([LOCATION_FIT[x] for x in LEVELS])


class _Table:
    """Column arrays of the fitting candidates: 3,000 of them in about a millisecond.

    Values mirror `pick_for` (same formulas, vectorised; equal up to float rounding) and
    drive level counts, pruning, the DP and ranking; `Pick`s are built with `pick_for`
    only for what the result holds.
    """

    def __init__(
        self, brief: Brief, fit: list[Candidate], observed: Mapping[Tier, ObservedRates]
    ) -> None:
        national = brief.location.is_national
        cities, provinces = _folded_places(brief.location)
        niche = brief.niche
        followers = np.array([c.followers for c in fit], dtype=float)
        er = np.array([c.engagement_rate for c in fit], dtype=float)  # None -> nan
        views = np.array([c.avg_views for c in fit], dtype=float)
        quality = np.array([c.audience_quality for c in fit], dtype=float)
        self.price = np.array([c.price_idr for c in fit], dtype=np.int64)
        primary = np.array([c.niches[0] == niche for c in fit], dtype=bool)

        # level and overlap group depend only on (city, province): work per distinct pair
        places = list(map(_PLACE, fit))
        level_of: dict[tuple[str | None, str | None], int] = {}
        group_of_place: dict[tuple[str | None, str | None], int] = {}
        group_ids: dict[str, int] = {}
        for city, province in set(places):
            c_fold = city.casefold() if city else ""
            p_fold = province.casefold() if province else ""
            group_of_place[city, province] = group_ids.setdefault(c_fold or p_fold, len(group_ids))
            if national:
                level_of[city, province] = 2
            elif c_fold and c_fold in cities:
                level_of[city, province] = 0
            elif p_fold and p_fold in provinces:
                level_of[city, province] = 1
            else:
                level_of[city, province] = 2
        self.level = np.array(list(map(level_of.__getitem__, places)), dtype=np.int8)
        self.group = np.array(list(map(group_of_place.__getitem__, places)), dtype=np.int64)

        f = np.maximum(followers, 0.0)
        tier = _tier_codes(f, brief.platform)
        self.macro = tier >= 2

        share = np.interp(np.log10(np.maximum(f, 1.0)), _LOG_REACH_X, _REACH_Y)
        reach = np.where(np.isnan(views), f * share, views)

        obs_er = np.full(4, np.nan)
        obs_pr = np.full(4, PURCHASE_RATE)
        for code, t in enumerate(_TIER_ORDER):
            rates = observed.get(t)
            if rates is not None and rates.engagement_rate is not None:
                obs_er[code] = rates.engagement_rate
            if rates is not None and rates.purchase_rate is not None:
                obs_pr[code] = rates.purchase_rate
        bench_er = _ER_RATES[np.searchsorted(_ER_UPPERS, f, side="right")]
        fallback = np.where(np.isnan(obs_er[tier]), bench_er, obs_er[tier])
        engagements = f * np.where(np.isnan(er), fallback, er) / 100

        q = np.where(np.isnan(quality), float(DEFAULT_QUALITY), quality)
        if brief.goal is Goal.AWARENESS:
            metric = reach
        elif brief.goal is Goal.ENGAGEMENT:
            metric = engagements
        else:
            metric = engagements * obs_pr[tier] * q / 100
        niche_fit = np.where(primary, NICHE_FIT_PRIMARY, NICHE_FIT_SECONDARY)
        loc_fit = 1.0 if national else _LOCATION_FIT_BY_LEVEL[self.level]
        quality_factor = 1.0 if brief.goal is Goal.SALES else np.clip(q / 100, QUALITY_FLOOR, 1.0)
        self.value = metric * niche_fit * loc_fit * quality_factor


_PLACE = attrgetter("city", "province")


def _tier_codes(followers: np.ndarray, platform: Platform) -> np.ndarray:
    """Vectorised `tier_of` (0 nano, 1 micro, 2 macro, 3 mega); lines probed from domain."""
    macro_line = next(f for f in (100_000, 250_000) if tier_of(f, platform) is Tier.MACRO)
    lines = np.array([10_000, macro_line, 1_000_000], dtype=float)
    return np.searchsorted(lines, followers, side="right").astype(np.int8)


def _start_level(brief: Brief) -> int:
    loc = brief.location
    if loc.is_national:
        return 2
    if loc.kind == "city" or loc.cities:
        return 0
    return 1


def _level_for(table: _Table, side_mask: np.ndarray, start: int, budget: int) -> int:
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
    table = _Table(brief, fit, obs)
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
            _optimise(
                table.value[pool],
                table.price[pool],
                table.macro[pool],
                table.group[pool],
                budget,
                coordination,
                strategy,
            )
        ]
        picks = _ordered(pick_at(i) for i in chosen_idx.tolist())
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
