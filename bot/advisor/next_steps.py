"""What the owner should do after reading a recommendation ("Langkah berikutnya").

Chooses which steps fit the brief: what to check and agree before paying, how to track
sales per influencer, barter for small budgets, and the rules of the owner's trade. The
words live in templates/next_steps.j2; this module only decides which steps and in what
order, so the main message can show the first three and a button the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.advisor.engine.results import Recommendation
from bot.domain import BusinessKind, Goal, Platform

Step = Literal[
    "ask_insights",  # audience cities and recent views, as an insights screenshot
    "agree_terms",  # deliverables, posting date, usage rights, payment terms
    "mark_ad",  # #iklan on every paid post
    "track_sales",  # a promo code, product link or WhatsApp link per influencer
    "barter",  # products instead of money for small accounts
    "rules_food",  # halal, BPOM / PIRT
    "rules_cosmetics",  # BPOM notification
    "rules_clinic",  # health-service advertising: no before/after, no cure claims
    "rules_health_product",  # BPOM, no cure claims
    "rules_fertiliser",  # Kementan registration
    "rules_electronics",  # SNI / SDPPI certification
    "local_only",  # walk-in: ask for the share of the audience in the city
]

#: budgets under this get the barter step: small accounts often take products instead
BARTER_BUDGET = 5_000_000
MAIN_STEPS = 3


@dataclass(frozen=True)
class NextSteps:
    """The steps for one recommendation, most important first."""

    steps: tuple[Step, ...]
    business: BusinessKind | None
    platform: Platform
    city: str | None  # the target city's name (walk-in and local steps), None nationwide

    @property
    def main(self) -> tuple[Step, ...]:
        return self.steps[:MAIN_STEPS]

    @property
    def more(self) -> bool:
        return len(self.steps) > MAIN_STEPS


def rules_of(niche: str, business: BusinessKind | None) -> tuple[Step, ...]:
    """The registrations and advertising rules of the owner's trade."""
    if niche == "Kuliner":
        return ("rules_food",)
    if niche == "Kecantikan":
        if business == BusinessKind.WALK_IN:  # a beauty clinic or salon
            return ("rules_clinic", "rules_cosmetics")
        return ("rules_cosmetics",)
    if niche == "Kesehatan & Kebugaran":
        if business == BusinessKind.WALK_IN:
            return ("rules_clinic",)
        return ("rules_health_product",)
    if niche == "Pertanian":
        return ("rules_fertiliser",)
    if niche == "Teknologi & Gadget":
        return ("rules_electronics",)
    return ()


def next_steps(rec: Recommendation) -> NextSteps:
    """Order: check the account, agree the terms, the trade's rules, then tracking and the rest.

    The first three lines are what the main message shows: a rule that can get a post taken
    down outranks tracking; #iklan is in the terms line itself.
    """
    brief = rec.brief
    rules = rules_of(brief.niche, brief.business)
    track: tuple[Step, ...] = ("track_sales",)
    steps: list[Step] = ["ask_insights", "agree_terms"]
    if rules:
        steps.append(rules[0])
    if brief.goal == Goal.SALES or not rules:
        steps.extend(track)
    steps.extend(rules[1:])
    if brief.goal != Goal.SALES and rules:
        steps.extend(track)
    if brief.business == BusinessKind.WALK_IN and not brief.location.is_national:
        steps.append("local_only")
    if brief.budget < BARTER_BUDGET:
        steps.append("barter")
    steps.append("mark_ad")
    location = brief.location
    return NextSteps(
        steps=tuple(dict.fromkeys(steps)),
        business=brief.business,
        platform=brief.platform,
        city=None if location.is_national else location.name,
    )
