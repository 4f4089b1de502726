"""Invites in the chat: the owner's Undang / Cabut buttons, the influencer's answers.

Owner buttons name a campaign or a member and are checked against the campaigns the presser
may change; influencer buttons name an offer and are checked against the account bound to it
(`offers.my_offer`), so a forged id reaches nothing of anyone else's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum

from sqlmodel import Session

from bot.campaigns.access import owned_campaign
from bot.campaigns.actions import Action as CampaignAction
from bot.campaigns.actions import make as campaign_make
from bot.campaigns.guard import guarded, page_at
from bot.campaigns.members import MAX_FEE, MIN_FEE, committed_fees, members_of
from bot.chat import flow
from bot.chat.buttons import Press
from bot.chat.kernel import ButtonHandler, ButtonMaker, Feature
from bot.chat.person import Person
from bot.chat.replies import COPY_TEXT_LIMIT, Button, Outcome, Reply, page_of, pager, rows
from bot.chat.texts import render
from bot.influencers import figures, offers
from bot.influencers.offers import OfferError, Opened
from bot.language.money import parse_amount
from models.agencies import Client
from models.campaigns import Campaign, CampaignMember
from models.offers import OFFER_ACCEPTED, OFFER_COUNTERED, OFFER_DECLINED, OFFER_REVOKED
from models.users import UserAccount

log = logging.getLogger(__name__)
PICK_PAGE = 20


class Action(StrEnum):
    PICK = "pick"  # campaign id, page: whom to invite
    INVITE = "invite"  # member id: a new link, or the current invitation's state
    RENEW = "renew"  # member id: a new link replacing an open one
    REVOKE = "revoke"  # member id
    TAKE_COUNTER = "take"  # member id: the owner agrees to the proposed fee
    ACCEPT = "accept"  # offer id (influencer)
    DECLINE = "decline"  # offer id (influencer)
    COUNTER = "counter"  # offer id (influencer): asks for a fee
    UNDO = "undo"  # entry id (influencer): takes back figures they just sent
    PROOF = "proof"  # proof id (owner): shows the influencer's screenshot
    SHOW = "show"  # offer id (influencer): the offer again


class Step(StrEnum):
    COUNTER_FEE = "o_fee"


class CounterState(flow.FlowState):
    offer_id: int


make = ButtonMaker("offer", Action)


def error_reply(exc: OfferError) -> Reply:
    return Reply(render("offer_error", code=exc.code, params=exc.params))


def refusals(
    handler: ButtonHandler, *, on_refused: Callable[[Session, Person], None] | None = None
) -> ButtonHandler:
    """Offer refusals are explained (after `on_refused`, e.g. ending a form); an offer that
    is not theirs reads as missing; campaign refusals become the campaign feature's toasts."""

    def run(session: Session, person: Person, press: Press) -> Outcome:
        try:
            return handler(session, person, press)
        except OfferError as exc:
            if exc.code == "offer_not_found":
                log.warning("user %s pressed %r for an offer not theirs", person.id, press)
                return Outcome(toast=render("offer_error", code=exc.code, params={}), alert=True)
            if on_refused is not None:
                on_refused(session, person)
            return Outcome().add(error_reply(exc))

    return guarded(run)


def _client(session: Session, campaign: Campaign) -> Client | None:
    return session.get(Client, campaign.client_id) if campaign.client_id else None


# ---------------------------------------------------------------- the owner


def invite_button(campaign_id: int) -> Button:
    """The campaign view's entry to invites."""
    return Button("📨 Undang influencer", make(Action.PICK, campaign_id))


def pick(session: Session, person: Person, press: Press) -> Outcome:
    campaign = owned_campaign(session, owner_id=person.id, campaign_id=press.id(0))
    members = members_of(session, campaign_id=campaign.id)
    statuses = offers.member_statuses(session, campaign, members)
    shown, page, pages = page_of(members, page_at(press, 1), PICK_PAGE)
    buttons = [
        Button(
            f"@{m.handle}" + (f" · {statuses[m.id]}" if m.id in statuses else ""),
            make(Action.INVITE, m.id),
        )
        for m in shown
    ]
    keyboard = (
        *rows(*buttons, per_row=1),
        *(
            (nav,)
            if (nav := pager(page, pages, lambda p: make(Action.PICK, campaign.id, p)))
            else ()
        ),
        (Button("⬅ Kembali", campaign_make(CampaignAction.DETAIL, campaign.id)),),
    )
    return Outcome().add(
        Reply(render("offer", view="pick", campaign=campaign), buttons=keyboard, edit=True)
    )


