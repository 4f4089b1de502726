"""/siaran: staff compose an update for their clients, preview it, and queue it in the outbox."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session, col, select

from bot.agencies import service as agencies
from bot.agencies.access import staff_only
from bot.agencies.service import AgencyError
from bot.chat import flow
from bot.chat.buttons import Press
from bot.chat.flow import FlowState
from bot.chat.kernel import ButtonMaker, Feature
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render, to_plain
from bot.delivery.queue import queue_broadcast
from models.agencies import Agency, BlockedChat, Broadcast, Client
from models.campaigns import Campaign

TEXT_LIMIT = 4096  # Telegram's message limit
CAPTION_LIMIT = 1024  # and a photo caption's


class Step(StrEnum):
    TEXT = "b_text"  # waiting for the update's text or photo
    AUDIENCE = "b_audience"  # a draft exists; choosing who gets it
    CONFIRM = "b_confirm"  # previewed; waiting for "Kirim"


class Action(StrEnum):
    COMPOSE = "compose"  # agency id
    AUDIENCE = "audience"  # agency id, "all" or a campaign id
    SEND = "send"  # agency id
    CANCEL = "cancel"  # agency id
    MUTE = "mute"  # agency id: under every broadcast, for its clients


make = ButtonMaker("broadcast", Action)


class BroadcastState(FlowState):
    kind: str = "broadcast"
    agency_id: int
    text: str | None = None
    photo_file_id: str | None = None
    audience: str | None = None  # "all" or "campaign:<id>"


def _state(session: Session, person: Person) -> BroadcastState | None:
    conv = flow.conversation(session, person)
    state = flow.state_of(conv, BroadcastState)
    if state is None or state.kind != "broadcast":
        return None
    return state


def command(session: Session, person: Person) -> Outcome:
    mine = agencies.memberships(session, user_id=person.id)
    if not mine:
        return Outcome().add(Reply(render("broadcast", stage="not_staff")))
    if len(mine) > 1:
        buttons = [Button(m.agency.name[:40], make(Action.COMPOSE, m.agency.id)) for m in mine[:20]]
        return Outcome().add(
            Reply(render("broadcast", stage="pick_agency"), buttons=rows(*buttons, per_row=1))
        )
    return compose(session, person, mine[0].agency)


def compose(session: Session, person: Person, agency: Agency) -> Outcome:
    flow.enter(session, person, Step.TEXT, BroadcastState(agency_id=agency.id))
    return Outcome().add(
        Reply(render("broadcast", stage="ask_text", agency=agency, limit=TEXT_LIMIT))
    )


def text(
    session: Session, person: Person, message: str, *, photo_file_id: str | None = None
) -> Outcome:
    """The update's text (or a photo with its caption); refused with the limit when too long.

    In any step of the flow a new text (or photo) is the new draft.
    """
    state = _state(session, person)
    if state is None:
        flow.leave(session, person)
        return Outcome().add(Reply(render("broadcast", stage="expired")))
    try:
        agency = agencies.require_staff(session, user_id=person.id, agency_id=state.agency_id)
    except AgencyError:  # removed from the team (or the agency is gone) while composing
        flow.leave(session, person)
        return Outcome().add(Reply(render("agency_error", code="not_allowed", params={})))
    # The message carries the agency's name above the text: leave room for it.
    header = len(f"📣 {agency.name}\n\n".encode("utf-16-le")) // 2
    limit = (CAPTION_LIMIT if photo_file_id else TEXT_LIMIT) - header
    if not message.strip() and not photo_file_id:
        return Outcome().add(Reply(render("broadcast", stage="empty")))
    if len(message.encode("utf-16-le")) // 2 > limit:
        length = len(message.encode("utf-16-le")) // 2
        return Outcome().add(
            Reply(
                render(
                    "broadcast",
                    stage="too_long",
                    length=length,
                    limit=limit,
                    photo=bool(photo_file_id),
                )
            )
        )
    state.text, state.photo_file_id, state.audience = message, photo_file_id, None
    flow.enter(session, person, Step.AUDIENCE, state)
    campaigns = session.exec(
        select(Campaign).where(
            col(Campaign.agency_id) == agency.id,
            col(Campaign.client_id).is_not(None),
            col(Campaign.status) == "active",
        )
    ).all()
    buttons = [
        Button(
            f"👥 Semua klien ({len(recipients(session, agency.id, None))})",
            make(Action.AUDIENCE, agency.id, "all"),
        )
    ]
    buttons += [
        Button(f"📋 #{c.id} {c.name}"[:40], make(Action.AUDIENCE, agency.id, c.id))
        for c in campaigns[:10]
    ]
    return Outcome().add(
        Reply(render("broadcast", stage="ask_audience"), buttons=rows(*buttons, per_row=1))
    )


def recipients(session: Session, agency_id: int, campaign_id: int | None) -> list[int]:
    """Joined, unmuted clients' chats (blocked chats are still counted out at send time)."""
    query = select(Client).where(
        col(Client.agency_id) == agency_id,
        col(Client.chat_id).is_not(None),
        col(Client.muted).is_(False),
    )
    if campaign_id is not None:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None or campaign.agency_id != agency_id or campaign.client_id is None:
            return []
        query = query.where(col(Client.id) == campaign.client_id)
    return sorted({c.chat_id for c in session.exec(query).all() if c.chat_id is not None})


