"""The conversation kernel: each feature's tables of buttons and text steps, and dispatch.

A feature declares its button actions as a `StrEnum` and hands the kernel one table mapping
each action to a handler, plus the flow steps whose free text it reads (the pattern of
ultimate-poll-bot's callback tables). `bot.chat.routes` assembles the tables; the handlers layer
only calls `press` and `flow_text`. A table that misses an action fails at import, not when a
user taps the button.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

from sqlmodel import Session

from bot.chat.buttons import BadButton, Press, button_data, parse
from bot.chat.person import Person
from bot.chat.replies import Outcome
from bot.chat.texts import render

log = logging.getLogger(__name__)

ButtonHandler = Callable[[Session, Person, Press], Outcome]
TextHandler = Callable[[Session, Person, str], Outcome]
DocumentHandler = Callable[[Session, Person, str, bytes], Outcome]  # file name, content
A = TypeVar("A", bound=StrEnum)


class ButtonMaker(Generic[A]):
    """Callback data for one feature's actions: `make(Action.REPORT, campaign_id)`."""

    def __init__(self, feature: str, actions: type[A]) -> None:
        self.feature = feature
        self.actions = actions

    def __call__(self, action: A, *args: object, version: int | None = None) -> str:
        return button_data(self.feature, action, *args, version=version)


@dataclass(frozen=True)
class Feature:
    """One feature's dispatch tables."""

    name: str
    actions: type[StrEnum]
    buttons: Mapping[StrEnum, ButtonHandler]
    steps: Mapping[str, TextHandler] = field(default_factory=dict)
    photo_steps: Mapping[str, Callable[[Session, Person, str, str], Outcome]] = field(
        default_factory=dict
    )
    document_steps: Mapping[str, DocumentHandler] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = set(self.actions) - set(self.buttons)
        extra = set(self.buttons) - set(self.actions)
        if missing or extra:
            raise TypeError(f"{self.name}: table does not match its actions ({missing=}, {extra=})")


class Kernel:
    """Dispatch over all features' tables."""

    def __init__(self, features: Sequence[Feature]) -> None:
        self.features = {f.name: f for f in features}
        if len(self.features) != len(features):
            raise TypeError("two features share a name")
        self.steps: dict[str, TextHandler] = {}
        self.photo_steps: dict[str, Callable[[Session, Person, str, str], Outcome]] = {}
        for feature in features:
            for step, handler in feature.steps.items():
                if step in self.steps:
                    raise TypeError(f"step {step!r} claimed twice")
                self.steps[str(step)] = handler
            self.photo_steps.update({str(k): v for k, v in feature.photo_steps.items()})
        self.document_steps: dict[str, DocumentHandler] = {
            str(k): v for f in features for k, v in f.document_steps.items()
        }

    def press(self, session: Session, person: Person, data: str | None) -> Outcome:
        """Run the handler a button names; anything not made by us gets a polite toast."""
        try:
            press = parse(data)
            feature = self.features.get(press.feature)
            if feature is None:
                raise BadButton(f"unknown feature {press.feature!r}")
            try:
                action = feature.actions(press.action)
            except ValueError as exc:
                raise BadButton(f"unknown action {press.action!r}") from exc
            return feature.buttons[action](session, person, press)
        except BadButton as exc:
            log.warning("refused callback data %r from user %s: %s", data, person.id, exc)
            return Outcome(toast=render("toast", kind="bad"))

    def flow_text(self, step: str) -> TextHandler | None:
        """The handler for free text in a form step, or None outside forms."""
        return self.steps.get(step)
