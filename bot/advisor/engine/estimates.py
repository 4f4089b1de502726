"""Public benchmark figures and per-candidate estimates of reach, engagements and sales.

Every number the engine assumes lives here, so the texts can say which figures are the
influencer's own and which are "perkiraan" (estimates resting on public benchmarks).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

from bot.domain import Candidate

# HypeAuditor 2024, Instagram engagement rate (percent per follower) by follower band.
# Each entry: (upper bound of the band, exclusive; rate). The last band is open-ended.
ER_BANDS: tuple[tuple[int, float], ...] = (
    (5_000, 4.26),
    (20_000, 2.28),
    (100_000, 1.62),
    (1_000_000, 1.55),
)
ER_OVER_1M = 1.54

# Share of followers a post reaches, at these follower counts; linear in log10(followers)
# between the points and clamped outside ("15-16% for 10k-50k, about 3% for 500k-1M").
REACH_SHARE_POINTS: tuple[tuple[int, float], ...] = (
    (1_000, 0.20),
    (10_000, 0.16),
    (50_000, 0.15),
    (100_000, 0.10),
    (500_000, 0.03),
    (1_000_000, 0.03),
    (10_000_000, 0.02),
)
_REACH_LOG_X: tuple[float, ...] = tuple(math.log10(f) for f, _ in REACH_SHARE_POINTS)
_REACH_Y: tuple[float, ...] = tuple(s for _, s in REACH_SHARE_POINTS)

PURCHASE_RATE = 0.02  # share of engagements that lead to a purchase (an assumption)
DEFAULT_QUALITY = 80  # audience quality (0-100) assumed when the store has none
LOW_QUALITY = 50  # below this the audience deserves a warning, not a recommendation


def benchmark_engagement_rate(followers: int) -> float:
    """Benchmark engagement rate in percent per follower for an account of this size."""
    for upper, rate in ER_BANDS:
        if followers < upper:
            return rate
    return ER_OVER_1M


def benchmark_reach_share(followers: int) -> float:
    """Benchmark share of followers one post reaches (falls with account size)."""
    x = math.log10(max(followers, 1))
    if x <= _REACH_LOG_X[0]:
        return _REACH_Y[0]
    if x >= _REACH_LOG_X[-1]:
        return _REACH_Y[-1]
    i = bisect_right(_REACH_LOG_X, x) - 1
    x0, x1 = _REACH_LOG_X[i], _REACH_LOG_X[i + 1]
    y0, y1 = _REACH_Y[i], _REACH_Y[i + 1]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


@dataclass(frozen=True)
class ObservedRates:
    """The owner's own results for one tier, from campaigns already run.

    `engagement_rate` is percent per follower (like the store's figure) and replaces the
    benchmark ER for candidates that lack their own; `purchase_rate` (purchases per
    engagement, e.g. 0.013) replaces PURCHASE_RATE. None means "no figure yet".
    """

    engagement_rate: float | None = None
    purchase_rate: float | None = None


@dataclass(frozen=True)
class Estimate:
    """Expected outcome of one post. `*_estimated` = rests on benchmarks, not own figures.

    Conversions always rest on an assumed purchase rate, so the UI labels them as an
    estimate regardless of the flags.
    """

    reach: float
    engagements: float
    conversions: float
    reach_estimated: bool
    engagements_estimated: bool

    @property
    def estimated(self) -> bool:
        return self.reach_estimated or self.engagements_estimated


def quality_of(c: Candidate) -> int:
    """Audience quality used in the maths: the store's figure, else DEFAULT_QUALITY."""
    return DEFAULT_QUALITY if c.audience_quality is None else c.audience_quality


def estimate(c: Candidate, observed: ObservedRates | None = None) -> Estimate:
    """Reach, engagements and conversions for one post by this candidate.

    Order of preference: the influencer's own figure, then the owner's
    observed rate for the candidate's tier (`observed`), then the public benchmark.
    An observed rate is still not this influencer's own figure, so the result stays
    flagged as estimated.
    """
    followers = max(c.followers, 0)
    if c.avg_views is not None:
        reach = float(c.avg_views)
        reach_estimated = False
    else:
        reach = followers * benchmark_reach_share(followers)
        reach_estimated = True

    if c.engagement_rate is not None:
        engagements = followers * c.engagement_rate / 100
        engagements_estimated = False
    else:
        rate = None if observed is None else observed.engagement_rate
        if rate is None:
            rate = benchmark_engagement_rate(followers)
        engagements = followers * rate / 100
        engagements_estimated = True

    purchase = None if observed is None else observed.purchase_rate
    if purchase is None:
        purchase = PURCHASE_RATE
    conversions = engagements * purchase * quality_of(c) / 100
    return Estimate(
        reach=reach,
        engagements=engagements,
        conversions=conversions,
        reach_estimated=reach_estimated,
        engagements_estimated=engagements_estimated,
    )
