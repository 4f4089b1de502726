"""The one door to the engine for the bot and the command line: fetch, recommend, describe."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel import Session

from bot.advisor.engine.area import area_of
from bot.advisor.engine.choice import recommend
from bot.advisor.engine.estimates import benchmark_engagement_rate
from bot.advisor.engine.formats import shown_format
from bot.advisor.engine.results import Pick, Portfolio, Recommendation
from bot.advisor.engine.shortlist import shortlist
from bot.advisor.learning import OwnResults, own_results
from bot.advisor.search_cache import SEARCHES, Kind, SearchCache, search_rows
from bot.advisor.view import PAGE_SIZE, ShownPick, main_view, reasons_view, steps_view
from bot.chat.texts import environment, render, to_plain
from bot.domain import Brief, BusinessKind, Platform
from bot.store.search import fetch_candidates_by_ids
from models.influencers import GLOBAL_SCOPE
from models.store import niche_accounts_per_platform, niche_rate_cards, store_is_sample_only


@dataclass(frozen=True)
class Advice:
    recommendation: Recommendation
    sample_data: bool  # True while the store holds only the bundled sample
    own: OwnResults | None = None  # the owner's campaign results the estimates used
    #: when nothing fits: how many accounts of the niche each platform has (see with_platforms)
    niche_platforms: dict[str, int] = field(default_factory=dict)


def advise(
    session: Session,
    brief: Brief,
    *,
    owner_id: int | None = None,
    scopes: tuple[str, ...] = (GLOBAL_SCOPE,),
    cache: SearchCache | None = SEARCHES,
) -> Advice:
    """Rank the niche's compact search rows, read only the shortlist (and the accounts
    with a rate card) in full, recommend.

    The search rows come from the process's cache of skybands (`search_cache`) unless
    `cache` is None, which scans the whole niche (benchmarks and tests compare the two).

    With an owner whose campaigns have figures, their observed rates per tier replace the
    public benchmarks for candidates without their own numbers, and accounts whose
    results were poor for them are left out. The counts of fitting accounts in the target
    city come from the whole scan, not the shortlist.
    """
    own = own_results(session, owner_id=owner_id) if owner_id is not None else None
    area = area_of(brief.location, brief.business)
    # the search rows rank by the main format's price; an account with a rate card may be
    # bought in a cheaper format, so the few that have one are always read
    cards = niche_rate_cards(
        session, niche=brief.niche, platform=brief.platform.value, scopes=scopes
    )
    columns = search_rows(session, Kind.of(brief, area, scopes), cards=cards.keys(), cache=cache)
    ids = shortlist(
        columns.ids,
        columns.macro,
        columns.prices,
        columns.values,
        columns.matches,
        brief,
        pool_size=columns.pool_size,
    )
    candidates = fetch_candidates_by_ids(session, ids | cards.keys(), cards=cards)
    local = None
    if brief.location.cities and not brief.location.is_national:
        local = columns.local(brief.budget)
    rec = recommend(
        brief,
        candidates,
        observed=own.rates if own else None,
        poor=own.poor_accounts() if own else None,
        local=local,
    )
    return Advice(rec, store_is_sample_only(session), own)


def describe(advice: Advice) -> str:
    """The recommendation as plain text: the chat's words without markup, and what sits
    behind its buttons there (every candidate's reasons, the full next steps)."""
    rec = advice.recommendation
    if rec.chosen is None:
        return to_plain(_nothing_fits(advice))
    reply = main_view(0, rec, sample_data=advice.sample_data, saved=False, page=0, own=advice.own)
    parts = [to_plain(reply.text)]
    portfolio = rec.portfolio()
    assert portfolio is not None
    for page in range(-(-len(portfolio.picks) // PAGE_SIZE)):
        parts.append(to_plain(reasons_view(0, rec, page, sample_data=advice.sample_data).text))
    parts.append(to_plain(steps_view(0, rec).text))
    return "\n\n".join(parts)


def with_platforms(
    session: Session, advice: Advice, *, scopes: tuple[str, ...] = (GLOBAL_SCOPE,)
) -> Advice:
    """The advice plus where else the niche has accounts, for the "nothing fits" answer."""
    if advice.recommendation.chosen is not None:
        return advice
    brief = advice.recommendation.brief
    counts = niche_accounts_per_platform(session, niche=brief.niche, scopes=scopes)
    return replace(advice, niche_platforms=counts)


def _nothing_fits(advice: Advice) -> str:
    """Nothing fits: name the cheapest option, or the platforms that do have the niche."""
    rec = advice.recommendation
    brief = rec.brief
    others = sorted(
        (
            (Platform(p), n)
            for p, n in advice.niche_platforms.items()
            if p != brief.platform.value and n > 0 and p in Platform._value2member_map_
        ),
        key=lambda item: -item[1],
    )
    if rec.cheapest_price is None:
        return render("no_candidates", brief=brief, others=others, sample_data=advice.sample_data)
    if brief.business is BusinessKind.WALK_IN and rec.cheapest_price <= brief.budget:
        # affordable accounts exist, but none near the shop: say so, not "budget too small"
        return render(
            "walk_in_none_local",
            brief=brief,
            local_fitting=rec.local_fitting,
            others=True,
            sample_data=advice.sample_data,
        )
    return render(
        "budget_too_small",
        brief=brief,
        cheapest=rec.cheapest_price,
        cheapest_macro=rec.cheapest_macro_price,
        sample_data=advice.sample_data,
    )


def nothing_fits_text(advice: Advice) -> str:
    return _nothing_fits(advice)


def _totals(portfolio: Portfolio) -> dict[str, Any]:
    t = portfolio.totals
    return {
        "cost": t.cost,
        "reach": round(t.reach),
        "engagements": round(t.engagements),
        "cost_per_1000_reach": None
        if t.cost_per_1000_reach is None
        else round(t.cost_per_1000_reach),
        "cost_per_engagement": None
        if t.cost_per_engagement is None
        else round(t.cost_per_engagement),
        "accounts": t.accounts,
        "estimated": t.estimated,
    }


def _why(pick: Pick, advice: Advice) -> str:
    # A template module's attributes are its macros, unknown to the type checker.
    module: Any = environment().get_template("_macros.j2").make_module()
    c = pick.candidate
    shown = ShownPick(pick, benchmark_engagement_rate(c.followers), shown_format(c))
    return to_plain(str(module.why(shown, advice.recommendation.brief)))


def to_json(advice: Advice) -> dict[str, Any]:
    """The `recommend --json` shape: its keys are a contract with scripts, keep them stable."""
    rec = advice.recommendation
    chosen = rec.portfolio()
    reason = to_plain(_nothing_fits(advice)) if chosen is None else _reason_text(advice)
    return {
        "strategy": rec.chosen.value if rec.chosen else None,
        "reason": reason,
        "sample_data": advice.sample_data,
        "totals": _totals(chosen) if chosen else None,
        "alternatives": [
            {"strategy": p.strategy.value, "feasible": p.feasible, **_totals(p)}
            for s, p in rec.portfolios.items()
            if s != rec.chosen
        ],
        "candidates": [
            {
                "handle": pick.candidate.handle,
                "platform": pick.candidate.platform.value,
                "name": pick.candidate.name,
                "followers": pick.candidate.followers,
                "engagement_rate": pick.candidate.engagement_rate,
                "price_idr": pick.candidate.price_idr,
                "city": pick.candidate.city,
                "estimated": pick.estimate.estimated,
                "sample": pick.candidate.sample,
                "self_reported": pick.candidate.self_reported,
                "content_format": pick.candidate.content_format,
                "why": _why(pick, advice),
            }
            for pick in (chosen.picks if chosen else ())
        ],
    }


def _reason_text(advice: Advice) -> str:
    """The two or three sentences under the headline of the chat message."""
    text = to_plain(main_view(0, advice.recommendation, sample_data=False, saved=False).text)
    paragraphs = text.split("\n\n")[0].splitlines()
    return " ".join(line.strip() for line in paragraphs[1:] if line.strip())
