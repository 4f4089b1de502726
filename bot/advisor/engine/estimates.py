"""Public benchmark figures and per-candidate estimates of reach, engagements and sales.

Every number the engine assumes lives here, so the texts can say which figures are the
influencer's own and which are "perkiraan" (estimates resting on public benchmarks).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

from bot.advisor.engine.formats import reach_factor
from bot.domain import BusinessKind, Candidate

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

# Interactions per view: real accounts show a few percent up to about 15-20%. The
# benchmarks above disagree for big accounts (an ER of 1.54% per follower against 2-3% of
# followers reached is 50-77% per view), and stores carry views and ERs from different
# posts; so engagements are capped at this share of the post's reach (marked estimated).
MAX_ENGAGEMENTS_PER_VIEW = 0.20

# Purchases per engagement by kind of business (low, point, high), weighted by audience
# quality; assumptions, said so in the text. Online (and unknown): PRODUCT.md's "about 2%"
# with a 1-3% range. Walk-in: a purchase needs a visit, so about half as many. Destination:
# a booking is a trip, far rarer still (0.05-0.5%).
PURCHASE_RATES: dict[BusinessKind | None, tuple[float, float, float]] = {
    None: (0.01, 0.02, 0.03),
    BusinessKind.ONLINE: (0.01, 0.02, 0.03),
    BusinessKind.WALK_IN: (0.005, 0.01, 0.02),
    BusinessKind.DESTINATION: (0.0005, 0.002, 0.005),
}
PURCHASE_RATE = PURCHASE_RATES[None][1]
# What one post can bring at most, by what the business can serve: a warung or a salon
# serves perhaps a hundred extra customers after one post; a villa or a small tourist spot
# a handful of bookings (a four-room villa cannot take 263 bookings from one post). Online
# shops ship anywhere: no cap.
MAX_CONVERSIONS_PER_POST: dict[BusinessKind | None, float] = {
    BusinessKind.WALK_IN: 100.0,
    BusinessKind.DESTINATION: 8.0,
}
# The owner's own purchase rate is one campaign's worth of evidence: a narrower range.
OWN_PURCHASE_SPREAD = (0.7, 1.4)

# Spread of one post's outcome around the point figure (low, high multipliers). The
# influencer's own figures still vary from post to post; benchmarks vary far more; the
# owner's observed rate per tier sits between.
OWN_SPREAD = (0.85, 1.2)
#: an influencer's own figures that nobody checked yet (listed by themselves, /daftar)
SELF_REPORTED_SPREAD = (0.7, 1.4)
OBSERVED_SPREAD = (0.7, 1.4)
BENCHMARK_SPREAD = (0.5, 1.6)
WIDE_RANGE = 1.5  # high / low at or above this: the text shows the range, not one figure

DEFAULT_QUALITY = 80  # audience quality (0-100) assumed when the store has none
LOW_QUALITY = 50  # below this the audience deserves a warning, never a recommendation


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
    engagement, e.g. 0.013) replaces the assumed rate of the kind of business. None means
    "no figure yet".
    """

    engagement_rate: float | None = None
    purchase_rate: float | None = None


Range = tuple[float, float]


@dataclass(frozen=True)
class Estimate:
    """Expected outcome of one post. `*_estimated` = rests on benchmarks, not own figures.

    Conversions always rest on a purchase rate (the owner's own, `purchase_rate_own`, or
    an assumption), so the UI labels them as an estimate regardless of the flags.
    `engagements_own`: the engagements rest on the owner's observed rate for the tier.
    Ranges are (low, high) of one post (see the spreads above).
    """

    reach: float
    engagements: float
    conversions: float
    reach_estimated: bool
    engagements_estimated: bool
    engagements_own: bool = False
    purchase_rate_own: bool = False
    reach_range: Range | None = None
    engagements_range: Range | None = None
    conversions_range: Range | None = None

    @property
    def estimated(self) -> bool:
        return self.reach_estimated or self.engagements_estimated


def quality_of(c: Candidate) -> int:
    """Audience quality used in the maths: the store's figure, else DEFAULT_QUALITY."""
    return DEFAULT_QUALITY if c.audience_quality is None else c.audience_quality


def _spread(value: float, spread: Range) -> Range:
    return (value * spread[0], value * spread[1])


def estimate(
    c: Candidate, observed: ObservedRates | None = None, business: BusinessKind | None = None
) -> Estimate:
    """Reach, engagements and conversions for one post by this candidate.

    Order of preference: the influencer's own figure, then the owner's observed rate for
    the candidate's tier (`observed`), then the public benchmark. An observed rate is
    still not this influencer's own figure, so the result stays flagged as estimated;
    nor are figures an influencer listed themselves and nobody verified. A format other
    than the main one (`content_format`) scales reach and engagements by its reach factor,
    an assumption, so those are flagged estimated too. Engagements never exceed
    MAX_ENGAGEMENTS_PER_VIEW of the reach (capped figures are flagged estimated);
    conversions use the owner's purchase rate, else the kind of business's assumed rate,
    times audience quality, capped per post by what the business can serve.
    """
    followers = max(c.followers, 0)
    factor = 1.0 if c.content_format is None else reach_factor(c.platform, c.content_format)
    unchecked = c.self_reported or factor != 1.0
    own_spread = SELF_REPORTED_SPREAD if unchecked else OWN_SPREAD
    if c.avg_views is not None:
        reach = float(c.avg_views) * factor
        reach_estimated = unchecked
    else:
        reach = followers * benchmark_reach_share(followers) * factor
        reach_estimated = True

    own_rate = None if observed is None else observed.engagement_rate
    engagements_own = False
    if c.engagement_rate is not None:
        engagements = followers * c.engagement_rate / 100 * factor
        engagements_estimated = unchecked
        eng_spread = own_spread
    elif own_rate is not None:
        engagements = followers * own_rate / 100 * factor
        engagements_estimated = engagements_own = True
        eng_spread = OBSERVED_SPREAD
    else:
        engagements = followers * benchmark_engagement_rate(followers) / 100 * factor
        engagements_estimated = True
        eng_spread = BENCHMARK_SPREAD
    ceiling = MAX_ENGAGEMENTS_PER_VIEW * reach
    if engagements > ceiling:
        engagements = ceiling
        engagements_estimated = True

    low_rate, rate, high_rate = PURCHASE_RATES.get(business, PURCHASE_RATES[None])
    purchase = None if observed is None else observed.purchase_rate
    if purchase is not None:
        rate = purchase
        low_rate, high_rate = _spread(purchase, OWN_PURCHASE_SPREAD)
    share = quality_of(c) / 100
    cap = MAX_CONVERSIONS_PER_POST.get(business, math.inf) if business else math.inf
    eng_low, eng_high = _spread(engagements, eng_spread)
    return Estimate(
        reach=reach,
        engagements=engagements,
        conversions=min(engagements * rate * share, cap),
        reach_estimated=reach_estimated,
        engagements_estimated=engagements_estimated,
        engagements_own=engagements_own,
        purchase_rate_own=purchase is not None,
        reach_range=_spread(
            reach,
            BENCHMARK_SPREAD if c.avg_views is None else own_spread,
        ),
        engagements_range=(eng_low, eng_high),
        conversions_range=(
            min(eng_low * low_rate * share, cap),
            min(eng_high * high_rate * share, cap),
        ),
    )
