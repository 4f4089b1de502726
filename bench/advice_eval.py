"""Judging one recommendation as an owner would: does it buy what the budget should buy?

For one brief, through the bot's real path (`advise` on a database), this measures the
chosen strategy, the share of the budget used, the outcome as a share of the best outcome
any strategy reaches within the budget (`Totals.value`), whether every comparison the text
makes agrees with the numbers (`bot.advisor.comparisons`, when that module exists), the
main message's length in visible characters, and for a walk-in business the share of
spend on accounts outside its city. Used by bench/bench_advice.py and its fast test.
"""

from __future__ import annotations

import importlib
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

from sqlmodel import Session

from bot.advisor.engine.results import Recommendation, Totals
from bot.advisor.recommendations import advise, nothing_fits_text
from bot.advisor.view import main_view
from bot.chat.texts import to_plain
from bot.domain import Brief, BusinessKind, Goal, Platform
from bot.language.money import parse_budget
from bot.language.places import resolve_place

MAX_CHARS = 1_200  # the main message fits a phone (PRODUCT.md, "Understanding")
NEAR_TIE_SHARE = 0.9  # a near-tie choice must still reach this share of the best outcome
_EXACT = 1 - 1e-9

_SHORT_PLATFORM = {
    Platform.INSTAGRAM: "IG",
    Platform.TIKTOK: "TT",
    Platform.YOUTUBE: "YT",
    Platform.FACEBOOK: "FB",
    Platform.X: "X",
}


_GOAL_FIGURE: dict[Goal, Callable[[Totals], float]] = {
    Goal.AWARENESS: lambda t: t.reach,
    Goal.ENGAGEMENT: lambda t: t.engagements,
    Goal.SALES: lambda t: t.conversions,
}


@dataclass(frozen=True)
class Case:
    """One owner's brief, written the short way: Case("thin", "Kuliner", "sales", "3jt", ...)."""

    store: str
    niche: str
    goal: str
    budget: str  # as an owner types it: "500rb", "3jt", "1,5 jt"
    platform: str
    place: str  # a city, a province, a region or "seluruh Indonesia"
    business: str | None = None  # a BusinessKind value

    def brief(self) -> Brief:
        amount = parse_budget(self.budget).amount
        location = resolve_place(self.place)
        assert amount is not None, self.budget
        assert location is not None, self.place
        return Brief(
            niche=self.niche,
            goal=Goal(self.goal),
            budget=amount,
            platform=Platform(self.platform),
            location=location,
            business=BusinessKind(self.business) if self.business else None,
        )

    @property
    def label(self) -> str:
        business = {"walk_in": "walk-in", "online": "online", "destination": "dest"}
        place = "Indonesia" if self.place == "seluruh Indonesia" else self.place
        parts = [self.niche.split(" ")[0], self.goal[:5], self.budget.replace(" ", "")]
        parts += [_SHORT_PLATFORM[Platform(self.platform)], place]
        if self.business:
            parts.append(business[self.business])
        return " ".join(parts)


@dataclass(frozen=True)
class Result:
    """What one brief's recommendation looked like, by the evaluation's goals."""

    case: Case
    strategy: str | None  # None: nothing fits the budget
    near_tie: bool
    budget_used: float | None
    says_useful_budget: bool  # the engine found the store cannot use the budget well
    share: float | None  # chosen value / best feasible value; None: no values (0/0)
    raw_share: float | None  # the same on the goal's plain figure (reach, engagements, sales)
    claims: int | None  # comparisons the text makes; None: comparisons module missing
    failed_claims: tuple[str, ...]
    length: int  # visible characters of the main message
    outside: float | None  # walk-in with a city: share of spend outside it
    latency_ms: float

    @property
    def share_ok(self) -> bool | None:
        if self.share is None:
            return None
        return self.share >= _EXACT or (self.near_tie and self.share >= NEAR_TIE_SHARE)

    @property
    def comparisons_ok(self) -> bool | None:
        return None if self.claims is None else not self.failed_claims

    @property
    def length_ok(self) -> bool:
        return self.length <= MAX_CHARS


