"""A new campaign: name, budget and dates asked one by one, or made from a saved recommendation.

A staff member working for a client creates it for that client's agency.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from bot.campaigns.access import CampaignError
from bot.campaigns.actions import Step
from bot.campaigns.edits import apply_edit
from bot.campaigns.forms import (
    DURATIONS,
    CampaignState,
    CreateState,
    acting_for,
    ask,
    budget_answer,
    dates_answer,
    expired,
    state,
)
from bot.campaigns.guard import answering
from bot.campaigns.plans import (
    MAX_NAME,
    campaign_from_recommendation,
    create_campaign,
    local_today,
)
from bot.campaigns.views import detail_reply
from bot.chat import flow
from bot.chat.buttons import Press
from bot.chat.formatting import short_date
from bot.chat.person import Person
from bot.chat.replies import Outcome, Reply
from bot.chat.texts import render, to_plain
from bot.chat.zones import timezone_of
from bot.domain import BRIEF_JSON
from models.users import SavedRecommendation


def new(session: Session, person: Person, press: Press) -> Outcome:
    return Outcome().add(ask(session, person, Step.NAME, CreateState(), "name"))


@answering
def name_text(session: Session, person: Person, text: str) -> Outcome:
    name = " ".join(text.split())
    if not name:
        raise CampaignError("name_empty")
    if len(name) > MAX_NAME:
        raise CampaignError("name_too_long", limit=MAX_NAME)
    form = (state(session, person, CreateState) or CreateState()).model_copy(update={"name": name})
    return Outcome().add(ask(session, person, Step.BUDGET, form, "budget"))


def _ask_dates(session: Session, person: Person, form: CreateState, budget: int) -> Outcome:
    if form.name is None:
        return expired(session, person)
    form = form.model_copy(update={"budget": budget})
    return Outcome().add(ask(session, person, Step.DATES, form, "dates"))


budget_text = budget_answer(CreateState, _ask_dates)


def create(session: Session, person: Person, form: CreateState, start: date, end: date) -> Outcome:
    if form.name is None or form.budget is None:
        return expired(session, person)
    agency_id, client_id = acting_for(session, person)
    campaign = create_campaign(
        session,
        owner_id=person.id,
        name=form.name,
        budget=form.budget,
        start=start,
        end=end,
        agency_id=agency_id,
        client_id=client_id,
    )
    done = render("campaign_done", action="created", name=campaign.name, campaign_id=campaign.id)
    outcome = Outcome().add(Reply(done))
    next_form = CampaignState(campaign_id=campaign.id)
    return outcome.add(ask(session, person, Step.ADD_MEMBER, next_form, "member"))


dates_text = dates_answer(Step.DATES, CreateState, create)


def duration(session: Session, person: Person, press: Press) -> Outcome:
    """A one-tap duration from today, answering the dates of a new or an edited campaign."""
    days = press.id(0)
    conv = flow.conversation(session, person)
    if conv.step not in (Step.DATES, Step.EDIT_DATES) or days not in {d for d, _ in DURATIONS}:
        return Outcome(toast=render("toast", kind="stale"))
    start = local_today(timezone_of(session, person))
    end = start + timedelta(days=days - 1)
    if conv.step == Step.EDIT_DATES:
        edited = flow.state_of(conv, CampaignState)
        if edited is None:
            return expired(session, person)
        return apply_edit(session, person, edited, start=start, end=end)
    created = flow.state_of(conv, CreateState)
    if created is None:
        return expired(session, person)
    return create(session, person, created, start, end)


def from_recommendation(session: Session, person: Person, press: Press) -> Outcome:
    rec_id = press.id(0)
    row = session.get(SavedRecommendation, rec_id)
    if row is None or row.user_id != person.id:
        raise CampaignError("recommendation_not_found")
    brief = BRIEF_JSON.load(row.brief)
    today = local_today(timezone_of(session, person))
    name = f"{brief.niche} {brief.platform.value.title()} {short_date(today)}"
    campaign = campaign_from_recommendation(
        session, owner_id=person.id, rec_id=rec_id, today=today, name=name
    )
    campaign.agency_id, campaign.client_id = acting_for(session, person)
    session.add(campaign)
    done = render("campaign_done", action="created", name=campaign.name, campaign_id=campaign.id)
    return Outcome(toast=to_plain(done)).add(detail_reply(session, campaign, edit=False))
