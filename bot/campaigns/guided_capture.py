"""/catat: record a post's figures one question at a time, skipping what is unknown."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.campaigns.service import (
    CampaignError,
    SnapshotInput,
    list_campaigns,
    members_of,
    owned_campaign,
    record_snapshots,
)
from bot.chat import callbacks
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, page_of, pager, rows
from bot.chat.texts import render
from bot.language.money import parse_amount, parse_count
from bot.reports.kpi.figures import FIGURE_FIELDS, Figures
from models.base import utcnow
from models.campaigns import Campaign, CampaignMember
from models.conversations import load_conversation, save_conversation

STEP = "k_catat"


def _cb(campaign_id: int, action: str, arg: object = "") -> str:
    return callbacks.encode("k", campaign_id, action, arg)


def start(session: Session, person: Person) -> Outcome:
    active = [c for c in list_campaigns(session, owner_id=person.id) if c.status == "active"]
    if not active:
        return Outcome().add(Reply(render("campaign_list", campaigns=[])))
    if len(active) == 1:
        return choose_member(session, person, active[0])
    buttons = [Button(f"#{c.id} {c.name}"[:40], _cb(c.id, "cc")) for c in active[:10]]
    return Outcome().add(
        Reply(render("catat", stage="campaign"), buttons=rows(*buttons, per_row=1))
    )


MEMBERS_PAGE = 20  # buttons in one message (Telegram allows about 100)


def choose_member(session: Session, person: Person, campaign: Campaign, page: int = 0) -> Outcome:
    members = members_of(session, campaign_id=campaign.id)
    if not members:
        return Outcome().add(Reply(render("catat", stage="no_members", campaign=campaign)))
    shown, page, pages = page_of(members, page, MEMBERS_PAGE)
    buttons = [Button(f"@{m.handle}"[:40], _cb(campaign.id, "cm", m.id)) for m in shown]
    nav = pager(page, pages, lambda p: _cb(campaign.id, "cc", p))
    keyboard = (*rows(*buttons, per_row=2), *((nav,) if nav else ()))
    return Outcome().add(
        Reply(render("catat", stage="member", campaign=campaign), buttons=keyboard)
    )


def _save(session: Session, person: Person, flow: dict[str, Any] | None) -> None:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    answers = dict(conv.answers)
    if flow is None:
        answers.pop("flow", None)
        save_conversation(session, conv, step="idle", answers=answers)
    else:
        answers["flow"] = flow
        save_conversation(session, conv, step=STEP, answers=answers)


def _flow(session: Session, person: Person) -> dict[str, Any]:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    return dict(conv.answers.get("flow") or {}) if conv.step == STEP else {}


def _question(flow: dict[str, Any], member: CampaignMember) -> Reply:
    field = FIGURE_FIELDS[flow["index"]]
    cid = flow["campaign_id"]
    buttons = ((Button("Lewati ⏭", _cb(cid, "cs")), Button("Batal", _cb(cid, "cn"))),)
    return Reply(
        render(
            "catat",
            stage="ask",
            field=field,
            member=member,
            number=flow["index"] + 1,
            total=len(FIGURE_FIELDS),
        ),
        buttons=buttons,
    )


def button(session: Session, person: Person, campaign: Campaign, action: str, arg: str) -> Outcome:
    if action == "cc":
        return choose_member(session, person, campaign, callbacks.number(arg) or 0)
    if action == "cm":
        member_id = callbacks.number(arg)
        member = session.get(CampaignMember, member_id) if member_id is not None else None
        if member is None or member.campaign_id != campaign.id:
            raise CampaignError("member_not_found", handle="?")
        flow = {"campaign_id": campaign.id, "member_id": member.id, "index": 0, "figures": {}}
        _save(session, person, flow)
        return Outcome().add(_question(flow, member))
    flow = _flow(session, person)
    if flow.get("campaign_id") != campaign.id:
        return Outcome(toast=render("toast", kind="stale"))
    member = session.get(CampaignMember, int(flow["member_id"]))
    if member is None:
        _save(session, person, None)
        return Outcome(toast=render("toast", kind="gone"), alert=True)
    if action == "cs":
        return _advance(session, person, flow, member)
    if action == "cn":
        _save(session, person, None)
        return Outcome().add(Reply(render("catat", stage="cancelled"), edit=True))
    if action == "cy":
        return _store(session, person, flow, member, campaign)
    return Outcome(toast=render("toast", kind="bad"))


def text(session: Session, person: Person, message: str) -> Outcome:
    flow = _flow(session, person)
    member = session.get(CampaignMember, int(flow["member_id"])) if flow else None
    if member is None:
        _save(session, person, None)
        return Outcome().add(Reply(render("catat", stage="cancelled")))
    owned_campaign(session, owner_id=person.id, campaign_id=member.campaign_id)
    if flow["index"] >= len(FIGURE_FIELDS):  # every figure asked: waiting for Simpan or Batal
        return Outcome().add(_confirm(flow, member))
    field = FIGURE_FIELDS[flow["index"]]
    value = parse_amount(message) if field == "revenue_idr" else parse_count(message)
    if value is None and message.strip() == "0":
        value = 0
    if value is None:
        return (
            Outcome()
            .add(Reply(render("catat", stage="bad_number", field=field, text=message[:40])))
            .add(_question(flow, member))
        )
    flow["figures"][field] = value
    return _advance(session, person, flow, member)


def _advance(
    session: Session, person: Person, flow: dict[str, Any], member: CampaignMember
) -> Outcome:
    flow["index"] += 1
    if flow["index"] < len(FIGURE_FIELDS):
        _save(session, person, flow)
        return Outcome().add(_question(flow, member))
    _save(session, person, flow)
    return Outcome().add(_confirm(flow, member))


def _confirm(flow: dict[str, Any], member: CampaignMember) -> Reply:
    figures = [(name, flow["figures"][name]) for name in FIGURE_FIELDS if name in flow["figures"]]
    cid = flow["campaign_id"]
    buttons = ((Button("✅ Simpan", _cb(cid, "cy")), Button("Batal", _cb(cid, "cn"))),)
    return Reply(render("catat", stage="confirm", member=member, figures=figures), buttons=buttons)


def _store(
    session: Session,
    person: Person,
    flow: dict[str, Any],
    member: CampaignMember,
    campaign: Campaign,
) -> Outcome:
    figures = Figures(**{name: flow["figures"].get(name) for name in FIGURE_FIELDS})
    if figures.is_empty():
        _save(session, person, None)
        return Outcome().add(Reply(render("catat", stage="empty"), edit=True))
    try:
        entry_id = record_snapshots(
            session, [SnapshotInput(member, figures, utcnow(), "")], source="guided"
        )
    except CampaignError as exc:
        _save(session, person, None)
        return Outcome().add(
            Reply(
                render(
                    "line_refused",
                    problems=exc.params.get("problems", []),
                    handle=member.handle,
                    followers=member.followers,
                )
            )
        )
    _save(session, person, None)
    shown = [
        (name, getattr(figures, name))
        for name in FIGURE_FIELDS
        if getattr(figures, name) is not None
    ]
    return Outcome().add(
        Reply(
            render("line_recorded", member=member, campaign=campaign, figures=shown, post_url=None),
            buttons=((Button("↩️ Batalkan", callbacks.encode("u", entry_id)),),),
            edit=True,
        )
    )
