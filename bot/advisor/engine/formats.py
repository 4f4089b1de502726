"""Content formats: how far each reaches against the platform's main one, and which to buy.

An account's `price_idr` pays for its platform's main format (MAIN_FORMAT). A rate card may
price other formats: a story costs less than a reels post but reaches fewer people. The
engine picks one format per account the way its own objective would (`best_format`), and
the estimates scale the account's reach and engagements by the format's REACH_FACTORS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from bot.domain import Candidate, Platform

#: The format `Candidate.price_idr` pays for on each platform (what a campaign member makes
#: by default: bot.campaigns.members.DEFAULT_CONTENT, kept equal by a test).
MAIN_FORMAT: Mapping[Platform, str] = {
    Platform.INSTAGRAM: "reels",
    Platform.TIKTOK: "video",
    Platform.YOUTUBE: "video",
    Platform.FACEBOOK: "feed",
    Platform.X: "feed",
}

# Reach of one post in a format, relative to the platform's main format (1.0). These are
# ASSUMPTIONS (rounded, deliberately conservative), not measured figures; the reasoning:
# - Instagram: reels are shown to non-followers and industry benchmark reports find they
#   reach clearly more accounts than image posts, so a feed post is ~0.7 of a reels; a
#   story is seen only by followers who watch stories and expires in 24 hours (benchmark
#   reports put story reach at a few percent of followers against 10-15% for reels), so
#   ~0.35. "video" on Instagram has been a reels since 2022.
# - TikTok: the video is the format; a photo post ("feed") is pushed less (~0.7); stories
#   reach only followers and expire in 24 hours (~0.3); "reels" is read as a video.
# - YouTube: a long video is the main format; a Short ("reels") gets views but brief
#   attention (~0.8); a community post ("feed") reaches a fraction of subscribers (~0.2);
#   YouTube stories were discontinued in 2023, so a story price there is ignored.
# - Facebook: the feed post is the main format; reels are pushed to non-followers (~1.2);
#   a video post reaches about as many as a feed post (1.0); stories ~0.35 as on Instagram.
# - X: a post ("feed") and a video post reach about the same (1.0); X has no stories or
#   reels, so those prices are ignored.
# A (platform, format) missing here cannot be bought on that platform.
REACH_FACTORS: Mapping[Platform, Mapping[str, float]] = {
    Platform.INSTAGRAM: {"reels": 1.0, "video": 1.0, "feed": 0.7, "story": 0.35},
    Platform.TIKTOK: {"video": 1.0, "reels": 1.0, "feed": 0.7, "story": 0.3},
    Platform.YOUTUBE: {"video": 1.0, "reels": 0.8, "feed": 0.2},
    Platform.FACEBOOK: {"feed": 1.0, "reels": 1.2, "video": 1.0, "story": 0.35},
    Platform.X: {"feed": 1.0, "video": 1.0},
}


def reach_factor(platform: Platform, content_format: str | None) -> float:
    """The share of the main format's reach a post in this format gets (1.0: main or none)."""
    if content_format is None:
        return 1.0
    return REACH_FACTORS[platform].get(content_format, 1.0)


def is_main(platform: Platform, content_format: str | None) -> bool:
    """Whether a format is the platform's main one (None: the main one, as priced)."""
    return content_format is None or content_format == MAIN_FORMAT[platform]


def shown_format(c: Candidate) -> str | None:
    """The format an account's line names beside its price: only one other than the main."""
    return None if is_main(c.platform, c.content_format) else c.content_format


def priced_formats(c: Candidate) -> dict[str, int]:
    """The formats this account can be bought in, with their prices.

    The rate card's positive prices for formats the platform has; the main format at
    `price_idr` unless the card prices it. A price of 0 (barter) or below is not a price.
    """
    known = REACH_FACTORS[c.platform]
    options = {fmt: price for fmt, price in c.formats if fmt in known and price > 0}
    main = MAIN_FORMAT[c.platform]
    if main not in options and c.price_idr > 0:
        options[main] = c.price_idr
    return options


def best_format(
    c: Candidate,
    budget: int,
    rupiah_value: float,
    value_of: Callable[[Candidate], float],
) -> Candidate:
    """The account bought in the format the engine's objective prefers.

    Among formats priced within the budget, the one maximising value - rupiah_value x
    price (`value_of` gives an account's value for the brief; a format's value already
    carries its reach factor); ties go to the main format, then to the cheaper. An account
    without a rate card, or with nothing priced within the budget, stays as it is.
    """
    if not c.formats:
        return c
    main = MAIN_FORMAT[c.platform]
    options = sorted(
        ((fmt, price) for fmt, price in priced_formats(c).items() if price <= budget),
        key=lambda item: (item[0] != main, item[1], item[0]),
    )
    best: Candidate | None = None
    best_net = 0.0
    for fmt, price in options:
        trial = replace(c, price_idr=price, content_format=fmt)
        net = value_of(trial) - rupiah_value * price
        if best is None or net > best_net:
            best, best_net = trial, net
    return c if best is None else best
