"""Which accounts of a niche can ever enter a shortlist, whatever the budget.

`shortlist` ranks, per side and place, by value and by value per Rupiah among what the
budget affords, by value per Rupiah at any price, and by price. An account that at least
`k` others beat on value while costing no more (a "dominator" is strictly more valuable
and no dearer) is below k others in every one of those rankings, for every budget: the
dominators are affordable whenever it is, and rank above it by value, by value per Rupiah
and by price. So the accounts with fewer than k dominators (the k-skyband) hold every
shortlist of every budget, and a search needs only them. Location fit scales a whole
match code by one factor, which keeps each code's order, so the band is taken per
(match code, side). On real stores the band is a few thousand accounts per niche and grows
with the logarithm of the store, not with it.
"""

from __future__ import annotations

import numpy as np


def skyband_mask(
    prices: np.ndarray, values: np.ndarray, k: int, *, block: int | None = None
) -> np.ndarray:
    """True for the rows with fewer than k dominators (and possibly a few more).

    Rows are taken cheapest first in blocks; a row is dropped when k rows of earlier
    blocks (so no dearer) are strictly more valuable. Rows are never dropped on the
    strength of their own block, which keeps the test a cheap superset.
    """
    n = len(prices)
    if n <= k:
        return np.ones(n, dtype=bool)
    order = np.lexsort((-values, prices))
    keep = np.empty(n, dtype=bool)
    keep[order] = _mask_in_order(values[order], k, block or k)
    return keep


def _mask_in_order(ordered: np.ndarray, k: int, block: int) -> np.ndarray:
    """`skyband_mask` of values already ordered by price (ascending; within a price, any
    order is sound, most valuable first prunes most)."""
    n = len(ordered)
    keep = np.ones(n, dtype=bool)
    if n <= k:
        return keep
    best = np.empty(0, dtype=np.float64)  # the k largest values seen so far
    for start in range(0, n, block):
        chunk = ordered[start : start + block]
        if len(best) >= k:
            keep[start : start + block] = chunk >= best[0]
        merged = np.concatenate((best, chunk))
        if len(merged) > k:
            merged = np.partition(merged, len(merged) - k)[len(merged) - k :]
        best = np.sort(merged)
    return keep


def grouped_skyband(
    prices: np.ndarray,
    values: np.ndarray,
    groups: np.ndarray,
    k: int,
    *,
    order: np.ndarray | None = None,
) -> np.ndarray:
    """The skyband taken separately inside each group (rows with equal `groups` codes,
    small non-negative integers). `order`, when known (a search pack stores it), lists
    the rows by price ascending and value descending: each group's rows then come in
    order without sorting, which is most of the work on a big niche."""
    keep = np.zeros(len(prices), dtype=bool)
    if not len(groups):
        return keep
    # bincount, not np.unique: np.unique imports numpy.ma (1 MB of memory)
    codes = np.flatnonzero(np.bincount(groups))
    if order is None:
        for code in codes:
            rows = np.flatnonzero(groups == code)
            keep[rows] = skyband_mask(prices[rows], values[rows], k)
        return keep
    grouped = groups[order]
    for code in codes:
        rows = order[grouped == code]
        keep[rows] = _mask_in_order(values[rows], k, k)
    return keep
