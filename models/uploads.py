"""What a chat sent that waits for the owner to pick a campaign: a performance CSV or line.

Kept in its own table rather than in the conversation row, which every update reads and locks.
One item per chat and kind: a newer upload replaces the older one (and its buttons go stale).
Items go once used, after a day (housekeeping) and with /hapusdata.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import LargeBinary, UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col

from models.base import BigInt, UTCDateTime, rows_affected, utcnow


class PendingKind(StrEnum):
    CSV = "csv"
    LINE = "line"


class PendingUpload(SQLModel, table=True):
    """`payload` is the file's bytes for a CSV, the UTF-8 text for a line."""

    __tablename__ = "pending_upload"
    __table_args__ = (
        UniqueConstraint("chat_id", "kind", name="uq_pending_upload_chat_kind"),
        # Ids are never reused (SQLite would), so a replaced item's buttons cannot reach its successor.
        {"sqlite_autoincrement": True},
    )

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    chat_id: int = Field(sa_type=BigInt)
    user_id: int = Field(sa_type=BigInt, index=True)
    kind: str = Field(max_length=8)
    payload: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


def park(
    session: Session, *, chat_id: int, user_id: int, kind: PendingKind, payload: bytes
) -> PendingUpload:
    """Store an item under a fresh id, replacing the chat's previous one of the same kind."""
    for attempt in range(2):
        try:
            with session.begin_nested():
                session.execute(
                    delete(PendingUpload).where(
                        col(PendingUpload.chat_id) == chat_id,
                        col(PendingUpload.kind) == kind.value,
                    )
                )
                item = PendingUpload(
                    chat_id=chat_id, user_id=user_id, kind=kind.value, payload=payload
                )
                session.add(item)
                session.flush()
            return item
        except IntegrityError:  # another process parked one for this chat at the same moment
            if attempt:
                raise
    raise AssertionError("unreachable")


def find(session: Session, *, item_id: int, kind: PendingKind) -> PendingUpload | None:
    """The item of this kind with this id, locked for this transaction; None when it is gone."""
    item = session.get(PendingUpload, item_id, with_for_update=True)
    return item if item is not None and item.kind == kind.value else None


def delete_pending_before(session: Session, *, before: datetime) -> int:
    statement = delete(PendingUpload).where(col(PendingUpload.created_at) < before)
    return rows_affected(session.execute(statement))


def delete_pending_of(session: Session, *, user_id: int, chat_id: int) -> None:
    session.execute(
        delete(PendingUpload).where(
            (col(PendingUpload.user_id) == user_id) | (col(PendingUpload.chat_id) == chat_id)
        )
    )
