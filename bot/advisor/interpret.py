"""What one owner message means at one step of the advisor: a pure function of (step, text, answers).

The conversation acts on the result; the corpus test reads hundreds of real-looking messages
through the same function. An earlier answer is never changed silently: a value that would
replace it is a `change` only when the message clearly corrects it ("ga jadi tiktok, ig
aja", "lokasinya jaksel aja", or the new value alone); said in passing it is only `ask`ed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.advisor.answers import ANSWER_FIELDS, BriefValues
from bot.advisor.asides import Aside, recognise
from bot.advisor.unsure import is_unsure
from bot.domain import Platform
from bot.language.business import parse_business
from bot.language.corrections import Reading, read_message
from bot.language.goals import parse_goal
from bot.language.locations import parse_location
from bot.language.money import parse_budget
from bot.language.niches import parse_niche
from bot.language.platforms import parse_platform, platforms_named

#: Steps whose question the message may answer directly.
ANSWER_STEPS = frozenset(ANSWER_FIELDS)
#: A short message that is only a new value is a correction: "tiktok aja", "6jt".
WHOLE_ANSWER_WORDS = 3
RESTATED_FIELDS = 3

#: Budget answers refused as a whole even where a sentence reading would find an amount.
_DEFINITE_ERRORS = frozenset({"negative", "zero", "too_small", "too_large", "range"})

_DIRECT = {
    "niche": parse_niche,
    "goal": parse_goal,
    "platform": parse_platform,
    "location": parse_location,
    "business": parse_business,
}


@dataclass(frozen=True)
class Interpretation:
    """What to do with a message; empty when it says nothing the advisor can use."""

    aside: Aside | None = None
    unsure: bool = False
    new: dict[str, Any] = field(default_factory=dict)  # answers not given before
    changes: dict[str, Any] = field(default_factory=dict)  # explicit corrections
    ask: dict[str, Any] = field(default_factory=dict)  # said in passing: ask before changing
    retract: tuple[str, ...] = ()  # "ga jadi tiktok" and nothing instead: ask again
    budget_ambiguous_juta: int | None = None  # a bare "5": Rp5 rb or Rp5 jt?
    budget_error: str | None = None  # at the budget step, nothing readable
    #: other platforms the message named beside the one taken ("ig sm tiktok"): one
    #: recommendation is for one platform, so the owner is told the others come after
    also_platforms: tuple[Platform, ...] = ()

    def empty(self) -> bool:
        return not (self.new or self.changes or self.ask or self.retract) and (
            self.budget_ambiguous_juta is None
        )


def _step_value(step: str, text: str, reading: Reading) -> Any:
    """The answer to the open question: the whole message read as it, else the sentence's."""
    said = reading.values().get(step)
    if reading.denied.found() or reading.correcting:
        return said  # "ga jadi tiktok, ig aja": the denied mention is not the answer
    direct = _DIRECT[step](text)
    return direct if direct is not None else said


def _budget(text: str, reading: Reading) -> tuple[int | None, int | None, str | None]:
    """(amount, ambiguous juta reading, error) of a message at the budget step."""
    parsed = parse_budget(text)
    denied = bool(reading.denied.found())
    if parsed.amount is not None and not denied:
        return parsed.amount, None, None
    if parsed.error in _DEFINITE_ERRORS and not denied:
        return None, None, parsed.error  # "-5jt" is not Rp5.000.000
    if reading.draft.budget is not None:
        return reading.draft.budget, None, None
    ambiguous = parsed.ambiguous_juta or reading.draft.budget_ambiguous_juta
    if ambiguous is not None:
        return None, ambiguous, None
    return None, None, parsed.error or "unreadable"


def _whole_answer(name: str, value: Any, text: str, reading: Reading) -> bool:
    """The message is only the new value ("tiktok aja", "jaksel", "6jt"): a correction."""
    if reading.question or len(reading.values()) != 1 or reading.words > WHOLE_ANSWER_WORDS:
        return False
    if name == "budget":
        return parse_budget(text).amount == value
    return _DIRECT[name](text) == value


def interpret(step: str, text: str, answers: BriefValues) -> Interpretation:
    """Read `text` sent while the advisor is at `step` with `answers` given so far.

    `step` is a question (niche, goal, budget, platform, location, business), "recap", or
    anything else for a message outside a consultation (every value is then new).
    """
    text = text.strip()
    reading = read_message(text)
    aside = recognise(text)
    if aside is not None and (aside == Aside.THANKS or not reading.draft.found()):
        return Interpretation(aside=aside)
    # "terserah" at the location already means all of Indonesia
    terserah_anywhere = step == "location" and parse_location(text) is not None
    if step in ANSWER_STEPS and is_unsure(text) and not terserah_anywhere:
        return Interpretation(unsure=True)
    values = reading.values()
    if reading.weak_niche and answers.niche is not None:
        values.pop("niche", None)  # "reseller", "rumah": too generic to replace a niche
    new: dict[str, Any] = {}
    ambiguous = reading.draft.budget_ambiguous_juta
    error = None
    if step == "budget":
        amount, ambiguous, error = _budget(text, reading)
        values.pop("budget", None)
        if amount is not None:
            new["budget"] = amount
    elif step in ANSWER_STEPS:
        values.pop(step, None)
        if (value := _step_value(step, text, reading)) is not None:
            new[step] = value
    changes: dict[str, Any] = {}
    ask: dict[str, Any] = {}
    # A message that states three or more answers restates the brief: it means all of them.
    restated = len(reading.draft.found()) >= RESTATED_FIELDS
    if step == "business":
        values.pop("niche", None)  # "villa" answers where the guests are, not the niche
    for name, value in values.items():
        current = answers.get(name)
        if current is None:
            new[name] = value
        elif value != current:
            explicit = restated or reading.correcting or name in reading.named
            if step not in ANSWER_STEPS and _whole_answer(name, value, text, reading):
                explicit = True
            (changes if explicit else ask)[name] = value
    retract = tuple(
        name
        for name in reading.denied.found()
        if name != step
        and name not in values
        and answers.get(name) == getattr(reading.denied, name)
    )
    if step == "budget" and (new or changes or ask or ambiguous is not None):
        error = None
    taken = new.get("platform", changes.get("platform"))
    also: tuple[Platform, ...] = ()
    if taken is not None and not (reading.denied.found() or reading.correcting):
        also = tuple(p for p in platforms_named(text) if p != taken)
    return Interpretation(
        new=new,
        changes=changes,
        ask=ask,
        retract=retract,
        budget_ambiguous_juta=ambiguous if "budget" not in new else None,
        budget_error=error,
        also_platforms=also,
    )
