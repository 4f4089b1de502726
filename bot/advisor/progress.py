"""How the advisor moves on: store the answers, acknowledge them, ask what is missing.

Shared by free text (bot.advisor.conversation) and the answer buttons (bot.advisor.choices).
"""

from __future__ import annotations

from sqlmodel import Session

from bot.advisor.answers import Answers, BriefValues
from bot.advisor.interpret import Interpretation
from bot.advisor.questions import (
    BUSINESS_NAMES,
    FIELD_NAMES,
    Step,
    confirm_change,
    question,
    recap,
    value_label,
)
from bot.chat.replies import Outcome, Reply
from bot.chat.texts import render
from models.conversations import Conversation, save_conversation


def save(session: Session, conv: Conversation, step: str, answers: Answers) -> None:
    save_conversation(session, conv, step=str(step), answers=answers.dump())


def advance(session: Session, conv: Conversation, answers: Answers, outcome: Outcome) -> Outcome:
    """Ask the next missing answer, or show the recap when everything is known."""
    step = answers.missing() or Step.RECAP
    answers.return_to_recap = answers.return_to_recap and step != Step.RECAP
    save(session, conv, step, answers)
    if step == Step.RECAP:
        return outcome.add(recap(conv))
    return outcome.add(question(session, conv, step))


def absorb(
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
    also = [p for p in result.also_platforms if p != answers.platform]
    if found and not (recap_next and len(found) > 1):
        kind = answers.business
        business = BUSINESS_NAMES[kind] if kind is not None else None
        outcome.add(
            Reply(render("understood", fields=found, answers=answers, business=business, also=also))
        )
    elif also and answers.platform is not None:  # the recap comes next: say it in one line
        outcome.add(Reply(render("platforms_also", answers=answers, also=also)))
    if ambiguous is not None:
        answers.pending_budget = ambiguous
        save(session, conv, Step.BUDGET_CONFIRM, answers)
        return outcome.add(question(session, conv, Step.BUDGET_CONFIRM))
    unanswered = current is not None and answers.get(current) is None
    if result.ask:
        answers.proposed = BriefValues(**result.ask)
        step = current if unanswered and current else (answers.missing() or Step.RECAP)
        save(session, conv, step, answers)
        return outcome.add(confirm_change(conv, answers))
    if unanswered and current is not None:
        # "not understood" only when nothing was; otherwise just the question again
        retry = not (found or changed or result.retract)
        save(session, conv, current, answers)
        return outcome.add(question(session, conv, current, retry=retry, text=text))
    return advance(session, conv, answers, outcome)


def clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
