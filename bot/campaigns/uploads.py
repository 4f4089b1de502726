"""Performance CSVs sent in the chat: recorded for the only active campaign, or parked until
the owner picks one (``upload.campaign:<pending id>:<campaign id>``)."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session

from bot.campaigns.access import CampaignError, active_campaigns, owned_campaign
from bot.campaigns.actions import choice
from bot.campaigns.guard import take_pending
from bot.campaigns.performance_import import import_performance
from bot.chat.buttons import Press
from bot.chat.kernel import ButtonMaker, Feature
from bot.chat.person import Person
from bot.chat.replies import Outcome, Reply, rows
from bot.chat.texts import render
from bot.chat.zones import timezone_of
from models.campaigns import Campaign
from models.uploads import PendingKind, park

MAX_CSV_BYTES = 10_000_000  # Telegram lets bots download up to 20 MB
MAX_PENDING_CSV = 1_000_000  # a file parked while the owner picks the campaign


class Action(StrEnum):
    CAMPAIGN = "campaign"  # pending file id, campaign id


make = ButtonMaker("upload", Action)


def document(session: Session, person: Person, filename: str, data: bytes) -> Outcome:
    """A CSV sent in the chat: performance figures for one of the owner's campaigns."""
    if len(data) > MAX_CSV_BYTES:
        return Outcome().add(Reply(render("csv_upload", stage="too_big", limit=MAX_CSV_BYTES)))
    header = (
        data[:2000].decode("utf-8-sig", errors="replace").splitlines()[0].lower() if data else ""
    )
    if "recorded_at" not in header:
        kind = "influencers" if "price_idr" in header else "unknown"
        return Outcome().add(Reply(render("csv_upload", stage=kind)))
    active = active_campaigns(session, owner_id=person.id)
    if not active:
        return Outcome().add(Reply(render("campaign_list", campaigns=[])))
    if len(active) == 1:
        return import_document(session, person, active[0], data)
    if len(data) > MAX_PENDING_CSV:
        return Outcome().add(
            Reply(render("csv_upload", stage="too_big_pending", limit=MAX_PENDING_CSV))
        )
    item = park(
        session, chat_id=person.chat_id, user_id=person.id, kind=PendingKind.CSV, payload=data
    )
    buttons = [choice(c, make(Action.CAMPAIGN, item.id, c.id)) for c in active[:10]]
    return Outcome().add(
        Reply(render("csv_upload", stage="which"), buttons=rows(*buttons, per_row=1))
    )


def _pending_document(session: Session, person: Person, press: Press) -> Outcome:
    campaign_id = press.id(1)
    data = take_pending(session, person, press, PendingKind.CSV)
    if data is None:
        return Outcome(toast=render("toast", kind="stale"))
    try:
        campaign = owned_campaign(session, owner_id=person.id, campaign_id=campaign_id)
    except CampaignError:
        return Outcome(toast=render("toast", kind="campaign_gone"), alert=True)
    return import_document(session, person, campaign, data)


def import_document(session: Session, person: Person, campaign: Campaign, data: bytes) -> Outcome:
    """Record every row or none; times without an offset are in the owner's zone."""
    timezone = timezone_of(session, person)
    with session.begin_nested() as savepoint:
        result = import_performance(session, campaign, data, timezone=timezone, source="csv")
        if result.errors:
            savepoint.rollback()
    if result.errors:
        return Outcome().add(
            Reply(
                render(
                    "csv_upload",
                    stage="errors",
                    errors=result.errors[:15],
                    more=len(result.errors) - 15,
                )
            )
        )
    return Outcome().add(
        Reply(render("csv_upload", stage="done", count=len(result.items), campaign=campaign))
    )


FEATURE = Feature(name="upload", actions=Action, buttons={Action.CAMPAIGN: _pending_document})
