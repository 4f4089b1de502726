"""Candidate values as numpy columns: what `values.pick_for` gives, for thousands at once.

The engine needs every fitting candidate's value, price, location level, overlap group
and side to choose levels, prune and optimise; building `Pick`s for 3,000 candidates
would cost far more than the optimisation. The formulas mirror `values` and `estimates`.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import attrgetter

import numpy as np

from bot.advisor.engine.area import area_of
from bot.advisor.engine.estimates import (
    DEFAULT_QUALITY,
    ER_BANDS,
    ER_OVER_1M,
    LOW_QUALITY,
    MAX_CONVERSIONS_PER_POST,
    MAX_ENGAGEMENTS_PER_VIEW,
    PURCHASE_RATES,
    REACH_SHARE_POINTS,
    ObservedRates,
)
from bot.advisor.engine.formats import reach_factor
from bot.advisor.engine.values import NICHE_FIT_PRIMARY, NICHE_FIT_SECONDARY, QUALITY_FLOOR
from bot.domain import Brief, Candidate, Goal, Platform, Tier, tier_of

_TIER_ORDER = (Tier.NANO, Tier.MICRO, Tier.MACRO, Tier.MEGA)
_LOG_REACH_X = np.log10([f for f, _ in REACH_SHARE_POINTS])
_REACH_Y = np.array([s for _, s in REACH_SHARE_POINTS])
_ER_UPPERS = np.array([u for u, _ in ER_BANDS], dtype=float)
_ER_RATES = np.array([r for _, r in ER_BANDS] + [ER_OVER_1M])


class CandidateTable:
    """Column arrays of the fitting candidates: 3,000 of them in about a millisecond.

    Values mirror `pick_for` (same formulas, vectorised; equal up to float rounding) and
    drive level counts, pruning, the DP and ranking; `Pick`s are built with `pick_for`
    only for what the result holds. `code` is each place's match with the brief (see
    `area`), `fit` its location fit, `low_quality` the audiences never recommended.
    """

    def __init__(
        self,
        brief: Brief,
        fit: list[Candidate],
        observed: Mapping[Tier, ObservedRates],
        *,
        formats: bool | None = None,
    ) -> None:
        """`formats`: whether some candidates carry a chosen content format (None: look);
        the engine knows, and a look costs a pass over thousands of candidates."""
        area = area_of(brief.location, brief.business)
        niche = brief.niche
        followers = np.array([c.followers for c in fit], dtype=float)
        er = np.array([c.engagement_rate for c in fit], dtype=float)  # None -> nan
        views = np.array([c.avg_views for c in fit], dtype=float)
        quality = np.array([c.audience_quality for c in fit], dtype=float)
        self.price = np.array([c.price_idr for c in fit], dtype=np.int64)
        primary = np.array([c.niches[0] == niche for c in fit], dtype=bool)

        # match code and overlap group depend only on (city, province): work per pair
        places = list(map(_PLACE, fit))
        code_of: dict[tuple[str | None, str | None], int] = {}
        group_of_place: dict[tuple[str | None, str | None], int] = {}
        group_ids: dict[str, int] = {}
        for city, province in set(places):
            c_fold = city.casefold() if city else ""
            p_fold = province.casefold() if province else ""
            group_of_place[city, province] = group_ids.setdefault(c_fold or p_fold, len(group_ids))
            code_of[city, province] = area.code(city, province)
        self.code = np.array(list(map(code_of.__getitem__, places)), dtype=np.int8)
        self.level = np.array(area.level, dtype=np.int8)[self.code]
        self.fit = np.array(area.fit)[self.code]
        self.outside = np.array(area.outside, dtype=bool)[self.code]
        self.group = np.array(list(map(group_of_place.__getitem__, places)), dtype=np.int64)

        f = np.maximum(followers, 0.0)
        tier = _tier_codes(f, brief.platform)
        self.macro = tier >= 2

        share = np.interp(np.log10(np.maximum(f, 1.0)), _LOG_REACH_X, _REACH_Y)
        reach = np.where(np.isnan(views), f * share, views)
        # a format other than the main one (chosen from a rate card) scales what a post gets
        factor: np.ndarray | float = 1.0
        if formats or (formats is None and any(map(_FORMAT, fit))):
            factor = np.array([reach_factor(c.platform, c.content_format) for c in fit])
            reach = reach * factor

        _, assumed_rate, _ = PURCHASE_RATES.get(brief.business, PURCHASE_RATES[None])
        obs_er = np.full(4, np.nan)
        obs_pr = np.full(4, assumed_rate)
        for code, t in enumerate(_TIER_ORDER):
            rates = observed.get(t)
            if rates is not None and rates.engagement_rate is not None:
                obs_er[code] = rates.engagement_rate
            if rates is not None and rates.purchase_rate is not None:
                obs_pr[code] = rates.purchase_rate
        bench_er = _ER_RATES[np.searchsorted(_ER_UPPERS, f, side="right")]
        fallback = np.where(np.isnan(obs_er[tier]), bench_er, obs_er[tier])
        engagements = f * np.where(np.isnan(er), fallback, er) / 100 * factor
        engagements = np.minimum(engagements, MAX_ENGAGEMENTS_PER_VIEW * reach)

        q = np.where(np.isnan(quality), float(DEFAULT_QUALITY), quality)
        self.low_quality = q < LOW_QUALITY
        if brief.goal is Goal.AWARENESS:
            metric = reach
        elif brief.goal is Goal.ENGAGEMENT:
            metric = engagements
        else:
            cap = MAX_CONVERSIONS_PER_POST.get(brief.business, np.inf) if brief.business else np.inf
            metric = np.minimum(engagements * obs_pr[tier] * q / 100, cap)
        niche_fit = np.where(primary, NICHE_FIT_PRIMARY, NICHE_FIT_SECONDARY)
        quality_factor = 1.0 if brief.goal is Goal.SALES else np.clip(q / 100, QUALITY_FLOOR, 1.0)
        self.value = metric * niche_fit * self.fit * quality_factor


_PLACE = attrgetter("city", "province")
_FORMAT = attrgetter("content_format")


def _tier_codes(followers: np.ndarray, platform: Platform) -> np.ndarray:
    """Vectorised `tier_of` (0 nano, 1 micro, 2 macro, 3 mega); lines probed from domain."""
    macro_line = next(f for f in (100_000, 250_000) if tier_of(f, platform) is Tier.MACRO)
    lines = np.array([10_000, macro_line, 1_000_000], dtype=float)
    return np.searchsorted(lines, followers, side="right").astype(np.int8)
