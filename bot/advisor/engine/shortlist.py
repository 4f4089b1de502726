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

from bot.advisor.engine.area import area_of
from bot.advisor.engine.pruning import POOL_CAP, RANK_DEPTH
from bot.domain import Brief

#: per ranking, side and level: deeper than any of the engine's caps reads a ranking
#: (RANK_DEPTH), with room for accounts the engine filters out (low quality, poor results)
KEEP = RANK_DEPTH + 20
CHEAPEST = POOL_CAP // 2


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

    `matches` holds per row the place's match bits (see `area`); `values` are before
    location fit, which the area gives per match, as it gives the location levels.
    """
    if len(ids) <= 3 * keep:
        return set(ids)
    area = area_of(brief.location, brief.business)
    id_arr = np.asarray(ids)
    macro_arr = np.asarray(macro, dtype=bool)
    price = np.asarray(prices, dtype=np.float64)
    match = np.asarray(matches, dtype=np.int8)
    value = np.asarray(values, dtype=np.float64) * np.asarray(area.fit)[match]
    rate = value / np.maximum(price, 1.0)
    affordable = price <= brief.budget
    level = np.asarray(area.level, dtype=np.int8)[match]
    chosen: list[np.ndarray] = []
    for lvl in range(area.start, 3):
        within = level <= lvl
        for side in (macro_arr, ~macro_arr):
            members = np.flatnonzero(within & side)
            usable = members[affordable[members]]
            chosen += [
                _top(usable, value, keep),
                _top(usable, rate, keep),
                _top(members, -price, CHEAPEST),
            ]
            if lvl == area.start:  # a walk-in's own area sets the engine's bar at any price
                chosen.append(_top(members, rate, keep))
    return set(id_arr[np.unique(np.concatenate(chosen))].tolist())


def _top(members: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    if len(members) <= k:
        return members
    part = np.argpartition(-score[members], k - 1)[:k]
    return members[part]
