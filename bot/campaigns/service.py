"""Campaign services: create, staff with influencers, record performance; shared by chat and CLI.

Every function takes the caller's Session (one transaction) and checks what it is given;
ownership is checked here, by owner id, never trusted from callback data.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlmodel import Session, select

from bot.advisor.engine.results import RECOMMENDATION_JSON
from bot.domain import BRIEF_JSON, Platform, tier_of
from bot.reports.kpi.figures import (
    FIGURE_FIELDS,
    Figures,
    Snapshot,
    latest_per_post,
    validate_figures,
)
from bot.reports.kpi.rates import Member
from models.agencies import AgencyStaff, Client
from models.base import utcnow
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot
from models.influencers import GLOBAL_SCOPE, Influencer
from models.users import SavedRecommendation

MAX_NAME = 120
CONTENT_TYPES = ("feed", "reels", "story", "video", "live", "shorts")
DEFAULT_CONTENT = {
    Platform.INSTAGRAM: "reels",
    Platform.TIKTOK: "video",
    Platform.YOUTUBE: "video",
    Platform.FACEBOOK: "feed",
    Platform.X: "feed",
}
DEFAULT_DAYS = 30


class CampaignError(ValueError):
    """A refused request; `code` picks the Indonesian explanation, `params` fill it in."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# ---------------------------------------------------------------- campaigns


def staff_agency_ids(session: Session, *, user_id: int) -> set[int]:
    return set(
        session.exec(select(AgencyStaff.agency_id).where(AgencyStaff.user_id == user_id)).all()
    )


def client_id_of(session: Session, *, user_id: int) -> int | None:
    return session.exec(select(Client.id).where(Client.user_id == user_id)).first()


def can_manage(session: Session, campaign: Campaign, *, user_id: int) -> bool:
    """Its owner, or staff of the agency that runs it for a client."""
    if campaign.owner_user_id == user_id:
        return True
    return campaign.agency_id is not None and campaign.agency_id in staff_agency_ids(
        session, user_id=user_id
    )


def owned_campaign(session: Session, *, owner_id: int, campaign_id: int) -> Campaign:
    """A campaign the user may change; anything else is as good as missing."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or not can_manage(session, campaign, user_id=owner_id):
        raise CampaignError("campaign_not_found", campaign_id=campaign_id)
    return campaign


def viewable_campaign(session: Session, *, user_id: int, campaign_id: int) -> Campaign:
    """A campaign the user may look at: managers, and the client it is run for."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is not None and can_manage(session, campaign, user_id=user_id):
        return campaign
    client_id = client_id_of(session, user_id=user_id)
    if campaign is None or client_id is None or campaign.client_id != client_id:
        raise CampaignError("campaign_not_found", campaign_id=campaign_id)
    return campaign


def list_campaigns(session: Session, *, owner_id: int) -> list[Campaign]:
    """The user's own campaigns, their agencies' campaigns, and (for a client) its own."""
    conditions = [Campaign.owner_user_id == owner_id]
    agencies = staff_agency_ids(session, user_id=owner_id)
    if agencies:
        conditions.append(Campaign.agency_id.in_(agencies))
    client_id = client_id_of(session, user_id=owner_id)
    if client_id is not None:
        conditions.append(Campaign.client_id == client_id)
    return list(
        session.exec(
            select(Campaign)
            .where(or_(*conditions))
            .order_by(Campaign.status, Campaign.created_at.desc())
        )
    )


def validate_plan(*, name: str, budget: int, start: date, end: date) -> None:
    if not name.strip():
        raise CampaignError("name_empty")
    if len(name.strip()) > MAX_NAME:
        raise CampaignError("name_too_long", limit=MAX_NAME)
    if budget <= 0:
        raise CampaignError("budget_not_positive")
    if end < start:
        raise CampaignError("dates_reversed", start=start, end=end)


def create_campaign(
    session: Session,
    *,
    owner_id: int,
    name: str,
    budget: int,
    start: date,
    end: date,
    goal: str | None = None,
    recommendation_id: int | None = None,
    agency_id: int | None = None,
    client_id: int | None = None,
) -> Campaign:
    validate_plan(name=name, budget=budget, start=start, end=end)
    campaign = Campaign(
        owner_user_id=owner_id,
        agency_id=agency_id,
        client_id=client_id,
        name=" ".join(name.split()),
        budget_idr=budget,
        start_date=start,
        end_date=end,
        goal=goal,
        recommendation_id=recommendation_id,
    )
    session.add(campaign)
    session.flush()
    return campaign


def campaign_from_recommendation(
    session: Session, *, owner_id: int, rec_id: int, today: date, name: str
) -> Campaign:
    """A saved recommendation becomes a campaign with its portfolio as members."""
    row = session.get(SavedRecommendation, rec_id)
    if row is None or row.user_id != owner_id:
        raise CampaignError("recommendation_not_found")
    brief = BRIEF_JSON.load(row.brief)
    rec = RECOMMENDATION_JSON.load(row.result)
    campaign = create_campaign(
        session,
        owner_id=owner_id,
        name=name,
        budget=brief.budget,
        start=today,
        end=today + timedelta(days=DEFAULT_DAYS),
        goal=brief.goal.value,
        recommendation_id=rec_id,
    )
    portfolio = rec.portfolio()
    for pick in portfolio.picks if portfolio else ():
        c = pick.candidate
        session.add(
            CampaignMember(
                campaign_id=campaign.id,
                influencer_id=c.id,
                platform=c.platform.value,
                handle=c.handle,
                name=c.name,
                followers=c.followers,
                fee_idr=c.price_idr,
                content_type=DEFAULT_CONTENT[c.platform],
            )
        )
    session.flush()
    return campaign


