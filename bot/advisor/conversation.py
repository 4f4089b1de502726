"""The advisor conversation: one question at a time, free text or buttons, state in the database.

Every entry point takes an open Session (one transaction per update) and returns an Outcome;
the handlers only translate Telegram updates into these calls and the Outcome back into messages.

The advisor has no form steps in the kernel's sense: it reads whatever text no other feature
took (after the performance-line and post-link checks), at any step, so `text_message` is the
router's last resort rather than an entry in the step table.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.advisor import asides, unsure
from bot.advisor.answers import ANSWER_FIELDS, Answers, BriefValues
from bot.advisor.engine.results import RECOMMENDATION_JSON
from bot.advisor.interpret import Interpretation, interpret
from bot.advisor.learning import OWN_RESULTS_JSON
from bot.advisor.questions import (
    BUSINESS_NAMES,
    EDIT_LABELS,
    FIELD_NAMES,
    GOAL_LABELS,
    QUESTION_STEPS,
    QUICK_CITIES,
    TITLES,
    Action,
    Step,
    confirm_change,
    make,
    question,
    recap,
    ribu_reading,
    stale,
    value_label,
    versioned,
)
from bot.advisor.recommendations import advise, nothing_fits_text, with_platforms
from bot.advisor.view import main_view
from bot.chat.buttons import BadButton, Press
from bot.chat.flow import IDLE
from bot.chat.formatting import rupiah
from bot.chat.kernel import Feature
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.domain import (
    BRIEF_JSON,
    NATIONWIDE,
    NICHES,
    PLATFORM_LABELS,
    BusinessKind,
    Goal,
    Location,
    Platform,
)
from bot.language.money import MIN_BUDGET
from bot.language.places import resolve_place
from bot.store.upload import scopes_for
from models.conversations import Conversation, load_conversation, save_conversation
from models.users import add_recommendation, upsert_user

MIN_BUDGET_BUTTON = 10_000
MAX_BUDGET_BUTTON = 100_000_000_000


# ---------------------------------------------------------------- commands and free text


def start(session: Session, person: Person) -> Outcome:
    """/start and /mulai: a fresh consultation."""
    _remember(session, person)
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    _save(session, conv, Step.NICHE, Answers.kept(conv))
    outcome = Outcome()
    outcome.add(Reply(render("welcome", name=person.first_name or "")))
    outcome.add(question(session, conv, Step.NICHE))
    return outcome


def cancel(session: Session, person: Person) -> Outcome:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    _save(session, conv, IDLE, Answers.kept(conv))
    return Outcome().add(Reply(render("cancelled")))


def text_message(session: Session, person: Person, text: str) -> Outcome:
    """Free text: answers the current question, and anything else it says is taken too."""
    _remember(session, person)
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    text = text.strip()
    if conv.step == Step.BUDGET_CONFIRM:
        answers = Answers.of(conv)
        answers.pending_budget = None
        _save(session, conv, Step.BUDGET, answers)
    answers = Answers.of(conv)
    step = str(conv.step)
    if step not in QUESTION_STEPS and step != Step.RECAP:
        return _outside(session, conv, answers, text)
    result = interpret(step, text, answers)
    if result.aside is not None:
        return asides.reply(session, conv, result.aside)
    if result.unsure:
        return unsure.suggest(session, conv, step)
    if step == Step.RECAP:
        if result.empty():
            return Outcome().add(recap(conv))
        return _absorb(session, conv, answers, result, current=None, text=text)
    if step == Step.BUDGET and result.budget_error and result.empty():
        _save(session, conv, Step.BUDGET, answers)
        reply = Reply(render("budget_error", error=result.budget_error, text=_clip(text)))
        return Outcome().add(reply)
    answers.put(step, None)
    return _absorb(session, conv, answers, result, current=step, text=_clip(text))


def _outside(session: Session, conv: Conversation, answers: Answers, text: str) -> Outcome:
    """Idle, done, or another feature's step: a correction of the last brief, or a new one."""
    if conv.step == Step.DONE and answers.missing() is None:
        result = interpret(Step.RECAP, text, answers)
        if result.changes and not result.ask and result.aside is None:
            # "eh ga jadi tiktok, ig aja" after a recommendation: the same brief, corrected
            return _absorb(session, conv, answers, result, current=None, text=text)
    fresh = Answers.kept(conv)
    result = interpret("", text, fresh)
    if result.aside is not None:
        return asides.reply(session, conv, result.aside)
    if not result.new and result.budget_ambiguous_juta is None:
        return Outcome().add(Reply(render("idle_hint")))
    return _absorb(session, conv, fresh, result, current=None, text=text)


