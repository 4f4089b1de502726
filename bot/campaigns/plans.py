"""A campaign's plan: create (also from a saved recommendation), change, end, delete.

Dates are the owner's calendar days, so "today" is read in their zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.advisor.engine.results import RECOMMENDATION_JSON
from bot.campaigns.access import CampaignError
from bot.campaigns.members import DEFAULT_CONTENT, committed_fees, members_of
from bot.domain import BRIEF_JSON
from models.base import utcnow
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot
from models.users import SavedRecommendation

MAX_NAME = 120
DEFAULT_DAYS = 30


def local_today(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


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
                # the format the engine priced from the account's rate card, if it chose one
                content_type=c.content_format or DEFAULT_CONTENT[c.platform],
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
    brief: str | None = None,
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
    if brief is not None:
        campaign.brief = clean_brief(brief)
    campaign.updated_at = utcnow()
    session.add(campaign)
    return campaign


MAX_BRIEF = 700  # characters: the offer card must stay one phone screen


def clean_brief(text: str) -> str:
    """Trimmed, blank lines collapsed; too long is refused (the owner shortens it)."""
    lines = [" ".join(line.split()) for line in text.replace("\x00", "").splitlines()]
    cleaned = "\n".join(line for line in lines if line)
    if len(cleaned) > MAX_BRIEF:
        raise CampaignError("brief_too_long", length=len(cleaned), limit=MAX_BRIEF)
    return cleaned


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
