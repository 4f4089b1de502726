"""Scheduled summaries: claim what is due exactly once, build the message, record it as sent.

The job queue only wakes this up; schedules and runs live in the database, so a restart or
a second process neither loses nor repeats a period (unique key: campaign + period).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.campaigns.actions import Action as CampaignAction
from bot.campaigns.actions import make as campaign_buttons
from bot.chat.replies import Button
from bot.chat.texts import render
from bot.influencers.figures import reported_members
from bot.reports.estimate import Expected, expected_result
from bot.reports.kpi.report import Report
from bot.reports.report import (
    ChartJob,
    campaign_data,
    campaign_report,
    chart_job,
    draw_chart,
    log_report,
    previous_report,
    visible_changes,
)
from bot.summaries import schedules
from bot.summaries.periods import Frequency, fire_time, previous_key
from bot.summaries.sweep_decision import decide
from models.agencies import Client
from models.campaigns import Campaign, SummaryRun, SummarySchedule
from models.users import UserAccount

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=10)  # a "sending" claim this old was cut short by a crash
CAPTION_LIMIT = 1024


@dataclass(frozen=True)
class Claim:
    run_id: int
    campaign_id: int
    chat_id: int
    period_key: str
    late: bool
    covers_from: datetime | None
    copy_chat_id: int | None = None  # a staff member who asked for a copy


@dataclass(frozen=True)
class SummaryMessage:
    text: str
    chart_png: bytes
    buttons: tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class SummaryDraft:
    """A summary before its chart is drawn: the database part is done, the CPU part is not."""

    text: str
    chart: ChartJob
    buttons: tuple[tuple[Button, ...], ...]

    def with_chart(self, png: bytes) -> SummaryMessage:
        return SummaryMessage(text=self.text, chart_png=png, buttons=self.buttons)


def claim_due(session: Session, *, now: datetime) -> list[Claim]:
    """Record skipped periods and claim due ones as `sending`; each schedule in a savepoint.

    With several processes on PostgreSQL, each locks the schedules it works on and skips
    those another process holds (SKIP LOCKED), so they split the work instead of queueing
    on each other; the unique (campaign, period) key is the final guard on every database.
    """
    claims: list[Claim] = []
    rows = session.exec(
        select(SummarySchedule, Campaign)
        .join(Campaign, col(Campaign.id) == SummarySchedule.campaign_id)
        .where(SummarySchedule.active, Campaign.status == "active")
        .order_by(col(SummarySchedule.id))
        .with_for_update(of=SummarySchedule, skip_locked=True)
    ).all()
    for schedule, campaign in rows:
        try:
            with session.begin_nested():
                claim = _claim_one(session, schedule, campaign, now)
        except IntegrityError:
            log.info("campaign %s: period already claimed elsewhere", campaign.id)
            continue
        if claim is not None:
            claims.append(claim)
    claims += _reclaim_stale(session, now=now)
    return claims


def _claim_one(
    session: Session, schedule: SummarySchedule, campaign: Campaign, now: datetime
) -> Claim | None:
    try:
        spec = schedules.spec_of(schedule)
    except ValueError:
        log.error("campaign %s has an unusable schedule row %s", campaign.id, schedule.id)
        return None
    prefix = spec.frequency.value[0].upper()  # keys of another frequency do not order against these
    newest = session.exec(
        select(SummaryRun)
        .where(SummaryRun.campaign_id == campaign.id, col(SummaryRun.period_key).startswith(prefix))
        .order_by(col(SummaryRun.fire_at).desc())
    ).first()
    last_sent = session.exec(
        select(SummaryRun)
        .where(
            SummaryRun.campaign_id == campaign.id,
            col(SummaryRun.status).in_(("sent", "sending")),
        )
        .order_by(col(SummaryRun.fire_at).desc())
    ).first()
    decision = decide(
        spec,
        now,
        last_key=newest.period_key if newest else None,
        last_fire=last_sent.fire_at if last_sent else None,
        since=schedule.updated_at,  # an edit or a restart of the schedule owes nothing before it
    )
    for key in decision.skipped:
        session.add(
            SummaryRun(
                campaign_id=campaign.id,
                period_key=key,
                status="skipped",
                fire_at=fire_time(spec, key),
                claimed_at=now,
            )
        )
    if decision.send is None:
        session.flush()
        return None
    run = SummaryRun(
        campaign_id=campaign.id,
        period_key=decision.send,
        status="sending",
        late=decision.late,
        fire_at=fire_time(spec, decision.send),
        covers_from=decision.covers_from,
        claimed_at=now,
    )
    session.add(run)
    session.flush()
    copy = (
        schedule.copy_to_user_id
        if schedule.copy_to_user_id != recipient(session, campaign)
        else None
    )
    return Claim(
        run.id,
        campaign.id,
        recipient(session, campaign),
        run.period_key,
        run.late,
        run.covers_from,
        copy,
    )


def _reclaim_stale(session: Session, *, now: datetime) -> list[Claim]:
    stale = session.exec(
        select(SummaryRun, Campaign)
        .join(Campaign, col(Campaign.id) == SummaryRun.campaign_id)
        .where(SummaryRun.status == "sending", SummaryRun.claimed_at < now - STALE_CLAIM)
        .order_by(col(SummaryRun.id))
        .with_for_update(of=SummaryRun, skip_locked=True)
    ).all()
    claims = []
    for run, campaign in stale:
        run.claimed_at = now
        session.add(run)
        claims.append(
            Claim(
                run.id,
                campaign.id,
                recipient(session, campaign),
                run.period_key,
                run.late,
                run.covers_from,
            )
        )
    return claims


def recipient(session: Session, campaign: Campaign) -> int:
    """The client's chat for a campaign an agency runs for a joined client; else the owner's."""
    if campaign.client_id is not None:
        client = session.get(Client, campaign.client_id)
        if client is not None and client.chat_id is not None:
            return client.chat_id
    return campaign.owner_user_id


def mark_sent(session: Session, *, run_id: int, now: datetime) -> None:
    run = session.get(SummaryRun, run_id)
    if run is not None:
        run.status = "sent"
        run.sent_at = now
        session.add(run)


def mark_failed(session: Session, *, run_id: int) -> None:
    run = session.get(SummaryRun, run_id)
    if run is not None:
        run.status = "failed"
        session.add(run)


def build_summary(
    session: Session, claim: Claim, *, now: datetime, default_timezone: str
) -> SummaryMessage:
    """The summary of one claimed period with its chart drawn here, in this thread."""
    draft = draft_summary(session, claim, now=now, default_timezone=default_timezone)
    return draft.with_chart(draw_chart(draft.chart))


def draft_summary(
    session: Session, claim: Claim, *, now: datetime, default_timezone: str
) -> SummaryDraft:
    """The summary of one claimed period, in the owner's zone (else `default_timezone`)."""
    campaign = session.get(Campaign, claim.campaign_id)
    assert campaign is not None
    user = session.get(UserAccount, campaign.owner_user_id)
    timezone = user.timezone if user is not None and user.timezone else default_timezone
    data = campaign_data(session, campaign)
    report: Report = campaign_report(session, campaign, at=now, data=data)
    previous = previous_report(session, campaign_id=campaign.id)
    period = summary_period(session, campaign, claim, now=now, timezone=timezone)
    text = render_summary_text(
        report,
        campaign,
        previous=previous,
        timezone=timezone,
        claim=claim,
        period=period,
        expected=expected_result(session, campaign, report),
        reported=reported_members(session, member_ids=list(report.members)),
    )
    chart = chart_job(session, campaign, report, timezone=timezone, until=now, data=data)
    log_report(session, campaign_id=campaign.id, report=report)
    buttons = (
        (
            Button("📊 Laporan lengkap", campaign_buttons(CampaignAction.REPORT, campaign.id)),
            Button("⏹ Hentikan jadwal", schedules.make(schedules.Action.STOP, campaign.id)),
        ),
    )
    return SummaryDraft(text=text, chart=chart, buttons=buttons)