def invite(session: Session, person: Person, press: Press) -> Outcome:
    """A member never invited gets a link; an invited one shows where it stands first."""
    member = offers.managed_member(session, user_id=person.id, member_id=press.id(0))
    current = offers.offer_of(session, member_id=member.id)
    if current is None or current.status == OFFER_REVOKED:
        return renew(session, person, press)
    status = offers.member_statuses(session, _campaign(session, member), [member])[member.id]
    back = Button("⬅ Kampanye", campaign_make(CampaignAction.DETAIL, member.campaign_id))
    first: tuple[Button, ...] = (Button("🚫 Cabut undangan", make(Action.REVOKE, member.id)),)
    if current.status not in (OFFER_ACCEPTED, OFFER_COUNTERED):
        first = (Button("🔁 Buat link baru", make(Action.RENEW, member.id)), *first)
    elif current.status == OFFER_COUNTERED:
        first = (Button("✅ Setujui fee", make(Action.TAKE_COUNTER, member.id)), *first)
    text = render("offer", view="state", member=member, offer=current, status=status)
    return Outcome().add(Reply(text, buttons=(first, (back,))))


def _campaign(session: Session, member: CampaignMember) -> Campaign:
    campaign = session.get(Campaign, member.campaign_id)
    assert campaign is not None  # the member's foreign key
    return campaign


def renew(session: Session, person: Person, press: Press) -> Outcome:
    member = offers.managed_member(session, user_id=person.id, member_id=press.id(0))
    offer, token = offers.invite(session, member)
    link = offers.invite_link(person.bot_username, token)
    assert len(link) <= COPY_TEXT_LIMIT
    keyboard = (
        (Button("📋 Salin link", copy_text=link),),
        (
            Button("🚫 Cabut undangan", make(Action.REVOKE, member.id)),
            Button("⬅ Kampanye", campaign_make(CampaignAction.DETAIL, member.campaign_id)),
        ),
    )
    text = render("offer", view="link", member=member, offer=offer, link=link)
    return Outcome().add(Reply(text, buttons=keyboard))


def revoke(session: Session, person: Person, press: Press) -> Outcome:
    member = offers.managed_member(session, user_id=person.id, member_id=press.id(0))
    offer = offers.offer_of(session, member_id=member.id)
    if offer is None:
        raise OfferError("not_invited")
    was = offer.status
    offers.revoke(session, offer)
    back = Button("⬅ Kampanye", campaign_make(CampaignAction.DETAIL, member.campaign_id))
    outcome = Outcome().add(
        Reply(render("offer", view="revoked", member=member), buttons=((back,),))
    )
    if offer.influencer_chat_id is not None and was not in (OFFER_DECLINED, OFFER_REVOKED):
        campaign = _campaign(session, member)
        notice = render("offer", view="revoked_notice", member=member, campaign=campaign)
        outcome.add(Reply(notice, chat_id=offer.influencer_chat_id))
    return outcome


def take_counter(session: Session, person: Person, press: Press) -> Outcome:
    member = offers.managed_member(session, user_id=person.id, member_id=press.id(0))
    campaign = owned_campaign(session, owner_id=person.id, campaign_id=member.campaign_id)
    offer = offers.offer_of(session, member_id=member.id)
    if offer is None or offer.counter_fee_idr is None or offer.status != OFFER_COUNTERED:
        raise OfferError("no_counter")
    fees = committed_fees(session, campaign_id=campaign.id) - member.fee_idr + offer.counter_fee_idr
    if fees > campaign.budget_idr:
        raise OfferError("fees_over_budget", fee=offer.counter_fee_idr, budget=campaign.budget_idr)
    offers.take_counter(session, offer, member)
    outcome = Outcome().add(Reply(render("offer", view="counter_taken", member=member)))
    if offer.influencer_chat_id is not None:
        notice = render("offer", view="counter_taken_notice", member=member, campaign=campaign)
        outcome.add(Reply(notice, chat_id=offer.influencer_chat_id))
    return outcome


# ---------------------------------------------------------------- the influencer


def start_with_invite(session: Session, person: Person, payload: str) -> Outcome:
    """/start inv_<token>: the offer, bound to this account on first open."""
    try:
        opened = offers.open_link(
            session, payload=payload, user_id=person.id, chat_id=person.chat_id
        )
    except OfferError as exc:
        log.info("user %s could not open an invite: %s", person.id, exc.code)
        return Outcome().add(error_reply(exc))
    return Outcome().add(offer_reply(session, person, opened))


def my_offers_reply(session: Session, person: Person) -> Reply | None:
    """On /start without a link: the offers this account answers or works on, if any."""
    mine = [
        o
        for o in offers.offers_of_user(session, user_id=person.id)
        if o.offer.status != OFFER_REVOKED and o.campaign.status == "active"
    ]
    if not mine:
        return None
    buttons = [
        Button(f"@{o.member.handle} · {o.campaign.name}"[:40], make(Action.SHOW, o.offer.id))
        for o in mine[:10]
    ]
    return Reply(render("offer", view="mine", count=len(mine)), buttons=rows(*buttons, per_row=1))


def show(session: Session, person: Person, press: Press) -> Outcome:
    opened = offers.my_offer(session, user_id=person.id, offer_id=press.id(0))
    return Outcome().add(offer_reply(session, person, opened))


