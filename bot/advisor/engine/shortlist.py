"""Which of a niche's accounts the engine needs to see for one brief.

A big store holds thousands of accounts per niche and platform; the engine only ever uses the
best by value and by value per Rupiah at each location level, the cheapest (as MIX fillers
and for "too small a budget" messages) and enough local accounts to choose the level.
Ranking the compact search rows first and reading only those accounts in full keeps a
recommendation fast. tests/db/test_shortlist.py checks the result against the whole pool.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.advisor.engine.pruning import POOL_CAP
from bot.advisor.engine.values import LOCATION_FIT
from bot.domain import Brief

KEEP = POOL_CAP + 40  # per ranking, side and level: more than the engine's own cap
CHEAPEST = POOL_CAP // 2
CITY, PROVINCE, ELSEWHERE = 2, 1, 0  # how a search row matches the brief's place


def shortlist(
    ids: Sequence[int],
    macro: Sequence[bool],
    prices: Sequence[int],
    values: Sequence[float],
    matches: Sequence[int],
    brief: Brief,
    *,
    keep: int = KEEP,
) -> set[int]:
    """Ids of the accounts that can matter for this brief (all of them in a small pool).

    `matches` says per row CITY, PROVINCE or ELSEWHERE; `values` are before location fit.
    """
    if len(ids) <= 3 * keep:
        return set(ids)
    id_arr = np.asarray(ids)
    macro_arr = np.asarray(macro, dtype=bool)
    price = np.asarray(prices, dtype=np.float64)
    match = np.asarray(matches, dtype=np.int8)
    if brief.location.is_national:
        fit = np.ones(len(id_arr))
    else:
        fit = np.choose(
            match, [LOCATION_FIT["national"], LOCATION_FIT["province"], LOCATION_FIT["city"]]
        )
    value = np.asarray(values, dtype=np.float64) * fit
    rate = value / np.maximum(price, 1.0)
    affordable = price <= brief.budget
    levels = [np.ones(len(id_arr), dtype=bool)]
    if not brief.location.is_national:
        levels += [match >= PROVINCE, match == CITY]
    chosen: list[np.ndarray] = []
    for level in levels:
        for side in (macro_arr, ~macro_arr):
            members = np.flatnonzero(level & side)
            usable = members[affordable[members]]
            chosen += [
                _top(usable, value, keep),
                _top(usable, rate, keep),
                _top(members, -price, CHEAPEST),
            ]
    return set(id_arr[np.unique(np.concatenate(chosen))].tolist())


def _top(members: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    if len(members) <= k:
        return members
    part = np.argpartition(-score[members], k - 1)[:k]
    return members[part]
