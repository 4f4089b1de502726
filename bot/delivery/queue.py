"""Queueing a broadcast: one `outbox_message` row per (broadcast, chat).

The unique key (broadcast, chat) makes a second copy impossible to queue, even when two
confirmations race; the sender (sender.py) drains the rows later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.agencies import BlockedChat, Broadcast, OutboxMessage

log = logging.getLogger(__name__)

T = TypeVar("T")
Row = dict[str, Any]
# Core tables: typed columns for statements that touch many rows at once.
BROADCAST = Broadcast.metadata.tables["broadcast"]
OUTBOX = OutboxMessage.metadata.tables["outbox_message"]
BLOCKED = BlockedChat.metadata.tables["blocked_chat"]
IN_CHUNK = 500  # bound the parameters of one IN (...) (SQLite allows 999 in old builds)


class QueueCounts(NamedTuple):
    """Rows a queueing added: `queued` will be sent, `blocked` were skipped at once (403 earlier)."""

    queued: int
    blocked: int


def queue_broadcast(session: Session, *, broadcast_id: int, chat_ids: Iterable[int]) -> QueueCounts:
    """Queue one row per chat for the broadcast and mark it "queued" (the caller commits).

    Duplicates are ignored, a chat already queued for this broadcast is a no-op (the unique
    key guarantees it even against a concurrent queueing), and chats that blocked the bot get
    a "blocked" row right away so the final report lists them without a send.
    """
    session.flush()
    # A write first: it takes the broadcast's row lock on PostgreSQL (two confirmations of one
    # broadcast queue one after the other) and makes pysqlite open the transaction, so the
    # savepoints below are real savepoints and not transactions of their own.
    conn = session.connection()
    touched = conn.execute(
        update(BROADCAST).where(BROADCAST.c.id == broadcast_id).values(status=BROADCAST.c.status)
    )
    if touched.rowcount == 0:
        raise LookupError(f"broadcast {broadcast_id} does not exist")
    broadcast = session.get(Broadcast, broadcast_id)
    assert broadcast is not None
    if broadcast.status == "cancelled":
        raise ValueError(f"broadcast {broadcast_id} was cancelled")

    wanted = list(dict.fromkeys(int(chat_id) for chat_id in chat_ids))
    present = set(
        conn.execute(
            select(OUTBOX.c.chat_id).where(OUTBOX.c.broadcast_id == broadcast_id)
        ).scalars()
    )
    fresh = [chat_id for chat_id in wanted if chat_id not in present]
    blocked: set[int] = set()
    for chunk in chunks(fresh, IN_CHUNK):
        blocked.update(
            conn.execute(select(BLOCKED.c.chat_id).where(BLOCKED.c.chat_id.in_(chunk))).scalars()
        )
    rows: list[Row] = [
        {
            "broadcast_id": broadcast_id,
            "chat_id": chat_id,
            "status": "blocked" if chat_id in blocked else "pending",
            "attempts": 0,
        }
        for chat_id in fresh
    ]
    inserted = _insert_outbox_rows(session, rows)
    if inserted or broadcast.status == "draft":
        # New rows reopen a finished broadcast; an empty audience still gets its final report.
        broadcast.status = "queued"
        broadcast.finished_at = None
        session.add(broadcast)
        session.flush()
    queued = sum(1 for row in inserted if row["status"] == "pending")
    return QueueCounts(queued=queued, blocked=len(inserted) - queued)


def _insert_outbox_rows(session: Session, rows: list[Row]) -> list[Row]:
    """Insert all rows at once; if a concurrent queueing got some first, row by row."""
    if not rows:
        return []
    try:
        with session.begin_nested():
            for chunk in chunks(rows, IN_CHUNK):
                session.connection().execute(insert(OUTBOX), list(chunk))
        return rows
    except IntegrityError:
        log.info("outbox: some rows were queued concurrently; inserting one by one")
    inserted: list[Row] = []
    for row in rows:
        try:
            with session.begin_nested():
                session.connection().execute(insert(OUTBOX), [row])
        except IntegrityError:
            continue
        inserted.append(row)
    return inserted


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Slices of at most `size` items (to bound the parameters of one statement)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
