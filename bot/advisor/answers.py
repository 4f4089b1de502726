"""What the advisor has collected in a chat, typed, stored in the conversation row's JSON.

The keys are the ones rows have always used, so conversations saved by earlier versions load
unchanged. Keys that belong to other features (a form's `flow`) pass through untouched.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_serializer, field_validator

from bot.domain import LOCATION_JSON, Brief, BusinessKind, Goal, Location, Platform
from bot.language.business import default_business
from models.conversations import Conversation

log = logging.getLogger(__name__)

#: The brief's fields, in the order the advisor asks for them.
FIELDS = ("niche", "goal", "budget", "platform", "location")
#: Every answer the recap lists and can change: the brief's fields and the kind of business.
ANSWER_FIELDS = (*FIELDS, "business")
#: Where a walk-in shop or a destination differs from an online one, the kind is asked.
LOCAL_KINDS = frozenset({"city", "province", "region"})


class BriefValues(BaseModel):
    """Values of the brief's fields; unset fields are None."""

    model_config = ConfigDict(extra="allow", arbitrary_types_allowed=True)

    niche: str | None = None
    goal: Goal | None = None
    budget: int | None = None
    platform: Platform | None = None
    location: Location | None = None
    #: the kind of business as the owner said it (None: not said; see `business_kind`)
    business: BusinessKind | None = None

    @field_validator("location", mode="before")
    @classmethod
    def _location(cls, value: object) -> object:
        return LOCATION_JSON.load(value) if isinstance(value, dict) else value

    @field_serializer("location")
    def _dump_location(self, value: Location | None) -> dict[str, Any] | None:
        return LOCATION_JSON.dump(value) if value is not None else None

    def get(self, name: str) -> Any:
        """One field by name (niche, goal, budget, platform, location or business)."""
        return getattr(self, name)

    def put(self, name: str, value: Any) -> None:
        setattr(self, name, value)

    def given(self) -> dict[str, Any]:
        """The fields that hold a value, in the order they are asked."""
        return {name: self.get(name) for name in ANSWER_FIELDS if self.get(name) is not None}


class Answers(BriefValues):
    """The brief so far, plus the few notes the questions need between two messages."""

    #: an ambiguous "5" (stored as its juta reading) waiting for "Rp5 rb" or "Rp5 jt"
    pending_budget: int | None = None
    #: an answer edited from the recap goes back to the recap
    return_to_recap: bool = False
    #: the step /hapusdata interrupted, to continue after "Batal"
    resume_step: str | None = None
    #: {"agency_id", "client_id", "client_name"} while a staff member works for a client
    acting_for: dict[str, Any] | None = None
    #: values said in passing that would change an answer: asked with "Ganti"/"Tetap"
    proposed: BriefValues | None = None

    @classmethod
    def of(cls, conv: Conversation) -> Answers:
        """The chat's answers; a row that does not fit keeps only what other features own."""
        try:
            return cls.model_validate(conv.answers)
        except (ValidationError, KeyError, TypeError) as exc:
            log.warning("chat %s: advisor answers unreadable, starting over: %s", conv.chat_id, exc)
            own = set(cls.model_fields)
            return cls.model_validate({k: v for k, v in conv.answers.items() if k not in own})

    @classmethod
    def kept(cls, conv: Conversation) -> Answers:
        """A fresh start: nothing of the brief, only the client a staff member works for."""
        return cls(acting_for=cls.of(conv).acting_for)

    def dump(self) -> dict[str, Any]:
        """The JSON for the conversation row (unset notes are left out, as they always were)."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def business_kind(self) -> BusinessKind | None:
        """The kind as said; else what the niche almost always is; nationwide: online."""
        return self.business or default_business(self.niche, self.location)

    def missing(self) -> str | None:
        """The first answer still unknown, or None when the brief is complete.

        The kind of business is asked only for a city, province or region target, where it decides
        whose audience counts.
        """
        first = next((name for name in FIELDS if self.get(name) is None), None)
        if first is not None:
            return first
        assert self.location is not None
        if self.location.kind in LOCAL_KINDS and self.business_kind() is None:
            return "business"
        return None

    def brief(self) -> Brief:
        """The complete brief; only called once `missing()` is None."""
        if (
            self.niche is None
            or self.goal is None
            or self.budget is None
            or self.platform is None
            or self.location is None
        ):
            raise ValueError("the brief is not complete")
        return Brief(
            niche=self.niche,
            goal=self.goal,
            budget=self.budget,
            platform=self.platform,
            location=self.location,
            business=self.business_kind(),
        )
