"""/siaran: staff compose an update for their clients, preview it, and queue it in the outbox."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from bot.agencies import service as agencies
from bot.agencies.service import AgencyError
from bot.chat import callbacks
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render, to_plain
from bot.delivery.outbox import queue_broadcast
from models.agencies import Agency, BlockedChat, Broadcast, Client
from models.campaigns import Campaign
from models.conversations import load_conversation, save_conversation

STEP = "b_text"
TEXT_LIMIT = 4096  # Telegram's message limit
CAPTION_LIMIT = 1024  # and a photo caption's


def _cb(agency_id: int, action: str, arg: object = "") -> str:
    return callbacks.encode("g", agency_id, action, arg)


def _flow(session: Session, person: Person) -> dict[str, Any]:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    return (
        dict(conv.answers.get("flow") or {})
        if conv.step == STEP or conv.answers.get("flow", {}).get("kind") == "broadcast"
        else {}
    )


def _save(session: Session, person: Person, step: str, flow: dict[str, Any] | None) -> None:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    answers = dict(conv.answers)
    if flow is None:
        answers.pop("flow", None)
    else:
        answers["flow"] = flow
    save_conversation(session, conv, step=step, answers=answers)


def command(session: Session, person: Person) -> Outcome:
    mine = agencies.memberships(session, user_id=person.id)
    if not mine:
        return Outcome().add(Reply(render("broadcast", stage="not_staff")))
    if len(mine) > 1:
        buttons = [Button(m.agency.name[:40], _cb(m.agency.id, "bc")) for m in mine[:20]]
        return Outcome().add(
            Reply(render("broadcast", stage="pick_agency"), buttons=rows(*buttons, per_row=1))
        )
    return compose(session, person, mine[0].agency)


def compose(session: Session, person: Person, agency: Agency) -> Outcome:
    _save(session, person, STEP, {"kind": "broadcast", "agency_id": agency.id})
    return Outcome().add(
        Reply(render("broadcast", stage="ask_text", agency=agency, limit=TEXT_LIMIT))
    )


FLOW_STEPS = frozenset({STEP, "b_audience", "b_confirm"})


def in_flow(step: str) -> bool:
    """Composing, choosing the audience or confirming: a text (or photo) now is the new draft."""
    return step in FLOW_STEPS


def text(
    session: Session, person: Person, message: str, *, photo_file_id: str | None = None
) -> Outcome:
    """The update's text (or a photo with its caption); refused with the limit when too long."""
    flow = _flow(session, person)
    agency_id = flow.get("agency_id")
    if agency_id is None:
        _save(session, person, "idle", None)
        return Outcome().add(Reply(render("broadcast", stage="expired")))
    try:
        agency = agencies.require_staff(session, user_id=person.id, agency_id=agency_id)
    except AgencyError:  # removed from the team (or the agency is gone) while composing
        _save(session, person, "idle", None)
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
    flow.update(text=message, photo_file_id=photo_file_id)
    _save(session, person, "b_audience", flow)
    campaigns = session.exec(
        select(Campaign).where(
            Campaign.agency_id == agency.id,
            Campaign.client_id.is_not(None),
            Campaign.status == "active",
        )
    ).all()
    buttons = [
        Button(
            f"👥 Semua klien ({len(recipients(session, agency.id, None))})",
            _cb(agency.id, "ba", "all"),
        )
    ]
    buttons += [
        Button(f"📋 #{c.id} {c.name}"[:40], _cb(agency.id, "ba", c.id)) for c in campaigns[:10]
    ]
    return Outcome().add(
        Reply(render("broadcast", stage="ask_audience"), buttons=rows(*buttons, per_row=1))
    )


def recipients(session: Session, agency_id: int, campaign_id: int | None) -> list[int]:
    """Joined, unmuted clients' chats (blocked chats are still counted out at send time)."""
    query = select(Client).where(
        Client.agency_id == agency_id, Client.chat_id.is_not(None), Client.muted.is_(False)
    )
    if campaign_id is not None:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None or campaign.agency_id != agency_id or campaign.client_id is None:
            return []
        query = query.where(Client.id == campaign.client_id)
    return sorted({c.chat_id for c in session.exec(query).all()})


def button(session: Session, person: Person, agency: Agency, action: str, arg: str) -> Outcome:
    if action == "bc":
        return compose(session, person, agency)
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    flow = dict(conv.answers.get("flow") or {})
    if flow.get("kind") != "broadcast" or flow.get("agency_id") != agency.id or "text" not in flow:
        return Outcome(toast=to_plain(render("toast", kind="stale")))
    if action == "ba":
        campaign_id = None if arg == "all" else (callbacks.number(arg) or -1)
        chats = recipients(session, agency.id, campaign_id)
        blocked = (
            set(
                session.exec(
                    select(BlockedChat.chat_id).where(BlockedChat.chat_id.in_(chats))
                ).all()
            )
            if chats
            else set()
        )
        flow["audience"] = "all" if campaign_id is None else f"campaign:{campaign_id}"
        _save(session, person, "b_confirm", flow)
        keyboard = rows(
            Button("📣 Kirim", _cb(agency.id, "by")), Button("Batal", _cb(agency.id, "bn"))
        )
        # The update exactly as clients will get it (it fits one message by construction),
        # then the question: together they could exceed Telegram's 4,096 characters.
        message = render("broadcast_message", agency=agency.name, text=flow["text"])
        question = render(
            "broadcast",
            stage="preview",
            agency=agency,
            photo=bool(flow.get("photo_file_id")),
            count=len(chats) - len(blocked),
            blocked=len(blocked),
        )
        return Outcome().add(Reply(message)).add(Reply(question, buttons=keyboard))
    if action == "bn":
        _save(session, person, "idle", None)
        return Outcome().add(Reply(render("broadcast", stage="cancelled"), edit=True))
    if action == "by" and "audience" in flow:
        audience = flow["audience"]
        campaign_id = None if audience == "all" else int(audience.split(":")[1])
        chats = recipients(session, agency.id, campaign_id)
        broadcast = Broadcast(
            agency_id=agency.id,
            created_by=person.id,
            text=flow["text"],
            photo_file_id=flow.get("photo_file_id"),
            audience=audience,
            status="queued",
            progress_chat_id=person.chat_id,
        )
        session.add(broadcast)
        session.flush()
        counts = queue_broadcast(session, broadcast_id=broadcast.id, chat_ids=chats)
        _save(session, person, "idle", None)
        return Outcome().add(
            Reply(
                render("broadcast", stage="queued", queued=counts.queued, blocked=counts.blocked),
                edit=True,
            )
        )
    return Outcome(toast=to_plain(render("toast", kind="stale")))


def mute_button(session: Session, person: Person, agency_id: int) -> Outcome:
    """The button under every broadcast: the client mutes that agency's broadcasts."""
    try:
        client = agencies.set_muted(session, user_id=person.id, muted=True)
    except AgencyError:
        return Outcome(toast=to_plain(render("agency_error", code="not_a_client", params={})))
    agency = session.get(Agency, client.agency_id)
    return Outcome(toast=to_plain(render("agency", view="muted", agency=agency)))
