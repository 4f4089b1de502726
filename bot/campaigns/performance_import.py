"""Performance CSV (PRODUCT.md contract): validate every row, then record all or nothing.

Shared by documents sent in the chat and `python -m bot import-performance`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.campaigns.access import CampaignError
from bot.campaigns.members import members_of
from bot.campaigns.performance import SnapshotInput, check_snapshot, record_snapshots
from bot.language.money import parse_amount
from bot.language.post_urls import post_key_of
from bot.reports.kpi.figures import FIGURE_FIELDS, Figures
from bot.store.importer import RowError, parse_count, read_table
from models.campaigns import Campaign, CampaignMember

COLUMNS = ("handle", "platform", "post_url", "recorded_at", *FIGURE_FIELDS)
REQUIRED = ("handle", "recorded_at")


@dataclass
class ParsedPerformance:
    items: list[SnapshotInput] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_recorded_at(raw: str, timezone: str) -> datetime | None:
    """ISO date or date-time; no offset means the owner's zone; a bare date means its end of day."""
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            moment = datetime.combine(day, time(23, 59))
        else:
            moment = datetime.fromisoformat(raw.replace(" ", "T", 1))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.astimezone(ZoneInfo("UTC"))


def parse_performance_csv(
    session: Session, campaign: Campaign, data: bytes, *, timezone: str
) -> ParsedPerformance:
    table, errors = read_table(data, REQUIRED)
    result = ParsedPerformance(errors=list(errors))
    members = members_of(session, campaign_id=campaign.id)
    for line, cells in table:
        reasons: list[str] = []
        problems: list[tuple[str, str]] = []
        member = _member(
            members, cells.get("handle", ""), cells.get("platform", ""), reasons, problems
        )
        raw_time = cells.get("recorded_at", "")
        recorded_at = parse_recorded_at(raw_time, timezone)
        if recorded_at is None:
            reasons.append(f"recorded_at {raw_time!r} is not an ISO date or date-time")
            problems.append(("bad_time", raw_time))
        values: dict[str, int | None] = {}
        for name in FIGURE_FIELDS:
            raw = cells.get(name, "")
            if not raw:
                values[name] = None
                continue
            value = parse_amount(raw) if name == "revenue_idr" else parse_count(raw)
            if value is None and raw.strip() in {"0", "Rp0", "Rp 0"}:
                value = 0
            if value is None:
                reasons.append(f"{name} {raw!r} is not a number")
                problems.append(("bad_number", f"{name} {raw}"))
            values[name] = value
        if member is not None and recorded_at is not None and not reasons:
            item = SnapshotInput(
                member, Figures(**values), recorded_at, post_key_of(cells.get("post_url") or None)
            )
            impossible = check_snapshot(item)
            if impossible:
                reasons.append("impossible figures: " + ", ".join(impossible))
                # the account goes with the code so the reply can name both
                problems += [("impossible", f"{code} @{member.handle}") for code in impossible]
            else:
                result.items.append(item)
        if reasons:
            result.errors.append(RowError(line, "; ".join(reasons), tuple(problems)))
    if not table and not result.errors:
        result.errors.append(RowError(0, "the file has a header but no rows", (("no_rows", ""),)))
    return result


def _member(
    members: list[CampaignMember],
    handle: str,
    platform: str,
    reasons: list[str],
    problems: list[tuple[str, str]],
) -> CampaignMember | None:
    handle = handle.strip().lstrip("@").lower()
    platform = platform.strip().lower()
    matches = [
        m for m in members if m.handle == handle and (not platform or m.platform == platform)
    ]
    if not handle:
        reasons.append("handle is empty")
        problems.append(("handle_empty", ""))
    elif not matches:
        reasons.append(f"@{handle} is not an influencer of this campaign")
        problems.append(("not_member", handle))
    elif len(matches) > 1:
        reasons.append(f"@{handle} is on several platforms in this campaign; fill in platform")
        problems.append(("ambiguous", handle))
    else:
        return matches[0]
    return None


def import_performance(
    session: Session, campaign: Campaign, data: bytes, *, timezone: str, source: str
) -> ParsedPerformance:
    """Parse and, when every row is good, record them in the caller's transaction."""
    parsed = parse_performance_csv(session, campaign, data, timezone=timezone)
    if not parsed.errors:
        try:
            record_snapshots(session, parsed.items, source=source)
        except CampaignError as exc:  # checked per row above; kept as a last guard
            codes = exc.params.get("problems")
            problems = (
                tuple(("impossible", str(c)) for c in codes) if isinstance(codes, list) else ()
            )
            parsed.errors.append(RowError(0, f"refused: {exc.code}", problems))
    return parsed
