"""Talking to the domain services as a chat would: one transaction per update, read the replies."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from bot.chat.replies import Outcome
from models.db import session_scope


def call(
    engine: Engine, action: Callable[..., Outcome], *args: object, **kwargs: object
) -> Outcome:
    with session_scope(engine) as session:
        return action(session, *args, **kwargs)


def texts(outcome: Outcome) -> str:
    return "\n".join(r.text for r in outcome.replies)


def button(outcome: Outcome, label: str) -> str:
    """Callback data of the newest button whose label contains `label`."""
    for reply in reversed(outcome.replies):
        for row in reply.buttons:
            for b in row:
                if label in b.text:
                    return b.data
    labels = [b.text for r in outcome.replies for row in r.buttons for b in row]
    raise AssertionError(f"no button {label!r} in {labels}")
