"""The influencers staffed on a campaign: add from the store with the agreed fee, remove, list."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.campaigns.access import CampaignError
from bot.domain import Platform, tier_of
from bot.reports.kpi.rates import Member
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot
from models.influencers import GLOBAL_SCOPE, Influencer

CONTENT_TYPES = ("feed", "reels", "story", "video", "live", "shorts")
DEFAULT_CONTENT = {
    Platform.INSTAGRAM: "reels",
    Platform.TIKTOK: "video",
    Platform.YOUTUBE: "video",
    Platform.FACEBOOK: "feed",
    Platform.X: "feed",
}


def members_of(session: Session, *, campaign_id: int) -> list[CampaignMember]:
    return list(
        session.exec(
            select(CampaignMember)
            .where(CampaignMember.campaign_id == campaign_id)
            .order_by(col(CampaignMember.id))
        )
    )


def committed_fees(session: Session, *, campaign_id: int) -> int:
    total = session.exec(
        select(func.coalesce(func.sum(CampaignMember.fee_idr), 0)).where(
            CampaignMember.campaign_id == campaign_id
        )
    ).one()
    return int(total)


def find_in_store(session: Session, *, handle: str, platform: Platform | None) -> Influencer:
    handle = handle.strip().lstrip("@").lower()
    query = select(Influencer).where(Influencer.handle == handle, Influencer.scope == GLOBAL_SCOPE)
    if platform is not None:
        query = query.where(Influencer.platform == platform.value)
    found = list(session.exec(query))
    if not found:
        raise CampaignError("influencer_not_found", handle=handle)
    if len(found) > 1:
        raise CampaignError(
            "influencer_ambiguous", handle=handle, platforms=sorted(i.platform for i in found)
        )
    return found[0]


def add_member(
    session: Session,
    campaign: Campaign,
    *,
    handle: str,
    fee: int,
    content_type: str,
    platform: Platform | None = None,
    post_url: str | None = None,
) -> CampaignMember:
    """Add a store influencer with the agreed fee; fees together never exceed the budget."""
    if fee <= 0:
        raise CampaignError("fee_not_positive")
    if content_type not in CONTENT_TYPES:
        raise CampaignError("content_type_unknown", allowed=CONTENT_TYPES)
    influencer = find_in_store(session, handle=handle, platform=platform)
    existing = session.exec(
        select(CampaignMember).where(
            CampaignMember.campaign_id == campaign.id,
            CampaignMember.platform == influencer.platform,
            CampaignMember.handle == influencer.handle,
        )
    ).first()
    if existing is not None:
        raise CampaignError("member_exists", handle=influencer.handle)
    fees = committed_fees(session, campaign_id=campaign.id)
    if fees + fee > campaign.budget_idr:
        raise CampaignError("fees_over_budget", fees=fees, fee=fee, budget=campaign.budget_idr)
    member = CampaignMember(
        campaign_id=campaign.id,
        influencer_id=influencer.id,
        platform=influencer.platform,
        handle=influencer.handle,
        name=influencer.name,
        followers=influencer.followers,
        fee_idr=fee,
        content_type=content_type,
        post_url=post_url,
    )
    session.add(member)
    session.flush()
    return member


def member_by_handle(
    session: Session, *, campaign_id: int, handle: str, platform: str | None = None
) -> CampaignMember:
    handle = handle.strip().lstrip("@").lower()
    matches = [
        m
        for m in members_of(session, campaign_id=campaign_id)
        if m.handle == handle and (platform is None or m.platform == platform)
    ]
    if not matches:
        raise CampaignError("member_not_found", handle=handle)
    if len(matches) > 1:
        raise CampaignError("member_ambiguous", handle=handle)
    return matches[0]


def as_kpi_member(member: CampaignMember) -> Member:
    platform = Platform(member.platform)
    return Member(
        id=member.id,
        handle=member.handle,
        name=member.name,
        platform=platform,
        followers=member.followers,
        fee_idr=member.fee_idr,
        tier=tier_of(member.followers, platform),
    )


def remove_member(session: Session, member: CampaignMember) -> None:
    for snap in session.exec(
        select(PerformanceSnapshot).where(PerformanceSnapshot.member_id == member.id)
    ):
        session.delete(snap)
    session.flush()
    session.delete(member)
    session.flush()
