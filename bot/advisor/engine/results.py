"""What the engine answers: picks, portfolio totals, one portfolio per strategy, the choice.

Frozen dataclasses the texts render; a saved recommendation keeps `RECOMMENDATION_JSON`'s
dump in the database and every button press loads it back, so the shape must stay stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.advisor.engine.estimates import Estimate
from bot.domain import Brief, Candidate, JsonShape, Strategy, Tier

LocationMatch = Literal["city", "province", "national"]
LEVELS: tuple[LocationMatch, ...] = ("city", "province", "national")
#: why the chosen strategy won: the most of what the goal needs, or nearly as much for
#: clearly less money (the near-tie rule)
ChoiceReason = Literal["best", "near_tie"]
#: why a fitting, affordable account was kept out of every portfolio
LeftOutReason = Literal["poor_results", "low_quality"]


@dataclass(frozen=True)
class Pick:
    """One candidate as the engine sees it for a brief: estimate, fit and value."""

    candidate: Candidate
    tier: Tier
    estimate: Estimate
    location_match: LocationMatch
    primary_niche: bool
    value: float
    low_quality: bool
    #: the account's audience is not where the customers are (a walk-in business's
    #: account from another city, a destination's account outside the guests' cities)
    outside_area: bool = False


@dataclass(frozen=True)
class Totals:
    """What a portfolio costs and is expected to bring (reach de-duplicated by overlap)."""

    cost: int
    reach: float
    engagements: float
    conversions: float
    accounts: int
    cost_per_1000_reach: float | None
    cost_per_engagement: float | None
    cost_per_conversion: float | None
    estimated: bool
    score: float
    score_per_rupiah: float | None
    #: what the goal needs, fit-weighted and overlap-discounted, before coordination:
    #: the figure strategies are compared on
    value: float = 0.0
    #: honest low-high ranges where the spread is wide (None: show the point figure)
    reach_range: tuple[float, float] | None = None
    engagements_range: tuple[float, float] | None = None
    conversions_range: tuple[float, float] | None = None
    #: some picks' engagements rest on the owner's observed engagement rate for their tier
    engagements_own: bool = False
    #: every pick's purchases rest on the owner's own purchase rate (else an assumption)
    purchase_rate_own: bool = False


EMPTY_TOTALS = Totals(0, 0.0, 0.0, 0.0, 0, None, None, None, False, 0.0, None)


@dataclass(frozen=True)
class LeftOut:
    """A fitting, affordable account the engine would not recommend, and why."""

    candidate: Candidate
    reason: LeftOutReason
    roas: float | None = None  # the owner's own return with this account (poor_results)


@dataclass(frozen=True)
class Portfolio:
    """The best set of accounts for one strategy, and where they were looked for."""

    strategy: Strategy
    picks: tuple[Pick, ...]  # by value, best first
    totals: Totals
    level: LocationMatch  # the location level the strategy's pool was drawn from
    pool_size: int  # fitting candidates of the strategy's tiers at that level
    cheapest_price: int | None  # cheapest in the pool (MIX: cheapest micro + cheapest macro)

    @property
    def feasible(self) -> bool:
        return bool(self.picks)


@dataclass(frozen=True)
class Recommendation:
    """The engine's answer for one brief: every strategy's portfolio and the one chosen."""

    brief: Brief
    chosen: Strategy | None
    portfolios: dict[Strategy, Portfolio]
    others: tuple[Pick, ...]  # further affordable fitting candidates, best value per Rupiah
    #: cheapest fitting account the engine would take (worth its price, near enough to the
    #: customers), any tier; else the cheapest usable one; None when nothing is usable
    cheapest_price: int | None
    cheapest_macro_price: int | None  # the same among macro and mega accounts
    #: the strategy whose portfolio gives the most of what the goal needs (Totals.value)
    best_strategy: Strategy | None = None
    choice_reason: ChoiceReason = "best"
    #: set when the store cannot use the budget well: the amount that buys the best outcome
    useful_budget: int | None = None
    #: fitting accounts of the platform and niche in the target city, at any price and
    #: within the budget (None when the brief names no city)
    local_fitting: int | None = None
    local_affordable: int | None = None
    left_out: tuple[LeftOut, ...] = ()

    def portfolio(self) -> Portfolio | None:
        """The chosen portfolio, or None when nothing fits the budget."""
        return None if self.chosen is None else self.portfolios[self.chosen]


RECOMMENDATION_JSON = JsonShape(Recommendation)
