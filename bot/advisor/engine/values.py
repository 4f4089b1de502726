"""One candidate's value for a brief, and the objective a portfolio maximises.

value of a pick = goal metric x niche fit x location fit x audience-quality factor; inside
an overlap group (candidate city, else province) the k-th best pick adds OVERLAP**k of its
value, and each account costs a coordination constant. `table` vectorises the same
formulas; keep the two in step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from bot.advisor.engine.estimates import LOW_QUALITY, Estimate, ObservedRates, estimate, quality_of
from bot.advisor.engine.results import EMPTY_TOTALS, LocationMatch, Pick, Totals
from bot.domain import Brief, Candidate, Goal, Location

OVERLAP = 0.8  # each further account in the same overlap group adds OVERLAP**k of its value
MAX_PER_GROUP = 5  # never more than this many accounts from one overlap group

NICHE_FIT_PRIMARY = 1.0
NICHE_FIT_SECONDARY = 0.85
LOCATION_FIT: dict[str, float] = {"city": 1.0, "province": 0.85, "national": 0.6}
QUALITY_FLOOR = 0.2


def group_of(c: Candidate) -> str:
    """Overlap group: audiences of one place (and the brief's one niche) overlap."""
    return (c.city or c.province or "").casefold()


@lru_cache(maxsize=256)
def folded_places(loc: Location) -> tuple[frozenset[str], frozenset[str]]:
    """The brief's cities and provinces, case-folded (names are compared case-insensitively)."""
    return (
        frozenset(x.casefold() for x in loc.cities),
        frozenset(x.casefold() for x in loc.provinces),
    )


def _location_match(brief: Brief, c: Candidate) -> LocationMatch:
    loc = brief.location
    if loc.is_national:
        return "national"
    cities, provinces = folded_places(loc)
    if c.city and c.city.casefold() in cities:
        return "city"
    if c.province and c.province.casefold() in provinces:
        return "province"
    return "national"


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


def location_fit(brief: Brief, match: LocationMatch) -> float:
    return 1.0 if brief.location.is_national else LOCATION_FIT[match]


def pick_for(brief: Brief, c: Candidate, observed: ObservedRates | None = None) -> Pick:
    """Estimate and fit of one candidate for the brief (the unit the optimiser works on)."""
    est = estimate(c, observed)
    match = _location_match(brief, c)
    primary = bool(c.niches) and c.niches[0] == brief.niche
    value = fit_value(brief.goal, est, c, primary=primary) * location_fit(brief, match)
    return Pick(
        candidate=c,
        tier=c.tier,
        estimate=est,
        location_match=match,
        primary_niche=primary,
        value=float(value),
        low_quality=c.audience_quality is not None and c.audience_quality < LOW_QUALITY,
    )


def _grouped(picks: Sequence[Pick]) -> dict[str, list[Pick]]:
    groups: dict[str, list[Pick]] = {}
    for p in picks:
        groups.setdefault(group_of(p.candidate), []).append(p)
    return groups


def portfolio_score(picks: Sequence[Pick], coordination: float) -> float:
    """THE objective: overlap-discounted value minus coordination per account.

    Within a group values are taken best first, the k-th adding value * OVERLAP**k;
    a group holding more than MAX_PER_GROUP picks makes the set infeasible (-inf).
    """
    score = 0.0
    for members in _grouped(picks).values():
        if len(members) > MAX_PER_GROUP:
            return -math.inf
        values = sorted((p.value for p in members), reverse=True)
        score += sum(v * OVERLAP**k for k, v in enumerate(values))
    return score - coordination * len(picks)


def compute_totals(picks: Sequence[Pick], coordination: float) -> Totals:
    """Cost, de-duplicated reach, sums and ratios for a portfolio (zeros when empty)."""
    if not picks:
        return EMPTY_TOTALS
    cost = sum(p.candidate.price_idr for p in picks)
    reach = 0.0
    for members in _grouped(picks).values():
        reaches = sorted((p.estimate.reach for p in members), reverse=True)
        reach += sum(r * OVERLAP**k for k, r in enumerate(reaches))
    engagements = float(sum(p.estimate.engagements for p in picks))
    conversions = float(sum(p.estimate.conversions for p in picks))
    score = portfolio_score(picks, coordination)
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
    )
