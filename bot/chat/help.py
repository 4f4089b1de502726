"""/bantuan, commands the bot does not know, and messages it cannot read (stickers, voice...)."""

from __future__ import annotations

from sqlmodel import Session

from bot.advisor.questions import QUESTION_STEPS, question
from bot.chat.person import Person
from bot.chat.replies import Outcome, Reply
from bot.chat.texts import render
from models.conversations import load_conversation


def help_text(session: Session, person: Person) -> Outcome:
    return Outcome().add(Reply(render("help")))


def unknown_command(session: Session, person: Person) -> Outcome:
    return Outcome().add(Reply(render("unknown_command")))


def not_text(session: Session, person: Person) -> Outcome:
    """Say that only text is read; in the middle of a question, ask it again."""
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    outcome = Outcome().add(Reply(render("not_text")))
    if conv.step in QUESTION_STEPS:
        outcome.add(question(session, conv, conv.step))
    return outcome
