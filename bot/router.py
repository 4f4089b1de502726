"""Routes each message or button to the feature that owns it (advisor, campaigns, capture)."""

from __future__ import annotations

import logging

from sqlmodel import Session

from bot import advisor, callbacks, campaign_chat, capture
from bot.advisor import Person
from bot.callbacks import BadCallback
from bot.campaigns import list_campaigns
from bot.performance import looks_like_performance_line
from bot.replies import Button, Outcome, Reply, rows
from bot.reports import report_outcome
from bot.texts import render
from models.conversations import load_conversation

log = logging.getLogger(__name__)


def text_message(session: Session, person: Person, text: str) -> Outcome:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    if campaign_chat.in_flow(conv.step):
        return campaign_chat.flow_text(session, person, conv.step, text)
    if looks_like_performance_line(text):
        return capture.capture_line(session, person, text)
    return advisor.text_message(session, person, text)


def button(session: Session, person: Person, data: str | None) -> Outcome:
    try:
        cb = callbacks.decode(data)
        if cb.kind == "k":
            if cb.str_at(1) == "line":
                return capture.pending_line(session, person, cb.int_at(0))
            return campaign_chat.campaign_button(session, person, cb)
        if cb.kind == "u":
            return capture.undo(session, person, cb.str_at(0))
    except BadCallback as exc:
        log.warning("refused callback data %r from user %s: %s", data, person.id, exc)
        return Outcome(toast=render("toast", kind="bad"))
    return advisor.button(session, person, data)


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
    buttons = [Button(f"#{c.id} {c.name}"[:40], callbacks.encode("k", c.id, "rep")) for c in (active or campaigns)[:10]]
    return Outcome().add(Reply(render("report_which"), buttons=rows(*buttons, per_row=1)))


