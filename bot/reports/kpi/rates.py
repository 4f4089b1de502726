"""Members and their KPIs: rates and costs per result of one member, one side or a campaign."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from bot.domain import Platform, Tier, strategy_of
from bot.reports.kpi.figures import FIGURE_FIELDS, Figures

Side = Literal["micro", "macro"]
SIDES: tuple[Side, ...] = ("micro", "macro")


@dataclass(frozen=True)
class Member:
    """An influencer on a campaign with the agreed fee (the cost of all its posts)."""

    id: int
    handle: str
    name: str
    platform: Platform
    followers: int | None  # None: an owner's own account whose size they did not give
    fee_idr: int
    tier: Tier | None  # None: unknown (no follower count)
    own: bool = False  # the owner's own account, not from the store

    @property
    def side(self) -> Side | None:
        """The strategy side: "micro" (nano and micro accounts), "macro" (macro, mega), or
        None when the tier is unknown (such a member counts in the totals only)."""
        if self.tier is None:
            return None
        return "micro" if strategy_of(self.tier).value == "micro" else "macro"


ErBasis = Literal["reach", "followers"]


@dataclass(frozen=True)
class Kpis:
    """Totals and ratios for one member, one side or the whole campaign.

    `engagement_rate` is a percent (4.2 means 4.2%) with its basis: by reach where reach
    is known, by followers otherwise (the store's per-follower figure, labelled so the
    two are never compared as if alike). Ratios are None when an input is unknown, a
    denominator is zero, or the cost is zero (a barter post or a fee not entered: "Rp0
    per engagement" would flatter it and rank it first).
    """

    cost: int
    figures: Figures
    engagements: int | None
    engagement_rate: float | None
    er_basis: ErBasis | None
    cpm: float | None
    cpe: float | None
    cpc: float | None
    cpa: float | None
    roas: float | None
    cost_per_1000_reach: float | None = None

    def value(self, kpi: str) -> float | None:
        """A KPI or figure by name ("cpe", "roas", "reach", ...), None when unknown."""
        if kpi in FIGURE_FIELDS:
            return getattr(self.figures, kpi)
        return getattr(self, kpi)


def _ratio(numerator: float | None, denominator: float | None, scale: float = 1.0) -> float | None:
    """numerator / denominator × scale, or None when either is unknown or the divisor is 0."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator * scale


def _engagement_rate(
    engagements: int | None, reach: int | None, followers: int | None
) -> tuple[float | None, ErBasis | None]:
    if engagements is None:
        return None, None
    if reach is not None and reach > 0:
        return engagements / reach * 100, "reach"
    if followers is not None and followers > 0:
        return engagements / followers * 100, "followers"
    return None, None


def compute_kpis(figures: Figures, *, cost: int, followers: int | None) -> Kpis:
    """KPIs of one set of totals that cost `cost` Rupiah.

    `followers` is the audience the engagements came from, used for the engagement
    rate only when reach is unknown (for several posts: followers once per post).
    """
    engagements = figures.engagements
    rate, basis = _engagement_rate(engagements, figures.reach, followers)
    paid = cost if cost > 0 else None
    return Kpis(
        cost=cost,
        figures=figures,
        engagements=engagements,
        engagement_rate=rate,
        er_basis=basis,
        cpm=_ratio(paid, figures.impressions, 1000),
        cpe=_ratio(paid, engagements),
        cpc=_ratio(paid, figures.clicks),
        cpa=_ratio(paid, figures.conversions),
        roas=_ratio(figures.revenue_idr, paid),
        cost_per_1000_reach=_ratio(paid, figures.reach, 1000),
    )


def group_kpis(posts: Sequence[tuple[Member, Figures]], cost: int) -> Kpis:
    """KPIs of a group of posts (one member, one side, the campaign) costing `cost`.

    The engagement rate is by reach only when every post with engagements has its
    reach; otherwise by followers for all of them. Mixing the two would divide some
    posts' engagements by nothing and overstate the rate.
    """
    total = Figures()
    for _, figures in posts:
        total = total + figures
    kpis = compute_kpis(total, cost=cost, followers=None)
    engaged = [(m, f) for m, f in posts if f.engagements is not None]
    if not engaged:
        return kpis
    engagements = sum(f.engagements or 0 for _, f in engaged)
    if all(f.reach is not None and f.reach > 0 for _, f in engaged):
        reach = sum(f.reach or 0 for _, f in engaged)
        rate, basis = _engagement_rate(engagements, reach, None)
    elif all(m.followers is not None for m, _ in engaged):
        audience = sum(m.followers or 0 for m, _ in engaged)
        rate, basis = _engagement_rate(engagements, None, audience)
    else:
        return kpis
    return replace(kpis, engagement_rate=rate, er_basis=basis)
