"""Every comparison the recommendation texts make, derived from the portfolio totals.

The texts never write "lebih murah" by hand: they render the claims made here, and
`holds` checks a claim against the numbers, so a test (and the benchmark) can prove that
every comparison shown agrees with the figures shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.advisor.engine.results import Portfolio, Recommendation, Totals
from bot.domain import Goal, Strategy

Metric = Literal[
    "value",
    "reach",
    "engagements",
    "conversions",
    "cost",
    "accounts",
    "cost_per_1000_reach",
    "cost_per_engagement",
    "cost_per_conversion",
]
Relation = Literal["more", "less", "same"]

#: two figures within this share of the larger one read as "about the same"
SAME_WITHIN = 0.05
STRATEGY_ORDER = (Strategy.MICRO, Strategy.MACRO, Strategy.MIX)

#: what each goal needs, and what one unit of it costs
OUTCOME: dict[Goal, Metric] = {
    Goal.AWARENESS: "reach",
    Goal.ENGAGEMENT: "engagements",
    Goal.SALES: "conversions",
}
UNIT_COST: dict[Goal, Metric] = {
    Goal.AWARENESS: "cost_per_1000_reach",
    Goal.ENGAGEMENT: "cost_per_engagement",
    Goal.SALES: "cost_per_conversion",
}
COST_METRICS: frozenset[Metric] = frozenset(
    {"cost", "cost_per_1000_reach", "cost_per_engagement", "cost_per_conversion"}
)


@dataclass(frozen=True)
class Claim:
    """`subject`'s `metric` is `relation` than `other`'s (e.g. Makro's cost is "more")."""

    subject: Strategy
    other: Strategy
    metric: Metric
    relation: Relation


def figure(totals: Totals, metric: Metric) -> float | None:
    """The figure a metric names; None where it cannot be computed (nothing bought)."""
    value = getattr(totals, metric)
    return None if value is None else float(value)


def relation_of(a: float, b: float) -> Relation:
    if abs(a - b) <= SAME_WITHIN * max(abs(a), abs(b)):
        return "same"
    return "more" if a > b else "less"


def holds(claim: Claim, rec: Recommendation) -> bool:
    """True when the portfolios' totals bear the claim out ("same" = within 5%)."""
    if claim.subject not in rec.portfolios or claim.other not in rec.portfolios:
        return False
    a = figure(rec.portfolios[claim.subject].totals, claim.metric)
    b = figure(rec.portfolios[claim.other].totals, claim.metric)
    if a is None or b is None:
        return False
    return relation_of(a, b) == claim.relation


def _claim(rec: Recommendation, subject: Strategy, other: Strategy, metric: Metric) -> Claim | None:
    a = figure(rec.portfolios[subject].totals, metric)
    b = figure(rec.portfolios[other].totals, metric)
    if a is None or b is None:
        return None
    return Claim(subject, other, metric, relation_of(a, b))


def alternatives(rec: Recommendation) -> list[Portfolio]:
    """The strategies not chosen, in the usual order."""
    return [rec.portfolios[s] for s in STRATEGY_ORDER if s in rec.portfolios and s != rec.chosen]


def alternative_claims(rec: Recommendation, alt: Strategy) -> dict[Metric, Claim]:
    """What one alternative's line says against the chosen portfolio.

    Its outcome and its cost per unit of the outcome; when the outcome reads better than
    the chosen one's while the fit-weighted value does not, the value too (that is why it
    was not chosen).
    """
    if rec.chosen is None or not rec.portfolios[alt].feasible:
        return {}
    goal = rec.brief.goal
    found: dict[Metric, Claim] = {}
    for metric in ("cost", OUTCOME[goal], UNIT_COST[goal]):
        claim = _claim(rec, alt, rec.chosen, metric)
        if claim is not None:
            found[metric] = claim
    outcome = found.get(OUTCOME[goal])
    value = _claim(rec, alt, rec.chosen, "value")
    if (
        outcome is not None
        and outcome.relation == "more"
        and value is not None
        and value.relation != "more"
    ):
        found["value"] = value
    return found


def choice_claims(rec: Recommendation) -> list[Claim]:
    """What the "why" sentences say: the chosen portfolio against the others.

    "best": the chosen one's value against each feasible alternative (the text says
    "terbanyak" only when every one of them is "more"). "near_tie": against the best
    strategy, its value (less or same) and its cost (less).
    """
    chosen = rec.chosen
    if chosen is None:
        return []
    if rec.choice_reason == "near_tie" and rec.best_strategy not in (None, chosen):
        assert rec.best_strategy is not None
        found = [_claim(rec, chosen, rec.best_strategy, m) for m in ("value", "cost")]
        return [c for c in found if c is not None]
    found = [
        _claim(rec, chosen, alt.strategy, "value") for alt in alternatives(rec) if alt.feasible
    ]
    return [c for c in found if c is not None]


def claims_of(rec: Recommendation) -> list[Claim]:
    """Every comparison the main message and the strategies view make."""
    found = choice_claims(rec)
    for alt in alternatives(rec):
        found.extend(alternative_claims(rec, alt.strategy).values())
    return found
