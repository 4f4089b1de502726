"""What the optimiser must see of a pool: lossless cuts first, then a cap of POOL_CAP items.

Affordability, the cost of taking an item (coordination plus the value of its price) and dominance within an overlap group remove items
that cannot be in some optimal set; only what is left above POOL_CAP is cut by the cap
(best by value and by value per Rupiah), so a pool of at most POOL_CAP is solved exactly.
"""

from __future__ import annotations

import numpy as np

from bot.advisor.engine.values import MAX_PER_GROUP, OVERLAP
from bot.domain import Strategy

POOL_CAP = 80  # items per strategy the DP sees at most (only lossless pruning below it)
FIRST_CAP = 3 * POOL_CAP  # bounds the dominance matrix
RANK_DEPTH = FIRST_CAP // 2  # how deep any cap reads a ranking


def sorted_union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """np.union1d's result; union1d imports numpy.ma (1 MB of memory) on its first call."""
    both = np.sort(np.concatenate((a, b)))
    if len(both) < 2:
        return both
    return both[np.concatenate(([True], both[1:] != both[:-1]))]


def _cap(idx: np.ndarray, value: np.ndarray, price: np.ndarray, k: int) -> np.ndarray:
    """Keep at most k of idx: the k/2 best by value and the k/2 best by value per Rupiah.

    Each ranking is read only k/2 deep, so whoever keeps the RANK_DEPTH best of both
    rankings (the shortlist) keeps everything this cap can take. Ties (capped
    conversions make many) go to the cheaper, then the more valuable account: the same
    choice whatever order the accounts came in.
    """
    if len(idx) <= k:
        return idx
    if k <= 0:
        return idx[:0]
    v, p = value[idx], price[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(p > 0, v / np.maximum(p, 1), np.inf)
    half = max(k // 2, 1)
    by_value = idx[np.lexsort((p, -v))][:half]
    by_ratio = idx[np.lexsort((p, -v, -ratio))][:half]
    return sorted_union(by_value, by_ratio)


def _cap_mix(
    idx: np.ndarray,
    value: np.ndarray,
    price: np.ndarray,
    macro: np.ndarray,
    item_cost: np.ndarray,
    k: int,
) -> np.ndarray:
    """Cap for MIX: the k places are shared so both sides stay represented.

    Items that do not beat their cost of taking only matter as the one account that
    gives a side its presence, so per side they come last, cheapest first.
    """
    if len(idx) <= k:
        return idx
    sides = [idx[~macro[idx]], idx[macro[idx]]]
    quota_micro = min(len(sides[0]), max(k // 2, k - len(sides[1])))
    quotas = [quota_micro, min(len(sides[1]), k - quota_micro)]
    kept = []
    for side, quota in zip(sides, quotas, strict=True):
        useful = value[side] - item_cost[side] > 0
        good, weak = side[useful], side[~useful]
        take_good = _cap(good, value, price, quota - (1 if len(weak) else 0))
        # a capped side keeps one filler; an uncapped one fills its quota with them
        rest = 1 if len(take_good) < len(good) else quota - len(take_good)
        kept.extend([take_good, weak[np.argsort(price[weak], kind="stable")][:rest]])
    return np.concatenate(kept)


def _positive_positions(value: np.ndarray, item_cost: np.ndarray) -> np.ndarray:
    """How many group positions j (0..MAX_PER_GROUP-1) give value * OVERLAP**j > item_cost."""
    decay = OVERLAP ** np.arange(MAX_PER_GROUP)
    return np.count_nonzero(value[:, None] * decay[None, :] > item_cost[:, None], axis=1)


def _undominated(
    idx: np.ndarray,
    value: np.ndarray,
    price: np.ndarray,
    group: np.ndarray,
    side: np.ndarray,
    item_cost: np.ndarray,
) -> np.ndarray:
    """Drop items beaten on price and value by enough others of their group and side.

    Some optimal set holds, per group, only picks at positions with a positive gain plus
    at most one "filler" per side (the side's only account, MIX only): dropping a tail
    pick with a non-positive gain never lowers the score. So an item x sits in it at a
    position < d_x (its positive positions), or as a filler; then fewer than
    need_x = max(1, d_x) of its dominators (same group and side, price <= and value >=)
    are in the set, one is outside, and swapping x for it costs no more and scores no
    less (a cheaper item never costs more to take). Hence x with need_x dominators can go. Dominators are counted in a strict order
    (price, then value, then index) so identical items cannot eliminate each other.
    """
    n = len(idx)
    if n <= 1:
        return idx
    v, p, g = value[idx], price[idx], group[idx]
    need = np.maximum(_positive_positions(v, item_cost[idx]), 1)
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


def prune(
    value: np.ndarray,
    price: np.ndarray,
    macro: np.ndarray,
    group: np.ndarray,
    budget: int,
    item_cost: np.ndarray,
    strategy: Strategy,
) -> np.ndarray:
    """Sorted indices (into the arrays) of the items that can matter for this strategy.

    Lossless steps first: unaffordable items go; for MICRO/MACRO so do items whose value
    does not beat their cost of taking (`item_cost`: coordination plus the price's value) (they can only lower the score; for MIX one of
    them may be a side's only account, so they stay); then dominated items (see
    `_undominated`; its matrix is bounded by a first cap at FIRST_CAP). Only then, if
    more than POOL_CAP remain, the cap (best by value and by value per Rupiah). So a pool
    of at most POOL_CAP items is solved exactly.
    """
    idx = np.flatnonzero(price <= budget)
    mix = strategy is Strategy.MIX
    if not mix:
        idx = idx[value[idx] - item_cost[idx] > 0]

    def cap(ix: np.ndarray, k: int) -> np.ndarray:
        if mix:
            return _cap_mix(ix, value, price, macro, item_cost, k)
        return _cap(ix, value, price, k)

    idx = cap(idx, FIRST_CAP)
    idx = _undominated(idx, value, price, group, macro, item_cost)
    return np.sort(cap(idx, POOL_CAP))