def offer_reply(session: Session, person: Person, opened: Opened, *, edit: bool = False) -> Reply:
    offer = opened.offer
    owner = session.get(UserAccount, opened.campaign.owner_user_id)
    text = render(
        "offer",
        view="offer",
        name=person.first_name,
        offer=offer,
        member=opened.member,
        campaign=opened.campaign,
        client=_client(session, opened.campaign),
        owner_name=owner.first_name if owner else "",
    )
    keyboard: tuple[tuple[Button, ...], ...] = ()
    if offer.status in offers.OPEN and opened.campaign.status == "active":
        keyboard = (
            (
                Button("✅ Terima", make(Action.ACCEPT, offer.id)),
                Button("❌ Tolak", make(Action.DECLINE, offer.id)),
            ),
            (Button("💬 Ajukan fee lain", make(Action.COUNTER, offer.id)),),
        )
    elif offer.status == OFFER_ACCEPTED and opened.campaign.status == "active":
        keyboard = ((figures.guided_button(offer.id),),)
    return Reply(text, buttons=keyboard, edit=edit)


def _answered(session: Session, opened: Opened, status: str) -> Outcome:
    """The influencer's confirmation, and the owner told in their own chat."""
    offer, member, campaign = opened.offer, opened.member, opened.campaign
    reporting = ((figures.guided_button(offer.id),),) if status == OFFER_ACCEPTED else ()
    outcome = Outcome().add(
        Reply(render("offer", view="answered", status=status, offer=offer), buttons=reporting)
    )
    notice = render(
        "offer", view="owner_notice", status=status, offer=offer, member=member, campaign=campaign
    )
    buttons: tuple[tuple[Button, ...], ...] = ()
    if status == OFFER_COUNTERED:
        buttons = (
            (
                Button("✅ Setujui fee", make(Action.TAKE_COUNTER, member.id)),
                Button("🚫 Cabut undangan", make(Action.REVOKE, member.id)),
            ),
        )
    # Private chats: the owner's user id is their chat with the bot.
    return outcome.add(Reply(notice, buttons=buttons, chat_id=campaign.owner_user_id))


def accept(session: Session, person: Person, press: Press) -> Outcome:
    opened = offers.my_offer(session, user_id=person.id, offer_id=press.id(0))
    offers.answer(session, opened, OFFER_ACCEPTED)
    flow.leave(session, person)
    return _answered(session, opened, OFFER_ACCEPTED)


def decline(session: Session, person: Person, press: Press) -> Outcome:
    opened = offers.my_offer(session, user_id=person.id, offer_id=press.id(0))
    offers.answer(session, opened, OFFER_DECLINED)
    flow.leave(session, person)
    return _answered(session, opened, OFFER_DECLINED)


def ask_counter(session: Session, person: Person, press: Press) -> Outcome:
    opened = offers.my_offer(session, user_id=person.id, offer_id=press.id(0))
    if opened.offer.status not in offers.OPEN:
        raise OfferError("answered", status=opened.offer.status)
    flow.enter(session, person, Step.COUNTER_FEE, CounterState(offer_id=opened.offer.id))
    return Outcome().add(Reply(render("offer", view="ask_fee", member=opened.member)))


def counter_text(session: Session, person: Person, text: str) -> Outcome:
    """The proposed fee; unreadable or absurd is explained and the question stays open."""
    form = flow.state_of(flow.conversation(session, person), CounterState)
    try:
        if form is None:
            raise OfferError("offer_not_found")
        opened = offers.my_offer(session, user_id=person.id, offer_id=form.offer_id)
        fee = read_fee(text, offered=opened.member.fee_idr)
        offers.answer(session, opened, OFFER_COUNTERED, fee=fee)
    except OfferError as exc:
        if exc.code in ("offer_not_found", "link_revoked", "answered", "campaign_ended"):
            flow.leave(session, person)
        return Outcome().add(error_reply(exc))
    flow.leave(session, person)
    return _answered(session, opened, OFFER_COUNTERED)


def read_fee(text: str, *, offered: int) -> int:
    """A proposed fee in the budget forms ("1,5jt", "Rp 750.000"); absurd amounts refused."""
    fee = parse_amount(text.strip()[:60])
    if fee is None:
        raise OfferError("fee_unreadable", text=text.strip()[:40])
    if fee < MIN_FEE:
        raise OfferError("fee_too_small", fee=fee)
    if fee > MAX_FEE:
        raise OfferError("fee_too_large", fee=fee)
    if fee == offered:
        raise OfferError("fee_same", fee=fee)
    return fee


FEATURE = Feature(
    name="offer",
    actions=Action,
    buttons={
        Action.PICK: refusals(pick),
        Action.INVITE: refusals(invite),
        Action.RENEW: refusals(renew),
        Action.REVOKE: refusals(revoke),
        Action.TAKE_COUNTER: refusals(take_counter),
        Action.ACCEPT: refusals(accept),
        Action.DECLINE: refusals(decline),
        Action.COUNTER: refusals(ask_counter),
        Action.UNDO: figures.undo,
        Action.PROOF: refusals(figures.show_proof),
        Action.SHOW: refusals(show),
    },
    steps={Step.COUNTER_FEE: counter_text},
)
