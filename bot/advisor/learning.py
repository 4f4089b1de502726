"""What the owner's own campaigns say per tier, so new recommendations lean on it.

Observed engagement rate (per follower, like the store's figure) and purchase rate per tier
replace the public benchmarks for candidates without their own figures; the cost per
engagement per side is shown next to the recommendation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, select

from bot.advisor.engine.estimates import ObservedRates
from bot.campaigns.members import as_kpi_member, members_of
from bot.campaigns.performance import snapshots_of
from bot.domain import JsonShape, Tier
from bot.reports.kpi.figures import latest_per_post
from models.campaigns import Campaign


@dataclass(frozen=True)
class OwnResults:
    rates: dict[Tier, ObservedRates]
    cost_per_engagement: dict[str, float]  # "micro" / "macro"
    campaigns: int


OWN_RESULTS_JSON = JsonShape(OwnResults)


def own_results(session: Session, *, owner_id: int) -> OwnResults | None:
    """None until at least one post of the owner's campaigns has engagement figures."""
    engagements: dict[Tier, float] = defaultdict(float)
    follower_posts: dict[Tier, float] = defaultdict(float)
    conversions: dict[Tier, float] = defaultdict(float)
    converting_engagements: dict[Tier, float] = defaultdict(float)
    side_fee: dict[str, float] = defaultdict(float)
    side_engagements: dict[str, float] = defaultdict(float)
    used_campaigns = set()
    campaigns = session.exec(select(Campaign).where(Campaign.owner_user_id == owner_id)).all()
    for campaign in campaigns:
        members = {m.id: as_kpi_member(m) for m in members_of(session, campaign_id=campaign.id)}
        per_member: dict[int, list] = defaultdict(list)
        for (member_id, _), figures in latest_per_post(
            snapshots_of(session, campaign_id=campaign.id)
        ).items():
            if member_id in members and figures.engagements is not None:
                per_member[member_id].append(figures)
        for member_id, posts in per_member.items():
            member = members[member_id]
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
    rates = {
        tier: ObservedRates(
            engagement_rate=engagements[tier] / follower_posts[tier] * 100
            if follower_posts[tier]
            else None,
            purchase_rate=conversions[tier] / converting_engagements[tier]
            if converting_engagements[tier]
            else None,
        )
        for tier in engagements
        if follower_posts[tier] > 0
    }
    if not rates:
        return None
    cpe = {
        side: side_fee[side] / side_engagements[side]
        for side in side_fee
        if side_engagements[side] > 0
    }
    return OwnResults(rates=rates, cost_per_engagement=cpe, campaigns=len(used_campaigns))
