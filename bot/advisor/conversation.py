"""The advisor conversation: one question at a time, free text or buttons, state in the database.

Every entry point takes an open Session (one transaction per update) and returns an Outcome;
the handlers only translate Telegram updates into these calls and the Outcome back into messages.

The advisor has no form steps in the kernel's sense: it reads whatever text no other feature
took (after the performance-line and post-link checks), at any step, so `text_message` is the
router's last resort rather than an entry in the step table.
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session

from bot.advisor import asides, choices, unsure
from bot.advisor.answers import Answers
from bot.advisor.asides import Aside, recognise
from bot.advisor.engine.results import RECOMMENDATION_JSON
from bot.advisor.interpret import RESTATED_FIELDS, interpret
from bot.advisor.learning import OWN_RESULTS_JSON
from bot.advisor.progress import absorb, clip, save
from bot.advisor.questions import (
    EDIT_LABELS,
    QUESTION_STEPS,
    Action,
    Step,
    make,
    question,
    recap,
    stale,
    versioned,
)
from bot.advisor.recommendations import advise, nothing_fits_text, with_platforms
from bot.advisor.view import main_view
from bot.chat.buttons import Press
from bot.chat.flow import IDLE
from bot.chat.kernel import Feature
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.domain import BRIEF_JSON
from bot.language.corrections import asks_what_if
from bot.store.upload import scopes_for
from models.conversations import Conversation, load_conversation
from models.users import add_recommendation, upsert_user

# ---------------------------------------------------------------- commands and free text


def start(session: Session, person: Person) -> Outcome:
    """/start and /mulai: a fresh consultation."""
    _remember(session, person)
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    save(session, conv, Step.NICHE, Answers.kept(conv))
    outcome = Outcome()
    outcome.add(Reply(render("welcome", name=person.first_name or "")))
    outcome.add(question(session, conv, Step.NICHE))
    return outcome


def cancel(session: Session, person: Person) -> Outcome:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    save(session, conv, IDLE, Answers.kept(conv))
    return Outcome().add(Reply(render("cancelled")))


def text_message(session: Session, person: Person, text: str) -> Outcome:
    """Free text: answers the current question, and anything else it says is taken too."""
    _remember(session, person)
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    text = text.strip()
    if conv.step == Step.BUDGET_CONFIRM:
        answers = Answers.of(conv)
        answers.pending_budget = None
        save(session, conv, Step.BUDGET, answers)
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
        return absorb(session, conv, answers, result, current=None, text=text)
    if step == Step.BUDGET and result.budget_error and result.empty():
        save(session, conv, Step.BUDGET, answers)
        reply = Reply(render("budget_error", error=result.budget_error, text=clip(text)))
        return Outcome().add(reply)
    answers.put(step, None)
    return absorb(session, conv, answers, result, current=step, text=clip(text))


def _outside(session: Session, conv: Conversation, answers: Answers, text: str) -> Outcome:
    """Idle, done, or another feature's step: a correction of the last brief, or a new one."""
    if conv.step == Step.DONE and answers.missing() is None:
        result = interpret(Step.RECAP, text, answers)
        aside = result.aside or recognise(text)
        if aside == Aside.RESULTS:
            # "bisa dapet brp orang yg dtg?" asks about the recommendation just shown; the
            # goal or kind of business its words happen to name is no new consultation
            return asides.reply(session, conv, aside)
        if result.ask and not result.changes and asks_what_if(text):
            # "kalau di tiktok?" after a recommendation: that brief, with this value
            result = replace(result, changes=result.ask, ask={})
        touched = len(result.changes) + len(result.ask)
        if touched and touched < RESTATED_FIELDS and result.aside is None:
            # "eh ga jadi tiktok, ig aja" after a recommendation: the same brief, corrected;
            # "ada yg dari makassar ga?" names a value in passing: asked about, on that brief
            return absorb(session, conv, answers, result, current=None, text=text)
        if aside is not None and not touched:
            return asides.reply(session, conv, aside)
    fresh = Answers.kept(conv)
    result = interpret("", text, fresh)
    if result.aside is not None:
        return asides.reply(session, conv, result.aside)
    if not result.new and result.budget_ambiguous_juta is None:
        # after a recommendation, say what can be done with it rather than greet anew
        if conv.step != Step.DONE or answers.missing() is not None:
            return Outcome().add(Reply(render("idle_hint")))
        return Outcome().add(Reply(render("done_hint", ack=asides.is_acknowledgement(text))))
    return absorb(session, conv, fresh, result, current=None, text=text)


def _remember(session: Session, person: Person) -> None:
    upsert_user(session, user_id=person.id, first_name=person.first_name, timezone=person.timezone)


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
        save(session, conv, Step.RECAP, answers)
        v = conv.version
        buttons = rows(
            *(
                Button(EDIT_LABELS[field], make(Action.EDIT, field, version=v))
                for field in ("budget", "platform", "niche", "location", "business")
                if field != "business" or brief.business is not None
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
    save(session, conv, Step.DONE, answers)
    return outcome.add(
        main_view(row.id, rec, sample_data=advice.sample_data, saved=False, own=advice.own)
    )


FEATURE = Feature(
    name="advisor",
    actions=Action,
    buttons={
        Action.NICHE: choices.on_niche,
        Action.NICHE_OTHER: choices.on_niche_other,
        Action.GOAL: choices.on_goal,
        Action.BUDGET: choices.on_budget,
        Action.BUDGET_RETYPE: choices.on_budget_retype,
        Action.PLATFORM: choices.on_platform,
        Action.CITY: choices.on_city,
        Action.NATIONWIDE: choices.on_nationwide,
        Action.BUSINESS: choices.on_business,
        Action.EDIT: choices.on_edit,
        Action.RECOMMEND: _recommend,
        Action.CHANGE: choices.on_change,
        Action.KEEP: choices.on_keep,
    },
)
