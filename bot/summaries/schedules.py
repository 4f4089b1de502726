"""Summary schedules in the chat: choose frequency, day, time and zone; stop; show the next one."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from sqlmodel import Session, select

from bot.chat import callbacks
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.chat.zones import ZONES, zone_label
from bot.summaries.periods import Frequency, ScheduleSpec, next_fire
from models.base import utcnow
from models.campaigns import Campaign, SummarySchedule
from models.conversations import load_conversation, save_conversation

_TIMES = ("07:00", "08:00", "12:00", "17:00", "19:00", "21:00")
_DAYS = (1, 5, 10, 15, 20, 25, 28, 31)
_HHMM = re.compile(r"^\s*(\d{1,2})\s*[:.]\s*(\d{2})\s*(?:wib|wita|wit)?\s*$", re.IGNORECASE)


def _cb(campaign_id: int, action: str, arg: object = "") -> str:
    return callbacks.encode("k", campaign_id, action, arg)


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
    current = schedule_of(session, campaign_id=campaign.id)
    cid = campaign.id
    keyboard: list[tuple[Button, ...]] = [
        (
            Button("Harian", _cb(cid, "sf", "d")),
            Button("Mingguan", _cb(cid, "sf", "w")),
            Button("Bulanan", _cb(cid, "sf", "m")),
        ),
    ]
    if current is not None:
        keyboard.append((Button("⏹ Hentikan jadwal", _cb(cid, "sx")),))
    keyboard.append((Button("⬅ Kampanye", _cb(cid, "d")),))
    text = render(
        "schedule_menu", campaign=campaign, current=schedule_text(current) if current else None
    )
    return Outcome().add(Reply(text, buttons=tuple(keyboard)))


def _flow(session: Session, person: Person) -> dict[str, Any]:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    return dict(conv.answers.get("flow") or {})


def _save_flow(session: Session, person: Person, step: str, flow: dict[str, Any]) -> None:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    answers = dict(conv.answers)
    answers["flow"] = flow
    save_conversation(session, conv, step=step, answers=answers)


def schedule_button(
    session: Session, person: Person, campaign: Campaign, action: str, arg: str
) -> Outcome:
    cid = campaign.id
    if action == "sx":
        current = schedule_of(session, campaign_id=cid)
        if current is not None:
            current.active = False
            current.updated_at = utcnow()
            session.add(current)
        return Outcome(toast=render("schedule_done", stopped=True))
    if action in ("scy", "scn"):
        current = schedule_of(session, campaign_id=cid)
        if current is None:
            return Outcome(toast=render("toast", kind="stale"))
        current.copy_to_user_id = person.id if action == "scy" else None
        session.add(current)
        keyboard = (
            ((Button("Berhenti kirim salinan", _cb(cid, "scn")),),) if action == "scy" else ()
        )
        return Outcome().add(
            Reply(render("schedule_copy", on=action == "scy"), buttons=keyboard, edit=True)
        )
    if action == "sf":
        frequency = {"d": "daily", "w": "weekly", "m": "monthly"}.get(arg)
        if frequency is None:
            return Outcome(toast=render("toast", kind="bad"))
        flow = {"campaign_id": cid, "frequency": frequency}
        _save_flow(session, person, "k_sched", flow)
        return (
            _ask_day(cid, frequency, edit=True) if _day_missing(flow) else _ask_time(cid, edit=True)
        )
    flow = _flow(session, person)
    if flow.get("campaign_id") != cid or "frequency" not in flow:
        return Outcome(toast=render("toast", kind="stale"))
    if action == "sw" and arg.isdigit() and int(arg) <= 6 and flow["frequency"] == "weekly":
        flow["weekday"] = int(arg)
        _save_flow(session, person, "k_sched", flow)
        return _ask_time(cid, edit=True)
    if action == "sd" and arg.isdigit() and int(arg) in _DAYS and flow["frequency"] == "monthly":
        flow["day_of_month"] = int(arg)
        _save_flow(session, person, "k_sched", flow)
        return _ask_time(cid, edit=True)
    if _day_missing(flow):  # a time or zone button from an older message: the day comes first
        return Outcome(toast=render("toast", kind="stale")).add(
            _ask_day(cid, flow["frequency"], edit=False).replies[0]
        )
    if action == "st" and arg in {t.replace(":", "") for t in _TIMES}:
        flow["at"] = f"{arg[:2]}:{arg[2:]}"
        _save_flow(session, person, "k_sched", flow)
        return _ask_zone(cid)
    if action == "sz" and arg in ZONES and "at" in flow:
        return _store(session, person, campaign, flow, ZONES[arg])
    return Outcome(toast=render("toast", kind="stale"))


def _day_missing(flow: dict[str, Any]) -> bool:
    """Weekly summaries need their weekday, monthly ones their day, before the time."""
    return (flow.get("frequency") == "weekly" and flow.get("weekday") is None) or (
        flow.get("frequency") == "monthly" and flow.get("day_of_month") is None
    )


def _ask_day(cid: int, frequency: str, *, edit: bool) -> Outcome:
    if frequency == "weekly":
        names = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")
        buttons = [Button(n, _cb(cid, "sw", i)) for i, n in enumerate(names)]
        return Outcome().add(
            Reply(
                render("schedule_ask", field="weekday"),
                buttons=rows(*buttons, per_row=4),
                edit=edit,
            )
        )
    buttons = [Button("Akhir bulan" if d == 31 else f"Tgl {d}", _cb(cid, "sd", d)) for d in _DAYS]
    return Outcome().add(
        Reply(render("schedule_ask", field="day"), buttons=rows(*buttons, per_row=4), edit=edit)
    )


def _ask_time(cid: int, *, edit: bool) -> Outcome:
    buttons = [Button(t.replace(":", "."), _cb(cid, "st", t.replace(":", ""))) for t in _TIMES]
    return Outcome().add(
        Reply(render("schedule_ask", field="time"), buttons=rows(*buttons, per_row=3), edit=edit)
    )


def _ask_zone(cid: int) -> Outcome:
    buttons = [Button(label, _cb(cid, "sz", label)) for label in ZONES]
    return Outcome().add(
        Reply(render("schedule_ask", field="zone"), buttons=rows(*buttons, per_row=3))
    )


def schedule_time_text(session: Session, person: Person, text: str) -> Outcome:
    """A typed HH:MM while the schedule flow waits for the time."""
    flow = _flow(session, person)
    if "frequency" in flow and _day_missing(flow):
        return _ask_day(int(flow["campaign_id"]), flow["frequency"], edit=False)
    match = _HHMM.match(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59 or "frequency" not in flow:
        return Outcome().add(Reply(render("schedule_ask", field="time_again")))
    flow["at"] = f"{int(match[1]):02d}:{match[2]}"
    _save_flow(session, person, "k_sched", flow)
    return _ask_zone(int(flow["campaign_id"]))


def _store(
    session: Session, person: Person, campaign: Campaign, flow: dict[str, Any], timezone: str
) -> Outcome:
    spec = ScheduleSpec(
        frequency=Frequency(flow["frequency"]),
        at=time(*(int(p) for p in flow["at"].split(":"))),
        timezone=timezone,
        weekday=flow.get("weekday"),
        day_of_month=flow.get("day_of_month"),
    )
    schedule = session.exec(
        select(SummarySchedule).where(SummarySchedule.campaign_id == campaign.id)
    ).first()
    if schedule is None:
        schedule = SummarySchedule(
            campaign_id=campaign.id, frequency=spec.frequency.value, at_time=flow["at"]
        )
    schedule.frequency = spec.frequency.value
    schedule.at_time = flow["at"]
    schedule.timezone = timezone
    schedule.weekday = spec.weekday
    schedule.day_of_month = spec.day_of_month
    schedule.active = True
    schedule.updated_at = utcnow()
    schedule.created_at = utcnow()  # periods owed start from now, not from an older schedule
    session.add(schedule)
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    answers = dict(conv.answers)
    answers.pop("flow", None)
    save_conversation(session, conv, step="idle", answers=answers)
    buttons: tuple = ()
    if campaign.client_id is not None:  # run for a client: the summary goes to the client's chat
        buttons = ((Button("📩 Kirim salinan ke saya juga", _cb(campaign.id, "scy")),),)
    reply = render(
        "schedule_done",
        stopped=False,
        campaign=campaign,
        text=schedule_text(schedule),
        client=campaign.client_id is not None,
    )
    return Outcome().add(Reply(reply, buttons=buttons))
