"""What /kampanye and /laporan show: the list, a campaign's detail, its report."""

from __future__ import annotations

from sqlmodel import Session

from bot.campaigns.access import can_manage, list_campaigns
from bot.campaigns.actions import Action, choice, make
from bot.campaigns.guard import page_at
from bot.campaigns.members import committed_fees, members_of
from bot.chat.buttons import Press
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, page_of, pager, rows
from bot.chat.texts import render
from bot.influencers import chat as invites
from bot.influencers.offers import member_statuses
from bot.reports.report import report_outcome
from bot.summaries import schedules
from models.agencies import Client
from models.campaigns import Campaign

CAMPAIGNS_PAGE = 10
MEMBERS_SHOWN = 20  # in the detail text; the report and its CSV have every member


def campaign_list(
    session: Session, person: Person, *, edit: bool = False, page: int = 0
) -> Outcome:
    campaigns, page, pages = page_of(
        list_campaigns(session, owner_id=person.id), page, CAMPAIGNS_PAGE
    )
    buttons = [choice(c, make(Action.DETAIL, c.id)) for c in campaigns]
    keyboard = (
        *rows(*buttons, per_row=1),
        *((nav,) if (nav := pager(page, pages, lambda p: make(Action.LIST, p))) else ()),
        (Button("➕ Kampanye baru", make(Action.NEW)),),
    )
    text = render("campaign_list", campaigns=campaigns, page=page, pages=pages)
    return Outcome().add(Reply(text, buttons=keyboard, edit=edit))


def detail_reply(session: Session, campaign: Campaign, *, edit: bool, manage: bool = True) -> Reply:
    """The campaign with its influencers and schedule; clients get the read-only buttons."""
    cid = campaign.id
    members = members_of(session, campaign_id=cid)
    schedule = schedules.schedule_of(session, campaign_id=cid)
    client = session.get(Client, campaign.client_id) if campaign.client_id else None
    text = render(
        "campaign_detail",
        client=client,
        campaign=campaign,
        members=members[:MEMBERS_SHOWN],
        statuses=member_statuses(session, campaign, members[:MEMBERS_SHOWN]),
        member_count=len(members),
        fees=committed_fees(session, campaign_id=cid),
        schedule=schedule,
        schedule_text=schedules.schedule_text(schedule) if schedule else "",
    )
    report = Button("📊 Laporan", make(Action.REPORT, cid))
    back = Button("⬅ Daftar kampanye", make(Action.LIST))
    keyboard: tuple[tuple[Button, ...], ...]
    if not manage:
        keyboard = ((report, Button("📄 Unduh CSV", make(Action.REPORT_CSV, cid))),)
    elif campaign.status == "active":
        keyboard = (
            (
                Button("➕ Tambah influencer", make(Action.ADD_MEMBER, cid)),
                Button("➖ Keluarkan", make(Action.REMOVE, cid)),
            ),
            (report, Button("⏰ Jadwal ringkasan", schedules.make(schedules.Action.MENU, cid))),
            *(((invites.invite_button(cid),),) if members else ()),
            (Button("✏️ Ubah", make(Action.EDIT, cid)), Button("🏁 Selesai", make(Action.END, cid))),
            (Button("🗑 Hapus", make(Action.DELETE, cid)), back),
        )
    else:
        keyboard = ((report, Button("🗑 Hapus", make(Action.DELETE, cid))), (back,))
    return Reply(text, buttons=keyboard, edit=edit)


def report_command(session: Session, person: Person) -> Outcome:
    """/laporan: the only active campaign's report, or a choice between campaigns."""
    campaigns = list_campaigns(session, owner_id=person.id)
    active = [c for c in campaigns if c.status == "active"]
    if len(active) == 1:
        return report_outcome(session, person, active[0], csv=False)
    if not campaigns:
        return Outcome().add(Reply(render("campaign_list", campaigns=[])))
    buttons = [choice(c, make(Action.REPORT, c.id)) for c in (active or campaigns)[:10]]
    return Outcome().add(Reply(render("report_which"), buttons=rows(*buttons, per_row=1)))


# ---------------------------------------------------------------- buttons


def show_list(session: Session, person: Person, press: Press) -> Outcome:
    return campaign_list(session, person, edit=True, page=page_at(press, 0))


def show_detail(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    manage = can_manage(session, campaign, user_id=person.id)
    return Outcome().add(detail_reply(session, campaign, edit=True, manage=manage))


def show_report(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    return report_outcome(session, person, campaign, csv=False)


def send_report_csv(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    return report_outcome(session, person, campaign, csv=True)
