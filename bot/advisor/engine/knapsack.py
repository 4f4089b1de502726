"""The optimiser: an exact 0/1 knapsack for the portfolio objective under the budget.

The DP runs over a discretised budget (see `_solve`: exact when the prices' gcd allows,
else a relaxation checked against the real budget) with the overlap groups and, for MIX,
the need for at least one micro and one macro account built into its state.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import NamedTuple, TypeAlias

import numpy as np

from bot.advisor.engine.pruning import prune
from bot.advisor.engine.results import Pick
from bot.advisor.engine.values import MAX_PER_GROUP, OVERLAP, group_of
from bot.domain import Strategy, Tier

MAX_UNITS = 1500  # budget cells of the DP; exact when gcd(prices) gives no more than this

MICRO_TIERS = frozenset({Tier.NANO, Tier.MICRO})
MACRO_TIERS = frozenset({Tier.MACRO, Tier.MEGA})
STRATEGY_TIERS: dict[Strategy, frozenset[Tier]] = {
    Strategy.MICRO: MICRO_TIERS,
    Strategy.MACRO: MACRO_TIERS,
    Strategy.MIX: MICRO_TIERS | MACRO_TIERS,
}


Take: TypeAlias = tuple[np.ndarray, np.ndarray | None] | None
"""Per item: the cells its take improved and, for MIX, which of those came from a state
already having the item's side; None when the item could not be taken at all."""


class _Layer(NamedTuple):
    """One group's items (best first), their takes and its final grid, kept for backtracking."""

    members: list[int]
    takes: list[Take]
    grid: np.ndarray


@dataclass
class _Cursor:
    """Where backtracking stands: the side bits still to be explained and the budget cell."""

    has_macro: int
    has_micro: int
    b: int


def _knapsack(
    values: Sequence[float],
    weights: Sequence[int],
    groups: Sequence[int],
    macro: Sequence[bool],
    cap: int,
    item_cost: Sequence[float],
    need_both: bool,
) -> list[int]:
    """Exact DP for the objective under sum(weights) <= cap; returns chosen item indices.

    Grid axes: j = picks already taken from the current group, then (MIX only) has-macro
    and has-micro bits, then the budget cell b ("at most b", vectorised with numpy).
    Groups are processed one at a time; inside a group items go best value first, so
    taking an item as the j-th adds exactly value * OVERLAP**j - item_cost. After a
    group, j collapses by max. Per item a "take" bit array (and for MIX the side state it
    came from) and per group its final grid allow backtracking.
    """
    sides = 2 if need_both else 1
    dp = np.full((sides, sides, cap + 1), -np.inf)
    dp[0, 0] = 0.0
    decay = OVERLAP ** np.arange(MAX_PER_GROUP)
    trail: list[_Layer] = []
    for members in _groups_best_first(values, groups):
        cheapest = min(item_cost[i] for i in members)
        depth = _group_depth(values[members[0]], len(members), decay, cheapest, need_both)
        grid = np.full((depth + 1, *dp.shape), -np.inf)
        grid[0] = dp
        decayed = decay[:depth]
        takes = [
            _add_item(grid, values[i] * decayed - item_cost[i], weights[i], macro[i], need_both)
            for i in members
        ]
        trail.append(_Layer(members, takes, grid))
        dp = grid.max(axis=0)
    full = sides - 1  # MIX ends having both sides
    if not np.isfinite(dp[full, full, cap]):
        return []
    cursor = _Cursor(has_macro=full, has_micro=full, b=cap)
    chosen: list[int] = []
    for layer in reversed(trail):
        chosen += _backtrack_group(layer, weights, macro, need_both, cursor)
    return chosen


def _groups_best_first(values: Sequence[float], groups: Sequence[int]) -> list[list[int]]:
    """Item indices per group, groups in order of first appearance, best value first."""
    members_by_group: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        members_by_group.setdefault(g, []).append(i)
    for members in members_by_group.values():
        members.sort(key=lambda i: -values[i])
    return list(members_by_group.values())


def _group_depth(
    best: float, size: int, decay: np.ndarray, cheapest: float, need_both: bool
) -> int:
    """How many picks from one group the DP tracks, given its best value and lowest cost.

    Some optimal set takes, per group, only picks with a positive gain, plus (MIX) at most
    one filler per side giving that side its only account: a tail pick with a non-positive
    gain can be dropped without lowering the score (see pruning._undominated). No item's
    gain at position j exceeds best * OVERLAP**j - cheapest.
    """
    useful = int(np.count_nonzero(best * decay > cheapest))
    return min(size, MAX_PER_GROUP, useful + 2 if need_both else max(useful, 1))


def _add_item(grid: np.ndarray, gains: np.ndarray, w: int, is_macro: bool, need_both: bool) -> Take:
    """Relax `grid` in place with one item of weight w; gains[j] is its gain as pick j+1."""
    positive = int(np.count_nonzero(gains > 0))
    d = grid.shape[0] - 1 if need_both else positive
    if w > grid.shape[-1] - 1 or d == 0:  # heavier than the cap, or no gain worth a pick
        return None
    if not need_both:
        return _add_one_sided(grid, gains[:d, None, None, None], w)
    return _add_two_sided(grid, gains[:d, None, None, None], positive, w, is_macro)


def _add_one_sided(grid: np.ndarray, gains: np.ndarray, w: int) -> Take:
    """The plain update: pick j+1 of weight w from pick j at b - w."""
    d, width = gains.shape[0], grid.shape[-1]
    src = grid[:d, :, :, : width - w] + gains
    tgt = grid[1 : d + 1, :, :, w:]
    take = src > tgt
    np.maximum(tgt, src, out=tgt)
    return take, None


