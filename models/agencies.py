"""Agencies: staff, clients, invite links, broadcasts and the outbox that delivers them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import BigInt, UTCDateTime, utcnow


def _parent(table: str, *, nullable: bool = False, index: bool = True):
    return Field(
        default=None if nullable else ...,
        sa_column=Column(
            Integer, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=nullable, index=index
        ),
    )


class Agency(SQLModel, table=True):
    __tablename__ = "agency"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    name: str = Field(max_length=120)
    owner_user_id: int = Field(sa_type=BigInt, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AgencyStaff(SQLModel, table=True):
    """Who works for an agency: the owner and staff. Removing someone ends access at once."""

    __tablename__ = "agency_staff"
    __table_args__ = (UniqueConstraint("agency_id", "user_id", name="uq_agency_staff"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    agency_id: int = _parent("agency")
    user_id: int = Field(sa_type=BigInt, index=True)
    role: str = Field(max_length=10)  # owner | staff
    first_name: str = Field(default="", max_length=200)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Client(SQLModel, table=True):
    """A business an agency works for; linked to a Telegram chat once it joins by link."""

    __tablename__ = "client"
    __table_args__ = (Index("ix_client_user", "user_id"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    agency_id: int = _parent("agency")
    business_name: str = Field(max_length=120)
    user_id: int | None = Field(default=None, sa_type=BigInt)
    chat_id: int | None = Field(default=None, sa_type=BigInt)
    muted: bool = False
    joined_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InviteLink(SQLModel, table=True):
    """A deep-link code (t.me/<bot>?start=<code>) for staff or for one client."""

    __tablename__ = "invite_link"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    code: str = Field(max_length=40, unique=True)
    agency_id: int = _parent("agency")
    kind: str = Field(max_length=10)  # staff | client
    client_id: int | None = _parent("client", nullable=True, index=False)
    single_use: bool = True
    created_by: int = Field(sa_type=BigInt)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by: int | None = Field(default=None, sa_type=BigInt)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Broadcast(SQLModel, table=True):
    """One update composed by staff for many client chats; delivered through the outbox."""

    __tablename__ = "broadcast"

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    agency_id: int = _parent("agency")
    created_by: int = Field(sa_type=BigInt)
    text: str = Field(max_length=4096)
    photo_file_id: str | None = Field(default=None, max_length=200)
    audience: str = Field(max_length=40)  # all | campaign:<id>
    status: str = Field(default="draft", max_length=12)  # draft | queued | done | cancelled
    progress_chat_id: int | None = Field(default=None, sa_type=BigInt)
    progress_message_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OutboxMessage(SQLModel, table=True):
    """One (broadcast, chat) delivery; the unique key makes a second copy impossible to queue."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "chat_id", name="uq_outbox_broadcast_chat"),
        Index("ix_outbox_status", "status", "id"),
    )

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    broadcast_id: int = _parent("broadcast", index=False)
    chat_id: int = Field(sa_type=BigInt)
    status: str = Field(
        default="pending", max_length=10
    )  # pending | sending | sent | failed | blocked
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=200)
    not_before: datetime | None = Field(
        default=None, sa_type=UTCDateTime
    )  # after a 429 retry_after
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class BlockedChat(SQLModel, table=True):
    """Chats that answered 403: skipped by every later broadcast."""

    __tablename__ = "blocked_chat"

    chat_id: int = Field(sa_type=BigInt, primary_key=True)
    blocked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Lease(SQLModel, table=True):
    """A named lease so only one process at a time runs, e.g., the outbox sender."""

    __tablename__ = "lease"

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=80)
    expires_at: datetime = Field(sa_type=UTCDateTime)
