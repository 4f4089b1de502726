"""Fast paths for big influencer files: the common spellings read without the chat parsers.

A million-row file repeats a few shapes: plain digits, "Rp 1.250.000", "250rb", "1,5jt",
a handful of niche and place spellings. Those are read here in a few string operations;
anything else (and every row with a problem) goes through the contract's full row parser,
so results and error messages are the same either way (tests compare both on every form).
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

from bot.advisor.engine.estimates import (
    DEFAULT_QUALITY,
    MAX_ENGAGEMENTS_PER_VIEW,
    PURCHASE_RATE,
    benchmark_engagement_rate,
    benchmark_reach_share,
)
from bot.advisor.engine.values import (
    NICHE_FIT_PRIMARY,
    NICHE_FIT_SECONDARY,
    QUALITY_FLOOR,
    RANKING_VERSION,
)
from bot.domain import Platform, strategy_of, tier_of

# "Rp 1.250.000", "Rp1.250.000", "1.250.000", "Rp 750000": thousands groups of three.
_RUPIAH = re.compile(r"^(?:[Rr][Pp]\.? ?)?([1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d*)$")
# "250rb", "250 rb", "1jt", "1,5jt", "1.5 jt", "12k": a number and a short scale word.
_SCALED = re.compile(r"^(?:[Rr][Pp]\.? ?)?(\d{1,6})(?:[.,](\d{1,3}))? ?(rb|ribu|k|jt|juta)$")
_SCALES = {"rb": 1_000, "ribu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000}
_PLAIN_DECIMAL = re.compile(r"^\d{1,3}(?:\.\d{1,4})?$")


def fast_amount(raw: str) -> int | None:
    """A price in one of the common forms, or None (then the chat parser decides)."""
    if raw.isdigit() and raw.isascii():
        value = int(raw)
        return value or None
    match = _RUPIAH.match(raw)
    if match is not None:
        return int(match.group(1).replace(".", ""))
    return _scaled(raw.lower())


def fast_count(raw: str) -> int | None:
    """A follower or view count in a common form ("12000", "12.000", "12rb", "1,2jt")."""
    if raw.isdigit() and raw.isascii():
        return int(raw)
    if raw[:1] in "Rr":  # money is not a count; the chat parser refuses it with the reason
        return None
    match = _RUPIAH.match(raw)
    if match is not None:
        return int(match.group(1).replace(".", ""))
    return _scaled(raw.lower())


def _scaled(low: str) -> int | None:
    match = _SCALED.match(low)
    if match is None:
        return None
    whole, fraction, word = match.groups()
    if fraction is not None and len(fraction) == 3:
        return None  # "2.345jt", "1.500rb": a thousands group? the chat parser decides
    scale = _SCALES[word]
    value = Decimal(f"{whole}.{fraction or 0}") * scale
    amount = int(value.to_integral_value(rounding=ROUND_HALF_UP))
    return amount or None


def fast_percent(raw: str) -> float | None:
    if _PLAIN_DECIMAL.match(raw):
        value = float(raw)
        return value if value <= 100 else None
    return None


def fast_quality(raw: str) -> int | None:
    if raw.isdigit() and raw.isascii() and len(raw) <= 3:
        value = int(raw)
        return value if value <= 100 else None
    return None


def entry_figures(
    platform: str,
    followers: int,
    engagement_rate: float | None,
    avg_views: int | None,
    price_idr: int,
    audience_quality: int | None,
) -> tuple[str, tuple[float, float, float], tuple[float, float, float]]:
    """(side, values of a primary niche, values of a secondary one) for the search table.

    `estimate` and `values.fit_value` for a store row (its main format, verified figures,
    no owner's rates, no kind of business), written out with the same operations in the
    same order, so the floats are identical (tests compare them on the sample store).
    """
    followers = max(followers, 0)
    factor = 1.0
    if avg_views is not None:
        reach = float(avg_views) * factor
    else:
        reach = followers * benchmark_reach_share(followers) * factor
    if engagement_rate is not None:
        engagements = followers * engagement_rate / 100 * factor
    else:
        engagements = followers * benchmark_engagement_rate(followers) / 100 * factor
    ceiling = MAX_ENGAGEMENTS_PER_VIEW * reach
    if engagements > ceiling:
        engagements = ceiling
    quality = DEFAULT_QUALITY if audience_quality is None else audience_quality
    conversions = min(engagements * PURCHASE_RATE * (quality / 100), math.inf)
    quality_factor = min(max(quality / 100, QUALITY_FLOOR), 1.0)
    side = _side(platform, followers)
    return (
        side,
        (
            reach * NICHE_FIT_PRIMARY * quality_factor,
            engagements * NICHE_FIT_PRIMARY * quality_factor,
            conversions * NICHE_FIT_PRIMARY * 1.0,
        ),
        (
            reach * NICHE_FIT_SECONDARY * quality_factor,
            engagements * NICHE_FIT_SECONDARY * quality_factor,
            conversions * NICHE_FIT_SECONDARY * 1.0,
        ),
    )


_PLATFORM = {p.value: p for p in Platform}


def _side(platform: str, followers: int) -> str:
    return strategy_of(tier_of(followers, _PLATFORM[platform])).value


__all__ = [
    "RANKING_VERSION",
    "entry_figures",
    "fast_amount",
    "fast_count",
    "fast_percent",
    "fast_quality",
]
