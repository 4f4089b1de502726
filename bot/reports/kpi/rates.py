"""Members and their KPIs: rates and costs per result of one member, one side or a campaign."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
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
    # How many accounts the group has, and per ratio how many reported its inputs and
    # what they cost (empty in reports stored before ratios were computed this way).
    accounts: int = 0
    coverage: dict[str, int] = field(default_factory=dict)
    cost_basis: dict[str, int] = field(default_factory=dict)

    def covered(self, kpi: str) -> int | None:
        """How many accounts a ratio covers; None when unknown (an older stored report)."""
        return self.coverage.get(kpi)

    def partial(self, kpi: str) -> bool:
        """Whether the ratio leaves out accounts that did not report its inputs."""
        covered = self.coverage.get(kpi)
        return covered is not None and 0 < covered < self.accounts

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


# Each ratio and the figures it needs from an account before that account counts in it.
RATIO_INPUTS: dict[str, tuple[str, ...]] = {
    "cpm": ("impressions",),
    "cost_per_1000_reach": ("reach",),
    "cpe": ("engagements",),
    "cpc": ("clicks",),
    "cpa": ("conversions",),
    "roas": ("revenue_idr",),
    "engagement_rate": ("engagements",),
}


def _has_input(figures: Figures, name: str) -> bool:
    value = figures.engagements if name == "engagements" else getattr(figures, name)
    return value is not None


def _total(posts: Sequence[Figures]) -> Figures:
    total = Figures()
    for figures in posts:
        total = total + figures
    return total


def group_kpis(accounts: Sequence[tuple[Member, Sequence[Figures]]]) -> Kpis:
    """KPIs of a group of accounts (one member, one side, the campaign) and their posts.

    Each ratio divides only the fees and figures of the accounts that reported its
    inputs: one account's 90 clicks say nothing about what the other two paid for, so
    CPC is that account's fee over its clicks, and `coverage` says how many accounts
    that was (out of `accounts`). Totals and `cost` still count every account.

    The engagement rate is by reach only when every account with engagements has its
    reach; otherwise by followers for all of them. Mixing the two would divide some
    posts' engagements by nothing and overstate the rate.
    """
    totals = [(member, _total(posts)) for member, posts in accounts]
    cost = sum(member.fee_idr for member, _ in totals)
    overall = _total([f for _, f in totals])
    kpis = compute_kpis(overall, cost=cost, followers=None)
    ratios: dict[str, float | None] = {}
    coverage: dict[str, int] = {}
    cost_basis: dict[str, int] = {}
    for kpi, inputs in RATIO_INPUTS.items():
        chosen = [(m, f) for m, f in totals if all(_has_input(f, i) for i in inputs)]
        coverage[kpi] = len(chosen)
        cost_basis[kpi] = sum(m.fee_idr for m, _ in chosen)
        if kpi == "engagement_rate":
            continue
        part = compute_kpis(_total([f for _, f in chosen]), cost=cost_basis[kpi], followers=None)
        ratios[kpi] = part.value(kpi)
    kpis = replace(
        kpis,
        accounts=len(totals),
        coverage=coverage,
        cost_basis=cost_basis,
        cpm=ratios["cpm"],
        cost_per_1000_reach=ratios["cost_per_1000_reach"],
        cpe=ratios["cpe"],
        cpc=ratios["cpc"],
        cpa=ratios["cpa"],
        roas=ratios["roas"],
    )
    engaged = [(m, f) for m, posts in accounts for f in posts if f.engagements is not None]
    if not engaged:
        return kpis
    engagements = sum(f.engagements or 0 for _, f in engaged)
    if all(f.reach is not None and f.reach > 0 for _, f in engaged):
        reach = sum(f.reach or 0 for _, f in engaged)
        rate, basis = _engagement_rate(engagements, reach, None)
    elif all(m.followers is not None for m, _ in engaged):
        audience = sum(m.followers or 0 for m, _ in engaged)  # once per post
        rate, basis = _engagement_rate(engagements, None, audience)
    else:
        return kpis
    return replace(kpis, engagement_rate=rate, er_basis=basis)
