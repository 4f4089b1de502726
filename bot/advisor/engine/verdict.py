"""Which strategy's portfolio to recommend, and the amount that buys the best outcome.

The chosen strategy gives the most of what the goal needs (Totals.value), unless another
gives nearly as much for clearly less money; when the store cannot use the budget, the
amount that buys the best outcome is named.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.advisor.engine.results import ChoiceReason, Portfolio
from bot.domain import Strategy

TIE = 0.02  # values this close are a tie: fewer accounts to coordinate wins
NEAR_TIE_VALUE = 0.9  # another strategy reaching this share of the best value ...
NEAR_TIE_COST = 0.75  # ... for at most this share of its cost is chosen instead
USEFUL_SHARE = 0.6  # the best outcome costing less than this share of the budget ...
SATURATED_SHARE = 0.9  # ... while no strategy spends more than this: the budget is too big


def choose(
    portfolios: Mapping[Strategy, Portfolio],
) -> tuple[Strategy | None, Strategy | None, ChoiceReason]:
    """(chosen, best, reason): the most of what the goal needs, or a near tie for less.

    Best = the feasible portfolio with the highest Totals.value (exact ties: fewer
    accounts, then less money). Near tie: another feasible portfolio is chosen instead
    when it reaches NEAR_TIE_VALUE of the best value for at most NEAR_TIE_COST of its
    cost, or within TIE of it with fewer accounts and no more money (ties go to fewer
    accounts); among several, the one with the most value.
    """
    feasible = [p for p in portfolios.values() if p.feasible]
    if not feasible:
        return None, None, "best"
    best = max(feasible, key=lambda p: (p.totals.value, -p.totals.accounts, -p.totals.cost))
    b = best.totals

    def near_tie(p: Portfolio) -> bool:
        t = p.totals
        cheaper = t.value >= NEAR_TIE_VALUE * b.value and t.cost <= NEAR_TIE_COST * b.cost
        simpler = (
            t.value >= (1 - TIE) * b.value
            and t.accounts <= b.accounts
            and t.cost <= b.cost
            and (t.accounts, t.cost) != (b.accounts, b.cost)
        )
        return cheaper or simpler

    near = [p for p in feasible if p is not best and near_tie(p)]
    if near:
        pick = max(near, key=lambda p: (p.totals.value, -p.totals.accounts, -p.totals.cost))
        return pick.strategy, best.strategy, "near_tie"
    return best.strategy, best.strategy, "best"


def useful_budget(
    portfolios: Mapping[Strategy, Portfolio], best: Strategy | None, budget: int
) -> int | None:
    """The amount that buys the best outcome, when the store cannot use the budget well.

    Set when the best portfolio costs under USEFUL_SHARE of the budget and every feasible
    strategy is saturated: it spends at most SATURATED_SHARE of the budget, so money did
    not bind it. What it left unbought was affordable and judged not worth its cost (or
    over MAX_ACCOUNTS), so more money would buy nothing more.
    """
    if best is None:
        return None
    cost = portfolios[best].totals.cost
    if cost >= USEFUL_SHARE * budget:
        return None
    if any(p.feasible and p.totals.cost > SATURATED_SHARE * budget for p in portfolios.values()):
        return None
    return cost
