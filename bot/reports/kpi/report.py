"""A campaign's figures and KPIs at one moment, with its suggestion; stored as JSON.

The sweeper stores each summary's report (`REPORT_JSON`) so the next one can show what
changed; rows written by earlier versions must keep loading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

from bot.domain import Goal, JsonShape
from bot.reports.kpi.comparisons import best_and_worst, ranking_kpi
from bot.reports.kpi.figures import Figures, Snapshot, latest_per_post
from bot.reports.kpi.rates import SIDES, Kpis, Member, Side, group_kpis
from bot.reports.kpi.suggestions import Suggestion, suggest


def _parse_moment(value: object) -> object:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


# Stored as `datetime.isoformat()` ("...+00:00") and read back with `fromisoformat`.
StoredMoment = Annotated[
    datetime,
    BeforeValidator(_parse_moment),
    PlainSerializer(datetime.isoformat, return_type=str, when_used="json"),
]


@dataclass(frozen=True)
class Report:
    """A campaign's figures and KPIs at one moment, stored to show the change later.

    `best`/`worst` are member ids ranked on `ranked_by` (see RANKING_KPIS); both are
    None unless at least two members have that KPI and they differ.
    """

    at: StoredMoment
    overall: Kpis
    per_member: dict[int, Kpis]
    per_side: dict[Side, Kpis]
    best: int | None
    worst: int | None
    suggestion: Suggestion
    members: dict[int, Member]
    ranked_by: str | None = None
    goal: Goal | None = None


def build_report(
    members: Sequence[Member],
    snapshots: Iterable[Snapshot],
    *,
    at: datetime,
    goal: Goal | None = None,
) -> Report:
    """Totals and KPIs as of `at`, per member, per side and overall, with a suggestion.

    A member's cost is its fee whether or not it has reported: the money is spent
    either way, and an unreported member should weigh on the campaign's cost per result.
    Snapshots of members not listed, or recorded after `at`, are ignored.
    """
    by_id: dict[int, Member] = {}
    for member in members:
        if member.id in by_id:
            raise ValueError(f"member id {member.id} listed twice")
        by_id[member.id] = member

    posts: dict[int, list[Figures]] = defaultdict(list)
    for (member_id, _), figures in sorted(latest_per_post(snapshots, at=at).items()):
        if member_id in by_id:
            posts[member_id].append(figures)

    def group(ids: Iterable[int]) -> Kpis:
        ids = list(ids)
        return group_kpis([(by_id[mid], posts.get(mid, [])) for mid in ids])

    per_member = {mid: group([mid]) for mid in by_id}
    per_side = {
        side: group(mid for mid, m in by_id.items() if m.side == side)
        for side in SIDES
        if any(m.side == side for m in by_id.values())
    }
    overall = group(by_id)
    kpi = ranking_kpi(per_member, goal)
    best, worst = best_and_worst(per_member, kpi)
    report = Report(
        at=at,
        overall=overall,
        per_member=per_member,
        per_side=per_side,
        best=best,
        worst=worst,
        suggestion=Suggestion("keep_going"),
        members=by_id,
        ranked_by=kpi,
        goal=goal,
    )
    return replace(report, suggestion=suggest(report, goal))


REPORT_JSON = JsonShape(Report)
