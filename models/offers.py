"""Offers: a campaign member invited by a single-use deep link, and the influencer's answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from models.base import BigInt, UTCDateTime, utcnow

OFFER_INVITED = "invited"
OFFER_ACCEPTED = "accepted"
OFFER_DECLINED = "declined"
OFFER_COUNTERED = "countered"
OFFER_REVOKED = "revoked"


class Offer(SQLModel, table=True):
    """One member's invitation; only the token's SHA-256 is kept, never the token itself.

    The first Telegram account that opens the link is bound to it (`influencer_user_id`), so
    the link is single use: anyone else who opens it later is refused. A revoked offer stays
    as a record until the owner invites again, which replaces it with a new token.
    """

    __tablename__ = "offer"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    member_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("campaign_member.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        )
    )
    token_hash: str = Field(max_length=64, unique=True)
    status: str = Field(default=OFFER_INVITED, max_length=10)
    counter_fee_idr: int | None = Field(default=None, sa_type=BigInt)
    influencer_user_id: int | None = Field(default=None, sa_type=BigInt, index=True)
    influencer_chat_id: int | None = Field(default=None, sa_type=BigInt)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OfferProof(SQLModel, table=True):
    """A screenshot an influencer sent as proof of their figures (Telegram's file id only)."""

    __tablename__ = "offer_proof"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    offer_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("offer.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    file_id: str = Field(max_length=200)
    caption: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
