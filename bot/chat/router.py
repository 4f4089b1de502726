"""Routes each message or button to the feature that owns it (advisor, campaigns, capture)."""

from __future__ import annotations

import base64
import logging

from sqlalchemy import delete
from sqlmodel import Session, col

from bot.advisor import actions as rec_actions
from bot.advisor import conversation as advisor
from bot.advisor import saved
from bot.agencies import broadcasts
from bot.agencies import chat as agency_chat
from bot.campaigns import capture, guided_capture
from bot.campaigns import chat as campaign_chat
from bot.campaigns.performance_import import import_performance
from bot.campaigns.service import (
    CampaignError,
    list_campaigns,
    owned_campaign,
)
from bot.chat import callbacks
from bot.chat.callbacks import BadCallback
from bot.chat.help import not_text
from bot.chat.kernel import Kernel
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.language.performance_line import looks_like_performance_line
from bot.privacy import chat as privacy_chat
from bot.reports.report import report_outcome
from bot.summaries.schedules import schedule_menu
from models.agencies import BlockedChat
from models.campaigns import Campaign
from models.conversations import load_conversation, save_conversation
from models.users import UserAccount

log = logging.getLogger(__name__)


def text_message(session: Session, person: Person, text: str) -> Outcome:
    text = text.replace("\x00", "")  # meaningless in a chat, and PostgreSQL cannot store it
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    if campaign_chat.in_flow(conv.step):
        return campaign_chat.flow_text(session, person, conv.step, text)
    form = KERNEL.flow_text(conv.step)
    if form is not None:
        return form(session, person, text)
    if looks_like_performance_line(text):
        return capture.capture_line(session, person, text)
    if capture.is_post_link(text):
        return capture.set_post_link(session, person, text)
    return advisor.text_message(session, person, text)


#: Features whose buttons use the kernel's readable callback data.
KERNEL = Kernel(
    [
        advisor.FEATURE,
        rec_actions.FEATURE,
        saved.FEATURE,
        privacy_chat.FEATURE,
        agency_chat.FEATURE,
        broadcasts.FEATURE,
    ]
)
_LEGACY_KINDS = frozenset({"k", "u"})


def button(session: Session, person: Person, data: str | None) -> Outcome:
    if (data or "").split(":", 1)[0] not in _LEGACY_KINDS:
        return KERNEL.press(session, person, data)
    try:
        cb = callbacks.decode(data)
        if cb.kind == "k":
            if cb.str_at(1) == "line":
                return capture.pending_line(session, person, cb.int_at(0))
            if cb.str_at(1) == "csv":
                return pending_document(session, person, cb.int_at(0))
            return campaign_chat.campaign_button(session, person, cb)
        if cb.kind == "u":
            return capture.undo(session, person, cb.str_at(0))
    except BadCallback as exc:
        log.warning("refused callback data %r from user %s: %s", data, person.id, exc)
    return Outcome(toast=render("toast", kind="bad"))


def campaigns_command(session: Session, person: Person) -> Outcome:
    return campaign_chat.campaign_list(session, person)


def report_command(session: Session, person: Person) -> Outcome:
    """/laporan: the only active campaign's report, or a choice between campaigns."""
    campaigns = list_campaigns(session, owner_id=person.id)
    active = [c for c in campaigns if c.status == "active"]
    if len(active) == 1:
        return report_outcome(session, person, active[0], csv=False)
    if not campaigns:
        return Outcome().add(Reply(render("campaign_list", campaigns=[])))
    buttons = [
        Button(f"#{c.id} {c.name}"[:40], callbacks.encode("k", c.id, "rep"))
        for c in (active or campaigns)[:10]
    ]
    return Outcome().add(Reply(render("report_which"), buttons=rows(*buttons, per_row=1)))


def record_command(session: Session, person: Person) -> Outcome:
    return guided_capture.start(session, person)


def schedule_command(session: Session, person: Person) -> Outcome:
    """/jadwal: the schedule menu of the only active campaign, or a choice."""
    active = [c for c in list_campaigns(session, owner_id=person.id) if c.status == "active"]
    if len(active) == 1:
        return schedule_menu(session, person, active[0])
    if not active:
        return Outcome().add(Reply(render("campaign_list", campaigns=[])))
    buttons = [
        Button(f"#{c.id} {c.name}"[:40], callbacks.encode("k", c.id, "sch")) for c in active[:10]
    ]
    return Outcome().add(Reply(render("schedule_which"), buttons=rows(*buttons, per_row=1)))


MAX_CSV_BYTES = 10_000_000  # Telegram lets bots download up to 20 MB
MAX_PENDING_CSV = 1_000_000  # a file parked while the owner picks the campaign


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
    active = [c for c in list_campaigns(session, owner_id=person.id) if c.status == "active"]
    if not active:
        return Outcome().add(Reply(render("campaign_list", campaigns=[])))
    if len(active) == 1:
        return import_document(session, person, active[0], data)
    if len(data) > MAX_PENDING_CSV:
        return Outcome().add(
            Reply(render("csv_upload", stage="too_big_pending", limit=MAX_PENDING_CSV))
        )
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    answers = dict(conv.answers)
    answers["pending_csv"] = base64.b64encode(data).decode()
    save_conversation(session, conv, step=conv.step, answers=answers)
    buttons = [
        Button(f"#{c.id} {c.name}"[:40], callbacks.encode("k", c.id, "csv")) for c in active[:10]
    ]
    return Outcome().add(
        Reply(render("csv_upload", stage="which"), buttons=rows(*buttons, per_row=1))
    )


def pending_document(session: Session, person: Person, campaign_id: int) -> Outcome:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    answers = dict(conv.answers)
    encoded = answers.pop("pending_csv", None)
    if not encoded:
        return Outcome(toast=render("toast", kind="stale"))
    save_conversation(session, conv, step=conv.step, answers=answers)
    try:
        campaign = owned_campaign(session, owner_id=person.id, campaign_id=campaign_id)
    except CampaignError:
        return Outcome(toast=render("toast", kind="gone"), alert=True)
    return import_document(session, person, campaign, base64.b64decode(encoded))


def import_document(session: Session, person: Person, campaign: Campaign, data: bytes) -> Outcome:
    user = session.get(UserAccount, person.id)
    timezone = user.timezone if user else "Asia/Jakarta"
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


def start(session: Session, person: Person, payload: str = "") -> Outcome:
    """/start, /mulai; /start <code> from an invite link joins an agency."""
    # A chat that blocked the bot and comes back may receive broadcasts again.
    session.execute(delete(BlockedChat).where(col(BlockedChat.chat_id) == person.chat_id))
    if payload:
        return agency_chat.start_with_code(session, person, payload.strip()[:40])
    return advisor.start(session, person)


def broadcast_command(session: Session, person: Person) -> Outcome:
    return broadcasts.command(session, person)


def photo_message(session: Session, person: Person, caption: str, file_id: str) -> Outcome:
    """A photo: part of a broadcast being composed; otherwise not something the bot reads."""
    caption = caption.replace("\x00", "")
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    form = KERNEL.photo_steps.get(conv.step)
    if form is not None:
        return form(session, person, caption, file_id)
    return not_text(session, person)
