"""Turns a stored Recommendation into chat messages: the main view, other strategies, more candidates.

Every view is rebuilt from the stored result, so buttons keep working after a restart.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from bot.advisor.engine import Pick, Portfolio, Recommendation
from bot.advisor.estimates import benchmark_engagement_rate
from bot.advisor.learning import OwnResults
from bot.chat import callbacks
from bot.chat.replies import Button, Document, Reply
from bot.chat.texts import render
from bot.domain import INFLUENCER_CSV_COLUMNS, REGULATED_NICHES, Candidate, Goal, Strategy

PAGE_SIZE = 5
STRATEGY_ORDER = (Strategy.MICRO, Strategy.MACRO, Strategy.MIX)
_STRATEGY_CODES = {Strategy.MICRO: "mi", Strategy.MACRO: "ma", Strategy.MIX: "mx"}
STRATEGY_BY_CODE = {code: strategy for strategy, code in _STRATEGY_CODES.items()}
_TIER_WORDS = {Strategy.MICRO: "mikro", Strategy.MACRO: "makro", Strategy.MIX: "mikro & makro"}
_METRIC_WORDS = {
    Goal.AWARENESS: "1.000 jangkauan",
    Goal.ENGAGEMENT: "interaksi",
    Goal.SALES: "pembelian",
}


@dataclass(frozen=True)
class ShownPick:
    """A pick plus what the text needs beside it (the benchmark ER for missing own figures)."""

    pick: Pick
    benchmark_er: float

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pick, name)


def _shown(picks: tuple[Pick, ...] | list[Pick]) -> list[ShownPick]:
    return [ShownPick(p, benchmark_engagement_rate(p.candidate.followers)) for p in picks]


def _page(items: list, page: int) -> tuple[list, int, int]:
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    return items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], page, pages


def _cost_per_goal(portfolio: Portfolio, goal: Goal) -> float | None:
    t = portfolio.totals
    return {
        Goal.AWARENESS: t.cost_per_1000_reach,
        Goal.ENGAGEMENT: t.cost_per_engagement,
        Goal.SALES: t.cost_per_conversion,
    }[goal]


def _pager(rec_id: int, view: str, page: int, pages: int, prefix: str = "") -> tuple[Button, ...]:
    buttons = []
    if page > 0:
        buttons.append(
            Button("◀ Sebelumnya", callbacks.recommendation(rec_id, view, f"{prefix}{page - 1}"))
        )
    if page < pages - 1:
        buttons.append(
            Button("Berikutnya ▶", callbacks.recommendation(rec_id, view, f"{prefix}{page + 1}"))
        )
    return tuple(buttons)


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
    cheaper = None
    for alt in alternatives:
        alt_cost = _cost_per_goal(alt, goal) if alt.feasible else None
        beats_own = alt_cost is not None and own_cost is not None and alt_cost < own_cost * 0.995
        if beats_own and (cheaper is None or alt_cost < _cost_per_goal(cheaper, goal)):
            cheaper = alt
    picks, page, pages = _page(_shown(portfolio.picks), page)
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
        _pager(rec_id, "m", page, pages),
        (
            Button("Strategi lain", callbacks.recommendation(rec_id, "s")),
            Button("Kandidat lain", callbacks.recommendation(rec_id, "k", 0)),
        ),
        (
            Button("📄 Unduh CSV", callbacks.recommendation(rec_id, "csv")),
            Button(
                "✅ Tersimpan" if saved else "💾 Simpan", callbacks.recommendation(rec_id, "save")
            ),
        ),
        (Button("🚀 Jadikan kampanye", callbacks.encode("k", rec_id, "fr")),) if saved else (),
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
        Button(
            labels[p.strategy],
            callbacks.recommendation(rec_id, "v", f"{_STRATEGY_CODES[p.strategy]}0"),
        )
        for p in portfolios
        if p.feasible
    )
    keyboard = (view_buttons, (Button("⬅ Kembali", callbacks.recommendation(rec_id, "m", 0)),))
    return Reply(text=text, buttons=tuple(row for row in keyboard if row))


def portfolio_view(rec_id: int, rec: Recommendation, strategy: Strategy, page: int) -> Reply:
    portfolio = rec.portfolios[strategy]
    picks, page, pages = _page(_shown(portfolio.picks), page)
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
        _pager(rec_id, "v", page, pages, prefix=_STRATEGY_CODES[strategy]),
        (Button("⬅ Strategi lain", callbacks.recommendation(rec_id, "s")),),
    )
    return Reply(text=text, buttons=tuple(row for row in keyboard if row))


def others_view(rec_id: int, rec: Recommendation, page: int) -> Reply:
    picks, page, pages = _page(_shown(rec.others), page)
    text = render(
        "others",
        brief=rec.brief,
        picks=picks,
        page=page,
        pages=pages,
        first_index=page * PAGE_SIZE + 1,
    )
    keyboard = (
        _pager(rec_id, "k", page, pages),
        (Button("⬅ Kembali ke rekomendasi", callbacks.recommendation(rec_id, "m", 0)),),
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
