"""The campaign feature's forms: what they collect, how a question is asked, dates read.

A new campaign collects its name and budget (`CreateState`); adding an influencer and the
edits work on one existing campaign (`CampaignState`). The JSON keys are those stored since
the first version, so forms started before an upgrade carry on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlmodel import Session

from bot.campaigns.access import CampaignError, staff_agency_ids
from bot.campaigns.actions import Action, Step, make
from bot.campaigns.guard import answering, error_reply
from bot.campaigns.members import CONTENT_TYPES
from bot.campaigns.plans import local_today
from bot.chat import flow
from bot.chat.flow import FlowState
from bot.chat.kernel import TextHandler
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.chat.zones import timezone_of
from bot.language.dates import parse_date_range
from bot.language.money import parse_budget
from models.agencies import Client

DURATIONS = ((7, "7 hari"), (14, "14 hari"), (30, "30 hari"))
S = TypeVar("S", bound=FlowState)


class CreateState(FlowState):
    """A new campaign's answers so far."""

    name: str | None = None
    budget: int | None = None


class CampaignState(FlowState):
    """A form about one existing campaign: adding an influencer, changing a field."""

    campaign_id: int


def ask(session: Session, person: Person, step: Step, state: FlowState, field: str) -> Reply:
    """Move the chat to `step` and ask for `field` (dates come with one-tap durations)."""
    flow.enter(session, person, step, state)
    buttons: tuple[tuple[Button, ...], ...] = ()
    if field == "dates":
        buttons = rows(
            *(Button(label, make(Action.DURATION, days)) for days, label in DURATIONS), per_row=3
        )
    return Reply(render("campaign_ask", field=field, content_types=CONTENT_TYPES), buttons=buttons)


def state(session: Session, person: Person, model: type[S]) -> S | None:
    return flow.state_of(flow.conversation(session, person), model)


def expired(session: Session, person: Person) -> Outcome:
    """The form's state is gone (cleared, or from a version that stored something else)."""
    flow.leave(session, person)
    return Outcome().add(error_reply(CampaignError("form_expired")))


def dates_answer(
    step: Step, model: type[S], finish: Callable[[Session, Person, S, date, date], Outcome]
) -> TextHandler:
    """A typed date range; a refusal is explained and the one-tap durations offered again."""

    def run(session: Session, person: Person, text: str) -> Outcome:
        form = state(session, person, model)
        if form is None:
            return expired(session, person)
        try:
            span = parse_date_range(text, today=local_today(timezone_of(session, person)))
            if span is None:
                raise CampaignError("dates_unreadable")
            if span[1] < span[0]:
                raise CampaignError("dates_reversed", start=span[0], end=span[1])
            return finish(session, person, form, *span)
        except CampaignError as exc:
            return Outcome().add(error_reply(exc)).add(ask(session, person, step, form, "dates"))

    return run


def budget_answer(
    model: type[S], finish: Callable[[Session, Person, S, int], Outcome]
) -> TextHandler:
    """A typed budget; one that cannot be read is explained and the question stays open."""

    @answering
    def run(session: Session, person: Person, text: str) -> Outcome:
        parsed = parse_budget(text)
        if parsed.amount is None:
            error = parsed.error or "not_a_number"
            return Outcome().add(Reply(render("budget_error", error=error, text=text[:60])))
        form = state(session, person, model)
        if form is None:
            return expired(session, person)
        return finish(session, person, form, parsed.amount)

    return run


def acting_for(session: Session, person: Person) -> tuple[int | None, int | None]:
    """(agency id, client id) the staff member works for now, if still allowed."""
    conv = flow.conversation(session, person)
    acting = conv.answers.get("acting_for") or {}
    agency_id, client_id = acting.get("agency_id"), acting.get("client_id")
    if agency_id is None or client_id is None:
        return None, None
    client = session.get(Client, client_id)
    if (
        client is None
        or client.agency_id != agency_id
        or agency_id not in staff_agency_ids(session, user_id=person.id)
    ):
        return None, None
    return agency_id, client_id