def _compose(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    return compose(session, person, agency)


def _draft(session: Session, person: Person, agency: Agency) -> BroadcastState | None:
    """The draft this button belongs to, or None when it is from an older or other flow."""
    state = _state(session, person)
    if state is None or state.agency_id != agency.id or state.text is None:
        return None
    return state


def _stale() -> Outcome:
    return Outcome(toast=to_plain(render("toast", kind="stale")))


def _audience(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    state = _draft(session, person, agency)
    if state is None:
        return _stale()
    campaign_id = None if press.word(1) == "all" else press.id(1)
    chats = recipients(session, agency.id, campaign_id)
    blocked = (
        set(
            session.exec(
                select(col(BlockedChat.chat_id)).where(col(BlockedChat.chat_id).in_(chats))
            ).all()
        )
        if chats
        else set()
    )
    state.audience = "all" if campaign_id is None else f"campaign:{campaign_id}"
    flow.enter(session, person, Step.CONFIRM, state)
    keyboard = rows(
        Button("📣 Kirim", make(Action.SEND, agency.id)),
        Button("Batal", make(Action.CANCEL, agency.id)),
    )
    # The update exactly as clients will get it (it fits one message by construction),
    # then the question: together they could exceed Telegram's 4,096 characters.
    message = render("broadcast_message", agency=agency.name, text=state.text)
    question = render(
        "broadcast",
        stage="preview",
        agency=agency,
        photo=bool(state.photo_file_id),
        count=len(chats) - len(blocked),
        blocked=len(blocked),
    )
    return Outcome().add(Reply(message)).add(Reply(question, buttons=keyboard))


def _cancel(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    if _draft(session, person, agency) is None:
        return _stale()
    flow.leave(session, person)
    return Outcome().add(Reply(render("broadcast", stage="cancelled"), edit=True))


def _send(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    state = _draft(session, person, agency)
    if state is None or state.audience is None or state.text is None:
        return _stale()
    audience = state.audience
    campaign_id = None if audience == "all" else int(audience.split(":")[1])
    chats = recipients(session, agency.id, campaign_id)
    broadcast = Broadcast(
        agency_id=agency.id,
        created_by=person.id,
        text=state.text,
        photo_file_id=state.photo_file_id,
        audience=audience,
        status="queued",
        progress_chat_id=person.chat_id,
        # The confirmation message becomes the running count, then the final report.
        progress_message_id=person.message_id,
    )
    session.add(broadcast)
    session.flush()
    assert broadcast.id is not None
    counts = queue_broadcast(session, broadcast_id=broadcast.id, chat_ids=chats)
    flow.leave(session, person)
    return Outcome().add(
        Reply(
            render("broadcast", stage="queued", queued=counts.queued, blocked=counts.blocked),
            edit=True,
        )
    )


def _mute(session: Session, person: Person, press: Press) -> Outcome:
    """The button under every broadcast: the client mutes that agency's broadcasts."""
    press.id(0)  # the agency it came from; muting applies to the client's own agency
    try:
        client = agencies.set_muted(session, user_id=person.id, muted=True)
    except AgencyError:
        return Outcome(toast=to_plain(render("agency_error", code="not_a_client", params={})))
    agency = session.get(Agency, client.agency_id)
    return Outcome(toast=to_plain(render("agency", view="muted", agency=agency)))


FEATURE = Feature(
    name="broadcast",
    actions=Action,
    buttons={
        Action.COMPOSE: staff_only(_compose),
        Action.AUDIENCE: staff_only(_audience),
        Action.SEND: staff_only(_send),
        Action.CANCEL: staff_only(_cancel),
        Action.MUTE: _mute,
    },
    steps={Step.TEXT: text, Step.AUDIENCE: text, Step.CONFIRM: text},
    photo_steps={
        Step.TEXT: lambda s, p, caption, file_id: text(s, p, caption, photo_file_id=file_id),
        Step.AUDIENCE: lambda s, p, caption, file_id: text(s, p, caption, photo_file_id=file_id),
        Step.CONFIRM: lambda s, p, caption, file_id: text(s, p, caption, photo_file_id=file_id),
    },
)
