"""Campaigns, their influencers, performance snapshots, summary schedules and what was sent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import BigInt, UTCDateTime, utcnow

MEMBER_FROM_STORE = "store"
MEMBER_OWN = "own"


def _parent(table: str, *, index: bool = True) -> Any:
    return Field(
        sa_column=Column(
            Integer, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False, index=index
        )
    )


class Campaign(SQLModel, table=True):
    """One owner's campaign; its id is the number the bot and the command line show."""

    __tablename__ = "campaign"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    owner_user_id: int = Field(sa_type=BigInt, index=True)
    name: str = Field(max_length=120)
    budget_idr: int = Field(sa_type=BigInt)
    start_date: date
    end_date: date
    goal: str | None = Field(default=None, max_length=20)
    status: str = Field(default="active", max_length=10)  # active | ended
    #: what the influencers should know (key message, do's and don'ts); shown in every offer
    brief: str = Field(default="", max_length=1000)
    recommendation_id: int | None = None
    # Set when an agency runs the campaign for one of its clients (access goes by these).
    agency_id: int | None = Field(default=None, index=True)
    client_id: int | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CampaignMember(SQLModel, table=True):
    """An influencer on a campaign, with the agreed fee; store details are copied when added.

    An owner's own account (`source` "own") has no store row and maybe no follower count.
    """

    __tablename__ = "campaign_member"
    __table_args__ = (
        UniqueConstraint("campaign_id", "platform", "handle", name="uq_campaign_member"),
    )

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    campaign_id: int = _parent("campaign")
    influencer_id: int | None = None  # the store row it came from, when it did
    platform: str = Field(max_length=20)
    handle: str = Field(max_length=64)
    name: str = Field(max_length=200)
    followers: int | None = Field(default=None, sa_type=BigInt)  # None: the owner did not say
    fee_idr: int = Field(sa_type=BigInt)
    #: "store" (copied from the influencer store) or "own" (the owner's own account, not ours)
    source: str = Field(default=MEMBER_FROM_STORE, max_length=10)
    content_type: str = Field(default="feed", max_length=20)
    post_url: str | None = Field(default=None, max_length=500)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PerformanceSnapshot(SQLModel, table=True):
    """A post's running totals at one moment; the newest per post counts, history stays."""

    __tablename__ = "performance_snapshot"
    __table_args__ = (Index("ix_performance_member_time", "member_id", "recorded_at"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    member_id: int = _parent("campaign_member", index=False)
    post_key: str = Field(default="", max_length=500)  # the post URL, or "" for the member's post
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    impressions: int | None = Field(default=None, sa_type=BigInt)
    reach: int | None = Field(default=None, sa_type=BigInt)
    likes: int | None = Field(default=None, sa_type=BigInt)
    comments: int | None = Field(default=None, sa_type=BigInt)
    shares: int | None = Field(default=None, sa_type=BigInt)
    saves: int | None = Field(default=None, sa_type=BigInt)
    clicks: int | None = Field(default=None, sa_type=BigInt)
    conversions: int | None = Field(default=None, sa_type=BigInt)
    revenue_idr: int | None = Field(default=None, sa_type=BigInt)
    source: str = Field(default="chat", max_length=20)  # chat | guided | csv | cli | influencer
    #: the influencer who sent these figures from their own chat (source "influencer")
    reported_by_user_id: int | None = Field(default=None, sa_type=BigInt, index=True)
    entry_id: str = Field(max_length=36, index=True)  # one capture (a line, a file) for undo
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SummarySchedule(SQLModel, table=True):
    """When a campaign's summary is due; the sweeper reads these, the job queue only wakes it."""

    __tablename__ = "summary_schedule"
    __table_args__ = (UniqueConstraint("campaign_id", name="uq_summary_schedule_campaign"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    campaign_id: int = _parent("campaign", index=False)
    frequency: str = Field(max_length=10)  # daily | weekly | monthly
    at_time: str = Field(max_length=5)  # HH:MM, local
    timezone: str = Field(default="Asia/Jakarta", max_length=64)
    weekday: int | None = None  # 0 = Monday
    day_of_month: int | None = None
    copy_to_user_id: int | None = Field(default=None, sa_type=BigInt)  # staff who want a copy
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SummaryRun(SQLModel, table=True):
    """Each (campaign, period) once: claimed as sending, then sent, or recorded as skipped."""

    __tablename__ = "summary_run"
    __table_args__ = (UniqueConstraint("campaign_id", "period_key", name="uq_summary_run_period"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    campaign_id: int = _parent("campaign", index=False)
    period_key: str = Field(max_length=16)
    status: str = Field(max_length=10)  # sending | sent | skipped | failed
    late: bool = False
    fire_at: datetime = Field(sa_type=UTCDateTime)
    covers_from: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReportLog(SQLModel, table=True):
    """Reports as shown, so the next one can say what changed since."""

    __tablename__ = "report_log"
    __table_args__ = (Index("ix_report_log_campaign_time", "campaign_id", "created_at"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    campaign_id: int = _parent("campaign", index=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    report: dict[str, Any] = Field(sa_type=JSON)
