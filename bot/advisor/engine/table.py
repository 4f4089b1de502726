"""Candidate values as numpy columns: what `values.pick_for` gives, for thousands at once.

The engine needs every fitting candidate's value, price, location level, overlap group
and side to choose levels, prune and optimise; building `Pick`s for 3,000 candidates
would cost far more than the optimisation. The formulas mirror `values` and `estimates`.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import attrgetter

import numpy as np

from bot.advisor.engine.estimates import (
    DEFAULT_QUALITY,
    ER_BANDS,
    ER_OVER_1M,
    PURCHASE_RATE,
    REACH_SHARE_POINTS,
    ObservedRates,
)
from bot.advisor.engine.results import LEVELS
from bot.advisor.engine.values import (
    LOCATION_FIT,
    NICHE_FIT_PRIMARY,
    NICHE_FIT_SECONDARY,
    QUALITY_FLOOR,
    folded_places,
)
from bot.domain import Brief, Candidate, Goal, Platform, Tier, tier_of

_TIER_ORDER = (Tier.NANO, Tier.MICRO, Tier.MACRO, Tier.MEGA)
_LOG_REACH_X = np.log10([f for f, _ in REACH_SHARE_POINTS])
_REACH_Y = np.array([s for _, s in REACH_SHARE_POINTS])
_ER_UPPERS = np.array([u for u, _ in ER_BANDS], dtype=float)
_ER_RATES = np.array([r for _, r in ER_BANDS] + [ER_OVER_1M])
_LOCATION_FIT_BY_LEVEL = np.array([LOCATION_FIT[x] for x in LEVELS])


class CandidateTable:
    """Column arrays of the fitting candidates: 3,000 of them in about a millisecond.

    Values mirror `pick_for` (same formulas, vectorised; equal up to float rounding) and
    drive level counts, pruning, the DP and ranking; `Pick`s are built with `pick_for`
    only for what the result holds.
    """

    def __init__(
        self, brief: Brief, fit: list[Candidate], observed: Mapping[Tier, ObservedRates]
    ) -> None:
        national = brief.location.is_national
        cities, provinces = folded_places(brief.location)
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
