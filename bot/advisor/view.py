"""Turns a stored Recommendation into chat messages: the main view, other strategies, more candidates.

Every view is rebuilt from the stored result, so buttons keep working after a restart. The
buttons name the recommendation's row (`rec.strategies:12`, `rec.strategy:12:micro:0`); what a
press does is in `bot.advisor.actions`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.advisor.engine.estimates import benchmark_engagement_rate
from bot.advisor.engine.results import Pick, Portfolio, Recommendation
from bot.advisor.learning import OwnResults
from bot.campaigns import actions as campaign
from bot.chat.kernel import ButtonMaker
from bot.chat.replies import Button, Document, Reply, page_of, pager
from bot.chat.texts import render
from bot.domain import INFLUENCER_CSV_COLUMNS, REGULATED_NICHES, Candidate, Goal, Strategy

PAGE_SIZE = 5
STRATEGY_ORDER = (Strategy.MICRO, Strategy.MACRO, Strategy.MIX)
_TIER_WORDS = {Strategy.MICRO: "mikro", Strategy.MACRO: "makro", Strategy.MIX: "mikro & makro"}
_METRIC_WORDS = {
    Goal.AWARENESS: "1.000 jangkauan",
    Goal.ENGAGEMENT: "interaksi",
    Goal.SALES: "pembelian",
}


class Action(StrEnum):
    """The buttons under a recommendation; the first argument is always its row id."""

    MAIN = "main"  # :<id>[:<page>]
    STRATEGIES = "strategies"  # :<id>
    STRATEGY = "strategy"  # :<id>:<Strategy>:<page>
    OTHERS = "others"  # :<id>:<page>
    CSV = "csv"  # :<id>
    SAVE = "save"  # :<id>


make = ButtonMaker("rec", Action)


@dataclass(frozen=True)
class ShownPick:
    """A pick plus what the text needs beside it (the benchmark ER for missing own figures)."""

    pick: Pick
    benchmark_er: float

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pick, name)


def _shown(picks: tuple[Pick, ...] | list[Pick]) -> list[ShownPick]:
    return [ShownPick(p, benchmark_engagement_rate(p.candidate.followers)) for p in picks]


def _cost_per_goal(portfolio: Portfolio, goal: Goal) -> float | None:
    t = portfolio.totals
    return {
        Goal.AWARENESS: t.cost_per_1000_reach,
        Goal.ENGAGEMENT: t.cost_per_engagement,
        Goal.SALES: t.cost_per_conversion,
    }[goal]


def main_view(
    rec_id: int,
    rec: Recommendation,
    *,
    sample_data: bool,
    saved: bool,
    page: int = 0,
    own: OwnResults | None = None,
) -> Reply:
    """The recommendation message: chosen strategy, why, the others in one line each, its candidates."""
    portfolio = rec.portfolio()
    assert portfolio is not None, "main_view needs a chosen strategy"
    goal = rec.brief.goal
    alternatives = [
        rec.portfolios[s] for s in STRATEGY_ORDER if s != portfolio.strategy and s in rec.portfolios
    ]
    own_cost = _cost_per_goal(portfolio, goal)
    cheaper: Portfolio | None = None
    cheaper_cost: float | None = None
    for alt in alternatives:
        alt_cost = _cost_per_goal(alt, goal) if alt.feasible else None
        if alt_cost is None or own_cost is None or alt_cost >= own_cost * 0.995:
            continue
        if cheaper_cost is None or alt_cost < cheaper_cost:
            cheaper, cheaper_cost = alt, alt_cost
    picks, page, pages = page_of(_shown(portfolio.picks), page, PAGE_SIZE)
    text = render(
        "recommendation",
        brief=rec.brief,
        portfolio=portfolio,
        tier_word=_TIER_WORDS[portfolio.strategy],
        alternatives=alternatives,
        best_raw=cheaper is None,
        cheaper=cheaper,
        metric_word=_METRIC_WORDS[goal],
        picks=picks,
        page=page,
        pages=pages,
        first_index=page * PAGE_SIZE + 1,
        regulated=rec.brief.niche in REGULATED_NICHES,
        sample_data=sample_data,
        own=own,
    )
    keyboard = [
        pager(page, pages, lambda p: make(Action.MAIN, rec_id, p)),
        (
            Button("Strategi lain", make(Action.STRATEGIES, rec_id)),
            Button("Kandidat lain", make(Action.OTHERS, rec_id, 0)),
        ),
        (
            Button("📄 Unduh CSV", make(Action.CSV, rec_id)),
            Button("✅ Tersimpan" if saved else "💾 Simpan", make(Action.SAVE, rec_id)),
        ),
        (Button("🚀 Jadikan kampanye", campaign.make(campaign.Action.FROM_RECOMMENDATION, rec_id)),)
        if saved
        else (),
    ]
    return Reply(text=text, buttons=tuple(row for row in keyboard if row))


def strategies_view(rec_id: int, rec: Recommendation, *, sample_data: bool) -> Reply:
    portfolios = [rec.portfolios[s] for s in STRATEGY_ORDER if s in rec.portfolios]
    text = render(
        "strategies",
        brief=rec.brief,
        portfolios=portfolios,
        chosen=rec.chosen,
        sample_data=sample_data,
    )
    labels = {
        Strategy.MICRO: "Lihat Mikro",
        Strategy.MACRO: "Lihat Makro",
        Strategy.MIX: "Lihat Campuran",
    }
    view_buttons = tuple(
        Button(labels[p.strategy], make(Action.STRATEGY, rec_id, p.strategy, 0))
        for p in portfolios
        if p.feasible
    )
    keyboard = (view_buttons, (Button("⬅ Kembali", make(Action.MAIN, rec_id, 0)),))
    return Reply(text=text, buttons=tuple(row for row in keyboard if row))


def portfolio_view(rec_id: int, rec: Recommendation, strategy: Strategy, page: int) -> Reply:
    portfolio = rec.portfolios[strategy]
    picks, page, pages = page_of(_shown(portfolio.picks), page, PAGE_SIZE)
    text = render(
        "portfolio",
        brief=rec.brief,
        portfolio=portfolio,
        picks=picks,
        page=page,
        pages=pages,
        first_index=page * PAGE_SIZE + 1,
    )
    keyboard = (
        pager(page, pages, lambda p: make(Action.STRATEGY, rec_id, strategy, p)),
        (Button("⬅ Strategi lain", make(Action.STRATEGIES, rec_id)),),
    )
    return Reply(text=text, buttons=tuple(row for row in keyboard if row))


def others_view(rec_id: int, rec: Recommendation, page: int) -> Reply:
    picks, page, pages = page_of(_shown(rec.others), page, PAGE_SIZE)
    text = render(
        "others",
        brief=rec.brief,
        picks=picks,
        page=page,
        pages=pages,
        first_index=page * PAGE_SIZE + 1,
    )
    keyboard = (
        pager(page, pages, lambda p: make(Action.OTHERS, rec_id, p)),
        (Button("⬅ Kembali ke rekomendasi", make(Action.MAIN, rec_id, 0)),),
    )
    return Reply(text=text, buttons=tuple(row for row in keyboard if row))


CSV_COLUMNS = (
    *INFLUENCER_CSV_COLUMNS,
    "tier",
    "in_portfolio",
    "estimated_reach",
    "estimated_engagements",
    "figures_estimated",
)


def candidates_csv(rec: Recommendation) -> bytes:
    """The chosen portfolio and further candidates; columns re-import under the influencer contract."""
    chosen = rec.portfolio()
    rows: list[tuple[Pick, bool]] = [(p, True) for p in (chosen.picks if chosen else ())]
    rows += [(p, False) for p in rec.others]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for pick, in_portfolio in rows:
        c: Candidate = pick.candidate
        writer.writerow(
            (
                c.platform.value,
                c.handle,
                c.name,
                "|".join(c.niches),
                c.city or "",
                c.province or "",
                c.followers,
                "" if c.engagement_rate is None else f"{c.engagement_rate:g}",
                "" if c.avg_views is None else c.avg_views,
                c.price_idr,
                "" if c.audience_quality is None else c.audience_quality,
                c.contact or "",
                pick.tier.value,
                "yes" if in_portfolio else "no",
                round(pick.estimate.reach),
                round(pick.estimate.engagements),
                "yes" if pick.estimate.estimated else "no",
            )
        )
    return out.getvalue().encode("utf-8-sig")


def csv_document(rec_id: int, rec: Recommendation) -> Document:
    niche = rec.brief.niche.lower().replace(" & ", "-").replace(" ", "-")
    return Document(
        filename=f"kandidat-{niche}-{rec.brief.platform.value}-{rec_id}.csv",
        content=candidates_csv(rec),
        caption=render("csv_caption", brief=rec.brief),
    )
