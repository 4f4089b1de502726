"""The advisor's answer buttons: a niche, goal, budget, platform, place or kind of business
tapped, an answer to edit from the recap, and "Ganti ke"/"Tetap" for a value said in passing.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.advisor.answers import ANSWER_FIELDS, Answers
from bot.advisor.progress import advance, save
from bot.advisor.questions import (
    BUSINESS_NAMES,
    FIELD_NAMES,
    GOAL_LABELS,
    QUESTION_STEPS,
    QUICK_CITIES,
    TITLES,
    Step,
    confirm_change,
    question,
    ribu_reading,
    stale,
    value_label,
    versioned,
)
from bot.chat.buttons import BadButton, Press
from bot.chat.formatting import rupiah
from bot.chat.person import Person
from bot.chat.replies import Outcome, Reply
from bot.chat.texts import render
from bot.domain import NATIONWIDE, NICHES, PLATFORM_LABELS, BusinessKind, Goal, Location, Platform
from bot.language.money import MIN_BUDGET
from bot.language.places import resolve_place
from models.conversations import Conversation

MIN_BUDGET_BUTTON = 10_000
MAX_BUDGET_BUTTON = 100_000_000_000


def _chosen(session: Session, conv: Conversation, field: str, value: Any, label: str) -> Outcome:
    """An answer tapped: the question becomes "<title>: <choice>", then the next one is asked."""
    answers = Answers.of(conv)
    answers.pending_budget = None
    answers.put(field, value)
    outcome = Outcome().add(
        Reply(render("answered", question=TITLES[field], choice=label), edit=True)
    )
    return advance(session, conv, answers, outcome)


@versioned
def on_niche(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    index = press.id(0)
    if index >= len(NICHES):
        raise BadButton("bad niche index")
    return _chosen(session, conv, "niche", NICHES[index], NICHES[index])


@versioned
def on_niche_other(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    return Outcome().add(Reply(render("ask_niche_other")))


@versioned
def on_goal(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    try:
        goal = Goal(press.word(0))
    except ValueError as exc:
        raise BadButton("bad goal") from exc
    return _chosen(session, conv, "goal", goal, GOAL_LABELS[goal])


@versioned
def on_budget(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    amount = int(press.word(0)) if press.word(0).isdigit() else 0
    answers = Answers.of(conv)
    if (
        conv.step == Step.BUDGET_CONFIRM
        and answers.pending_budget
        and amount == ribu_reading(answers.pending_budget)
        and amount < MIN_BUDGET
    ):
        # "7,5" read as ribu: too small, just as if the owner had typed Rp7.500
        answers.pending_budget = None
        save(session, conv, Step.BUDGET, answers)
        reply = Reply(render("budget_error", error="too_small", text=rupiah(amount)))
        return Outcome().add(reply)
    if not MIN_BUDGET_BUTTON <= amount <= MAX_BUDGET_BUTTON:
        raise BadButton("bad budget")
    return _chosen(session, conv, "budget", amount, rupiah(amount))


@versioned
def on_budget_retype(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    answers = Answers.of(conv)
    answers.pending_budget = None
    save(session, conv, Step.BUDGET, answers)
    return Outcome().add(question(session, conv, Step.BUDGET))


@versioned
def on_platform(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    try:
        platform = Platform(press.word(0))
    except ValueError as exc:
        raise BadButton("bad platform") from exc
    return _chosen(session, conv, "platform", platform, PLATFORM_LABELS[platform])


@versioned
def on_city(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    index = press.id(0)
    if index >= len(QUICK_CITIES):
        raise BadButton("bad city index")
    location = resolve_place(QUICK_CITIES[index])
    if location is None:
        raise BadButton("quick city did not resolve")
    return _location(session, conv, location)


@versioned
def on_nationwide(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    return _location(session, conv, NATIONWIDE)


def _location(session: Session, conv: Conversation, location: Location) -> Outcome:
    return _chosen(session, conv, "location", location, location.name)


@versioned
def on_business(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    try:
        kind = BusinessKind(press.word(0))
    except ValueError as exc:
        raise BadButton("bad business kind") from exc
    return _chosen(session, conv, "business", kind, BUSINESS_NAMES[kind])


def _settle(conv: Conversation, press: Press, take: bool, session: Session) -> Outcome:
    """ "Ganti ke Y" or "Tetap X" for one value said in passing; then on where it was."""
    field = press.word(0)
    answers = Answers.of(conv)
    proposed = answers.proposed
    if field not in ANSWER_FIELDS or proposed is None or proposed.get(field) is None:
        return stale(session, conv)
    value, old = proposed.get(field), answers.get(field)
    proposed.put(field, None)
    outcome = Outcome()
    if take:
        answers.put(field, value)
        line = (field, value_label(field, value), value_label(field, old))
        outcome.add(Reply(render("changed", changes=[line], names=FIELD_NAMES), edit=True))
    else:
        kept = render("kept", name=FIELD_NAMES[field], value=value_label(field, old))
        outcome.add(Reply(kept, edit=True))
    if proposed.given():
        save(session, conv, conv.step, answers)
        return outcome.add(confirm_change(conv, answers))
    answers.proposed = None
    if conv.step in QUESTION_STEPS and answers.get(conv.step) is None:
        save(session, conv, conv.step, answers)
        return outcome.add(question(session, conv, conv.step))
    return advance(session, conv, answers, outcome)


@versioned
def on_change(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    return _settle(conv, press, True, session)


@versioned
def on_keep(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    return _settle(conv, press, False, session)


@versioned
def on_edit(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    field = press.word(0)
    if field not in ANSWER_FIELDS or conv.step != Step.RECAP:
        raise BadButton(f"bad edit field {field!r}")
    answers = Answers.of(conv)
    answers.return_to_recap = True
    save(session, conv, field, answers)
    return Outcome().add(question(session, conv, field))
