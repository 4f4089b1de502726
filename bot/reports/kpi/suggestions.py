"""The one concrete next step a campaign summary ends with, grounded in the report's figures."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.domain import Goal
from bot.reports.kpi.comparisons import (
    RANKING_KPIS,
    beats,
    known_values,
    rounded_ratio,
    times_better,
)
from bot.reports.kpi.rates import Kpis, Side

if TYPE_CHECKING:  # the report holds a suggestion: a runtime import would be circular
    from bot.reports.kpi.report import Report

SUGGESTION_CODES: tuple[str, ...] = (
    "no_data",
    "record_more",
    "add_tracking",
    "shift_to_side",
    "drop_worst",
    "boost_best",
    "keep_going",
)
# A side or member must be at least this many times better to be worth acting on:
# 1 / 0.75, i.e. its cost per result is at least 25% lower.
SHIFT_ADVANTAGE = 1 / 0.75
BOOST_ADVANTAGE = 1 / 0.75
DROP_ADVANTAGE = 2.0  # the worst costs at least twice the median of the others
MISSING_HANDLES_SHOWN = 3


@dataclass(frozen=True)
class Suggestion:
    """One concrete next step; the Indonesian text is rendered from code and params.

    `params` holds only JSON values (str, int, float, None, lists) so a stored report
    reads back equal.
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)


def _has_figures(kpis: Kpis) -> bool:
    return not kpis.figures.is_empty()


def _median_of_others(values: dict[int, float], member_id: int) -> float:
    return float(statistics.median(v for mid, v in values.items() if mid != member_id))


def suggest(report: Report, goal: Goal | None) -> Suggestion:
    """The one suggestion a summary ends with, grounded in the report's figures.

    Priority, first match wins (each step needs the ones before it to be settled):
    1. no_data: nothing recorded yet; ask for the one-line format.
    2. record_more: fewer than half the members have figures; name up to three of the
       missing ones, highest fee first (the costliest gaps matter most).
    3. add_tracking: the goal is sales but clicks and conversions are unknown for
       everyone, so the goal cannot be judged; ask for a tracked link or promo code.
    4. shift_to_side: both sides have the deciding KPI and one is at least 25% cheaper
       per result (for ROAS: a third more return): the micro-or-macro question this
       product exists to answer, for this owner.
    5. drop_worst: the worst member costs at least twice the median of the others.
    6. boost_best: the best member is at least 25% cheaper per result than the median
       of the others.
    7. keep_going: nothing stands out; quote the campaign's own deciding KPI.
    """
    members = report.members
    if not members or not any(_has_figures(k) for k in report.per_member.values()):
        first = next(iter(members.values()), None)
        return Suggestion("no_data", {"handle": first.handle if first else None})

    recorded = [mid for mid, k in report.per_member.items() if _has_figures(k)]
    if len(recorded) * 2 < len(members):
        missing = sorted(
            (m for mid, m in members.items() if mid not in recorded),
            key=lambda m: (-m.fee_idr, m.handle),
        )
        return Suggestion(
            "record_more",
            {
                "handles": [m.handle for m in missing[:MISSING_HANDLES_SHOWN]],
                "missing": len(missing),
                "recorded": len(recorded),
                "total": len(members),
            },
        )

    if goal is Goal.SALES and all(
        k.figures.clicks is None and k.figures.conversions is None
        for k in report.per_member.values()
    ):
        return Suggestion("add_tracking", {"goal": goal.value})

    shift = _shift_suggestion(report, goal)
    if shift is not None:
        return shift

    kpi = report.ranked_by
    values = known_values(report.per_member, kpi) if kpi else {}
    if kpi and report.worst is not None:
        worst_value = values[report.worst]
        median = _median_of_others(values, report.worst)
        advantage = times_better(kpi, median, worst_value)
        if advantage is not None and advantage >= DROP_ADVANTAGE:
            return Suggestion(
                "drop_worst",
                {
                    "handle": members[report.worst].handle,
                    "member_id": report.worst,
                    "kpi": kpi,
                    "value": worst_value,
                    "median": median,
                    "ratio": rounded_ratio(advantage),
                    "compared": len(values),
                },
            )
    if kpi and report.best is not None:
        best_value = values[report.best]
        median = _median_of_others(values, report.best)
        advantage = times_better(kpi, best_value, median)
        if advantage is not None and advantage >= BOOST_ADVANTAGE:
            return Suggestion(
                "boost_best",
                {
                    "handle": members[report.best].handle,
                    "member_id": report.best,
                    "kpi": kpi,
                    "value": best_value,
                    "median": median,
                    "ratio": rounded_ratio(advantage),
                    "compared": len(values),
                },
            )

    for name in RANKING_KPIS[goal]:
        overall = report.overall.value(name)
        if overall is not None:
            return Suggestion(
                "keep_going", {"kpi": name, "value": overall, "compared": len(values)}
            )
    return Suggestion("keep_going", {"kpi": None, "value": None, "compared": 0})


def _shift_suggestion(report: Report, goal: Goal | None) -> Suggestion | None:
    if len(report.per_side) < 2:
        return None
    micro, macro = report.per_side["micro"], report.per_side["macro"]
    for kpi in RANKING_KPIS[goal]:
        a, b = micro.value(kpi), macro.value(kpi)
        if a is None or b is None:
            continue
        if a == b:
            return None
        side: Side = "micro" if beats(kpi, a, b) else "macro"
        better, other = (a, b) if side == "micro" else (b, a)
        advantage = times_better(kpi, better, other)
        if advantage is None or advantage < SHIFT_ADVANTAGE:
            return None
        return Suggestion(
            "shift_to_side",
            {
                "side": side,
                "kpi": kpi,
                "cheaper_value": better,
                "other_value": other,
                "ratio": rounded_ratio(advantage),
            },
        )
    return None
