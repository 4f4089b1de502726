"""Campaign buttons and form answers: ids checked against the presser, refusals explained.

A campaign or pending-upload id from a button is looked up with the presser's id every time,
so a forged or outdated one only ever reaches their own rows; anything else reads as gone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlmodel import Session

from bot.campaigns.access import CampaignError, owned_campaign, viewable_campaign
from bot.chat.buttons import BadButton, Press
from bot.chat.kernel import ButtonHandler, TextHandler
from bot.chat.person import Person
from bot.chat.replies import Outcome, Reply
from bot.chat.texts import render
from models.campaigns import Campaign
from models.uploads import PendingKind, find

log = logging.getLogger(__name__)

CampaignButton = Callable[[Session, Person, Campaign, Press], Outcome]


def error_reply(exc: CampaignError) -> Reply:
    return Reply(render("campaign_error", code=exc.code, params=exc.params))


def gone_kind(code: str) -> str:
    """The toast for a missing thing: a campaign button names the campaign, not a recommendation."""
    if code == "recommendation_not_found":
        return "gone"
    if code in ("member_not_found", "influencer_not_found"):
        return "member_gone"
    return "campaign_gone"


def guarded(handler: ButtonHandler) -> ButtonHandler:
    """Refusals become a "gone" toast (missing or not theirs) or the explanation."""

    def run(session: Session, person: Person, press: Press) -> Outcome:
        try:
            return handler(session, person, press)
        except CampaignError as exc:
            if exc.code == "campaign_not_found":
                log.warning(
                    "user %s pressed %r for a campaign they do not own or that is gone",
                    person.id,
                    press,
                )
            if exc.code.endswith("not_found"):
                return Outcome(toast=render("toast", kind=gone_kind(exc.code)), alert=True)
            return Outcome().add(error_reply(exc))

    return run


def managed(handler: CampaignButton) -> ButtonHandler:
    """A button whose first argument is a campaign the presser may change."""

    def run(session: Session, person: Person, press: Press) -> Outcome:
        campaign = owned_campaign(session, owner_id=person.id, campaign_id=press.id(0))
        return handler(session, person, campaign, press)

    return guarded(run)


def viewed(handler: CampaignButton) -> ButtonHandler:
    """A button whose first argument is a campaign the presser may look at (clients too)."""

    def run(session: Session, person: Person, press: Press) -> Outcome:
        campaign = viewable_campaign(session, user_id=person.id, campaign_id=press.id(0))
        return handler(session, person, campaign, press)

    return guarded(run)


def page_at(press: Press, index: int) -> int:
    """The page a pager button asks for (absent: the first)."""
    return press.id(index) if press.has(index) else 0


def take_pending(session: Session, person: Person, press: Press, kind: PendingKind) -> bytes | None:
    """The payload of the pending item the button names, removed; None when already used.

    Someone else's item is refused like any forged button.
    """
    item = find(session, item_id=press.id(0), kind=kind)
    if item is None:
        return None
    if item.user_id != person.id or item.chat_id != person.chat_id:
        raise BadButton(f"pending item {item.id} belongs to another chat")
    payload = item.payload
    session.delete(item)
    session.flush()
    return payload


def answering(handler: TextHandler) -> TextHandler:
    """A form step whose refusals are explained, the form staying where it is."""

    def run(session: Session, person: Person, text: str) -> Outcome:
        try:
            return handler(session, person, text)
        except CampaignError as exc:
            return Outcome().add(error_reply(exc))

    return run