def comparisons_module() -> ModuleType | None:
    """`bot.advisor.comparisons` once it exists (it is written in parallel), else None."""
    try:
        return importlib.import_module("bot.advisor.comparisons")
    except ModuleNotFoundError as exc:
        if exc.name != "bot.advisor.comparisons":
            raise
        return None


def outcome_share(rec: Recommendation) -> float | None:
    """The chosen portfolio's value over the best feasible one's; None when all are 0."""
    chosen = rec.portfolio()
    values = [p.totals.value for p in rec.portfolios.values() if p.feasible]
    if chosen is None or not values or max(values) <= 0:
        return None
    return chosen.totals.value / max(values)


def goal_figure_share(rec: Recommendation) -> float | None:
    """Like outcome_share on the goal's plain total: reach, engagements or conversions.

    Not a goal of its own (the value also weighs fit and quality), but it shows what a
    choice gives up while `Totals.value` is not filled in.
    """
    chosen = rec.portfolio()
    metric = _GOAL_FIGURE[rec.brief.goal]
    figures = [metric(p.totals) for p in rec.portfolios.values() if p.feasible]
    if chosen is None or not figures or max(figures) <= 0:
        return None
    return metric(chosen.totals) / max(figures)


def outside_share(rec: Recommendation) -> float | None:
    """Share of a walk-in brief's spend on accounts whose city is not the target's."""
    brief, chosen = rec.brief, rec.portfolio()
    if brief.business is not BusinessKind.WALK_IN or not brief.location.cities:
        return None
    if chosen is None or chosen.totals.cost <= 0:
        return None
    away = sum(
        p.candidate.price_idr for p in chosen.picks if p.candidate.city not in brief.location.cities
    )
    return away / chosen.totals.cost


def check_claims(rec: Recommendation) -> tuple[int | None, tuple[str, ...]]:
    """How many comparisons the text makes and those that do not hold (an error fails one)."""
    module = comparisons_module()
    if module is None:
        return None, ()
    try:
        claims = list(module.claims_of(rec))
    except Exception as exc:  # a benchmark row, not a crash: the table shows what broke
        return 1, (f"claims_of raised {exc!r}"[:160],)
    failed: list[str] = []
    for claim in claims:
        try:
            ok = bool(module.holds(claim, rec))
        except Exception as exc:
            ok, claim = False, f"{claim!r} raised {exc!r}"
        if not ok:
            failed.append(repr(claim)[:160])
    return len(claims), tuple(failed)


def evaluate(session: Session, case: Case) -> tuple[Result, str]:
    """Advise on the brief as the bot does; the result and the main message's plain text."""
    brief = case.brief()
    started = time.perf_counter()
    advice = advise(session, brief)
    latency = (time.perf_counter() - started) * 1000
    rec = advice.recommendation
    chosen = rec.portfolio()
    if chosen is None:
        html = nothing_fits_text(advice)
    else:
        html = main_view(0, rec, sample_data=advice.sample_data, saved=False).text
    text = to_plain(html)
    claims, failed = check_claims(rec) if chosen is not None else (None, ())
    result = Result(
        case=case,
        strategy=rec.chosen.value if rec.chosen else None,
        near_tie=getattr(rec, "choice_reason", "best") == "near_tie",
        budget_used=chosen.totals.cost / brief.budget if chosen and brief.budget else None,
        says_useful_budget=getattr(rec, "useful_budget", None) is not None,
        share=outcome_share(rec),
        raw_share=goal_figure_share(rec),
        claims=claims,
        failed_claims=failed,
        length=len(text),
        outside=outside_share(rec),
        latency_ms=latency,
    )
    return result, text


# ------------------------------------------------------------------------- printing


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def _verdict(ok: bool | None, text: str) -> str:
    return text if ok is None else (text if ok else f"{text}!")


