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

from bot.advisor.comparisons import STRATEGY_ORDER
from bot.advisor.engine.estimates import benchmark_engagement_rate
from bot.advisor.engine.formats import shown_format
from bot.advisor.engine.results import Pick, Recommendation
from bot.advisor.facts import (
    alt_lines,
    figures,
    place_of,
    sources_of,
    tier_counts,
    why_of,
)
from bot.advisor.learning import OwnResults
from bot.advisor.next_steps import next_steps
from bot.campaigns import actions as campaign
from bot.chat.kernel import ButtonMaker
from bot.chat.replies import Button, Document, Reply, page_of, pager
from bot.chat.texts import render, to_plain
from bot.domain import INFLUENCER_CSV_COLUMNS, Candidate, Strategy

PAGE_SIZE = 5
#: the main message's visible text stays within this (a phone screen and a half)
MAIN_MAX_CHARS = 1200
#: ever tighter wordings of the main message (see recommendation.j2's `level`)
_LEVELS = 7
_LEFT_OUT_SHOWN = 3


class Action(StrEnum):
    """The buttons under a recommendation; the first argument is always its row id."""

    MAIN = "main"  # :<id>[:<page>]
    STRATEGIES = "strategies"  # :<id>
    STRATEGY = "strategy"  # :<id>:<Strategy>:<page>
    OTHERS = "others"  # :<id>:<page>
    CSV = "csv"  # :<id>
    SAVE = "save"  # :<id>
    REASONS = "reasons"  # :<id>:<page>
    STEPS = "steps"  # :<id>
    CONTACTS = "contacts"  # :<id>:<page>
    DRAFT = "draft"  # :<id>:<index in the chosen portfolio>
    PRODUCT = "product"  # :<id>:<index>: ask (again) what the product is called
    SKIP_PRODUCT = "product_skip"  # :<id>:<index>: draft without the product's name


make = ButtonMaker("rec", Action)


@dataclass(frozen=True)
class ShownPick:
    """A pick plus what the text needs beside it (the benchmark ER for missing own figures,
    the content format when it is not the platform's main one)."""

    pick: Pick
    benchmark_er: float
    format_shown: str | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pick, name)


def _shown(picks: tuple[Pick, ...] | list[Pick]) -> list[ShownPick]:
    return [
        ShownPick(p, benchmark_engagement_rate(p.candidate.followers), shown_format(p.candidate))
        for p in picks
    ]


def visible_length(html_text: str) -> int:
    """Characters the owner sees: tags stripped, entities decoded."""
    return len(to_plain(html_text))


def main_text(
    rec: Recommendation,
    *,
    sample_data: bool,
    page: int = 0,
    own: OwnResults | None = None,
) -> tuple[str, int, int]:
    """The main message's HTML (tightened until it fits MAIN_MAX_CHARS), its page and pages."""
    portfolio = rec.portfolio()
    assert portfolio is not None, "main_view needs a chosen strategy"
    picks, page, pages = page_of(_shown(portfolio.picks), page, PAGE_SIZE)
    context: dict[str, Any] = {
        "brief": rec.brief,
        "portfolio": portfolio,
        "tiers": tier_counts(portfolio.picks),
        "figs": figures(portfolio.totals),
        "place": place_of(rec, portfolio.picks),
        "why": why_of(rec),
        "alts": alt_lines(rec),
        "sources": sources_of(own, portfolio.picks, rec.brief.goal),
        "left_out": rec.left_out[:_LEFT_OUT_SHOWN],
        "picks": picks,
        "page": page,
        "pages": pages,
        "first_index": page * PAGE_SIZE + 1,
        "steps": next_steps(rec),
        "sample_data": sample_data,
    }
    text = ""
    for level in range(_LEVELS):
        if level >= 3:
            context["left_out"] = rec.left_out[:1]
        if level >= _LEVELS - 1:  # last resort: the left-out note stays in "Kandidat lain"
            context["left_out"] = ()
        text = render("recommendation", **context, level=level)
        if visible_length(text) <= MAIN_MAX_CHARS:
            break
    return text, page, pages