def _add_two_sided(
    grid: np.ndarray, gains: np.ndarray, positive: int, w: int, is_macro: bool
) -> Take:
    """The MIX update: the item reaches "has its side" from a state lacking or having it.

    From a state already having the item's side only positive gains can help.
    """
    d, width = gains.shape[0], grid.shape[-1]
    if is_macro:  # reaches has-macro = 1 from has-macro 0 or 1
        lacking = grid[:d, 0:1, :, : width - w]
        having = grid[:d, 1:2, :, : width - w]
        tgt = grid[1 : d + 1, 1:2, :, w:]
    else:
        lacking = grid[:d, :, 0:1, : width - w]
        having = grid[:d, :, 1:2, : width - w]
        tgt = grid[1 : d + 1, :, 1:2, w:]
    from_having: np.ndarray | None = None
    if positive == d:
        from_having = having > lacking
        src = np.maximum(lacking, having)
        src += gains
    else:
        src = lacking + gains
        if positive:
            via_having = having[:positive] + gains[:positive]
            from_having = via_having > src[:positive]
            np.maximum(src[:positive], via_having, out=src[:positive])
    take = src > tgt
    np.maximum(tgt, src, out=tgt)
    return take, from_having


def _backtrack_group(
    layer: _Layer,
    weights: Sequence[int],
    macro: Sequence[bool],
    need_both: bool,
    at: _Cursor,
) -> list[int]:
    """The items taken from one group, last first; moves `at` to the state before it."""
    j = int(np.argmax(layer.grid[:, at.has_macro, at.has_micro, at.b]))  # first max: fewest picks
    chosen: list[int] = []
    for i, take in zip(reversed(layer.members), reversed(layer.takes), strict=True):
        if j == 0:
            break
        w = weights[i]
        if take is None or at.b < w or j > take[0].shape[0]:
            continue
        if need_both:
            if not _took_two_sided(take, j, w, bool(macro[i]), at):
                continue
        elif not take[0][j - 1, 0, 0, at.b - w]:
            continue
        chosen.append(i)
        j -= 1
        at.b -= w
    return chosen


def _took_two_sided(
    take: tuple[np.ndarray, np.ndarray | None], j: int, w: int, is_macro: bool, at: _Cursor
) -> bool:
    """Whether a MIX item was taken as pick j at `at`; if it gave its side, clears that bit."""
    if not (at.has_macro if is_macro else at.has_micro):
        return False  # this state lacks the item's side: it was not taken
    # the take arrays only hold the states having the item's side (size-1 axis)
    cell = (j - 1, 0, at.has_micro, at.b - w) if is_macro else (j - 1, at.has_macro, 0, at.b - w)
    taken, from_having = take
    if not taken[cell]:
        return False
    if from_having is None or j > from_having.shape[0] or not from_having[cell]:
        if is_macro:
            at.has_macro = 0
        else:
            at.has_micro = 0
    return True


def _solve(
    value: np.ndarray,
    price: np.ndarray,
    group: np.ndarray,
    macro: np.ndarray,
    budget: int,
    item_cost: np.ndarray,
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
    costs = [float(c) for c in item_cost.tolist()]
    g = reduce(math.gcd, prices, 0)

    def run(weights: list[int], cap: int) -> list[int]:
        # cells above the total weight of all items behave like that total: skip them
        cap = min(cap, sum(weights))
        return _knapsack(values, weights, groups, sides, cap, costs, need_both)

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


def optimise(
    value: np.ndarray,
    price: np.ndarray,
    macro: np.ndarray,
    group: np.ndarray,
    budget: int,
    coordination: float,
    strategy: Strategy,
    rupiah_value: float = 0.0,
) -> np.ndarray:
    """Indices of the best set for the strategy (arrays already hold only its tiers).

    Taking an item costs `coordination + rupiah_value * price` in value units.
    """
    if budget <= 0 or len(value) == 0:
        return np.empty(0, dtype=np.int64)
    item_cost = coordination + rupiah_value * price.astype(float)
    keep = prune(value, price, macro, group, budget, item_cost, strategy)
    need_both = strategy is Strategy.MIX
    if len(keep) == 0 or (need_both and not (macro[keep].any() and not macro[keep].all())):
        return np.empty(0, dtype=np.int64)
    chosen = _solve(
        value[keep], price[keep], group[keep], macro[keep], budget, item_cost[keep], need_both
    )
    return keep[np.array(chosen, dtype=np.int64)]


def build_portfolio(
    pool: Sequence[Pick],
    budget: int,
    strategy: Strategy,
    coordination: float,
    rupiah_value: float = 0.0,
) -> tuple[Pick, ...]:
    """The optimiser: the set maximising `portfolio_score` with total price <= budget.

    Keeps only the strategy's tiers (MIX: all, with at least one of each side), prunes
    what cannot matter (see `pruning.prune`), and solves the knapsack exactly (up to budget
    discretisation, see `_solve`). Returns picks by value, best first; () when infeasible.
    """
    tiers = STRATEGY_TIERS[strategy]
    items = [p for p in pool if p.tier in tiers and p.candidate.price_idr >= 0]
    group_ids: dict[str, int] = {}
    group = np.array(
        [group_ids.setdefault(group_of(p.candidate), len(group_ids)) for p in items],
        dtype=np.int64,
    )
    chosen = optimise(
        np.array([p.value for p in items], dtype=float),
        np.array([p.candidate.price_idr for p in items], dtype=np.int64),
        np.array([p.tier in MACRO_TIERS for p in items], dtype=bool),
        group,
        budget,
        coordination,
        strategy,
        rupiah_value,
    )
    return ordered(items[i] for i in chosen.tolist())


def ordered(picks: Iterable[Pick]) -> tuple[Pick, ...]:
    return tuple(sorted(picks, key=lambda p: (-p.value, p.candidate.id)))
