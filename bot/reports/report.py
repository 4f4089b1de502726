"""Campaign reports: build from snapshots, compare with the previous one, render, export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.campaigns.actions import Action, make
from bot.campaigns.members import as_kpi_member, members_of
from bot.campaigns.performance import snapshots_of
from bot.chat.person import Person
from bot.chat.replies import Button, Document, Outcome, Reply
from bot.chat.texts import render, to_plain
from bot.chat.zones import timezone_of
from bot.domain import Goal
from bot.influencers.figures import reported_members
from bot.reports.charts.data import ChartLabels, ChartPoint
from bot.reports.estimate import Expected, expected_result
from bot.reports.kpi.comparisons import changes
from bot.reports.kpi.figures import Figures, Snapshot
from bot.reports.kpi.rates import Member
from bot.reports.kpi.report import REPORT_JSON, Report, build_report
from bot.reports.spreadsheet import report_csv
from models.base import utcnow
from models.campaigns import Campaign, ReportLog

MAX_POINTS = 60  # chart points: the newest recording moments
MEMBERS_SHOWN = 10  # per-influencer lines in the chat; the CSV has everyone


@dataclass(frozen=True)
class CampaignData:
    """A campaign's members and snapshots, read once for its report and its chart."""

    members: list[Member]
    snapshots: list[Snapshot]


def campaign_data(session: Session, campaign: Campaign) -> CampaignData:
    members = [as_kpi_member(m) for m in members_of(session, campaign_id=campaign.id)]
    return CampaignData(members, snapshots_of(session, campaign_id=campaign.id))


def campaign_report(
    session: Session, campaign: Campaign, *, at: datetime, data: CampaignData | None = None
) -> Report:
    data = data or campaign_data(session, campaign)
    goal = Goal(campaign.goal) if campaign.goal else None
    return build_report(data.members, data.snapshots, at=at, goal=goal)


def previous_report(session: Session, *, campaign_id: int) -> tuple[datetime, Report] | None:
    row = session.exec(
        select(ReportLog)
        .where(ReportLog.campaign_id == campaign_id)
        .order_by(col(ReportLog.created_at).desc())
    ).first()
    return None if row is None else (row.created_at, REPORT_JSON.load(row.report))


def log_report(session: Session, *, campaign_id: int, report: Report) -> None:
    session.add(
        ReportLog(campaign_id=campaign_id, created_at=report.at, report=REPORT_JSON.dump(report))
    )


def visible_changes(
    report: Report, previous: tuple[datetime, Report] | None, limit: int | None = None
) -> list:
    """What moved since the previous report (unknown or unchanged figures are left out)."""
    if previous is None:
        return []
    moved = [
        c for c in changes(report.overall, previous[1].overall).values() if c.delta not in (None, 0)
    ]
    return moved[:limit]


def render_report(
    report: Report,
    campaign: Campaign,
    *,
    previous: tuple[datetime, Report] | None,
    timezone: str,
    late: bool = False,
    covers_from: datetime | None = None,
    expected: Expected | None = None,
    reported: dict[int, str] | None = None,
) -> str:
    """`reported` marks members whose figures the influencer sent ("influencer"), maybe
    corrected by the owner since ("corrected")."""
    change_list = visible_changes(report, previous)
    members = [(m, report.per_member[mid]) for mid, m in report.members.items()]
    return render(
        "report",
        campaign=campaign,
        report=report,
        previous_at=previous[0] if previous else None,
        change_list=change_list,
        members=members,
        best=report.members.get(report.best) if report.best is not None else None,
        worst=report.members.get(report.worst) if report.worst is not None else None,
        timezone=timezone,
        late=late,
        covers_from=covers_from,
        shown=MEMBERS_SHOWN,
        expected=expected,
        reported=reported or {},
    )


