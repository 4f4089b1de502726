"""Which KPI decides and in which direction: ranking members and the change since last time."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.domain import Goal
from bot.reports.kpi.rates import Kpis

HIGHER_IS_BETTER: frozenset[str] = frozenset(
    {
        "roas",
        "reach",
        "impressions",
        "engagements",
        "clicks",
        "conversions",
        "revenue_idr",
        "engagement_rate",
    }
)

# The KPI that ranks members for each goal, then the fallbacks used when it is known for
# fewer than two (a sales campaign without tracked links still learns who engages cheaply).
RANKING_KPIS: dict[Goal | None, tuple[str, ...]] = {
    Goal.SALES: ("roas", "cpa", "cpe"),
    Goal.ENGAGEMENT: ("cpe", "cpm", "cost_per_1000_reach"),
    Goal.AWARENESS: ("cpm", "cost_per_1000_reach", "cpe"),
    None: ("cpe", "cpm", "cost_per_1000_reach"),
}


def beats(kpi: str, a: float, b: float) -> bool:
    """Whether a beats b on this KPI."""
    return a > b if kpi in HIGHER_IS_BETTER else a < b


def times_better(kpi: str, better: float, other: float) -> float | None:
    """How many times better `better` is than `other` (1.5 = one and a half times).

    For cost ratios that is other / better; for ROAS better / other. None when a zero
    makes the ratio meaningless.
    """
    top, bottom = (better, other) if kpi in HIGHER_IS_BETTER else (other, better)
    if bottom > 0:
        return top / bottom
    return math.inf if top > 0 else None


def rounded_ratio(ratio: float) -> float | None:
    """A ratio for params: JSON has no infinity, so "infinitely better" is None."""
    return round(ratio, 2) if math.isfinite(ratio) else None


def known_values(per_member: dict[int, Kpis], kpi: str) -> dict[int, float]:
    return {mid: v for mid, k in per_member.items() if (v := k.value(kpi)) is not None}


def ranking_kpi(per_member: dict[int, Kpis], goal: Goal | None) -> str | None:
    """The KPI members are compared on; None when no KPI is known for two of them.

    First choice: the goal's first KPI that every member with figures has, so a tip never
    ranks an account against others on a figure they did not report. Otherwise the first
    one that at least two have (the text then says among how many).
    """
    reporting = [mid for mid, k in per_member.items() if not k.figures.is_empty()]
    for kpi in RANKING_KPIS[goal]:
        known = known_values(per_member, kpi)
        if len(known) >= 2 and len(known) == len(reporting):
            return kpi
    for kpi in RANKING_KPIS[goal]:
        if len(known_values(per_member, kpi)) >= 2:
            return kpi
    return None


def best_and_worst(per_member: dict[int, Kpis], kpi: str | None) -> tuple[int | None, int | None]:
    """Best and worst member on `kpi`; both None unless two members differ on it.

    Ties go to the lower member id, so the same figures always name the same people.
    """
    if kpi is None:
        return None, None
    values = known_values(per_member, kpi)
    if len(values) < 2:
        return None, None
    sign = -1 if kpi in HIGHER_IS_BETTER else 1
    ordered = sorted(values, key=lambda mid: (sign * values[mid], mid))
    best, worst = ordered[0], ordered[-1]
    if values[best] == values[worst]:
        return None, None
    # The worst is the last on value, but the lowest id among equals.
    worst = min(mid for mid in values if values[mid] == values[worst])
    return best, worst


CHANGE_FIELDS: tuple[str, ...] = (
    "reach",
    "impressions",
    "engagements",
    "clicks",
    "conversions",
    "revenue_idr",
    "cpe",
    "cpm",
    "roas",
)


@dataclass(frozen=True)
class Change:
    """One figure or KPI then and now; unknown on either side leaves the change unknown."""

    field: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def pct(self) -> float | None:
        """Percent change; None from an unknown or zero starting point."""
        delta = self.delta
        if delta is None or not self.before:
            return None
        return delta / self.before * 100

    @property
    def improved(self) -> bool | None:
        """Whether the change is good news (a lower CPE is); None when flat or unknown."""
        delta = self.delta
        if not delta:
            return None
        return (delta > 0) == (self.field in HIGHER_IS_BETTER)


def changes(current: Kpis, previous: Kpis | None) -> dict[str, Change]:
    """The change of each CHANGE_FIELDS entry since `previous` (None: the first report)."""
    return {
        name: Change(
            field=name,
            before=previous.value(name) if previous is not None else None,
            after=current.value(name),
        )
        for name in CHANGE_FIELDS
    }
