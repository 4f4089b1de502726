"""Per-chat conversation state and the update ids already handled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Table, delete, event, inspect
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, Session, SQLModel, col, select

from models.base import BigInt, UTCDateTime, rows_affected, utcnow


class Conversation(SQLModel, table=True):
    """Where a chat is in the advisor; read and written on every update.

    `version` grows with every change so buttons from older messages can be told apart.
    """

    __tablename__ = "conversation"

    chat_id: int = Field(sa_type=BigInt, primary_key=True)
    user_id: int = Field(sa_type=BigInt, index=True)
    step: str = Field(default="idle", max_length=40)
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    version: int = 0
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ProcessedUpdate(SQLModel, table=True):
    """Polling delivers updates again after a crash; the first claim wins."""

    __tablename__ = "processed_update"

    update_id: int = Field(sa_type=BigInt, primary_key=True)
    processed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


# SQLModel's stubs do not declare __table__ on table classes.
PROCESSED_UPDATE: Table = ProcessedUpdate.__table__  # type: ignore[attr-defined]


_LOADED = "conversations"  # session.info key: rows this transaction already loaded (and locked)


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
@event.listens_for(OrmSession, "after_soft_rollback")
def _forget_loaded(session: OrmSession, *_args: object) -> None:
    """A finished transaction (or a rolled-back savepoint) no longer holds what it loaded."""
    session.info.pop(_LOADED, None)


def load_conversation(session: Session, *, chat_id: int, user_id: int) -> Conversation:
    """The chat's row, locked for this transaction on databases that can (PostgreSQL).

    An update reads its chat's row in several places (the router, then the feature); the
    transaction keeps the row locked, so later reads reuse the first one.
    """
    loaded: dict[int, Conversation] = session.info.setdefault(_LOADED, {})
    known = loaded.get(chat_id)
    if known is not None and known in session and not inspect(known).deleted:
        return known
    conversation = session.exec(
        select(Conversation).where(col(Conversation.chat_id) == chat_id).with_for_update()
    ).first()
    if conversation is None:
        conversation = Conversation(chat_id=chat_id, user_id=user_id)
        session.add(conversation)
        session.flush()
    loaded[chat_id] = conversation
    return conversation


def save_conversation(
    session: Session, conversation: Conversation, *, step: str, answers: dict[str, Any]
) -> None:
    """Every change bumps the version, so buttons on older messages are recognised as stale."""
    conversation.step = step
    conversation.answers = dict(answers)
    conversation.version += 1
    conversation.updated_at = utcnow()
    session.add(conversation)


def claim_update(session: Session, *, update_id: int) -> bool:
    """True the first time an update id is seen; False for a redelivery.

    One INSERT ... ON CONFLICT DO NOTHING: it runs for every update, and two processes
    given the same update (a webhook retry) must not both win.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(PROCESSED_UPDATE)
        .values(update_id=update_id, processed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(PROCESSED_UPDATE.c.update_id)
    )
    return session.execute(statement).first() is not None


def forget_processed_before(session: Session, *, before: datetime) -> int:
    result = session.execute(
        delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < before)
    )
    return rows_affected(result)
