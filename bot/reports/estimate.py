"""What the saved recommendation a campaign came from expected, to set its results against."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.advisor.engine.results import RECOMMENDATION_JSON
from bot.domain import Goal
from bot.reports.kpi.report import Report
from models.campaigns import Campaign
from models.users import SavedRecommendation

# The figure each goal was estimated on: purchases for sales, reach for awareness,
# interactions for engagement.
GOAL_FIGURE: dict[Goal, str] = {
    Goal.SALES: "conversions",
    Goal.AWARENESS: "reach",
    Goal.ENGAGEMENT: "engagements",
}


@dataclass(frozen=True)
class Expected:
    """The recommendation's estimate of the goal's figure, and what was recorded so far.

    `recorded` is None when no account has reported that figure yet; `reported` and
    `accounts` say how many of the campaign's accounts it covers.
    """

    figure: str
    estimate: float
    recorded: int | None
    reported: int
    accounts: int


def expected_result(session: Session, campaign: Campaign, report: Report) -> Expected | None:
    """The estimate against the result; None without a saved recommendation or a goal."""
    if campaign.recommendation_id is None or not campaign.goal:
        return None
    row = session.get(SavedRecommendation, campaign.recommendation_id)
    if row is None:
        return None
    portfolio = RECOMMENDATION_JSON.load(row.result).portfolio()
    if portfolio is None or not portfolio.picks:
        return None
    figure = GOAL_FIGURE[Goal(campaign.goal)]
    estimate = float(getattr(portfolio.totals, figure))
    if estimate <= 0:
        return None
    values = [
        v
        for k in report.per_member.values()
        if (v := (k.engagements if figure == "engagements" else getattr(k.figures, figure)))
        is not None
    ]
    return Expected(
        figure=figure,
        estimate=estimate,
        recorded=sum(values) if values else None,
        reported=len(values),
        accounts=len(report.members),
    )