def table_header() -> str:
    return (
        f"{'#':>3} {'store':<7} {'brief':<40} {'strategy':<14} {'used':>5} "
        f"{'share':>7} {'raw':>5} {'compare':>8} {'chars':>6} {'outside':>7} {'ms':>6}"
    )


def table_row(number: int, r: Result) -> str:
    strategy = (r.strategy or "none") + (" (near tie)" if r.near_tie else "")
    share = "n/a" if r.share is None else f"{r.share * 100:.1f}%"
    agreeing = None if r.claims is None else r.claims - len(r.failed_claims)
    compare = "n/a" if r.claims is None else f"{agreeing}/{r.claims}"
    return (
        f"{number:>3} {r.case.store:<7} {r.case.label[:40]:<40} {strategy:<14} "
        f"{_pct(r.budget_used) + ('*' if r.says_useful_budget else ''):>5} {_verdict(r.share_ok, share):>7} {_pct(r.raw_share):>5} "
        f"{_verdict(r.comparisons_ok, compare):>8} {_verdict(r.length_ok, str(r.length)):>6} "
        f"{'' if r.outside is None else _pct(r.outside):>7} {r.latency_ms:>6.1f}"
    )


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _goal_line(name: str, verdicts: list[bool | None]) -> str:
    known = [v for v in verdicts if v is not None]
    unknown = len(verdicts) - len(known)
    line = f"{name}: {sum(known)}/{len(verdicts)}"
    return line + (f" ({unknown} n/a)" if unknown else "")


def _raw_line(advised: Sequence[Result]) -> str:
    raw = [r.raw_share for r in advised if r.raw_share is not None]
    if not raw:
        return "goal figure share: n/a"
    full = sum(share >= 0.99 for share in raw)
    return (
        f"goal figure (reach / engagements / sales) share: {full}/{len(raw)} at >= 99%, "
        f"minimum {min(raw) * 100:.0f}%"
    )


def _budget_line(advised: Sequence[Result]) -> str:
    used = [r for r in advised if r.budget_used is not None]
    if not used:
        return "budget used: n/a"
    low = [r for r in used if r.budget_used is not None and r.budget_used < 0.5]
    median = statistics.median(r.budget_used or 0.0 for r in used)
    return (
        f"budget used: median {median * 100:.0f}%; {len(low)} briefs under half, "
        f"{sum(r.says_useful_budget for r in low)} of them naming the amount that buys "
        f"the best outcome (*)"
    )


def summary(results: Sequence[Result]) -> list[str]:
    """The closing lines: briefs meeting each goal, extremes, latency."""
    advised = [r for r in results if r.strategy is not None]
    shares = [r.share for r in advised if r.share is not None]
    outside = [r.outside for r in results if r.outside is not None]
    latencies = [r.latency_ms for r in results]
    lines = [
        f"briefs: {len(results)} ({len(advised)} with a recommendation, "
        f"{len(results) - len(advised)} where nothing fits the budget)",
        _goal_line("outcome share = 100% (>= 90% on a near tie)", [r.share_ok for r in advised]),
        _goal_line("every comparison agrees", [r.comparisons_ok for r in advised]),
        _goal_line(f"main message <= {MAX_CHARS:,} characters", [r.length_ok for r in results]),
        "minimum outcome share: " + (f"{min(shares) * 100:.1f}%" if shares else "n/a"),
        _raw_line(advised),
        _budget_line(advised),
        f"maximum main message length: {max(r.length for r in results)} characters",
    ]
    if outside:
        lines.append(
            f"walk-in briefs with a city ({len(outside)}): spend outside the city "
            f"mean {statistics.mean(outside) * 100:.0f}%, max {max(outside) * 100:.0f}%"
        )
    lines.append(
        f"recommendation latency (advise): p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p95 {percentile(latencies, 0.95):.1f} ms"
    )
    return lines
