"""One candidate's value for a brief, and the objective a portfolio maximises.

value of a pick = goal metric x niche fit x location fit x audience-quality factor (the
location fit per kind of business lives in `area`); inside an overlap group (candidate
city, else province) the k-th best pick adds OVERLAP**k of its value. Taking an account
costs `coordination` (value units) plus `rupiah_value` per Rupiah of its price (see
choice.py). `table` vectorises the same formulas; keep the two in step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.advisor.engine.area import area_of, location_match
from bot.advisor.engine.estimates import (
    LOW_QUALITY,
    WIDE_RANGE,
    Estimate,
    ObservedRates,
    Range,
    estimate,
    quality_of,
)
from bot.advisor.engine.results import EMPTY_TOTALS, Pick, Totals
from bot.domain import Brief, Candidate, Goal

#: The version of `fit_value` (and the estimates it rests on) that the store's search rows
#: were ranked with: bump it whenever either changes, and rows ranked by an older version
#: are recomputed after the next start (bot.store.ranking).
RANKING_VERSION = 2
OVERLAP = 0.8  # each further account in the same overlap group adds OVERLAP**k of its value
MAX_PER_GROUP = 5  # never more than this many accounts from one overlap group

# A primary niche is what the account is about; a secondary one is an occasional topic
# whose audience came for something else.
NICHE_FIT_PRIMARY = 1.0
NICHE_FIT_SECONDARY = 0.6
QUALITY_FLOOR = 0.2


def group_of(c: Candidate) -> str:
    """Overlap group: audiences of one place (and the brief's one niche) overlap."""
    return (c.city or c.province or "").casefold()


def _goal_metric(goal: Goal, est: Estimate) -> float:
    if goal is Goal.AWARENESS:
        return est.reach
    if goal is Goal.ENGAGEMENT:
        return est.engagements
    return est.conversions


def fit_value(goal: Goal, est: Estimate, c: Candidate, *, primary: bool) -> float:
    """What the goal needs from this account, weighted by niche fit and audience quality.

    Everything except location fit, which depends on where the brief targets; the store
    keeps this per niche and goal so candidate searches can rank in advance.
    """
    niche_fit = NICHE_FIT_PRIMARY if primary else NICHE_FIT_SECONDARY
    if goal is Goal.SALES:
        quality_factor = 1.0  # conversions already weigh audience quality
    else:
        quality_factor = min(max(quality_of(c) / 100, QUALITY_FLOOR), 1.0)
    return _goal_metric(goal, est) * niche_fit * quality_factor


def is_low_quality(c: Candidate) -> bool:
    return c.audience_quality is not None and c.audience_quality < LOW_QUALITY


def pick_for(brief: Brief, c: Candidate, observed: ObservedRates | None = None) -> Pick:
    """Estimate and fit of one candidate for the brief (the unit the optimiser works on)."""
    est = estimate(c, observed, brief.business)
    area = area_of(brief.location, brief.business)
    code = area.code_of(c)
    primary = bool(c.niches) and c.niches[0] == brief.niche
    value = fit_value(brief.goal, est, c, primary=primary) * area.fit[code]
    return Pick(
        candidate=c,
        tier=c.tier,
        estimate=est,
        location_match=location_match(code, area.national),
        primary_niche=primary,
        value=float(value),
        low_quality=is_low_quality(c),
        outside_area=area.outside[code],
    )


def _grouped(picks: Sequence[Pick]) -> dict[str, list[Pick]]:
    groups: dict[str, list[Pick]] = {}
    for p in picks:
        groups.setdefault(group_of(p.candidate), []).append(p)
    return groups


def overlapped(values: Sequence[float]) -> float:
    """One group's total: best first, the k-th adding OVERLAP**k of its own."""
    return sum(v * OVERLAP**k for k, v in enumerate(sorted(values, reverse=True)))


def portfolio_score(picks: Sequence[Pick], coordination: float, rupiah_value: float = 0.0) -> float:
    """THE objective: overlap-discounted value minus what taking the accounts costs.

    Within a group values are taken best first, the k-th adding value * OVERLAP**k; each
    pick costs `coordination` plus `rupiah_value` per Rupiah of its price; a group holding
    more than MAX_PER_GROUP picks makes the set infeasible (-inf).
    """
    score = 0.0
    for members in _grouped(picks).values():
        if len(members) > MAX_PER_GROUP:
            return -math.inf
        score += overlapped([p.value for p in members])
    cost = sum(p.candidate.price_idr for p in picks)
    return score - coordination * len(picks) - rupiah_value * cost


def _wide(point: float, low: float, high: float) -> Range | None:
    """The range when its spread is wide enough to show, else None (show the point)."""
    if point <= 0 or low <= 0 or high / low < WIDE_RANGE:
        return None
    return (low, high)


def compute_totals(picks: Sequence[Pick], coordination: float, rupiah_value: float = 0.0) -> Totals:
    """Cost, de-duplicated reach, sums, ratios, value and ranges (zeros when empty)."""
    if not picks:
        return EMPTY_TOTALS
    cost = sum(p.candidate.price_idr for p in picks)
    groups = _grouped(picks).values()
    reach = sum(overlapped([p.estimate.reach for p in g]) for g in groups)
    value = sum(overlapped([p.value for p in g]) for g in groups)
    engagements = float(sum(p.estimate.engagements for p in picks))
    conversions = float(sum(p.estimate.conversions for p in picks))

    def total_range(attr: str, point: float, overlap: bool) -> Range | None:
        ranges = [getattr(p.estimate, attr) for p in picks]
        if any(r is None for r in ranges):
            return None
        if overlap:
            by_pick = {id(p): r for p, r in zip(picks, ranges, strict=True)}
            low = sum(overlapped([by_pick[id(p)][0] for p in g]) for g in groups)
            high = sum(overlapped([by_pick[id(p)][1] for p in g]) for g in groups)
        else:
            low, high = sum(r[0] for r in ranges), sum(r[1] for r in ranges)
        return _wide(point, low, high)

    score = portfolio_score(picks, coordination, rupiah_value)
    return Totals(
        cost=int(cost),
        reach=float(reach),
        engagements=engagements,
        conversions=conversions,
        accounts=len(picks),
        cost_per_1000_reach=cost / reach * 1000 if reach > 0 else None,
        cost_per_engagement=cost / engagements if engagements > 0 else None,
        cost_per_conversion=cost / conversions if conversions > 0 else None,
        estimated=any(p.estimate.estimated for p in picks),
        score=float(score),
        score_per_rupiah=score / cost if cost > 0 else None,
        value=float(value),
        reach_range=total_range("reach_range", reach, True),
        engagements_range=total_range("engagements_range", engagements, False),
        conversions_range=total_range("conversions_range", conversions, False),
        engagements_own=any(p.estimate.engagements_own for p in picks),
        purchase_rate_own=all(p.estimate.purchase_rate_own for p in picks),
    )
