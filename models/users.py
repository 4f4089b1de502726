"""People who talk to the bot, and the recommendations they received or saved."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import JSON, CursorResult, Index, delete
from sqlmodel import Field, Session, SQLModel, col, select

from models.base import BigInt, UTCDateTime, utcnow


class UserAccount(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int = Field(sa_type=BigInt, primary_key=True)  # Telegram user id
    first_name: str = Field(default="", max_length=200)
    timezone: str = Field(default="Asia/Jakarta", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SavedRecommendation(SQLModel, table=True):
    """Every recommendation shown is kept so its buttons work later; `saved_at` marks "Simpan"."""

    __tablename__ = "recommendation"
    __table_args__ = (Index("ix_recommendation_user_saved", "user_id", "saved_at"),)

    id: int = Field(default=None, primary_key=True)  # None only until the row is flushed
    user_id: int = Field(sa_type=BigInt)
    chat_id: int = Field(sa_type=BigInt)
    brief: dict[str, Any] = Field(sa_type=JSON)
    result: dict[str, Any] = Field(sa_type=JSON)
    sample_data: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    saved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def upsert_user(session: Session, *, user_id: int, first_name: str, timezone: str) -> UserAccount:
    """Create or refresh the user; `timezone` (the TIMEZONE setting) applies to new users only."""
    user = session.get(UserAccount, user_id)
    if user is None:
        user = UserAccount(id=user_id, first_name=first_name, timezone=timezone)
    elif user.first_name != first_name:
        user.first_name = first_name
        user.updated_at = utcnow()
    session.add(user)
    return user


def add_recommendation(
    session: Session, *, user_id: int, chat_id: int, brief: dict, result: dict, sample_data: bool
) -> SavedRecommendation:
    row = SavedRecommendation(
        user_id=user_id, chat_id=chat_id, brief=brief, result=result, sample_data=sample_data
    )
    session.add(row)
    session.flush()
    return row


def recent_briefs(session: Session, *, limit: int) -> list[dict[str, Any]]:
    """The briefs of the last `limit` recommendations shown, newest first."""
    query = (
        select(SavedRecommendation.brief).order_by(col(SavedRecommendation.id).desc()).limit(limit)
    )
    return [dict(brief) for brief in session.exec(query)]


def latest_recommendation(
    session: Session, *, user_id: int, chat_id: int
) -> SavedRecommendation | None:
    """The last recommendation shown to this user in this chat."""
    return session.exec(
        select(SavedRecommendation)
        .where(
            col(SavedRecommendation.user_id) == user_id,
            col(SavedRecommendation.chat_id) == chat_id,
        )
        .order_by(col(SavedRecommendation.id).desc())
        .limit(1)
    ).first()


def get_recommendation(
    session: Session, *, rec_id: int, user_id: int
) -> SavedRecommendation | None:
    """Only the owner's own recommendation; anything else is as good as missing."""
    row = session.get(SavedRecommendation, rec_id)
    if row is None or row.user_id != user_id:
        return None
    return row


def list_saved(session: Session, *, user_id: int) -> list[SavedRecommendation]:
    return list(
        session.exec(
            select(SavedRecommendation)
            .where(
                col(SavedRecommendation.user_id) == user_id,
                col(SavedRecommendation.saved_at).is_not(None),
            )
            .order_by(col(SavedRecommendation.saved_at).desc(), col(SavedRecommendation.id).desc())
        )
    )


def delete_unsaved_before(session: Session, *, before: datetime) -> int:
    result = session.execute(
        delete(SavedRecommendation).where(
            col(SavedRecommendation.saved_at).is_(None),
            col(SavedRecommendation.created_at) < before,
        )
    )
    return cast(CursorResult[Any], result).rowcount or 0
