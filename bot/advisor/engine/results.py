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


EMPTY_TOTALS = Totals(0, 0.0, 0.0, 0.0, 0, None, None, None, False, 0.0, None)


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
    cheapest_price: int | None  # cheapest fitting candidate, any tier, any level
    cheapest_macro_price: int | None  # cheapest fitting macro/mega candidate, any level

    def portfolio(self) -> Portfolio | None:
        """The chosen portfolio, or None when nothing fits the budget."""
        return None if self.chosen is None else self.portfolios[self.chosen]


RECOMMENDATION_JSON = JsonShape(Recommendation)
