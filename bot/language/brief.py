"""Everything one free-text message says about a brief.

Owners often open with a whole sentence ("jualan keripik di Bandung, budget 5jt, biar
laris lewat ig"); the chat then asks only for what is missing. Each field is read by its
own parser in the stricter in-sentence mode.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain import Goal, Location, Platform
from bot.language.goals import find_goal
from bot.language.locations import find_location
from bot.language.money import find_budget
from bot.language.niches import find_niche
from bot.language.platforms import find_platform
from bot.language.text import fold_tokens


@dataclass(frozen=True)
class BriefDraft:
    """What one free-text message already says about the brief; None where silent."""

    niche: str | None = None
    goal: Goal | None = None
    budget: int | None = None
    budget_ambiguous_juta: int | None = None
    platform: Platform | None = None
    location: Location | None = None

    def found(self) -> list[str]:
        """Names of the filled fields, in the order niche, goal, budget, platform, location.

        `budget` is listed only for a clear amount; an ambiguous bare number shows in
        `budget_ambiguous_juta` and still needs the owner's confirmation.
        """
        names: Iterable[str] = ("niche", "goal", "budget", "platform", "location")
        return [name for name in names if getattr(self, name) is not None]


def extract_brief(text: str) -> BriefDraft:
    """Read everything one message says: "jualan keripik pedas di Bandung, budget 5jt,
    mau naikin penjualan lewat instagram" fills all five fields.

    Inside a sentence the readers are stricter than for a direct answer: "jualan X"
    is the niche, not a sales goal; a number is a budget only with jt/rb/M, Rp/IDR,
    thousands separators or a budget word before it; a place right after a dish
    ("nasi padang") is not the target location.
    """
    if not text or not text.strip():
        return BriefDraft()
    tokens = fold_tokens(text)
    amount, ambiguous = find_budget(text)
    return BriefDraft(
        niche=find_niche(tokens),
        goal=find_goal(tokens, strict=True),
        budget=amount,
        budget_ambiguous_juta=ambiguous,
        platform=find_platform(tokens),
        location=find_location(tokens),
    )