def chart_points(
    report_members: Sequence[Member], snapshots: Sequence[Snapshot], *, until: datetime
) -> list[ChartPoint]:
    """Campaign totals after each recording moment (the newest MAX_POINTS).

    One pass in time order: the running totals after a moment are what `latest_per_post`
    gives as of that moment (same order, same field-by-field merge).
    """
    member_ids = {m.id for m in report_members}
    chosen = [s for s in snapshots if s.member_id in member_ids and s.recorded_at <= until]
    ordered = sorted(enumerate(chosen), key=lambda pair: (pair[1].recorded_at, pair[0]))
    moments = sorted({s.recorded_at for s in chosen})
    shown = set(moments[-MAX_POINTS:])
    running: dict[tuple[int, str], Figures] = {}
    points = []
    for i, (_, snap) in enumerate(ordered):
        key = (snap.member_id, snap.post_key)
        running[key] = running.get(key, Figures()).merged(snap.figures)
        last_of_moment = i + 1 == len(ordered) or ordered[i + 1][1].recorded_at != snap.recorded_at
        if last_of_moment and snap.recorded_at in shown:
            points.append(_point(snap.recorded_at, list(running.values())))
    return points


def _point(moment: datetime, totals: list[Figures]) -> ChartPoint:
    reach = [f.reach if f.reach is not None else f.impressions for f in totals]
    known_reach = [v for v in reach if v is not None]
    known_eng = [e for f in totals if (e := f.engagements) is not None]
    return ChartPoint(
        at=moment,
        reach_or_views=float(sum(known_reach)) if known_reach else None,
        engagements=float(sum(known_eng)) if known_eng else None,
    )


def chart_labels(title: str) -> ChartLabels:
    """The chart's words, from the template; plain text, since the chart is an image, not HTML."""
    return ChartLabels(
        **{
            key: to_plain(render("chart_label", key=key, title=title))
            for key in ChartLabels.__dataclass_fields__
        }
    )


@dataclass(frozen=True)
class ChartJob:
    """Everything a summary chart shows, read from the database: drawing it needs no session,
    so it can be drawn in another process (see `bot.summaries.drawing`)."""

    points: tuple[ChartPoint, ...]
    cpe_micro: float | None
    cpe_macro: float | None
    labels: ChartLabels
    timezone: str


def chart_job(
    session: Session,
    campaign: Campaign,
    report: Report,
    *,
    timezone: str,
    until: datetime,
    data: CampaignData | None = None,
) -> ChartJob:
    """The summary chart's data: reach or views and engagements over time, CPE micro vs macro."""
    data = data or campaign_data(session, campaign)
    points = chart_points(data.members, data.snapshots, until=until)
    return ChartJob(
        points=tuple(points),
        cpe_micro=report.per_side["micro"].cpe if "micro" in report.per_side else None,
        cpe_macro=report.per_side["macro"].cpe if "macro" in report.per_side else None,
        labels=chart_labels(campaign.name),
        timezone=timezone,
    )


def draw_chart(job: ChartJob) -> bytes:
    """The chart as PNG bytes: CPU only, safe in any thread or worker process."""
    # Matplotlib costs ~40 MB of memory once imported; most processes never draw a chart.
    from bot.reports.charts.canvas import render_summary_chart

    return render_summary_chart(
        job.points,
        cpe_micro=job.cpe_micro,
        cpe_macro=job.cpe_macro,
        labels=job.labels,
        timezone=job.timezone,
    )


def report_outcome(session: Session, person: Person, campaign: Campaign, *, csv: bool) -> Outcome:
    """/laporan and the report button: the text (logged for the next comparison) or its CSV."""
    timezone = timezone_of(session, person)
    data = campaign_data(session, campaign)
    report = campaign_report(session, campaign, at=utcnow(), data=data)
    reported = reported_members(session, member_ids=list(report.members))
    if csv:
        document = Document(
            filename=f"laporan-kampanye-{campaign.id}.csv",
            content=report_csv(report, reported),
            caption=render("report_caption", campaign=campaign),
        )
        return Outcome(toast=render("toast", kind="csv")).add(Reply(document=document))
    previous = previous_report(session, campaign_id=campaign.id)
    expected = expected_result(session, campaign, report)
    text = render_report(
        report,
        campaign,
        previous=previous,
        timezone=timezone,
        expected=expected,
        reported=reported,
    )
    chart = draw_chart(
        chart_job(session, campaign, report, timezone=timezone, until=report.at, data=data)
    )
    log_report(session, campaign_id=campaign.id, report=report)
    keyboard = (
        (
            Button("📄 Unduh CSV", make(Action.REPORT_CSV, campaign.id)),
            Button("⬅ Kampanye", make(Action.DETAIL, campaign.id)),
        ),
    )
    outcome = Outcome().add(Reply(render("report_chart_caption", campaign=campaign), photo=chart))
    return outcome.add(Reply(text, buttons=keyboard))
