"""The influencer store: one row per (scope, platform, handle), niches in a link table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, PrimaryKeyConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import BigInt, UTCDateTime, utcnow

GLOBAL_SCOPE = "global"
SAMPLE_SOURCE = "sample"


class Influencer(SQLModel, table=True):
    __tablename__ = "influencer"
    __table_args__ = (
        # The upsert key; its leading column also serves look-ups by scope.
        UniqueConstraint("scope", "platform", "handle", name="uq_influencer_scope_platform_handle"),
    )

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    # "global" for the operator's store; later issues add per-agency scopes.
    scope: str = Field(default=GLOBAL_SCOPE, max_length=40)
    platform: str = Field(max_length=20)
    handle: str = Field(max_length=64)
    name: str = Field(max_length=200)
    niches: str = Field(max_length=400)  # canonical niche names joined by "|", primary first
    city: str | None = Field(default=None, max_length=100)
    province: str | None = Field(default=None, max_length=100)
    followers: int = Field(sa_type=BigInt)
    engagement_rate: float | None = None  # percent per follower
    avg_views: int | None = Field(default=None, sa_type=BigInt)
    price_idr: int = Field(sa_type=BigInt)
    audience_quality: int | None = None
    contact: str | None = Field(default=None, max_length=200)
    source: str = Field(default="import", max_length=200)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: when the operator verified a self-listed row (source SELF_SOURCE); None: unverified
    verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: the import that added this row: hidden until it is published (models.store_import)
    staged_by: int | None = None
    #: the published-but-not-yet-folded import that replaces this row (models.store_import)
    superseded_by: int | None = None


class InfluencerNiche(SQLModel, table=True):
    """One row per (influencer, niche): the search table the recommendation reads first.

    It repeats what ranking needs (tier side, price, place and the per-goal value before
    location fit) so a niche's accounts are ranked without touching the wide influencer
    rows; only the shortlisted ids are then read in full.

    The key leads with what a search asks for (niche, platform, scope) and ends with the
    account id, so a niche's rows sit together and an import, whose ids only grow, appends
    at the end of each niche instead of writing all over a covering index. On SQLite the
    table is stored in that key's order (WITHOUT ROWID): one range read per niche. On
    PostgreSQL the key's index carries the ranking columns (INCLUDE), for index-only scans.
    """

    __tablename__ = "influencer_niche"
    __table_args__ = (
        PrimaryKeyConstraint(
            "niche",
            "platform",
            "scope",
            "influencer_id",
            name="influencer_niche_pkey",
            postgresql_include=[
                "side",
                "price_idr",
                "value_awareness",
                "value_engagement",
                "value_sales",
                "city",
                "province",
            ],
        ),
        # an account's entries: deletes, folds, the cascade from influencer
        UniqueConstraint("influencer_id", "niche", name="uq_influencer_niche_account"),
        {"sqlite_with_rowid": False},
    )

    influencer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("influencer.id", ondelete="CASCADE"), nullable=False)
    )
    niche: str = Field(max_length=60)
    platform: str = Field(max_length=20)
    scope: str = Field(default=GLOBAL_SCOPE, max_length=40)
    position: int = 0  # 0 = the influencer's primary niche
    side: str = Field(max_length=5)  # "micro" (nano + micro) or "macro" (macro + mega)
    price_idr: int = Field(sa_type=BigInt)
    city: str | None = Field(default=None, max_length=100)
    province: str | None = Field(default=None, max_length=100)
    value_awareness: float = 0.0
    value_engagement: float = 0.0
    value_sales: float = 0.0
    #: the formula version the values were computed with (see bot.store.ranking)
    ranking_version: int = 1
    #: as Influencer's, so the search scan needs no join to hide staged or replaced rows
    staged_by: int | None = None
    superseded_by: int | None = None


SELF_SOURCE = "self"  # rows an influencer listed with /daftar: self-reported until verified
#: content formats an influencer can price on a rate card
CONTENT_FORMATS = ("feed", "reels", "story", "video")


class RateCard(SQLModel, table=True):
    """One price per content format of an account; `Influencer.price_idr` is the main one."""

    __tablename__ = "rate_card"

    influencer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("influencer.id", ondelete="CASCADE"), primary_key=True)
    )
    format: str = Field(primary_key=True, max_length=10)  # one of CONTENT_FORMATS
    price_idr: int = Field(sa_type=BigInt)


class InfluencerClaim(SQLModel, table=True):
    """The one Telegram account a (platform, handle) belongs to; the operator settles disputes."""

    __tablename__ = "influencer_claim"
    __table_args__ = (
        UniqueConstraint("platform", "handle", name="uq_influencer_claim_platform_handle"),
    )

    id: int = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    handle: str = Field(max_length=64)
    user_id: int = Field(sa_type=BigInt, index=True)
    chat_id: int = Field(sa_type=BigInt)
    influencer_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("influencer.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClaimRequest(SQLModel, table=True):
    """A refused claim of a handle another account holds, kept for the operator to settle."""

    __tablename__ = "claim_request"
    __table_args__ = (
        UniqueConstraint("platform", "handle", "user_id", name="uq_claim_request_account"),
    )

    id: int = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    handle: str = Field(max_length=64)
    user_id: int = Field(sa_type=BigInt, index=True)
    chat_id: int = Field(sa_type=BigInt)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
