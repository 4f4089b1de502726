"""The skyband keeps every account any shortlist can take, for every budget and place."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.advisor.engine.shortlist import CHEAPEST, shortlist
from bot.advisor.engine.skyband import grouped_skyband, skyband_mask
from bot.domain import Brief, BusinessKind, Goal, Platform
from bot.language.locations import parse_location

PLACES = ("Jakarta", "Jawa Timur", "Bali", "seluruh Indonesia", "Bandung")


def _dominators(prices: np.ndarray, values: np.ndarray, i: int) -> int:
    return int(np.count_nonzero((prices <= prices[i]) & (values > values[i])))


@given(
    st.lists(st.tuples(st.integers(1, 40), st.integers(0, 30)), min_size=1, max_size=300),
    st.integers(1, 12),
)
@settings(max_examples=200, deadline=None)
def test_rows_dropped_have_at_least_k_dominators(rows: list[tuple[int, int]], k: int) -> None:
    prices = np.asarray([p * 10_000 for p, _ in rows], dtype=np.int64)
    values = np.asarray([float(v) for _, v in rows])
    keep = skyband_mask(prices, values, k, block=5)
    for i in np.flatnonzero(~keep):
        assert _dominators(prices, values, i) >= k
    # the same with the order a search pack stores (price ascending, value descending)
    order = np.lexsort((-values, prices))
    ordered = grouped_skyband(prices, values, np.zeros(len(rows), dtype=np.int64), k, order=order)
    for i in np.flatnonzero(~ordered):
        assert _dominators(prices, values, i) >= k
    # and it is a real cut on a big pool, not everything
    if len(rows) == 300 and k <= 3:
        assert keep.sum() < len(rows)


@given(
    seed=st.integers(0, 10_000),
    size=st.integers(2500, 5000),
    place=st.sampled_from(PLACES),
    business=st.sampled_from((None, *BusinessKind)),
    budget=st.sampled_from((150_000, 900_000, 4_000_000, 30_000_000, 400_000_000)),
)
@settings(max_examples=60, deadline=None)
def test_shortlist_of_the_skyband_is_the_shortlist_of_everything(
    seed: int, size: int, place: str, business: BusinessKind | None, budget: int
) -> None:
    rng = np.random.default_rng(seed)
    # round prices and coarse values, so ties are common (as in real rate lists)
    prices = (rng.integers(1, 400, size) * 50_000).astype(np.int64)
    values = np.round(prices / 1000 * rng.lognormal(0, 0.6, size), -1)
    macro = rng.random(size) < 0.3
    matches = rng.choice([0, 0, 0, 0, 1, 3, 4, 7], size)
    ids = rng.permutation(size * 3)[:size] + 1
    brief = Brief(
        "Kuliner", Goal.AWARENESS, budget, Platform.INSTAGRAM, parse_location(place), business
    )
    full = shortlist(
        ids.tolist(),
        macro.tolist(),
        prices.tolist(),
        values.tolist(),
        matches.tolist(),
        brief,
        keep=12,
    )
    groups = matches * 2 + macro
    keep = grouped_skyband(prices, values, groups, max(12, CHEAPEST))
    # a search pack's stored order (price ascending, value descending, then id): no sort
    order = np.lexsort((ids, -values, prices))
    ordered = grouped_skyband(prices, values, groups, max(12, CHEAPEST), order=order)
    for kept in (keep, ordered):
        assert kept.sum() < size  # the band is smaller than the pool
        band = np.flatnonzero(kept)
        shuffled = rng.permutation(band)  # the order rows come in must not matter
        fast = shortlist(
            ids[shuffled].tolist(),
            macro[shuffled].tolist(),
            prices[shuffled].tolist(),
            values[shuffled].tolist(),
            matches[shuffled].tolist(),
            brief,
            keep=12,
            pool_size=size,
        )
        assert fast == full
