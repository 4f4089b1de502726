"""/privasi and /hapusdata in the chat: what is kept, and forgetting a person after a confirm.

The confirmation buttons carry the conversation's version like the advisor's questions: only
the latest question can delete anything, and "Batal" continues where the chat was.
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session

from bot.advisor.answers import Answers
from bot.advisor.questions import ask_again, stale, versioned
from bot.chat.buttons import Press
from bot.chat.flow import IDLE
from bot.chat.kernel import ButtonMaker, Feature
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.privacy import rules
from models.conversations import Conversation, load_conversation, save_conversation


class Step(StrEnum):
    CONFIRM_DELETE = "confirm_delete"


class Action(StrEnum):
    CONFIRM_DELETE = "delete_yes"
    KEEP = "delete_no"


make = ButtonMaker("privacy", Action)


def privacy(session: Session, person: Person) -> Outcome:
    """/privasi: what is stored, and for how long."""
    return Outcome().add(
        Reply(
            render(
                "privacy",
                retention_days=rules.UNSAVED_RECOMMENDATION_DAYS,
                update_days=rules.UPDATE_ID_DAYS,
                broadcast_days=rules.BROADCAST_DAYS,
                pending_hours=rules.PENDING_UPLOAD_HOURS,
            )
        )
    )


def request_deletion(session: Session, person: Person) -> Outcome:
    """/hapusdata: say what would go, and ask; the step it interrupted is kept for "Batal"."""
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    answers = Answers.of(conv)
    if conv.step != Step.CONFIRM_DELETE:
        answers.resume_step = conv.step
    elif answers.resume_step is None:
        answers.resume_step = IDLE
    save_conversation(session, conv, step=str(Step.CONFIRM_DELETE), answers=answers.dump())
    data = rules.footprint(session, user_id=person.id)
    buttons = rows(
        Button("🗑 Ya, hapus semua", make(Action.CONFIRM_DELETE, version=conv.version)),
        Button("Batal", make(Action.KEEP, version=conv.version)),
    )
    return Outcome().add(Reply(render("delete_confirm", data=data), buttons=buttons))


@versioned
def _confirm(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    if conv.step != Step.CONFIRM_DELETE:
        return stale(session, conv)
    rules.forget_user(session, user_id=person.id, chat_id=person.chat_id)
    return Outcome().add(Reply(render("deleted", update_days=rules.UPDATE_ID_DAYS), edit=True))


@versioned
def _keep(session: Session, person: Person, press: Press, conv: Conversation) -> Outcome:
    if conv.step != Step.CONFIRM_DELETE:
        return stale(session, conv)
    answers = Answers.of(conv)
    resume = answers.resume_step or IDLE
    answers.resume_step = None
    save_conversation(session, conv, step=resume, answers=answers.dump())
    outcome = Outcome().add(Reply(render("delete_kept"), edit=True))
    again = ask_again(session, conv, resume)
    if again is not None:
        outcome.add(again)
    return outcome


FEATURE = Feature(
    name="privacy",
    actions=Action,
    buttons={Action.CONFIRM_DELETE: _confirm, Action.KEEP: _keep},
)
