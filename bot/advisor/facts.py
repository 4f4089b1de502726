"""The facts a recommendation message states, worked out from the numbers before rendering.

Templates only word what is decided here: how many accounts of each tier, the figures
(ranges where the spread is wide), where the accounts are against where the customers
are, why this strategy, and whose figures the estimates rest on. Keeping the decisions
in code lets tests check every sentence against the result it describes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from bot.advisor.comparisons import (
    OUTCOME,
    UNIT_COST,
    Claim,
    alternative_claims,
    alternatives,
    choice_claims,
    figure,
)
from bot.advisor.engine.results import Pick, Portfolio, Recommendation, Totals
from bot.advisor.learning import OwnResults
from bot.chat.formatting import compact
from bot.domain import BusinessKind, Goal, Strategy, Tier

TIER_WORDS = {Tier.NANO: "nano", Tier.MICRO: "mikro", Tier.MACRO: "makro", Tier.MEGA: "mega"}
TIER_ORDER = (Tier.NANO, Tier.MICRO, Tier.MACRO, Tier.MEGA)


def tier_counts(picks: tuple[Pick, ...] | list[Pick]) -> list[tuple[int, str]]:
    """(count, tier word) smallest tier first: [(2, "nano"), (2, "mikro")]."""
    counts = Counter(p.tier for p in picks)
    return [(counts[t], TIER_WORDS[t]) for t in TIER_ORDER if counts[t]]


def span(point: float, low_high: tuple[float, float] | None) -> str:
    """A figure as the owner reads it: "~12–30 rb" for a range, "~12 rb" for a point."""
    if low_high is None:
        return f"~{compact(point)}"
    low, high = (compact(v) for v in low_high)
    if low == high:
        return f"~{low}"
    low_num, _, low_unit = low.partition(" ")
    high_num, _, high_unit = high.partition(" ")
    if low_unit == high_unit:
        return f"~{low_num}–{high_num}{' ' + high_unit if high_unit else ''}"
    return f"~{low}–{high}"


def figures(totals: Totals) -> dict[str, str]:
    return {
        "reach": span(totals.reach, totals.reach_range),
        "engagements": span(totals.engagements, totals.engagements_range),
        "conversions": span(totals.conversions, totals.conversions_range),
    }


LocationNote = Literal[
    "none_here", "none_affordable", "not_chosen", "outside_added", "elsewhere", "guests_cities"
]


@dataclass(frozen=True)
class Place:
    """Where the chosen accounts are against where the customers are."""

    national: bool
    name: str
    local: int  # picks in the target area
    away: int  # picks from elsewhere
    walk_in: bool
    note: LocationNote | None
    local_fitting: int | None
    local_affordable: int | None


def _is_local(pick: Pick, has_cities: bool) -> bool:
    if pick.outside_area:
        return False
    return pick.location_match == "city" if has_cities else pick.location_match != "national"


def place_of(rec: Recommendation, picks: tuple[Pick, ...]) -> Place:
    """Only what is true of the store: never "none here" while the store has local accounts."""
    brief = rec.brief
    location = brief.location
    walk_in = brief.business == BusinessKind.WALK_IN
    if location.is_national:
        return Place(True, location.name, len(picks), 0, walk_in, None, None, None)
    local = sum(_is_local(p, bool(location.cities)) for p in picks)
    away = len(picks) - local
    note: LocationNote | None = None
    if brief.business == BusinessKind.DESTINATION:
        # guests travel in: accounts where they live are the point, not a shortfall
        note = "guests_cities" if away else None
    elif local == 0:
        if rec.local_fitting == 0:
            note = "none_here"
        elif rec.local_fitting and not rec.local_affordable:
            note = "none_affordable"
        elif rec.local_affordable:
            note = "not_chosen"
        else:
            note = "elsewhere"
    elif away and walk_in:
        note = "outside_added"
    return Place(
        False,
        location.name,
        local,
        away,
        walk_in,
        note,
        rec.local_fitting,
        rec.local_affordable,
    )


@dataclass(frozen=True)
class Why:
    """Why this strategy: the claims the sentences word, and the money left over."""

    reason: Literal["only", "most", "tie", "near_tie"]
    claims: list[Claim]
    best: Strategy | None  # near_tie: the strategy with the best outcome
    share: int | None  # near_tie: the chosen outcome as a percentage of the best
    saving: int | None  # near_tie: how much less the chosen portfolio costs
    useful_budget: int | None
    unit_cost: float | None  # per unit of what the goal needs
    cost_per_1000_reach: float | None
    cost_per_engagement: float | None

    @property
    def groups(self) -> list[list[Claim]]:
        """Neighbouring claims of one relation, worded once ("hampir sama dengan A dan B")."""
        found: list[list[Claim]] = []
        for claim in self.claims:
            if found and found[-1][0].relation == claim.relation:
                found[-1].append(claim)
            else:
                found.append([claim])
        return found


def why_of(rec: Recommendation) -> Why:
    portfolio = rec.portfolio()
    assert portfolio is not None
    t = portfolio.totals
    claims = choice_claims(rec)
    reason: Literal["only", "most", "tie", "near_tie"]
    best = share = saving = None
    if rec.choice_reason == "near_tie" and len(claims) == 2 and rec.best_strategy is not None:
        reason = "near_tie"
        best = rec.best_strategy
        best_t = rec.portfolios[best].totals
        share = round(100 * t.value / best_t.value) if best_t.value else None
        saving = best_t.cost - t.cost
    elif not claims:
        reason = "only"
    elif all(c.relation == "more" for c in claims):
        reason = "most"
    else:
        reason = "tie"
    return Why(
        reason=reason,
        claims=claims,
        best=best,
        share=share,
        saving=saving,
        useful_budget=rec.useful_budget,
        unit_cost=figure(t, UNIT_COST[rec.brief.goal]),
        cost_per_1000_reach=t.cost_per_1000_reach,
        cost_per_engagement=t.cost_per_engagement,
    )


@dataclass(frozen=True)
class AltLine:
    """One other strategy in one line: its figures and its claims against the chosen one."""

    portfolio: Portfolio
    outcome: str  # its outcome figure, e.g. "~40 rb"
    unit_cost: float | None
    cost: Claim | None
    outcome_claim: Claim | None
    unit_claim: Claim | None
    value: Claim | None  # only when its outcome reads better but its value does not

    @property
    def claims(self) -> list[Claim]:
        found = (self.cost, self.outcome_claim, self.unit_claim, self.value)
        return [c for c in found if c is not None]


def alt_lines(rec: Recommendation) -> list[AltLine]:
    goal = rec.brief.goal
    lines = []
    for alt in alternatives(rec):
        found = alternative_claims(rec, alt.strategy)
        lines.append(
            AltLine(
                portfolio=alt,
                outcome=figures(alt.totals)[OUTCOME[goal]],
                unit_cost=figure(alt.totals, UNIT_COST[goal]),
                cost=found.get("cost"),
                outcome_claim=found.get(OUTCOME[goal]),
                unit_claim=found.get(UNIT_COST[goal]),
                value=found.get("value"),
            )
        )
    return lines


@dataclass(frozen=True)
class Sources:
    """Whose figures: each figure is either the owner's or an assumption, never both."""

    interactions_own: bool  # the chosen tiers' interactions use the owner's own rates
    purchases_own: bool
    purchase_rate: float | None  # the owner's purchases per engagement, when used
    cost_per_engagement: dict[str, float]  # the owner's own, "micro"/"macro"
    untried: list[str]  # tier words of chosen accounts the owner has no results for


def sources_of(own: OwnResults | None, picks: tuple[Pick, ...], goal: Goal) -> Sources:
    if own is None:
        return Sources(False, False, None, {}, [])
    tiers = {p.tier for p in picks}
    used = {t: r for t, r in own.rates.items() if t in tiers}
    interactions = any(r.engagement_rate is not None for r in used.values())
    rates = [r.purchase_rate for r in used.values() if r.purchase_rate is not None]
    purchase_rate = sum(rates) / len(rates) if rates and goal == Goal.SALES else None
    tried = {t for t, r in used.items() if r.engagement_rate is not None}
    return Sources(
        interactions_own=interactions,
        purchases_own=purchase_rate is not None,
        purchase_rate=purchase_rate,
        cost_per_engagement=dict(own.cost_per_engagement),
        untried=[TIER_WORDS[t] for t in TIER_ORDER if t in tiers - tried],
    )
