"""Campaigns in the chat: list, create (also from a saved recommendation), detail, members, edit.

Callback data: ``k:<campaign id>:<action>:<arg>``; the campaign is looked up by owner every
time, so forged ids only ever reach the caller's own campaigns.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from bot.campaigns import guided_capture
from bot.campaigns.service import (
    CONTENT_TYPES,
    DEFAULT_CONTENT,
    CampaignError,
    add_member,
    campaign_from_recommendation,
    can_manage,
    committed_fees,
    create_campaign,
    delete_campaign,
    end_campaign,
    find_in_store,
    list_campaigns,
    local_today,
    members_of,
    owned_campaign,
    remove_member,
    staff_agency_ids,
    update_campaign,
    viewable_campaign,
)
from bot.chat import callbacks
from bot.chat.callbacks import BadCallback, Callback
from bot.chat.formatting import short_date
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, page_of, pager, rows
from bot.chat.texts import render, to_plain
from bot.domain import BRIEF_JSON, Platform
from bot.language.dates import parse_date_range
from bot.language.money import parse_amount, parse_budget
from bot.language.platforms import parse_platform
from bot.reports.report import report_outcome
from bot.summaries.schedules import (
    schedule_button,
    schedule_menu,
    schedule_of,
    schedule_text,
    schedule_time_text,
)
from models.agencies import Client
from models.campaigns import Campaign, CampaignMember
from models.conversations import load_conversation, save_conversation
from models.users import SavedRecommendation, UserAccount

log = logging.getLogger(__name__)

FLOW_STEPS = frozenset(
    {
        "k_catat",
        "k_sched",
        "k_name",
        "k_budget",
        "k_dates",
        "k_add",
        "k_edit_name",
        "k_edit_budget",
        "k_edit_dates",
    }
)
_DURATIONS = ((7, "7 hari"), (14, "14 hari"), (30, "30 hari"))
_CONTENT_WORDS = {
    "reel": "reels", "reels": "reels", "feed": "feed", "post": "feed", "foto": "feed", "carousel": "feed",
    "story": "story", "stories": "story", "sw": "story", "video": "video", "vt": "video",
    "live": "live", "shorts": "shorts", "short": "shorts",
}  # fmt: skip
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def _cb(campaign_id: int, action: str, arg: object = "") -> str:
    return callbacks.encode("k", campaign_id, action, arg)


def _page(arg: str) -> int:
    """A page number from a button ("" and anything odd is the first page)."""
    return callbacks.number(arg) or 0


def _timezone(session: Session, person: Person) -> str:
    user = session.get(UserAccount, person.id)
    return user.timezone if user else "Asia/Jakarta"


def _error(exc: CampaignError) -> Reply:
    return Reply(render("campaign_error", code=exc.code, params=exc.params))


# ---------------------------------------------------------------- views


CAMPAIGNS_PAGE = 10
MEMBERS_SHOWN = 20  # in the detail text; the report and its CSV have every member
MEMBERS_PAGE = 20  # buttons to pick a member (Telegram allows about 100 in a message)


def campaign_list(
    session: Session, person: Person, *, edit: bool = False, page: int = 0
) -> Outcome:
    campaigns, page, pages = page_of(
        list_campaigns(session, owner_id=person.id), page, CAMPAIGNS_PAGE
    )
    buttons = [Button(f"#{c.id} {c.name}"[:40], _cb(c.id, "d")) for c in campaigns]
    keyboard = (
        *rows(*buttons, per_row=1),
        *((nav,) if (nav := pager(page, pages, lambda p: _cb(0, "ls", p))) else ()),
        (Button("➕ Kampanye baru", _cb(0, "new")),),
    )
    text = render("campaign_list", campaigns=campaigns, page=page, pages=pages)
    return Outcome().add(Reply(text, buttons=keyboard, edit=edit))


def detail_reply(session: Session, campaign: Campaign, *, edit: bool, manage: bool = True) -> Reply:

    members = members_of(session, campaign_id=campaign.id)
    schedule = schedule_of(session, campaign_id=campaign.id)
    client = session.get(Client, campaign.client_id) if campaign.client_id else None
    text = render(
        "campaign_detail",
        client=client,
        campaign=campaign,
        members=members[:MEMBERS_SHOWN],
        member_count=len(members),
        fees=committed_fees(session, campaign_id=campaign.id),
        schedule=schedule,
        schedule_text=schedule_text(schedule) if schedule else "",
    )
    cid = campaign.id
    if not manage:
        keyboard = (
            (Button("📊 Laporan", _cb(cid, "rep")), Button("📄 Unduh CSV", _cb(cid, "rcsv"))),
        )
    elif campaign.status == "active":
        keyboard = (
            (
                Button("➕ Tambah influencer", _cb(cid, "add")),
                Button("➖ Keluarkan", _cb(cid, "rm")),
            ),
            (Button("📊 Laporan", _cb(cid, "rep")), Button("⏰ Jadwal ringkasan", _cb(cid, "sch"))),
            (Button("✏️ Ubah", _cb(cid, "ed")), Button("🏁 Selesai", _cb(cid, "end"))),
            (Button("🗑 Hapus", _cb(cid, "del")), Button("⬅ Daftar kampanye", _cb(0, "ls"))),
        )
    else:
        keyboard = (
            (Button("📊 Laporan", _cb(cid, "rep")), Button("🗑 Hapus", _cb(cid, "del"))),
            (Button("⬅ Daftar kampanye", _cb(0, "ls")),),
        )
    return Reply(text, buttons=keyboard, edit=edit)


def _ask(session: Session, person: Person, step: str, flow: dict[str, Any], field: str) -> Reply:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    answers = dict(conv.answers)
    answers["flow"] = flow
    save_conversation(session, conv, step=step, answers=answers)
    buttons: tuple = ()
    if field == "dates":
        buttons = rows(
            *(
                Button(label, _cb(flow.get("campaign_id", 0), "dur", days))
                for days, label in _DURATIONS
            ),
            per_row=3,
        )
    return Reply(render("campaign_ask", field=field, content_types=CONTENT_TYPES), buttons=buttons)


def _leave_flow(session: Session, person: Person) -> None:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    answers = dict(conv.answers)
    answers.pop("flow", None)
    save_conversation(session, conv, step="idle", answers=answers)


# ---------------------------------------------------------------- text in a campaign flow


def in_flow(step: str) -> bool:
    return step in FLOW_STEPS


def flow_text(session: Session, person: Person, step: str, text: str) -> Outcome:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    flow = dict(conv.answers.get("flow") or {})
    today = local_today(_timezone(session, person))
    try:
        if step == "k_name":
            name = " ".join(text.split())
            if not name:
                raise CampaignError("name_empty")
            if len(name) > 120:
                raise CampaignError("name_too_long", limit=120)
            flow["name"] = name
            return Outcome().add(_ask(session, person, "k_budget", flow, "budget"))
        if step in ("k_budget", "k_edit_budget"):
            parsed = parse_budget(text)
            if parsed.amount is None:
                return Outcome().add(
                    Reply(
                        render("budget_error", error=parsed.error or "not_a_number", text=text[:60])
                    )
                )
            if step == "k_edit_budget":
                return _apply_edit(session, person, flow, budget=parsed.amount)
            flow["budget"] = parsed.amount
            return Outcome().add(_ask(session, person, "k_dates", flow, "dates"))
        if step in ("k_dates", "k_edit_dates"):
            span = parse_date_range(text, today=today)
            if span is None:
                raise CampaignError("dates_unreadable")
            if span[1] < span[0]:
                raise CampaignError("dates_reversed", start=span[0], end=span[1])
            if step == "k_edit_dates":
                return _apply_edit(session, person, flow, start=span[0], end=span[1])
            return _create(session, person, flow, *span)
        if step == "k_edit_name":
            return _apply_edit(session, person, flow, name=text)
        if step == "k_add":
            return _add_from_text(session, person, flow, text)
        if step == "k_sched":
            return schedule_time_text(session, person, text)
        if step == "k_catat":
            return guided_capture.text(session, person, text)
    except CampaignError as exc:
        outcome = Outcome().add(_error(exc))
        if step in ("k_dates", "k_edit_dates"):  # offer the one-tap durations again
            outcome.add(_ask(session, person, step, flow, "dates"))
        return outcome
    raise ValueError(f"not a campaign step: {step}")


def acting_for(session: Session, person: Person) -> tuple[int | None, int | None]:
    """(agency id, client id) the staff member works for now, if still allowed."""
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
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


def _create(session: Session, person: Person, flow: dict[str, Any], start, end) -> Outcome:  # noqa: ANN001
    agency_id, client_id = acting_for(session, person)
    campaign = create_campaign(
        session,
        owner_id=person.id,
        name=flow["name"],
        budget=int(flow["budget"]),
        start=start,
        end=end,
        agency_id=agency_id,
        client_id=client_id,
    )
    outcome = Outcome().add(
        Reply(
            render("campaign_done", action="created", name=campaign.name, campaign_id=campaign.id)
        )
    )
    outcome.add(_ask(session, person, "k_add", {"campaign_id": campaign.id}, "member"))
    return outcome


def _apply_edit(session: Session, person: Person, flow: dict[str, Any], **changes: Any) -> Outcome:
    campaign = owned_campaign(session, owner_id=person.id, campaign_id=int(flow["campaign_id"]))
    update_campaign(session, campaign, **changes)
    _leave_flow(session, person)
    return (
        Outcome()
        .add(Reply(render("campaign_done", action="updated")))
        .add(detail_reply(session, campaign, edit=False))
    )


def parse_member_line(text: str) -> tuple[str, Platform | None, int | None, str | None, str | None]:
    """ "@handle [platform] fee [content type] [post link]" in any order after the handle."""
    url_match = _URL.search(text)
    url = url_match.group(0) if url_match else None
    rest = _URL.sub(" ", text)
    tokens = rest.split()
    if not tokens or not tokens[0].startswith("@") or len(tokens[0]) < 2:
        raise CampaignError("no_handle")
    handle = tokens[0][1:].lower()
    platform = None
    content = None
    amount_words = []
    for token in tokens[1:]:
        word = token.lower().strip(",.")
        if word in _CONTENT_WORDS and content is None:
            content = _CONTENT_WORDS[word]
        elif platform is None and word.isalpha() and parse_platform(word) is not None:
            platform = parse_platform(word)
        else:
            amount_words.append(token)
    fee = parse_amount(" ".join(amount_words)) if amount_words else None
    return handle, platform, fee, content, url


def _add_from_text(session: Session, person: Person, flow: dict[str, Any], text: str) -> Outcome:
    campaign = owned_campaign(session, owner_id=person.id, campaign_id=int(flow["campaign_id"]))
    handle, platform, fee, content, url = parse_member_line(text)
    if fee is None:
        raise CampaignError("fee_missing")
    influencer = find_in_store(session, handle=handle, platform=platform)
    member = add_member(
        session,
        campaign,
        handle=handle,
        fee=fee,
        content_type=content or DEFAULT_CONTENT[Platform(influencer.platform)],
        platform=Platform(influencer.platform),
        post_url=url,
    )
    outcome = Outcome().add(
        Reply(render("campaign_done", action="added", handle=member.handle, fee=member.fee_idr))
    )
    _leave_flow(session, person)
    return outcome.add(detail_reply(session, campaign, edit=False))


# ---------------------------------------------------------------- buttons


def campaign_button(session: Session, person: Person, cb: Callback) -> Outcome:
    campaign_id = cb.int_at(0)
    action = cb.str_at(1)
    arg = cb.parts[2] if len(cb.parts) > 2 else ""
    try:
        if action == "ls":
            return campaign_list(session, person, edit=True, page=_page(arg))
        if action == "new":
            return Outcome().add(_ask(session, person, "k_name", {}, "name"))
        if action == "fr":
            return _from_recommendation(session, person, campaign_id)
        if action == "dur":
            return _duration(session, person, callbacks.number(arg) or 0)
        if action in VIEW_ACTIONS:
            campaign = viewable_campaign(session, user_id=person.id, campaign_id=campaign_id)
            if not can_manage(session, campaign, user_id=person.id):
                return _client_view(session, person, campaign, action)
        campaign = owned_campaign(session, owner_id=person.id, campaign_id=campaign_id)
        return _campaign_action(session, person, campaign, action, arg)
    except CampaignError as exc:
        if exc.code == "campaign_not_found":
            log.warning(
                "user %s pressed %r for a campaign they do not own or that is gone", person.id, cb
            )
        return (
            Outcome(toast=render("toast", kind="gone"), alert=True)
            if exc.code.endswith("not_found")
            else Outcome().add(_error(exc))
        )


VIEW_ACTIONS = frozenset({"d", "rep", "rcsv"})


def _client_view(session: Session, person: Person, campaign: Campaign, action: str) -> Outcome:
    """What a client may see of the campaign run for them: the detail and the reports."""
    if action == "d":
        return Outcome().add(detail_reply(session, campaign, edit=True, manage=False))
    return report_outcome(session, person, campaign, csv=action == "rcsv")


def _duration(session: Session, person: Person, days: int) -> Outcome:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    flow = dict(conv.answers.get("flow") or {})
    if conv.step not in ("k_dates", "k_edit_dates") or days not in {d for d, _ in _DURATIONS}:
        return Outcome(toast=render("toast", kind="stale"))
    start = local_today(_timezone(session, person))
    end = start + timedelta(days=days - 1)
    if conv.step == "k_edit_dates":
        return _apply_edit(session, person, flow, start=start, end=end)
    return _create(session, person, flow, start, end)


def _from_recommendation(session: Session, person: Person, rec_id: int) -> Outcome:
    row = session.get(SavedRecommendation, rec_id)
    if row is None or row.user_id != person.id:
        raise CampaignError("recommendation_not_found")
    brief = BRIEF_JSON.load(row.brief)
    today = local_today(_timezone(session, person))
    name = f"{brief.niche} {brief.platform.value.title()} {short_date(today)}"
    campaign = campaign_from_recommendation(
        session, owner_id=person.id, rec_id=rec_id, today=today, name=name
    )
    campaign.agency_id, campaign.client_id = acting_for(session, person)
    session.add(campaign)
    outcome = Outcome(
        toast=to_plain(
            render("campaign_done", action="created", name=campaign.name, campaign_id=campaign.id)
        )
    )
    return outcome.add(detail_reply(session, campaign, edit=False))


def _campaign_action(
    session: Session, person: Person, campaign: Campaign, action: str, arg: str
) -> Outcome:
    cid = campaign.id
    if action == "d":
        return Outcome().add(detail_reply(session, campaign, edit=True))
    if action == "add":
        return Outcome().add(_ask(session, person, "k_add", {"campaign_id": cid}, "member"))
    if action == "rm":
        members, page, pages = page_of(
            members_of(session, campaign_id=cid), _page(arg), MEMBERS_PAGE
        )
        buttons = [Button(f"@{m.handle}"[:40], _cb(cid, "rmm", m.id)) for m in members]
        nav = pager(page, pages, lambda p: _cb(cid, "rm", p))
        keyboard = (
            *rows(*buttons, per_row=2),
            *((nav,) if nav else ()),
            (Button("⬅ Kembali", _cb(cid, "d")),),
        )
        return Outcome().add(
            Reply(detail_reply(session, campaign, edit=True).text, buttons=keyboard, edit=True)
        )
    if action in ("rmm", "rmy"):
        member_id = callbacks.number(arg)
        member = session.get(CampaignMember, member_id) if member_id is not None else None
        if member is None or member.campaign_id != cid:
            raise CampaignError("member_not_found", handle="?")
        if action == "rmm":
            keyboard = rows(
                Button("Ya, keluarkan", _cb(cid, "rmy", member.id)), Button("Batal", _cb(cid, "d"))
            )
            return Outcome().add(
                Reply(
                    render("campaign_confirm", action="remove", campaign=campaign, member=member),
                    buttons=keyboard,
                    edit=True,
                )
            )
        handle = member.handle
        remove_member(session, member)
        return Outcome(
            toast=to_plain(render("campaign_done", action="removed", handle=handle))
        ).add(detail_reply(session, campaign, edit=True))
    if action == "ed":
        keyboard = (
            (
                Button("Nama", _cb(cid, "edn")),
                Button("Budget", _cb(cid, "edb")),
                Button("Tanggal", _cb(cid, "edd")),
            ),
            (Button("⬅ Kembali", _cb(cid, "d")),),
        )
        return Outcome().add(
            Reply(detail_reply(session, campaign, edit=True).text, buttons=keyboard, edit=True)
        )
    if action in ("edn", "edb", "edd"):
        step, field = {
            "edn": ("k_edit_name", "name"),
            "edb": ("k_edit_budget", "budget"),
            "edd": ("k_edit_dates", "dates"),
        }[action]
        return Outcome().add(_ask(session, person, step, {"campaign_id": cid}, field))
    if action in ("end", "del"):
        keyboard = rows(Button("Ya", _cb(cid, action + "y")), Button("Batal", _cb(cid, "d")))
        kind = "end" if action == "end" else "delete"
        return Outcome().add(
            Reply(
                render("campaign_confirm", action=kind, campaign=campaign),
                buttons=keyboard,
                edit=True,
            )
        )
    if action == "endy":
        end_campaign(session, campaign)
        return Outcome(
            toast=to_plain(render("campaign_done", action="ended", name=campaign.name))
        ).add(detail_reply(session, campaign, edit=True))
    if action == "dely":
        name = campaign.name
        delete_campaign(session, campaign)
        return Outcome().add(Reply(render("campaign_done", action="deleted", name=name), edit=True))
    if action in ("rep", "rcsv"):
        return report_outcome(session, person, campaign, csv=action == "rcsv")
    if action == "sch":
        return schedule_menu(session, person, campaign)
    if action in ("sf", "sw", "sd", "st", "sz", "sx", "scy", "scn"):
        return schedule_button(session, person, campaign, action, arg)
    if action in ("cc", "cm", "cs", "cn", "cy"):
        return guided_capture.button(session, person, campaign, action, arg)
    raise BadCallback(f"unknown campaign action {action!r}")
