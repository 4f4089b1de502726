"""/catat: record a post's figures one question at a time, skipping what is unknown.

Buttons read ``record.<action>:<campaign id>[:<arg>]``; the answers so far live in the form's
`RecordState` (keys as stored since the first version).
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session

from bot.campaigns.access import CampaignError, active_campaigns, owned_campaign
from bot.campaigns.actions import choice
from bot.campaigns.capture import undo_button
from bot.campaigns.guard import answering, managed, page_at
from bot.campaigns.members import members_of
from bot.campaigns.performance import SnapshotInput, record_snapshots
from bot.chat import flow
from bot.chat.buttons import Press
from bot.chat.flow import FlowState
from bot.chat.kernel import ButtonMaker, Feature
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, page_of, pager, rows
from bot.chat.texts import render
from bot.language.money import parse_amount, parse_count
from bot.language.skips import means_skip
from bot.reports.kpi.figures import FIGURE_FIELDS, Figures
from models.base import utcnow
from models.campaigns import Campaign, CampaignMember

MEMBERS_PAGE = 20  # buttons in one message (Telegram allows about 100)


class Action(StrEnum):
    """The first argument is always the campaign id."""

    CAMPAIGN = "campaign"  # page of its members to pick from
    MEMBER = "member"  # member id: start asking
    SKIP = "skip"
    CANCEL = "cancel"
    SAVE = "save"


class Step(StrEnum):
    ANSWER = "k_catat"  # a figure (the value stored since the first version)


class RecordState(FlowState):
    """Figures answered so far for one member; `index` is the question being asked."""

    campaign_id: int
    member_id: int
    index: int = 0
    figures: dict[str, int] = {}


make = ButtonMaker("record", Action)


def has_active_campaigns(session: Session, person: Person) -> bool:
    return bool(active_campaigns(session, owner_id=person.id))


def start(session: Session, person: Person) -> Outcome:
    active = active_campaigns(session, owner_id=person.id)
    if not active:
        return Outcome().add(Reply(render("campaign_list", campaigns=[])))
    if len(active) == 1:
        return choose_member(session, person, active[0])
    buttons = [choice(c, make(Action.CAMPAIGN, c.id)) for c in active[:10]]
    return Outcome().add(
        Reply(render("catat", stage="campaign"), buttons=rows(*buttons, per_row=1))
    )


def choose_member(session: Session, person: Person, campaign: Campaign, page: int = 0) -> Outcome:
    cid = campaign.id
    members = members_of(session, campaign_id=cid)
    if not members:
        return Outcome().add(Reply(render("catat", stage="no_members", campaign=campaign)))
    shown, page, pages = page_of(members, page, MEMBERS_PAGE)
    buttons = [Button(f"@{m.handle}"[:40], make(Action.MEMBER, cid, m.id)) for m in shown]
    nav = pager(page, pages, lambda p: make(Action.CAMPAIGN, cid, p))
    keyboard = (*rows(*buttons, per_row=2), *((nav,) if nav else ()))
    return Outcome().add(
        Reply(render("catat", stage="member", campaign=campaign), buttons=keyboard)
    )


def _form(session: Session, person: Person) -> RecordState | None:
    conv = flow.conversation(session, person)
    return flow.state_of(conv, RecordState) if conv.step == Step.ANSWER else None


def _cancelled(session: Session, person: Person, *, edit: bool) -> Outcome:
    flow.leave(session, person)
    return Outcome().add(Reply(render("catat", stage="cancelled"), edit=edit))


def _question(form: RecordState, member: CampaignMember) -> Reply:
    field = FIGURE_FIELDS[form.index]
    cid = form.campaign_id
    buttons = (
        (Button("Lewati ⏭", make(Action.SKIP, cid)), Button("Batal", make(Action.CANCEL, cid))),
    )
    return Reply(
        render(
            "catat",
            stage="ask",
            field=field,
            member=member,
            number=form.index + 1,
            total=len(FIGURE_FIELDS),
        ),
        buttons=buttons,
    )


# ---------------------------------------------------------------- buttons


def _campaign(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    return choose_member(session, person, campaign, page_at(press, 1))


def _member(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    member = session.get(CampaignMember, press.id(1))
    if member is None or member.campaign_id != campaign.id:
        raise CampaignError("member_not_found", handle="?")
    form = RecordState(campaign_id=campaign.id, member_id=member.id)
    flow.enter(session, person, Step.ANSWER, form)
    return Outcome().add(_question(form, member))


def _open_form(
    session: Session, person: Person, campaign: Campaign
) -> tuple[RecordState, CampaignMember] | Outcome:
    """The form and its member for a Skip/Cancel/Save press, or the toast that refuses it."""
    form = _form(session, person)
    if form is None or form.campaign_id != campaign.id:
        return Outcome(toast=render("toast", kind="stale"))
    member = session.get(CampaignMember, form.member_id)
    if member is None:
        flow.leave(session, person)
        return Outcome(toast=render("toast", kind="member_gone"), alert=True)
    return form, member


def _skip(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    found = _open_form(session, person, campaign)
    return found if isinstance(found, Outcome) else _advance(session, person, *found)


def _cancel(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    found = _open_form(session, person, campaign)
    return found if isinstance(found, Outcome) else _cancelled(session, person, edit=True)


def _save(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    found = _open_form(session, person, campaign)
    return found if isinstance(found, Outcome) else _store(session, person, *found, campaign)


# ---------------------------------------------------------------- answers


@answering
def answer_text(session: Session, person: Person, message: str) -> Outcome:
    form = _form(session, person)
    member = session.get(CampaignMember, form.member_id) if form else None
    if form is None or member is None:
        return _cancelled(session, person, edit=False)
    owned_campaign(session, owner_id=person.id, campaign_id=member.campaign_id)
    if form.index >= len(FIGURE_FIELDS):  # every figure asked: waiting for Simpan or Batal
        return Outcome().add(_confirm(form, member))
    field = FIGURE_FIELDS[form.index]
    value = parse_amount(message) if field == "revenue_idr" else parse_count(message)
    if value is None and message.strip() == "0":
        value = 0
    if value is None and means_skip(message):  # "lupa kak", "gatau": as if Lewati was pressed
        return _advance(session, person, form, member)
    if value is None:
        return (
            Outcome()
            .add(
                Reply(
                    render(
                        "catat",
                        stage="bad_number",
                        field=field,
                        text=message[:40],
                        member=member,
                        negative=message.strip().startswith("-"),
                    )
                )
            )
            .add(_question(form, member))
        )
    form.figures[field] = value
    return _advance(session, person, form, member)


def _advance(
    session: Session, person: Person, form: RecordState, member: CampaignMember
) -> Outcome:
    form.index += 1
    flow.enter(session, person, Step.ANSWER, form)
    if form.index < len(FIGURE_FIELDS):
        return Outcome().add(_question(form, member))
    return Outcome().add(_confirm(form, member))


def _confirm(form: RecordState, member: CampaignMember) -> Reply:
    figures = [(name, form.figures[name]) for name in FIGURE_FIELDS if name in form.figures]
    cid = form.campaign_id
    buttons = (
        (Button("✅ Simpan", make(Action.SAVE, cid)), Button("Batal", make(Action.CANCEL, cid))),
    )
    return Reply(render("catat", stage="confirm", member=member, figures=figures), buttons=buttons)


def _store(
    session: Session,
    person: Person,
    form: RecordState,
    member: CampaignMember,
    campaign: Campaign,
) -> Outcome:
    figures = Figures(**{name: form.figures.get(name) for name in FIGURE_FIELDS})
    flow.leave(session, person)
    if figures.is_empty():
        return Outcome().add(Reply(render("catat", stage="empty"), edit=True))
    try:
        entry_id = record_snapshots(
            session, [SnapshotInput(member, figures, utcnow(), "")], source="guided"
        )
    except CampaignError as exc:
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
    shown = [
        (name, getattr(figures, name))
        for name in FIGURE_FIELDS
        if getattr(figures, name) is not None
    ]
    return Outcome().add(
        Reply(
            render("line_recorded", member=member, campaign=campaign, figures=shown, post_url=None),
            buttons=((undo_button(entry_id),),),
            edit=True,
        )
    )


FEATURE = Feature(
    name="record",
    actions=Action,
    buttons={
        Action.CAMPAIGN: managed(_campaign),
        Action.MEMBER: managed(_member),
        Action.SKIP: managed(_skip),
        Action.CANCEL: managed(_cancel),
        Action.SAVE: managed(_save),
    },
    steps={Step.ANSWER: answer_text},
)