def _remember(session: Session, person: Person) -> None:
    upsert_user(session, user_id=person.id, first_name=person.first_name, timezone=person.timezone)


def _save(session: Session, conv: Conversation, step: str, answers: Answers) -> None:
    save_conversation(session, conv, step=str(step), answers=answers.dump())


def _advance(session: Session, conv: Conversation, answers: Answers, outcome: Outcome) -> Outcome:
    """Ask the next missing answer, or show the recap when everything is known."""
    step = answers.missing() or Step.RECAP
    answers.return_to_recap = answers.return_to_recap and step != Step.RECAP
    _save(session, conv, step, answers)
    if step == Step.RECAP:
        return outcome.add(recap(conv))
    return outcome.add(question(session, conv, step))


def _absorb(
    session: Session,
    conv: Conversation,
    answers: Answers,
    result: Interpretation,
    *,
    current: str | None,
    text: str,
) -> Outcome:
    """Take what a message gave, say so, ask before changing what was said in passing,
    then ask only what is missing."""
    outcome = Outcome()
    answers.proposed = None
    changed = [(name, value, answers.get(name)) for name, value in result.changes.items()]
    for name, value, _ in changed:
        answers.put(name, value)
    found = list(result.new)
    for name in found:
        answers.put(name, result.new[name])
    for name in result.retract:
        answers.put(name, None)
        answers.return_to_recap = True
    if changed:
        lines = [(n, value_label(n, new), value_label(n, old)) for n, new, old in changed]
        outcome.add(Reply(render("changed", changes=lines, names=FIELD_NAMES)))
    # When the recap comes next it lists every answer: saying several of them twice in one
    # message is noise on a phone. One answer is still acknowledged in a line.
    ambiguous = result.budget_ambiguous_juta if answers.budget is None else None
    recap_next = answers.missing() is None and ambiguous is None and not result.ask
    if found and not (recap_next and len(found) > 1):
        kind = answers.business
        business = BUSINESS_NAMES[kind] if kind is not None else None
        outcome.add(Reply(render("understood", fields=found, answers=answers, business=business)))
    if ambiguous is not None:
        answers.pending_budget = ambiguous
        _save(session, conv, Step.BUDGET_CONFIRM, answers)
        return outcome.add(question(session, conv, Step.BUDGET_CONFIRM))
    unanswered = current is not None and answers.get(current) is None
    if result.ask:
        answers.proposed = BriefValues(**result.ask)
        step = current if unanswered and current else (answers.missing() or Step.RECAP)
        _save(session, conv, step, answers)
        return outcome.add(confirm_change(conv, answers))
    if unanswered and current is not None:
        _save(session, conv, current, answers)
        return outcome.add(question(session, conv, current, retry=True, text=text))
    return _advance(session, conv, answers, outcome)


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- buttons


def _chosen(session: Session, conv: Conversation, field: str, value: Any, label: str) -> Outcome:
    """An answer tapped: the question becomes "<title>: <choice>", then the next one is asked."""
    answers = Answers.of(conv)
    answers.pending_budget = None
    answers.put(field, value)
    outcome = Outcome().add(
        Reply(render("answered", question=TITLES[field], choice=label), edit=True)
    )
    return _advance(session, conv, answers, outcome)


