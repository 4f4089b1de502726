"""The send ledger: recent sends of every process, so they share one Telegram budget."""

from __future__ import annotations

from sqlalchemy import Column, Float, Index
from sqlmodel import Field, SQLModel


class SendLedger(SQLModel, table=True):
    """One row per recent send (kept a few seconds), or a pause after Telegram's 429.

    `at` is in epoch seconds (float) so the window arithmetic is the same on every database:
    for a send, when it was granted, moved to when its request finished; for a pause, until
    when nobody may send; `granted` stays the time of the grant (bulk sends are spread by
    it). `priority` is the sender's class (reply, notice, bulk). `chat_key`
    is a 31-bit digest of the chat id, not the id: the per-chat limit only compares chats,
    and so the ledger holds nobody's Telegram id.
    """

    __tablename__ = "send_ledger"
    __table_args__ = (Index("ix_send_ledger_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="send", max_length=5)  # send | pause
    at: float = Field(sa_column=Column(Float, nullable=False))
    granted: float = Field(sa_column=Column(Float, nullable=False))
    chat_key: int | None = None
    priority: int = 0
