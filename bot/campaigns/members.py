"""The influencers staffed on a campaign: add from the store or the owner's own, remove, list.

An owner's own account (one they found themselves, not in our store) is stored with
`source` "own": handle, platform and fee, the follower count only when they gave it, and
every view marks it as not from our data.
"""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.campaigns.access import CampaignError
from bot.domain import Platform, tier_of
from bot.reports.kpi.rates import Member
from models.campaigns import MEMBER_OWN, Campaign, CampaignMember, PerformanceSnapshot
from models.influencers import GLOBAL_SCOPE, Influencer

CONTENT_TYPES = ("feed", "reels", "story", "video", "live", "shorts")
DEFAULT_CONTENT = {
    Platform.INSTAGRAM: "reels",
    Platform.TIKTOK: "video",
    Platform.YOUTUBE: "video",
    Platform.FACEBOOK: "feed",
    Platform.X: "feed",
}


#: a fee below this is a typo ("750" for 750rb), above it no endorse post costs
MIN_FEE = 10_000
MAX_FEE = 2_000_000_000
#: followers an account can have (the largest accounts in the world have about 700 million)
MAX_FOLLOWERS = 1_000_000_000
#: handles as the platforms allow them: letters, digits, dot, underscore (dash on YouTube)
_HANDLE = re.compile(r"[a-z0-9._-]{2,64}")


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


def _check_terms(
    session: Session, campaign: Campaign, *, platform: str, handle: str, fee: int, content_type: str
) -> None:
    """What every new member must meet: a believable fee within the budget, a known content
    type, and no second member with the same handle on the same platform."""
    if fee <= 0:
        raise CampaignError("fee_not_positive")
    if fee < MIN_FEE:
        raise CampaignError("fee_too_small", fee=fee, minimum=MIN_FEE)
    if fee > MAX_FEE:
        raise CampaignError("fee_too_large", fee=fee, maximum=MAX_FEE)
    if content_type not in CONTENT_TYPES:
        raise CampaignError("content_type_unknown", allowed=CONTENT_TYPES)
    existing = session.exec(
        select(CampaignMember).where(
            CampaignMember.campaign_id == campaign.id,
            CampaignMember.platform == platform,
            CampaignMember.handle == handle,
        )
    ).first()
    if existing is not None:
        raise CampaignError("member_exists", handle=handle)
    fees = committed_fees(session, campaign_id=campaign.id)
    if fees + fee > campaign.budget_idr:
        raise CampaignError("fees_over_budget", fees=fees, fee=fee, budget=campaign.budget_idr)


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
    influencer = find_in_store(session, handle=handle, platform=platform)
    _check_terms(
        session,
        campaign,
        platform=influencer.platform,
        handle=influencer.handle,
        fee=fee,
        content_type=content_type,
    )
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


def add_own_member(
    session: Session,
    campaign: Campaign,
    *,
    handle: str,
    platform: Platform,
    fee: int,
    content_type: str,
    followers: int | None = None,
    post_url: str | None = None,
) -> CampaignMember:
    """Add an account the owner found themselves (not in the store), marked as their own."""
    handle = handle.strip().lstrip("@").lower()
    if not _HANDLE.fullmatch(handle):
        raise CampaignError("handle_invalid", handle=handle[:40])
    if followers is not None and not 0 < followers <= MAX_FOLLOWERS:
        raise CampaignError("followers_absurd", followers=followers)
    _check_terms(
        session,
        campaign,
        platform=platform.value,
        handle=handle,
        fee=fee,
        content_type=content_type,
    )
    member = CampaignMember(
        campaign_id=campaign.id,
        influencer_id=None,
        platform=platform.value,
        handle=handle,
        name=handle,
        followers=followers,
        fee_idr=fee,
        content_type=content_type,
        post_url=post_url,
        source=MEMBER_OWN,
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
        tier=None if member.followers is None else tier_of(member.followers, platform),
        own=member.source == MEMBER_OWN,
    )


def remove_member(session: Session, member: CampaignMember) -> None:
    for snap in session.exec(
        select(PerformanceSnapshot).where(PerformanceSnapshot.member_id == member.id)
    ):
        session.delete(snap)
    session.flush()
    session.delete(member)
    session.flush()
