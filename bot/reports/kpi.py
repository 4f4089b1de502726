"""Campaign figures, KPIs, reports and the one suggestion a summary ends with.

Plain Python with no Telegram or database imports: the chat, the CSV import, the
scheduled summaries and the command line all feed snapshots in and get the same numbers
out. A KPI whose inputs are missing is unknown (None), never zero and never an error,
because a summary that says "CPE Rp0" or crashes is worse than one that says "belum ada".
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from bot.domain import Goal, Platform, Tier, strategy_of

FIGURE_FIELDS: tuple[str, ...] = (
    "impressions",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "conversions",
    "revenue_idr",
)
ENGAGEMENT_FIELDS: tuple[str, ...] = ("likes", "comments", "shares", "saves")

Side = Literal["micro", "macro"]
SIDES: tuple[Side, ...] = ("micro", "macro")


# ======================================================================================
# Figures and snapshots
# ======================================================================================


def _add(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


@dataclass(frozen=True)
class Figures:
    """A post's (or a group's) running totals; None means unknown, not zero.

    `impressions` also stands for views: platforms name the same idea differently and
    owners copy whichever number their app shows.
    """

    impressions: int | None = None
    reach: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    clicks: int | None = None
    conversions: int | None = None
    revenue_idr: int | None = None

    def __add__(self, other: Figures) -> Figures:
        """Field-wise sum; an unknown side adds nothing, both unknown stays unknown."""
        if not isinstance(other, Figures):
            return NotImplemented
        return Figures(**{n: _add(getattr(self, n), getattr(other, n)) for n in FIGURE_FIELDS})

    def merged(self, newer: Figures) -> Figures:
        """These totals updated by a newer snapshot that may report only some figures."""
        return Figures(
            **{
                n: getattr(newer, n) if getattr(newer, n) is not None else getattr(self, n)
                for n in FIGURE_FIELDS
            }
        )

    def known(self) -> list[str]:
        """Names of the known figures, in FIGURE_FIELDS order."""
        return [n for n in FIGURE_FIELDS if getattr(self, n) is not None]

    def is_empty(self) -> bool:
        return not self.known()

    @property
    def engagements(self) -> int | None:
        """likes + comments + shares + saves over the known ones; None if none is known."""
        parts = [getattr(self, n) for n in ENGAGEMENT_FIELDS if getattr(self, n) is not None]
        return sum(parts) if parts else None

    def to_dict(self) -> dict[str, int | None]:
        return {n: getattr(self, n) for n in FIGURE_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figures:
        """Missing keys are unknown; unrelated keys are ignored."""
        return cls(**{n: None if data.get(n) is None else int(data[n]) for n in FIGURE_FIELDS})


@dataclass(frozen=True)
class Snapshot:
    """One recording of a post's running totals at a moment (aware, UTC).

    `post_key` tells posts of one member apart: the post URL, or "" for "the member's
    post" when the owner gave none.
    """

    member_id: int
    post_key: str
    recorded_at: datetime
    figures: Figures

    def __post_init__(self) -> None:
        # Naive and aware datetimes cannot be compared: fail where the bug is, not later.
        if self.recorded_at.tzinfo is None:
            raise ValueError("Snapshot.recorded_at must be timezone-aware (UTC)")


def latest_per_post(
    snapshots: Iterable[Snapshot], *, at: datetime | None = None
) -> dict[tuple[int, str], Figures]:
    """Each post's running totals as of `at` (all snapshots when None).

    Later snapshots supersede earlier ones field by field: a figure a newer snapshot
    left unknown keeps its older value, so "@x klik 90" after a full line does not wipe
    the reach. Snapshots with the same time apply in the order given.
    """
    chosen = [s for s in snapshots if at is None or s.recorded_at <= at]
    ordered = sorted(enumerate(chosen), key=lambda pair: (pair[1].recorded_at, pair[0]))
    totals: dict[tuple[int, str], Figures] = {}
    for _, snap in ordered:
        key = (snap.member_id, snap.post_key)
        totals[key] = totals.get(key, Figures()).merged(snap.figures)
    return totals


# ======================================================================================
# Members and KPIs
# ======================================================================================


@dataclass(frozen=True)
class Member:
    """An influencer on a campaign with the agreed fee (the cost of all its posts)."""

    id: int
    handle: str
    name: str
    platform: Platform
    followers: int
    fee_idr: int
    tier: Tier

    @property
    def side(self) -> Side:
        """The strategy side: "micro" (nano and micro accounts) or "macro" (macro, mega)."""
        return "micro" if strategy_of(self.tier).value == "micro" else "macro"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "handle": self.handle,
            "name": self.name,
            "platform": self.platform.value,
            "followers": self.followers,
            "fee_idr": self.fee_idr,
            "tier": self.tier.value,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Member:
        return cls(
            id=int(data["id"]),
            handle=data["handle"],
            name=data["name"],
            platform=Platform(data["platform"]),
            followers=int(data["followers"]),
            fee_idr=int(data["fee_idr"]),
            tier=Tier(data["tier"]),
        )


ErBasis = Literal["reach", "followers"]


@dataclass(frozen=True)
class Kpis:
    """Totals and ratios for one member, one side or the whole campaign.

    `engagement_rate` is a percent (4.2 means 4.2%) with its basis: by reach where reach
    is known, by followers otherwise (the store's per-follower figure, labelled so the
    two are never compared as if alike). Ratios are None when an input is unknown, a
    denominator is zero, or the cost is zero (a barter post or a fee not entered: "Rp0
    per engagement" would flatter it and rank it first).
    """

    cost: int
    figures: Figures
    engagements: int | None
    engagement_rate: float | None
    er_basis: ErBasis | None
    cpm: float | None
    cpe: float | None
    cpc: float | None
    cpa: float | None
    roas: float | None
    cost_per_1000_reach: float | None = None

    def value(self, kpi: str) -> float | None:
        """A KPI or figure by name ("cpe", "roas", "reach", ...), None when unknown."""
        if kpi in FIGURE_FIELDS:
            return getattr(self.figures, kpi)
        return getattr(self, kpi)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cost": self.cost,
            "figures": self.figures.to_dict(),
            "engagements": self.engagements,
            "engagement_rate": self.engagement_rate,
            "er_basis": self.er_basis,
            "cpm": self.cpm,
            "cpe": self.cpe,
            "cpc": self.cpc,
            "cpa": self.cpa,
            "roas": self.roas,
            "cost_per_1000_reach": self.cost_per_1000_reach,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Kpis:
        def num(name: str) -> float | None:
            value = data.get(name)
            return None if value is None else float(value)

        engagements = data.get("engagements")
        return cls(
            cost=int(data["cost"]),
            figures=Figures.from_dict(data.get("figures") or {}),
            engagements=None if engagements is None else int(engagements),
            engagement_rate=num("engagement_rate"),
            er_basis=data.get("er_basis"),
            cpm=num("cpm"),
            cpe=num("cpe"),
            cpc=num("cpc"),
            cpa=num("cpa"),
            roas=num("roas"),
            cost_per_1000_reach=num("cost_per_1000_reach"),
        )


def _ratio(numerator: float | None, denominator: float | None, scale: float = 1.0) -> float | None:
    """numerator / denominator × scale, or None when either is unknown or the divisor is 0."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator * scale


def _engagement_rate(
    engagements: int | None, reach: int | None, followers: int | None
) -> tuple[float | None, ErBasis | None]:
    if engagements is None:
        return None, None
    if reach is not None and reach > 0:
        return engagements / reach * 100, "reach"
    if followers is not None and followers > 0:
        return engagements / followers * 100, "followers"
    return None, None


def compute_kpis(figures: Figures, *, cost: int, followers: int | None) -> Kpis:
    """KPIs of one set of totals that cost `cost` Rupiah.

    `followers` is the audience the engagements came from, used for the engagement
    rate only when reach is unknown (for several posts: followers once per post).
    """
    engagements = figures.engagements
    rate, basis = _engagement_rate(engagements, figures.reach, followers)
    paid = cost if cost > 0 else None
    return Kpis(
        cost=cost,
        figures=figures,
        engagements=engagements,
        engagement_rate=rate,
        er_basis=basis,
        cpm=_ratio(paid, figures.impressions, 1000),
        cpe=_ratio(paid, engagements),
        cpc=_ratio(paid, figures.clicks),
        cpa=_ratio(paid, figures.conversions),
        roas=_ratio(figures.revenue_idr, paid),
        cost_per_1000_reach=_ratio(paid, figures.reach, 1000),
    )


def _group_kpis(posts: Sequence[tuple[Member, Figures]], cost: int) -> Kpis:
    """KPIs of a group of posts (one member, one side, the campaign) costing `cost`.

    The engagement rate is by reach only when every post with engagements has its
    reach; otherwise by followers for all of them. Mixing the two would divide some
    posts' engagements by nothing and overstate the rate.
    """
    total = Figures()
    for _, figures in posts:
        total = total + figures
    kpis = compute_kpis(total, cost=cost, followers=None)
    engaged = [(m, f) for m, f in posts if f.engagements is not None]
    if not engaged:
        return kpis
    engagements = sum(f.engagements or 0 for _, f in engaged)
    if all(f.reach is not None and f.reach > 0 for _, f in engaged):
        reach = sum(f.reach or 0 for _, f in engaged)
        rate, basis = _engagement_rate(engagements, reach, None)
    else:
        audience = sum(m.followers for m, _ in engaged)
        rate, basis = _engagement_rate(engagements, None, audience)
    return replace(kpis, engagement_rate=rate, er_basis=basis)


# ======================================================================================
# Which KPI decides, and in which direction
# ======================================================================================

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


def _better(kpi: str, a: float, b: float) -> bool:
    """Whether a beats b on this KPI."""
    return a > b if kpi in HIGHER_IS_BETTER else a < b


def _advantage(kpi: str, better: float, other: float) -> float | None:
    """How many times better `better` is than `other` (1.5 = one and a half times).

    For cost ratios that is other / better; for ROAS better / other. None when a zero
    makes the ratio meaningless.
    """
    top, bottom = (better, other) if kpi in HIGHER_IS_BETTER else (other, better)
    if bottom > 0:
        return top / bottom
    return math.inf if top > 0 else None


def _rounded(ratio: float) -> float | None:
    """A ratio for params: JSON has no infinity, so "infinitely better" is None."""
    return round(ratio, 2) if math.isfinite(ratio) else None


def _known_values(per_member: dict[int, Kpis], kpi: str) -> dict[int, float]:
    return {mid: v for mid, k in per_member.items() if (v := k.value(kpi)) is not None}


def ranking_kpi(per_member: dict[int, Kpis], goal: Goal | None) -> str | None:
    """The first KPI of the goal's list that at least two members have; None otherwise."""
    for kpi in RANKING_KPIS[goal]:
        if len(_known_values(per_member, kpi)) >= 2:
            return kpi
    return None


def _best_and_worst(per_member: dict[int, Kpis], kpi: str | None) -> tuple[int | None, int | None]:
    """Best and worst member on `kpi`; both None unless two members differ on it.

    Ties go to the lower member id, so the same figures always name the same people.
    """
    if kpi is None:
        return None, None
    values = _known_values(per_member, kpi)
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


# ======================================================================================
# Suggestions
# ======================================================================================

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

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Suggestion:
        return cls(code=data["code"], params=dict(data.get("params") or {}))


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
    values = _known_values(report.per_member, kpi) if kpi else {}
    if kpi and report.worst is not None:
        worst_value = values[report.worst]
        median = _median_of_others(values, report.worst)
        advantage = _advantage(kpi, median, worst_value)
        if advantage is not None and advantage >= DROP_ADVANTAGE:
            return Suggestion(
                "drop_worst",
                {
                    "handle": members[report.worst].handle,
                    "member_id": report.worst,
                    "kpi": kpi,
                    "value": worst_value,
                    "median": median,
                    "ratio": _rounded(advantage),
                },
            )
    if kpi and report.best is not None:
        best_value = values[report.best]
        median = _median_of_others(values, report.best)
        advantage = _advantage(kpi, best_value, median)
        if advantage is not None and advantage >= BOOST_ADVANTAGE:
            return Suggestion(
                "boost_best",
                {
                    "handle": members[report.best].handle,
                    "member_id": report.best,
                    "kpi": kpi,
                    "value": best_value,
                    "median": median,
                    "ratio": _rounded(advantage),
                },
            )

    for name in RANKING_KPIS[goal]:
        overall = report.overall.value(name)
        if overall is not None:
            return Suggestion("keep_going", {"kpi": name, "value": overall})
    return Suggestion("keep_going", {"kpi": None, "value": None})


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
        side: Side = "micro" if _better(kpi, a, b) else "macro"
        better, other = (a, b) if side == "micro" else (b, a)
        advantage = _advantage(kpi, better, other)
        if advantage is None or advantage < SHIFT_ADVANTAGE:
            return None
        return Suggestion(
            "shift_to_side",
            {
                "side": side,
                "kpi": kpi,
                "cheaper_value": better,
                "other_value": other,
                "ratio": _rounded(advantage),
            },
        )
    return None


# ======================================================================================
# Reports
# ======================================================================================


@dataclass(frozen=True)
class Report:
    """A campaign's figures and KPIs at one moment, stored to show the change later.

    `best`/`worst` are member ids ranked on `ranked_by` (see RANKING_KPIS); both are
    None unless at least two members have that KPI and they differ.
    """

    at: datetime
    overall: Kpis
    per_member: dict[int, Kpis]
    per_side: dict[str, Kpis]
    best: int | None
    worst: int | None
    suggestion: Suggestion
    members: dict[int, Member]
    ranked_by: str | None = None
    goal: Goal | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (member ids become string keys); from_dict reads it back equal."""
        return {
            "at": self.at.isoformat(),
            "goal": self.goal.value if self.goal else None,
            "overall": self.overall.to_dict(),
            "per_member": {str(mid): k.to_dict() for mid, k in self.per_member.items()},
            "per_side": {side: k.to_dict() for side, k in self.per_side.items()},
            "best": self.best,
            "worst": self.worst,
            "ranked_by": self.ranked_by,
            "suggestion": self.suggestion.to_dict(),
            "members": {str(mid): m.to_dict() for mid, m in self.members.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            at=datetime.fromisoformat(data["at"]),
            overall=Kpis.from_dict(data["overall"]),
            per_member={int(mid): Kpis.from_dict(k) for mid, k in data["per_member"].items()},
            per_side={side: Kpis.from_dict(k) for side, k in data["per_side"].items()},
            best=data.get("best"),
            worst=data.get("worst"),
            suggestion=Suggestion.from_dict(data["suggestion"]),
            members={int(mid): Member.from_dict(m) for mid, m in data["members"].items()},
            ranked_by=data.get("ranked_by"),
            goal=Goal(data["goal"]) if data.get("goal") else None,
        )


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
        pairs = [(by_id[mid], f) for mid in ids for f in posts.get(mid, [])]
        return _group_kpis(pairs, sum(by_id[mid].fee_idr for mid in ids))

    per_member = {mid: group([mid]) for mid in by_id}
    per_side = {
        side: group(mid for mid, m in by_id.items() if m.side == side)
        for side in SIDES
        if any(m.side == side for m in by_id.values())
    }
    overall = group(by_id)
    kpi = ranking_kpi(per_member, goal)
    best, worst = _best_and_worst(per_member, kpi)
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


# ======================================================================================
# Change since the previous report
# ======================================================================================

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


# ======================================================================================
# Validation
# ======================================================================================

MAX_REACH_PER_FOLLOWER = 10


def validate_figures(figures: Figures, *, followers: int | None) -> list[str]:
    """Machine codes of what cannot be true; empty when the figures may be stored.

    Only the impossible is refused: "negative:<field>"; "likes_over_views" (more likes,
    or more comments, than the post's views or impressions); "clicks_over_impressions"
    (a link click needs a view); "reach_over_followers" (reach above ten times the
    followers, far beyond any viral share). Reach above impressions, conversions above
    clicks (promo codes) or revenue without conversions are all possible and accepted.
    """
    problems = [
        f"negative:{name}"
        for name in FIGURE_FIELDS
        if (value := getattr(figures, name)) is not None and value < 0
    ]
    views = figures.impressions
    if views is not None and views >= 0:
        if any((v := getattr(figures, n)) is not None and v > views for n in ("likes", "comments")):
            problems.append("likes_over_views")
        if figures.clicks is not None and figures.clicks > views:
            problems.append("clicks_over_impressions")
    if (
        followers is not None
        and followers > 0
        and figures.reach is not None
        and figures.reach > MAX_REACH_PER_FOLLOWER * followers
    ):
        problems.append("reach_over_followers")
    return problems