def main_view(
    rec_id: int,
    rec: Recommendation,
    *,
    sample_data: bool,
    saved: bool,
    page: int = 0,
    own: OwnResults | None = None,
) -> Reply:
    """The recommendation message: the choice and why, the others in one line each, its
    candidates in one line each, what is left of the budget, the next three steps."""
    text, page, pages = main_text(rec, sample_data=sample_data, page=page, own=own)
    keyboard = [
        pager(page, pages, lambda p: make(Action.MAIN, rec_id, p)),
        (
            Button("Alasan tiap kandidat", make(Action.REASONS, rec_id, page)),
            Button("Langkah lengkap", make(Action.STEPS, rec_id)),
        ),
        (Button("📇 Kontak kandidat", make(Action.CONTACTS, rec_id, page)),)
        if rec.chosen is not None
        else (),
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


def reasons_view(rec_id: int, rec: Recommendation, page: int, *, sample_data: bool) -> Reply:
    """Why each chosen account fits, a page of five at a time."""
    portfolio = rec.portfolio()
    assert portfolio is not None, "reasons_view needs a chosen strategy"
    picks, page, pages = page_of(_shown(portfolio.picks), page, PAGE_SIZE)
    text = render(
        "reasons",
        brief=rec.brief,
        picks=picks,
        page=page,
        pages=pages,
        first_index=page * PAGE_SIZE + 1,
        sample_data=sample_data,
    )
    keyboard = (
        pager(page, pages, lambda p: make(Action.REASONS, rec_id, p)),
        (Button("⬅ Kembali ke rekomendasi", make(Action.MAIN, rec_id, page)),),
    )
    return Reply(text=text, buttons=tuple(row for row in keyboard if row))


def steps_view(rec_id: int, rec: Recommendation) -> Reply:
    """Every next step that fits the brief, worded in full."""
    text = render("next_steps", ns=next_steps(rec), brief=rec.brief)
    back = Button("⬅ Kembali ke rekomendasi", make(Action.MAIN, rec_id, 0))
    return Reply(text=text, buttons=((back,),))


def strategies_view(rec_id: int, rec: Recommendation, *, sample_data: bool) -> Reply:
    portfolios = [rec.portfolios[s] for s in STRATEGY_ORDER if s in rec.portfolios]
    text = render(
        "strategies",
        brief=rec.brief,
        portfolios=portfolios,
        chosen=rec.chosen,
        alts={line.portfolio.strategy: line for line in alt_lines(rec)},
        figs={p.strategy: figures(p.totals) for p in portfolios},
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
        figs=figures(portfolio.totals),
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
    "content_format",  # what price_idr pays for (empty: the platform's main format)
    "self_reported",  # listed by the influencer and not yet verified
)


def candidates_csv(rec: Recommendation) -> bytes:
    """The chosen portfolio and further candidates; columns re-import under the influencer contract."""
    chosen = rec.portfolio()
    rows: list[tuple[Pick, bool]] = [(p, True) for p in (chosen.picks if chosen else ())]
    rows += [(p, False) for p in rec.others]
    out = io.StringIO()
    # `;` and a decimal comma: a spreadsheet with Indonesian settings opens it in columns,
    # and the influencer import reads both, so the file still imports as it is
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
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
                "" if c.engagement_rate is None else f"{c.engagement_rate:g}".replace(".", ","),
                "" if c.avg_views is None else c.avg_views,
                c.price_idr,
                "" if c.audience_quality is None else c.audience_quality,
                c.contact or "",
                pick.tier.value,
                "yes" if in_portfolio else "no",
                round(pick.estimate.reach),
                round(pick.estimate.engagements),
                "yes" if pick.estimate.estimated else "no",
                c.content_format or "",
                "yes" if c.self_reported else "no",
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
