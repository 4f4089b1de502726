"""What the owner's own campaigns say, so new recommendations lean on it.

Observed engagement rate (per follower, like the store's figure) per tier replaces the
public benchmarks for candidates without their own figures. The purchase rate (purchases
per engagement) depends on the owner's product more than on the account's size, so the
owner's pooled rate stands in for tiers without their own. Accounts whose results were
poor for this owner are found with the rule the campaign report already used to tell the
owner not to use them again (bot.reports.kpi.suggestions.DROP_ADVANTAGE on the report's
ranking KPI), and with an absolute floor on ROAS; the engine leaves them out. The cost
per engagement per side is shown next to the recommendation.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from bot.advisor.engine.estimates import ObservedRates
from bot.campaigns.members import as_kpi_member, members_of
from bot.campaigns.performance import snapshots_of
from bot.domain import Goal, JsonShape, Platform, Tier
from bot.reports.kpi.comparisons import known_values, times_better
from bot.reports.kpi.figures import latest_per_post
from bot.reports.kpi.report import Report, build_report
from bot.reports.kpi.suggestions import DROP_ADVANTAGE
from models.base import utcnow
from models.campaigns import Campaign

POOR_ROAS = 0.5  # revenue under half the fee: the account lost the owner money


@dataclass(frozen=True)
class PoorResult:
    """An account whose results were poor for this owner, and the figure that says so."""

    platform: Platform
    handle: str
    kpi: str  # the KPI it was judged on ("roas", "cpe", ...)
    value: float
    roas: float | None = None


@dataclass(frozen=True)
class OwnResults:
    rates: dict[Tier, ObservedRates]
    cost_per_engagement: dict[str, float]  # "micro" / "macro"
    campaigns: int
    poor: tuple[PoorResult, ...] = field(default=())

    def poor_accounts(self) -> dict[tuple[Platform, str], float | None]:
        """(platform, handle) -> ROAS of the accounts to leave out, for the engine."""
        return {(p.platform, p.handle): p.roas for p in self.poor}


OWN_RESULTS_JSON = JsonShape(OwnResults)


def poor_members(report: Report) -> dict[int, tuple[str, float, float | None]]:
    """Member id -> (kpi, value, roas) of the members whose results were poor.

    Poor: ROAS under POOR_ROAS where revenue is known, or a ranking KPI at least
    DROP_ADVANTAGE times worse than the median of the campaign's other members (the
    campaign report's "consider not using this account again").
    """
    found: dict[int, tuple[str, float, float | None]] = {}
    for mid, kpis in report.per_member.items():
        if kpis.roas is not None and kpis.roas < POOR_ROAS:
            found[mid] = ("roas", kpis.roas, kpis.roas)
    kpi = report.ranked_by
    if kpi is None:
        return found
    values = known_values(report.per_member, kpi)
    for mid, value in values.items():
        others = [v for m, v in values.items() if m != mid]
        if mid in found or not others:
            continue
        advantage = times_better(kpi, statistics.median(others), value)
        if advantage is not None and advantage >= DROP_ADVANTAGE:
            found[mid] = (kpi, value, report.per_member[mid].roas)
    return found


def own_results(
    session: Session, *, owner_id: int, at: datetime | None = None
) -> OwnResults | None:
    """None until a post of the owner's campaigns has engagement figures or a poor result."""
    at = at or utcnow()
    engagements: dict[Tier, float] = defaultdict(float)
    follower_posts: dict[Tier, float] = defaultdict(float)
    conversions: dict[Tier, float] = defaultdict(float)
    converting_engagements: dict[Tier, float] = defaultdict(float)
    side_fee: dict[str, float] = defaultdict(float)
    side_engagements: dict[str, float] = defaultdict(float)
    used_campaigns = set()
    verdicts: dict[tuple[Platform, str], PoorResult | None] = {}  # the latest campaign's
    campaigns = session.exec(
        select(Campaign).where(Campaign.owner_user_id == owner_id).order_by(col(Campaign.id))
    ).all()
    for campaign in campaigns:
        members = {m.id: as_kpi_member(m) for m in members_of(session, campaign_id=campaign.id)}
        snapshots = snapshots_of(session, campaign_id=campaign.id)
        goal = Goal(campaign.goal) if campaign.goal else None
        report = build_report(list(members.values()), snapshots, at=at, goal=goal)
        poor = poor_members(report)
        for mid, kpis in report.per_member.items():
            if kpis.figures.is_empty():
                continue
            member = members[mid]
            hit = poor.get(mid)
            verdicts[member.platform, member.handle] = (
                None if hit is None else PoorResult(member.platform, member.handle, *hit)
            )
        per_member: dict[int, list] = defaultdict(list)
        for (member_id, _), figures in latest_per_post(snapshots, at=at).items():
            if member_id in members and figures.engagements is not None:
                per_member[member_id].append(figures)
        for member_id, posts in per_member.items():
            member = members[member_id]
            if member.tier is None or member.followers is None or member.side is None:
                continue  # an own account of unknown size says nothing about a tier
            total = sum(f.engagements for f in posts)
            engagements[member.tier] += total
            follower_posts[member.tier] += member.followers * len(posts)
            known = [f for f in posts if f.conversions is not None]
            if known:
                conversions[member.tier] += sum(f.conversions for f in known)
                converting_engagements[member.tier] += sum(f.engagements for f in known)
            if total > 0 and member.fee_idr > 0:
                side_fee[member.side] += member.fee_idr
                side_engagements[member.side] += total
            used_campaigns.add(campaign.id)
    poor_results = tuple(v for v in verdicts.values() if v is not None)
    rates = _rates(engagements, follower_posts, conversions, converting_engagements)
    if not rates and not poor_results:
        return None
    cpe = {
        side: side_fee[side] / side_engagements[side]
        for side in side_fee
        if side_engagements[side] > 0
    }
    return OwnResults(
        rates=rates, cost_per_engagement=cpe, campaigns=len(used_campaigns), poor=poor_results
    )


def _rates(
    engagements: dict[Tier, float],
    follower_posts: dict[Tier, float],
    conversions: dict[Tier, float],
    converting_engagements: dict[Tier, float],
) -> dict[Tier, ObservedRates]:
    """Per tier: its observed ER, and its purchase rate or else the owner's pooled one."""
    pooled_engagements = sum(converting_engagements.values())
    pooled = sum(conversions.values()) / pooled_engagements if pooled_engagements else None
    rates: dict[Tier, ObservedRates] = {}
    for tier in Tier:
        er = engagements[tier] / follower_posts[tier] * 100 if follower_posts.get(tier) else None
        own = (
            conversions[tier] / converting_engagements[tier]
            if converting_engagements.get(tier)
            else None
        )
        purchase = own if own is not None else pooled
        if er is not None or purchase is not None:
            rates[tier] = ObservedRates(engagement_rate=er, purchase_rate=purchase)
    return rates
