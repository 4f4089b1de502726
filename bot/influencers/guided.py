"""An influencer's figures one question at a time, for an offer they accepted.

The same questions as the owners' /catat (`bot.campaigns.guided_capture`), but every button
names an offer and is checked against the account bound to it, and the result is stored as
the influencer's report (labelled "dilaporkan influencer", the owner told).
Buttons read ``ireport.<action>:<offer id>``.
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session

from bot.chat import flow
from bot.chat.buttons import Press
from bot.chat.flow import FlowState
from bot.chat.kernel import ButtonHandler, ButtonMaker, Feature
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.influencers import offers
from bot.influencers.chat import refusals
from bot.influencers.figures import live_offers, record_for_offer
from bot.influencers.offers import OfferError, Opened
from bot.language.money import parse_amount, parse_count
from bot.language.skips import means_skip
from bot.reports.kpi.figures import FIGURE_FIELDS, Figures
from models.offers import OFFER_ACCEPTED


class Action(StrEnum):
    START = "start"  # offer id: start asking
    SKIP = "skip"
    CANCEL = "cancel"
    SAVE = "save"


class Step(StrEnum):
    ANSWER = "o_catat"


class ReportState(FlowState):
    """Figures answered so far for one offer; `index` is the question being asked."""

    offer_id: int
    index: int = 0
    figures: dict[str, int] = {}


make = ButtonMaker("ireport", Action)


def start_command(session: Session, person: Person) -> Outcome | None:
    """/catat from an influencer with live offers (and no campaigns of their own to record)."""
    live = live_offers(session, user_id=person.id)
    if not live:
        return None
    if len(live) == 1:
        return _begin(session, person, live[0])
    buttons = [
        Button(f"@{o.member.handle} · {o.campaign.name}"[:40], make(Action.START, o.offer.id))
        for o in live[:10]
    ]
    return Outcome().add(
        Reply(render("influencer_report", view="pick"), buttons=rows(*buttons, per_row=1))
    )


def _live(session: Session, person: Person, offer_id: int) -> Opened:
    """The presser's accepted offer in an active campaign; anything else is refused."""
    opened = offers.my_offer(session, user_id=person.id, offer_id=offer_id)
    if opened.campaign.status != "active":
        raise OfferError("campaign_ended")
    if opened.offer.status != OFFER_ACCEPTED:
        raise OfferError("not_accepted")
    return opened


def _begin(session: Session, person: Person, opened: Opened) -> Outcome:
    form = ReportState(offer_id=opened.offer.id)
    flow.enter(session, person, Step.ANSWER, form)
    return Outcome().add(_question(form, opened))


def _question(form: ReportState, opened: Opened) -> Reply:
    field = FIGURE_FIELDS[form.index]
    buttons = (
        (
            Button("Lewati ⏭", make(Action.SKIP, form.offer_id)),
            Button("Batal", make(Action.CANCEL, form.offer_id)),
        ),
    )
    text = render(
        "catat",
        stage="ask",
        field=field,
        member=opened.member,
        number=form.index + 1,
        total=len(FIGURE_FIELDS),
    )
    return Reply(text, buttons=buttons)


def _confirm(form: ReportState, opened: Opened) -> Reply:
    figures = [(name, form.figures[name]) for name in FIGURE_FIELDS if name in form.figures]
    buttons = (
        (
            Button("✅ Kirim", make(Action.SAVE, form.offer_id)),
            Button("Batal", make(Action.CANCEL, form.offer_id)),
        ),
    )
    text = render("catat", stage="confirm", member=opened.member, figures=figures, send=True)
    return Reply(text, buttons=buttons)


def _form(session: Session, person: Person, offer_id: int | None = None) -> ReportState | None:
    conv = flow.conversation(session, person)
    form = flow.state_of(conv, ReportState) if conv.step == Step.ANSWER else None
    if form is not None and offer_id is not None and form.offer_id != offer_id:
        return None
    return form


def _advance(session: Session, person: Person, form: ReportState, opened: Opened) -> Outcome:
    form.index += 1
    flow.enter(session, person, Step.ANSWER, form)
    if form.index < len(FIGURE_FIELDS):
        return Outcome().add(_question(form, opened))
    return Outcome().add(_confirm(form, opened))


# ---------------------------------------------------------------- buttons


def _start(session: Session, person: Person, press: Press) -> Outcome:
    return _begin(session, person, _live(session, person, press.id(0)))


def _skip(session: Session, person: Person, press: Press) -> Outcome:
    opened = _live(session, person, press.id(0))
    form = _form(session, person, opened.offer.id)
    if form is None:
        return Outcome(toast=render("toast", kind="stale"))
    if form.index >= len(FIGURE_FIELDS):
        return Outcome().add(_confirm(form, opened))
    return _advance(session, person, form, opened)


def _cancel(session: Session, person: Person, press: Press) -> Outcome:
    if _form(session, person, press.id(0)) is None:
        return Outcome(toast=render("toast", kind="stale"))
    flow.leave(session, person)
    return Outcome().add(Reply(render("catat", stage="cancelled"), edit=True))


def _save(session: Session, person: Person, press: Press) -> Outcome:
    opened = _live(session, person, press.id(0))
    form = _form(session, person, opened.offer.id)
    if form is None:
        return Outcome(toast=render("toast", kind="stale"))
    flow.leave(session, person)
    figures = Figures(**{name: form.figures.get(name) for name in FIGURE_FIELDS})
    if figures.is_empty():
        return Outcome().add(Reply(render("catat", stage="empty"), edit=True))
    return record_for_offer(session, person, opened, figures, None)


def _leave_form(session: Session, person: Person) -> None:
    if _form(session, person) is not None:
        flow.leave(session, person)


def _refusals(handler: ButtonHandler) -> ButtonHandler:
    """As every offer button; a refusal also ends the form (the offer cannot take figures)."""
    return refusals(handler, on_refused=_leave_form)


# ---------------------------------------------------------------- answers


def answer_text(session: Session, person: Person, message: str) -> Outcome:
    form = _form(session, person)
    try:
        if form is None:
            raise OfferError("offer_not_found")
        opened = _live(session, person, form.offer_id)
    except OfferError as exc:
        flow.leave(session, person)
        return Outcome().add(Reply(render("offer_error", code=exc.code, params=exc.params)))
    if form.index >= len(FIGURE_FIELDS):  # every figure asked: waiting for Kirim or Batal
        return Outcome().add(_confirm(form, opened))
    field = FIGURE_FIELDS[form.index]
    value = parse_amount(message) if field == "revenue_idr" else parse_count(message)
    if value is None and message.strip() == "0":
        value = 0
    if value is None and means_skip(message):  # "lupa kak", "gatau": as if Lewati was pressed
        return _advance(session, person, form, opened)
    if value is None:
        bad = render(
            "catat",
            stage="bad_number",
            field=field,
            text=message[:40],
            member=opened.member,
            negative=message.strip().startswith("-"),
        )
        return Outcome().add(Reply(bad)).add(_question(form, opened))
    form.figures[field] = value
    return _advance(session, person, form, opened)


FEATURE = Feature(
    name="ireport",
    actions=Action,
    buttons={
        Action.START: _refusals(_start),
        Action.SKIP: _refusals(_skip),
        Action.CANCEL: _refusals(_cancel),
        Action.SAVE: _refusals(_save),
    },
    steps={Step.ANSWER: answer_text},
)
