"""Summary schedules in the chat: choose frequency, day, time and zone; stop; show the next one.

Buttons read ``schedule.<action>:<campaign id>[:<arg>]``; the campaign is checked against the
presser every time. The answers so far live in the form's `ScheduleState`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import time
from enum import StrEnum

from sqlmodel import Session, select

from bot.campaigns.access import active_campaigns
from bot.campaigns.actions import Action as CampaignAction
from bot.campaigns.actions import choice
from bot.campaigns.actions import make as campaign_button
from bot.campaigns.guard import CampaignButton, managed
from bot.chat import flow
from bot.chat.buttons import BadButton, Press
from bot.chat.flow import FlowState
from bot.chat.kernel import ButtonMaker, Feature
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.chat.zones import ZONES, zone_label
from bot.summaries.periods import Frequency, ScheduleSpec, next_fire
from models.base import utcnow
from models.campaigns import Campaign, SummarySchedule

_TIMES = ("07:00", "08:00", "12:00", "17:00", "19:00", "21:00")
_DAYS = (1, 5, 10, 15, 20, 25, 28, 31)
_HHMM = re.compile(r"^\s*(\d{1,2})\s*[:.]\s*(\d{2})\s*(?:wib|wita|wit)?\s*$", re.IGNORECASE)


class Action(StrEnum):
    """Buttons of the schedule menu; the first argument is always the campaign id."""

    MENU = "menu"
    FREQUENCY = "frequency"  # daily, weekly or monthly
    WEEKDAY = "weekday"  # 0 (Monday) .. 6
    DAY = "day"  # day of the month (31: the last day)
    TIME = "time"  # HHMM
    ZONE = "zone"  # WIB, WITA or WIT
    STOP = "stop"
    COPY_ON = "copy_on"  # staff get a copy of a client's summary
    COPY_OFF = "copy_off"


class Step(StrEnum):
    TIME = "k_sched"  # a typed HH:MM (the value stored since the first version)


class ScheduleState(FlowState):
    """The schedule chosen so far for one campaign."""

    campaign_id: int
    frequency: Frequency
    weekday: int | None = None
    day_of_month: int | None = None
    at: str | None = None  # "HH:MM"


make = ButtonMaker("schedule", Action)


def schedule_of(session: Session, *, campaign_id: int) -> SummarySchedule | None:
    return session.exec(
        select(SummarySchedule).where(
            SummarySchedule.campaign_id == campaign_id, SummarySchedule.active
        )
    ).first()


def spec_of(schedule: SummarySchedule) -> ScheduleSpec:
    hour, minute = (int(part) for part in schedule.at_time.split(":"))
    return ScheduleSpec(
        frequency=Frequency(schedule.frequency),
        at=time(hour, minute),
        timezone=schedule.timezone,
        weekday=schedule.weekday,
        day_of_month=schedule.day_of_month,
    )


def schedule_text(schedule: SummarySchedule) -> str:
    return render(
        "schedule_text",
        schedule=schedule,
        zone=zone_label(schedule.timezone),
        next_at=next_fire(spec_of(schedule), utcnow()),
    )


def schedule_menu(session: Session, person: Person, campaign: Campaign) -> Outcome:
    cid = campaign.id
    current = schedule_of(session, campaign_id=cid)
    keyboard: list[tuple[Button, ...]] = [
        (
            Button("Harian", make(Action.FREQUENCY, cid, Frequency.DAILY)),
            Button("Mingguan", make(Action.FREQUENCY, cid, Frequency.WEEKLY)),
            Button("Bulanan", make(Action.FREQUENCY, cid, Frequency.MONTHLY)),
        ),
    ]
    if current is not None:
        keyboard.append((Button("⏹ Hentikan jadwal", make(Action.STOP, cid)),))
    keyboard.append((Button("⬅ Kampanye", campaign_button(CampaignAction.DETAIL, cid)),))
    text = render(
        "schedule_menu", campaign=campaign, current=schedule_text(current) if current else None
    )
    return Outcome().add(Reply(text, buttons=tuple(keyboard)))


def schedule_command(session: Session, person: Person) -> Outcome:
    """/jadwal: the schedule menu of the only active campaign, or a choice."""
    active = active_campaigns(session, owner_id=person.id)
    if len(active) == 1:
        return schedule_menu(session, person, active[0])
    if not active:
        return Outcome().add(Reply(render("campaign_list", campaigns=[])))
    buttons = [choice(c, make(Action.MENU, c.id)) for c in active[:10]]
    return Outcome().add(Reply(render("schedule_which"), buttons=rows(*buttons, per_row=1)))


def _form(session: Session, person: Person, campaign_id: int | None) -> ScheduleState | None:
    """The schedule being chosen for this campaign, or None (another form, or none)."""
    conv = flow.conversation(session, person)
    form = flow.state_of(conv, ScheduleState) if conv.step == Step.TIME else None
    return form if form is not None and form.campaign_id == campaign_id else None


def _stale() -> Outcome:
    return Outcome(toast=render("toast", kind="stale"))


def _not_now(form: ScheduleState) -> Outcome:
    """A button from an older message: the day comes first when it is still missing."""
    if _day_missing(form):
        return _stale().add(_ask_day(form, edit=False).replies[0])
    return _stale()


# ---------------------------------------------------------------- buttons


def _menu(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    return schedule_menu(session, person, campaign)


def _stop(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    current = schedule_of(session, campaign_id=press.id(0))
    if current is not None:
        current.active = False
        current.updated_at = utcnow()
        session.add(current)
    return Outcome(toast=render("schedule_done", stopped=True))


def _copy(on: bool) -> CampaignButton:
    def run(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
        current = schedule_of(session, campaign_id=press.id(0))
        if current is None:
            return _stale()
        current.copy_to_user_id = person.id if on else None
        session.add(current)
        keyboard = ((Button("Berhenti kirim salinan", make(Action.COPY_OFF, campaign.id)),),)
        return Outcome().add(
            Reply(render("schedule_copy", on=on), buttons=keyboard if on else (), edit=True)
        )

    return run


def _frequency(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    try:
        frequency = Frequency(press.word(1))
    except ValueError as exc:
        raise BadButton("not a frequency") from exc
    form = ScheduleState(campaign_id=press.id(0), frequency=frequency)
    flow.enter(session, person, Step.TIME, form)
    return _ask_day(form, edit=True) if _day_missing(form) else _ask_time(form, edit=True)


def _day_button(frequency: Frequency, days: Collection[int], field: str) -> CampaignButton:
    """The weekday of a weekly schedule, or the day of the month of a monthly one."""

    def run(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
        form = _form(session, person, campaign.id)
        if form is None:
            return _stale()
        day = press.id(1)
        if day not in days or form.frequency != frequency:
            return _not_now(form)
        form = form.model_copy(update={field: day})
        flow.enter(session, person, Step.TIME, form)
        return _ask_time(form, edit=True)

    return run


def _time(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    form = _form(session, person, campaign.id)
    if form is None:
        return _stale()
    at = press.word(1)
    if _day_missing(form) or at not in {t.replace(":", "") for t in _TIMES}:
        return _not_now(form)
    form.at = f"{at[:2]}:{at[2:]}"
    flow.enter(session, person, Step.TIME, form)
    return _ask_zone(form)


def _zone(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    form = _form(session, person, campaign.id)
    if form is None:
        return _stale()
    label = press.word(1)
    if _day_missing(form) or label not in ZONES or form.at is None:
        return _not_now(form)
    return _store(session, person, campaign, form, ZONES[label])


# ---------------------------------------------------------------- questions


def _day_missing(form: ScheduleState) -> bool:
    """Weekly summaries need their weekday, monthly ones their day, before the time."""
    return (form.frequency == Frequency.WEEKLY and form.weekday is None) or (
        form.frequency == Frequency.MONTHLY and form.day_of_month is None
    )


def _ask_day(form: ScheduleState, *, edit: bool) -> Outcome:
    cid = form.campaign_id
    if form.frequency == Frequency.WEEKLY:
        names = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")
        buttons = [Button(n, make(Action.WEEKDAY, cid, i)) for i, n in enumerate(names)]
        return Outcome().add(
            Reply(
                render("schedule_ask", field="weekday"),
                buttons=rows(*buttons, per_row=4),
                edit=edit,
            )
        )
    buttons = [
        Button("Akhir bulan" if d == 31 else f"Tgl {d}", make(Action.DAY, cid, d)) for d in _DAYS
    ]
    return Outcome().add(
        Reply(render("schedule_ask", field="day"), buttons=rows(*buttons, per_row=4), edit=edit)
    )


def _ask_time(form: ScheduleState, *, edit: bool) -> Outcome:
    buttons = [
        Button(t.replace(":", "."), make(Action.TIME, form.campaign_id, t.replace(":", "")))
        for t in _TIMES
    ]
    return Outcome().add(
        Reply(render("schedule_ask", field="time"), buttons=rows(*buttons, per_row=3), edit=edit)
    )


def _ask_zone(form: ScheduleState) -> Outcome:
    buttons = [Button(label, make(Action.ZONE, form.campaign_id, label)) for label in ZONES]
    return Outcome().add(
        Reply(render("schedule_ask", field="zone"), buttons=rows(*buttons, per_row=3))
    )


def time_text(session: Session, person: Person, text: str) -> Outcome:
    """A typed HH:MM while the schedule form waits for the time."""
    conv = flow.conversation(session, person)
    form = flow.state_of(conv, ScheduleState)
    if form is not None and _day_missing(form):
        return _ask_day(form, edit=False)
    match = _HHMM.match(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59 or form is None:
        return Outcome().add(Reply(render("schedule_ask", field="time_again")))
    form.at = f"{int(match[1]):02d}:{match[2]}"
    flow.enter(session, person, Step.TIME, form)
    return _ask_zone(form)


def _store(
    session: Session, person: Person, campaign: Campaign, form: ScheduleState, timezone: str
) -> Outcome:
    assert form.at is not None
    spec = ScheduleSpec(
        frequency=form.frequency,
        at=time(int(form.at[:2]), int(form.at[3:])),
        timezone=timezone,
        weekday=form.weekday,
        day_of_month=form.day_of_month,
    )
    schedule = session.exec(
        select(SummarySchedule).where(SummarySchedule.campaign_id == campaign.id)
    ).first()
    if schedule is None:
        schedule = SummarySchedule(
            campaign_id=campaign.id, frequency=spec.frequency.value, at_time=form.at
        )
    schedule.frequency = spec.frequency.value
    schedule.at_time = form.at
    schedule.timezone = timezone
    schedule.weekday = spec.weekday
    schedule.day_of_month = spec.day_of_month
    schedule.active = True
    schedule.updated_at = utcnow()
    schedule.created_at = utcnow()  # periods owed start from now, not from an older schedule
    session.add(schedule)
    flow.leave(session, person)
    buttons: tuple[tuple[Button, ...], ...] = ()
    if campaign.client_id is not None:  # run for a client: the summary goes to the client's chat
        buttons = ((Button("📩 Kirim salinan ke saya juga", make(Action.COPY_ON, campaign.id)),),)
    reply = render(
        "schedule_done",
        stopped=False,
        campaign=campaign,
        text=schedule_text(schedule),
        client=campaign.client_id is not None,
    )
    return Outcome().add(Reply(reply, buttons=buttons))


FEATURE = Feature(
    name="schedule",
    actions=Action,
    buttons={
        Action.MENU: managed(_menu),
        Action.FREQUENCY: managed(_frequency),
        Action.WEEKDAY: managed(_day_button(Frequency.WEEKLY, range(7), "weekday")),
        Action.DAY: managed(_day_button(Frequency.MONTHLY, _DAYS, "day_of_month")),
        Action.TIME: managed(_time),
        Action.ZONE: managed(_zone),
        Action.STOP: managed(_stop),
        Action.COPY_ON: managed(_copy(on=True)),
        Action.COPY_OFF: managed(_copy(on=False)),
    },
    steps={Step.TIME: time_text},
)