@versioned
def _niche(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    index = press.id(0)
    if index >= len(NICHES):
        raise BadButton("bad niche index")
    return _chosen(session, conv, "niche", NICHES[index], NICHES[index])


@versioned
def _niche_other(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    return Outcome().add(Reply(render("ask_niche_other")))


@versioned
def _goal(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    try:
        goal = Goal(press.word(0))
    except ValueError as exc:
        raise BadButton("bad goal") from exc
    return _chosen(session, conv, "goal", goal, GOAL_LABELS[goal])


@versioned
def _budget(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
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
        _save(session, conv, Step.BUDGET, answers)
        reply = Reply(render("budget_error", error="too_small", text=rupiah(amount)))
        return Outcome().add(reply)
    if not MIN_BUDGET_BUTTON <= amount <= MAX_BUDGET_BUTTON:
        raise BadButton("bad budget")
    return _chosen(session, conv, "budget", amount, rupiah(amount))


@versioned
def _budget_retype(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    answers = Answers.of(conv)
    answers.pending_budget = None
    _save(session, conv, Step.BUDGET, answers)
    return Outcome().add(question(session, conv, Step.BUDGET))


@versioned
def _platform(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    try:
        platform = Platform(press.word(0))
    except ValueError as exc:
        raise BadButton("bad platform") from exc
    return _chosen(session, conv, "platform", platform, PLATFORM_LABELS[platform])


@versioned
def _city(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    index = press.id(0)
    if index >= len(QUICK_CITIES):
        raise BadButton("bad city index")
    location = resolve_place(QUICK_CITIES[index])
    if location is None:
        raise BadButton("quick city did not resolve")
    return _location(session, conv, location)


@versioned
def _nationwide(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    return _location(session, conv, NATIONWIDE)


def _location(session: Session, conv: Conversation, location: Location) -> Outcome:
    return _chosen(session, conv, "location", location, location.name)


@versioned
def _business(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
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
        _save(session, conv, conv.step, answers)
        return outcome.add(confirm_change(conv, answers))
    answers.proposed = None
    if conv.step in QUESTION_STEPS and answers.get(conv.step) is None:
        _save(session, conv, conv.step, answers)
        return outcome.add(question(session, conv, conv.step))
    return _advance(session, conv, answers, outcome)


@versioned
def _change(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    return _settle(conv, press, True, session)


@versioned
def _keep(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    return _settle(conv, press, False, session)


@versioned
def _edit(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    field = press.word(0)
    if field not in ANSWER_FIELDS or conv.step != Step.RECAP:
        raise BadButton(f"bad edit field {field!r}")
    answers = Answers.of(conv)
    answers.return_to_recap = True
    _save(session, conv, field, answers)
    return Outcome().add(question(session, conv, field))


@versioned
def _recommend(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    answers = Answers.of(conv)
    if conv.step != Step.RECAP or answers.missing() is not None:
        return stale(session, conv)
    brief = answers.brief()
    scopes = scopes_for(session, user_id=person.id, chat_id=person.chat_id)
    advice = advise(session, brief, owner_id=person.id, scopes=scopes)
    rec = advice.recommendation
    outcome = Outcome()
    outcome.add(Reply(render("recap_done", answers=answers).split("\n")[0], edit=True))
    if rec.chosen is None:
        advice = with_platforms(session, advice, scopes=scopes)
        _save(session, conv, Step.RECAP, answers)
        v = conv.version
        buttons = rows(
            *(
                Button(EDIT_LABELS[field], make(Action.EDIT, field, version=v))
                for field in ("budget", "platform", "niche", "location")
            )
        )
        return outcome.add(Reply(nothing_fits_text(advice), buttons=buttons))
    row = add_recommendation(
        session,
        user_id=person.id,
        chat_id=person.chat_id,
        brief=BRIEF_JSON.dump(brief),
        result={
            **RECOMMENDATION_JSON.dump(rec),
            "own_results": OWN_RESULTS_JSON.dump(advice.own) if advice.own else None,
        },
        sample_data=advice.sample_data,
    )
    assert row.id is not None  # flushed
    _save(session, conv, Step.DONE, answers)
    return outcome.add(
        main_view(row.id, rec, sample_data=advice.sample_data, saved=False, own=advice.own)
    )


FEATURE = Feature(
    name="advisor",
    actions=Action,
    buttons={
        Action.NICHE: _niche,
        Action.NICHE_OTHER: _niche_other,
        Action.GOAL: _goal,
        Action.BUDGET: _budget,
        Action.BUDGET_RETYPE: _budget_retype,
        Action.PLATFORM: _platform,
        Action.CITY: _city,
        Action.NATIONWIDE: _nationwide,
        Action.BUSINESS: _business,
        Action.EDIT: _edit,
        Action.RECOMMEND: _recommend,
        Action.CHANGE: _change,
        Action.KEEP: _keep,
    },
)
