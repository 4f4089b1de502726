"""Typed flow state: which step a chat is in, and what the feature collected so far.

Every multi-message form (a new campaign, a client's name, a broadcast, a schedule, a guided
capture) keeps its state in the chat's one conversation row: `step` names the step, and
`answers["flow"]` holds the feature's pydantic model as JSON. Loading validates it, so a row
written by an older version, or half-cleared, reads as "no flow" instead of crashing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlmodel import Session

from bot.chat.person import Person
from models.conversations import Conversation, load_conversation, save_conversation

IDLE = "idle"


class FlowState(BaseModel):
    """Base of every feature's flow state (unknown keys from older rows are ignored)."""

    model_config = ConfigDict(extra="ignore")


S = TypeVar("S", bound=FlowState)


def conversation(session: Session, person: Person) -> Conversation:
    """The chat's conversation row, locked for this update where the database can."""
    return load_conversation(session, chat_id=person.chat_id, user_id=person.id)


def enter(
    session: Session, person: Person, step: StrEnum | str, state: FlowState | None = None
) -> Conversation:
    """Move the chat to `step`, replacing any flow state with `state`."""
    conv = conversation(session, person)
    answers = dict(conv.answers)
    if state is None:
        answers.pop("flow", None)
    else:
        answers["flow"] = state.model_dump(mode="json")
    save_conversation(session, conv, step=str(step), answers=answers)
    return conv


def leave(session: Session, person: Person, step: StrEnum | str = IDLE) -> Conversation:
    """End the flow: drop its state and park the chat at `step`."""
    return enter(session, person, step, None)


def state_of(conv: Conversation, model: type[S]) -> S | None:
    """The flow state as `model`, or None when there is none or it does not fit."""
    raw = conv.answers.get("flow")
    if not isinstance(raw, dict):
        return None
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None
