"""The advisor conversation: one question at a time, free text or buttons, state in the database.

Every entry point takes an open Session (one transaction per update) and returns an Outcome;
the handlers only translate Telegram updates into these calls and the Outcome back into messages.

The advisor has no form steps in the kernel's sense: it reads whatever text no other feature
took (after the performance-line and post-link checks), at any step, so `text_message` is the
router's last resort rather than an entry in the step table.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlmodel import Session

from bot.advisor import asides, unsure
from bot.advisor.answers import FIELDS, Answers
from bot.advisor.engine.results import RECOMMENDATION_JSON
from bot.advisor.learning import OWN_RESULTS_JSON
from bot.advisor.questions import (
    EDIT_LABELS,
    GOAL_LABELS,
    QUESTION_STEPS,
    QUICK_CITIES,
    TITLES,
    Action,
    Step,
    make,
    question,
    recap,
    ribu_reading,
    stale,
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
from bot.domain import BRIEF_JSON, NATIONWIDE, NICHES, PLATFORM_LABELS, Goal, Location, Platform
from bot.language.brief import BriefDraft, extract_brief
from bot.language.goals import parse_goal
from bot.language.locations import parse_location
from bot.language.money import MIN_BUDGET, parse_budget
from bot.language.niches import parse_niche
from bot.language.places import resolve_place
from bot.language.platforms import parse_platform
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
    if (aside := asides.answer(session, conv, text)) is not None:
        return aside  # a question or thanks in passing: answered, nothing changes
    if conv.step not in QUESTION_STEPS and conv.step != Step.RECAP:
        # idle, done, confirm_delete, or a step of another feature that did not take the text
        draft = extract_brief(text)
        if not draft.found():
            return Outcome().add(Reply(render("idle_hint")))
        return _absorb(session, conv, Answers.kept(conv), draft, current=None, text=text)
    if conv.step == Step.RECAP:
        draft = extract_brief(text)
        if not draft.found():
            return Outcome().add(recap(conv))
        return _absorb(session, conv, Answers.of(conv), draft, current=None, text=text)
    if conv.step == Step.BUDGET_CONFIRM:
        answers = Answers.of(conv)
        answers.pending_budget = None
        _save(session, conv, Step.BUDGET, answers)
        return text_message(session, person, text)
    return _answer_step(session, conv, conv.step, text)


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
    draft: BriefDraft,
    *,
    current: str | None,
    text: str,
) -> Outcome:
    """Take every answer a free-text message gave, say so, then ask only what is missing."""
    found = [name for name in draft.found() if name != "budget" or draft.budget is not None]
    for name in found:
        answers.put(name, getattr(draft, name))
    outcome = Outcome()
    # When the recap comes next it lists every answer: saying several of them twice in one
    # message is noise on a phone. One answer is still acknowledged in a line.
    recap_next = answers.missing() is None and not draft.budget_ambiguous_juta
    if found and not (recap_next and len(found) > 1):
        outcome.add(Reply(render("understood", fields=found, answers=answers)))
    if draft.budget is None and draft.budget_ambiguous_juta and answers.budget is None:
        answers.pending_budget = draft.budget_ambiguous_juta
        _save(session, conv, Step.BUDGET_CONFIRM, answers)
        return outcome.add(question(session, conv, Step.BUDGET_CONFIRM))
    if current is not None and current not in found and answers.get(current) is None:
        _save(session, conv, current, answers)
        return outcome.add(question(session, conv, current, retry=True, text=text))
    return _advance(session, conv, answers, outcome)


def _answer_step(session: Session, conv: Conversation, step: str, text: str) -> Outcome:
    if (suggestion := unsure.reply(session, conv, step, text)) is not None:
        return suggestion
    answers = Answers.of(conv)
    draft = extract_brief(text)
    if step == Step.BUDGET:
        parsed = parse_budget(text)
        if parsed.amount is not None:
            draft = replace(draft, budget=parsed.amount, budget_ambiguous_juta=None)
        elif parsed.ambiguous_juta is not None:
            draft = replace(draft, budget=None, budget_ambiguous_juta=parsed.ambiguous_juta)
        elif not any(name != step for name in draft.found()):
            _save(session, conv, Step.BUDGET, answers)
            return Outcome().add(
                Reply(render("budget_error", error=parsed.error, text=_clip(text)))
            )
    else:
        draft = _with_direct_answer(draft, step, text)
    answers.put(step, None)
    return _absorb(session, conv, answers, draft, current=step, text=_clip(text))


def _with_direct_answer(draft: BriefDraft, step: str, text: str) -> BriefDraft:
    """Read the text as the answer to `step` first; that reading wins over the sentence's."""
    if step == Step.NICHE and (niche := parse_niche(text)) is not None:
        return replace(draft, niche=niche)
    if step == Step.GOAL and (goal := parse_goal(text)) is not None:
        return replace(draft, goal=goal)
    if step == Step.PLATFORM and (platform := parse_platform(text)) is not None:
        return replace(draft, platform=platform)
    if step == Step.LOCATION and (location := parse_location(text)) is not None:
        return replace(draft, location=location)
    return draft


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
def _edit(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    field = press.word(0)
    if field not in FIELDS or conv.step != Step.RECAP:
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
        Action.EDIT: _edit,
        Action.RECOMMEND: _recommend,
    },
)