def update_campaign(
    session: Session,
    campaign: Campaign,
    *,
    name: str | None = None,
    budget: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Campaign:
    new_name = campaign.name if name is None else name
    new_budget = campaign.budget_idr if budget is None else budget
    new_start = campaign.start_date if start is None else start
    new_end = campaign.end_date if end is None else end
    validate_plan(name=new_name, budget=new_budget, start=new_start, end=new_end)
    fees = committed_fees(session, campaign_id=campaign.id)
    if fees > new_budget:
        raise CampaignError("budget_below_fees", fees=fees, budget=new_budget)
    campaign.name = " ".join(new_name.split())
    campaign.budget_idr = new_budget
    campaign.start_date, campaign.end_date = new_start, new_end
    campaign.updated_at = utcnow()
    session.add(campaign)
    return campaign


def end_campaign(session: Session, campaign: Campaign) -> None:
    campaign.status = "ended"
    campaign.updated_at = utcnow()
    session.add(campaign)


def delete_campaign(session: Session, campaign: Campaign) -> None:
    """Members, snapshots, schedule, runs and report log go with it (ON DELETE CASCADE)."""
    for member in members_of(session, campaign_id=campaign.id):
        for snap in session.exec(
            select(PerformanceSnapshot).where(PerformanceSnapshot.member_id == member.id)
        ):
            session.delete(snap)
        session.delete(member)
    session.flush()
    session.delete(campaign)


# ---------------------------------------------------------------- members


def members_of(session: Session, *, campaign_id: int) -> list[CampaignMember]:
    return list(
        session.exec(
            select(CampaignMember)
            .where(CampaignMember.campaign_id == campaign_id)
            .order_by(CampaignMember.id)
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


# ---------------------------------------------------------------- performance


@dataclass(frozen=True)
class SnapshotInput:
    member: CampaignMember
    figures: Figures
    recorded_at: datetime
    post_key: str = ""


def check_snapshot(item: SnapshotInput) -> list[str]:
    """Machine codes of what is wrong with one snapshot (empty when it may be stored)."""
    problems = []
    if item.figures.is_empty():
        problems.append("no_figures")
    problems += validate_figures(item.figures, followers=item.member.followers)
    if item.recorded_at > utcnow() + timedelta(minutes=5):
        problems.append("in_future")
    return problems


def record_snapshots(session: Session, items: Sequence[SnapshotInput], *, source: str) -> str:
    """Store all or none; returns the entry id that undoes exactly these rows.

    Each snapshot is also checked merged with what the post already reported, so "like
    12000" after "views 10000" is caught even though each line alone looks fine.
    """
    known: dict[int, dict] = {}
    for item in items:
        problems = check_snapshot(item)
        if not problems:
            if item.member.campaign_id not in known:
                known[item.member.campaign_id] = latest_per_post(
                    snapshots_of(session, campaign_id=item.member.campaign_id)
                )
            before = known[item.member.campaign_id].get((item.member.id, item.post_key), Figures())
            problems = validate_figures(
                before.merged(item.figures), followers=item.member.followers
            )
        if problems:
            raise CampaignError("bad_figures", handle=item.member.handle, problems=problems)
    entry_id = uuid.uuid4().hex
    for item in items:
        values = {name: getattr(item.figures, name) for name in FIGURE_FIELDS}
        session.add(
            PerformanceSnapshot(
                member_id=item.member.id,
                post_key=item.post_key,
                recorded_at=item.recorded_at,
                source=source,
                entry_id=entry_id,
                **values,
            )
        )
    session.flush()
    return entry_id


def undo_entry(session: Session, *, owner_id: int, entry_id: str) -> int:
    """Remove one capture's rows, only from the owner's own campaigns."""
    rows = session.exec(
        select(PerformanceSnapshot, Campaign)
        .join(CampaignMember, CampaignMember.id == PerformanceSnapshot.member_id)
        .join(Campaign, Campaign.id == CampaignMember.campaign_id)
        .where(PerformanceSnapshot.entry_id == entry_id)
    ).all()
    removed = 0
    for snap, campaign in rows:
        if not can_manage(session, campaign, user_id=owner_id):
            raise CampaignError("entry_not_found")
        session.delete(snap)
        removed += 1
    return removed


def snapshots_of(session: Session, *, campaign_id: int) -> list[Snapshot]:
    rows = session.exec(
        select(PerformanceSnapshot)
        .join(CampaignMember, CampaignMember.id == PerformanceSnapshot.member_id)
        .where(CampaignMember.campaign_id == campaign_id)
        .order_by(PerformanceSnapshot.recorded_at, PerformanceSnapshot.id)
    )
    return [
        Snapshot(
            member_id=row.member_id,
            post_key=row.post_key,
            recorded_at=row.recorded_at,
            figures=Figures(**{name: getattr(row, name) for name in FIGURE_FIELDS}),
        )
        for row in rows
    ]


def local_today(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


def remove_member(session: Session, member: CampaignMember) -> None:
    for snap in session.exec(
        select(PerformanceSnapshot).where(PerformanceSnapshot.member_id == member.id)
    ):
        session.delete(snap)
    session.flush()
    session.delete(member)
    session.flush()
