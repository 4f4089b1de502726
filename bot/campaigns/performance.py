"""Recorded figures: store a capture all or nothing (checked against what the post reported
before), undo it by its entry id, and read a campaign's snapshots for reports."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.campaigns.access import CampaignError, can_manage
from bot.reports.kpi.figures import (
    FIGURE_FIELDS,
    Figures,
    Snapshot,
    latest_per_post,
    validate_figures,
)
from models.base import utcnow
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot


@dataclass(frozen=True)
class SnapshotInput:
    member: CampaignMember
    figures: Figures
    recorded_at: datetime
    post_key: str = ""


def check_snapshot(item: SnapshotInput) -> list[str]:
    """Machine codes of what is wrong with one snapshot (empty when it may be stored)."""
    problems = []
    if item.figures.is_empty():
        problems.append("no_figures")
    problems += validate_figures(item.figures, followers=item.member.followers)
    if item.recorded_at > utcnow() + timedelta(minutes=5):
        problems.append("in_future")
    return problems


def record_snapshots(
    session: Session,
    items: Sequence[SnapshotInput],
    *,
    source: str,
    reported_by: int | None = None,
) -> str:
    """Store all or none; returns the entry id that undoes exactly these rows.

    `reported_by` is the influencer's user id when they sent the figures from their own chat.

    Each snapshot is also checked merged with what the post already reported, so "like
    12000" after "views 10000" is caught even though each line alone looks fine.
    """
    known: dict[int, dict[tuple[int, str], Figures]] = {}
    for item in items:
        problems = check_snapshot(item)
        if not problems:
            campaign_id = item.member.campaign_id
            if campaign_id not in known:
                known[campaign_id] = latest_per_post(snapshots_of(session, campaign_id=campaign_id))
            before = known[campaign_id].get((item.member.id, item.post_key), Figures())
            problems = validate_figures(
                before.merged(item.figures), followers=item.member.followers
            )
        if problems:
            raise CampaignError("bad_figures", handle=item.member.handle, problems=problems)
    entry_id = uuid.uuid4().hex
    for item in items:
        values = {name: getattr(item.figures, name) for name in FIGURE_FIELDS}
        session.add(
            PerformanceSnapshot(
                member_id=item.member.id,
                post_key=item.post_key,
                recorded_at=item.recorded_at,
                source=source,
                reported_by_user_id=reported_by,
                entry_id=entry_id,
                **values,
            )
        )
    session.flush()
    return entry_id


def undo_entry(session: Session, *, owner_id: int, entry_id: str) -> int:
    """Remove one capture's rows, only from the owner's own campaigns."""
    rows = session.exec(
        select(PerformanceSnapshot, Campaign)
        .join(CampaignMember, col(CampaignMember.id) == PerformanceSnapshot.member_id)
        .join(Campaign, col(Campaign.id) == CampaignMember.campaign_id)
        .where(PerformanceSnapshot.entry_id == entry_id)
    ).all()
    removed = 0
    for snap, campaign in rows:
        if not can_manage(session, campaign, user_id=owner_id):
            raise CampaignError("entry_not_found")
        session.delete(snap)
        removed += 1
    return removed


def snapshots_of(session: Session, *, campaign_id: int) -> list[Snapshot]:
    """Plain columns, not ORM objects: a summary reads hundreds of these per campaign."""
    table = PerformanceSnapshot.__table__  # type: ignore[attr-defined]
    query = (
        sa_select(
            table.c.member_id,
            table.c.post_key,
            table.c.recorded_at,
            *(table.c[name] for name in FIGURE_FIELDS),
        )
        .join(CampaignMember, col(CampaignMember.id) == table.c.member_id)
        .where(col(CampaignMember.campaign_id) == campaign_id)
        .order_by(table.c.recorded_at, table.c.id)
    )
    return [
        Snapshot(
            member_id=row[0],
            post_key=row[1],
            recorded_at=row[2],
            figures=Figures(**dict(zip(FIGURE_FIELDS, row[3:], strict=True))),
        )
        for row in session.execute(query)
    ]