@dataclass(frozen=True)
class Period:
    """The owner's calendar days a summary covers, for its title."""

    start: date
    end: date
    frequency: Frequency | None


def summary_period(
    session: Session, campaign: Campaign, claim: Claim, *, now: datetime, timezone: str
) -> Period:
    """From the previous summary's due time (or the late run's start) to yesterday.

    Never before the campaign's start: a campaign started on 7 Des whose weekly summary
    goes out on 9 Des covers 7-8 Des, not the week before it existed.
    """
    zone = ZoneInfo(timezone)
    end = now.astimezone(zone).date() - timedelta(days=1)
    frequency: Frequency | None = None
    start: date | None = None
    schedule = schedules.schedule_of(session, campaign_id=campaign.id)
    if schedule is not None:
        try:
            spec = schedules.spec_of(schedule)
            frequency = spec.frequency
            start = fire_time(spec, previous_key(spec, claim.period_key)).astimezone(zone).date()
        except ValueError:
            log.warning("campaign %s: no period for summary %s", campaign.id, claim.period_key)
    if claim.late and claim.covers_from is not None:
        start = claim.covers_from.astimezone(zone).date()
    start = max(start or campaign.start_date, campaign.start_date)
    end = max(end, start)
    return Period(start=start, end=end, frequency=frequency)


def render_summary_text(
    report: Report,
    campaign: Campaign,
    *,
    previous,
    timezone: str,
    claim: Claim,
    period: Period,
    expected: Expected | None = None,
    reported: dict[int, str] | None = None,
) -> str:
    """`reported` marks members whose figures the influencer sent (see `reported_members`)."""
    change_list = visible_changes(report, previous, limit=3)
    by_influencer = [
        report.members[mid].handle for mid in (reported or {}) if mid in report.members
    ]
    return render(
        "summary",
        campaign=campaign,
        report=report,
        previous_at=previous[0] if previous else None,
        change_list=change_list,
        best=report.members.get(report.best) if report.best is not None else None,
        worst=report.members.get(report.worst) if report.worst is not None else None,
        timezone=timezone,
        late=claim.late,
        covers_from=claim.covers_from,
        period=period,
        expected=expected,
        by_influencer=sorted(by_influencer),
    )
