"""A post's running totals, the snapshots that record them, and figures that cannot be true.

None means unknown, never zero: an owner who reports only likes has not reported zero reach.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

FIGURE_FIELDS: tuple[str, ...] = (
    "impressions",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "conversions",
    "revenue_idr",
)
ENGAGEMENT_FIELDS: tuple[str, ...] = ("likes", "comments", "shares", "saves")


def _add(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


@dataclass(frozen=True)
class Figures:
    """A post's (or a group's) running totals; None means unknown, not zero.

    `impressions` also stands for views: platforms name the same idea differently and
    owners copy whichever number their app shows.
    """

    impressions: int | None = None
    reach: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    clicks: int | None = None
    conversions: int | None = None
    revenue_idr: int | None = None

    def __add__(self, other: Figures) -> Figures:
        """Field-wise sum; an unknown side adds nothing, both unknown stays unknown."""
        if not isinstance(other, Figures):
            return NotImplemented
        return Figures(**{n: _add(getattr(self, n), getattr(other, n)) for n in FIGURE_FIELDS})

    def merged(self, newer: Figures) -> Figures:
        """These totals updated by a newer snapshot that may report only some figures."""
        return Figures(
            **{
                n: getattr(newer, n) if getattr(newer, n) is not None else getattr(self, n)
                for n in FIGURE_FIELDS
            }
        )

    def known(self) -> list[str]:
        """Names of the known figures, in FIGURE_FIELDS order."""
        return [n for n in FIGURE_FIELDS if getattr(self, n) is not None]

    def is_empty(self) -> bool:
        return not self.known()

    @property
    def engagements(self) -> int | None:
        """likes + comments + shares + saves over the known ones; None if none is known."""
        parts = [getattr(self, n) for n in ENGAGEMENT_FIELDS if getattr(self, n) is not None]
        return sum(parts) if parts else None


@dataclass(frozen=True)
class Snapshot:
    """One recording of a post's running totals at a moment (aware, UTC).

    `post_key` tells posts of one member apart: the post URL, or "" for "the member's
    post" when the owner gave none.
    """

    member_id: int
    post_key: str
    recorded_at: datetime
    figures: Figures

    def __post_init__(self) -> None:
        # Naive and aware datetimes cannot be compared: fail where the bug is, not later.
        if self.recorded_at.tzinfo is None:
            raise ValueError("Snapshot.recorded_at must be timezone-aware (UTC)")


def latest_per_post(
    snapshots: Iterable[Snapshot], *, at: datetime | None = None
) -> dict[tuple[int, str], Figures]:
    """Each post's running totals as of `at` (all snapshots when None).

    Later snapshots supersede earlier ones field by field: a figure a newer snapshot
    left unknown keeps its older value, so "@x klik 90" after a full line does not wipe
    the reach. Snapshots with the same time apply in the order given.
    """
    chosen = [s for s in snapshots if at is None or s.recorded_at <= at]
    ordered = sorted(enumerate(chosen), key=lambda pair: (pair[1].recorded_at, pair[0]))
    totals: dict[tuple[int, str], Figures] = {}
    for _, snap in ordered:
        key = (snap.member_id, snap.post_key)
        totals[key] = totals.get(key, Figures()).merged(snap.figures)
    return totals


MAX_REACH_PER_FOLLOWER = 10


def validate_figures(figures: Figures, *, followers: int | None) -> list[str]:
    """Machine codes of what cannot be true; empty when the figures may be stored.

    Only the impossible is refused: "negative:<field>"; "likes_over_views" (more likes,
    or more comments, than the post's views or impressions); "clicks_over_impressions"
    (a link click needs a view); "reach_over_followers" (reach above ten times the
    followers, far beyond any viral share). Reach above impressions, conversions above
    clicks (promo codes) or revenue without conversions are all possible and accepted.
    """
    problems = [
        f"negative:{name}"
        for name in FIGURE_FIELDS
        if (value := getattr(figures, name)) is not None and value < 0
    ]
    views = figures.impressions
    if views is not None and views >= 0:
        if any((v := getattr(figures, n)) is not None and v > views for n in ("likes", "comments")):
            problems.append("likes_over_views")
        if figures.clicks is not None and figures.clicks > views:
            problems.append("clicks_over_impressions")
    if (
        followers is not None
        and followers > 0
        and figures.reach is not None
        and figures.reach > MAX_REACH_PER_FOLLOWER * followers
    ):
        problems.append("reach_over_followers")
    return problems
