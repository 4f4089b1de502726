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


Column = Sequence[int] | Sequence[float] | Sequence[bool] | np.ndarray


def shortlist(
    ids: Column,
    macro: Column,
    prices: Column,
    values: Column,
    matches: Column,
    brief: Brief,
    *,
    keep: int = KEEP,
    pool_size: int | None = None,
) -> set[int]:
    """Ids of the accounts that can matter for this brief (all of them in a small pool).

    `matches` holds per row the place's match bits (see `area`); `values` are before
    location fit, which the area gives per match, as it gives the location levels.
    `pool_size` is the whole pool's size when the rows given are only its skyband.
    """
    if (len(ids) if pool_size is None else pool_size) <= 3 * keep:
        return set(np.asarray(ids).tolist())
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
                _top(usable, value, keep, (id_arr, price)),
                _top(usable, rate, keep, (id_arr, price)),
                _top(members, -price, CHEAPEST, (id_arr, -value)),
            ]
            if lvl == area.start:  # a walk-in's own area sets the engine's bar at any price
                chosen.append(_top(members, rate, keep, (id_arr, price)))
    return set(id_arr[np.concatenate(chosen)].tolist())


def _top(
    members: np.ndarray, score: np.ndarray, k: int, ties: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """The k members with the highest score; ties go to the lower `ties[1]`, then the
    lower `ties[0]` (the id), so the choice never depends on the order rows came in
    (a search that reads only the skyband must pick exactly what the full scan picks)."""
    if len(members) <= k:
        return members
    scores = score[members]
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    above = members[scores > kth]
    tied = members[scores == kth]
    if len(above) + len(tied) > k:
        order = np.lexsort((ties[0][tied], ties[1][tied]))
        tied = tied[order[: k - len(above)]]
    return np.concatenate((above, tied))
