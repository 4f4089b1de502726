"""The outbox rows' state machine in the database, for the sender (sender.py).

pending -> sending (claimed, committed before any send) -> sent | blocked | failed, or back
to pending (a retry_after, a failed attempt with backoff, a graceful stop, a crash). Each
outcome is its own short transaction right after the send returns, so after a crash only
the sends in flight can repeat. Plain synchronous SQLAlchemy, run in worker threads, and
portable (no SQLite-only or PostgreSQL-only SQL).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Exists,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from bot.delivery.outcomes import (
    MAX_ATTEMPTS,
    Blocked,
    Failed,
    OutboxJob,
    Outcome,
    RetryAfter,
    Sent,
)
from bot.delivery.queue import BLOCKED, BROADCAST, IN_CHUNK, OUTBOX, chunks
from models.base import utcnow

_LAST_ERROR_MAX = 200


@dataclass
class Snapshot:
    """A broadcast's counts by status, for a progress report."""

    status: str
    created_at: datetime
    progress_chat_id: int | None
    progress_message_id: int | None
    counts: Counter[str]
    blocked_chat_ids: list[int]

    @property
    def remaining(self) -> int:
        return self.counts["pending"] + self.counts["sending"]


class OutboxStore:
    """Every database step of the sender; `clock` is the sender's (UTC datetimes)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    def recover(self, *, all_sending: bool, older_than: float) -> int:
        """Rows a dead sender left "sending" go back to "pending" (only in-flight ones can repeat).

        `all_sending` when nobody alive held the lease before us; otherwise only claims older
        than `older_than` seconds (our own earlier run's leftovers).
        """
        statement = update(OUTBOX).where(OUTBOX.c.status == "sending")
        if not all_sending:
            cutoff = self.clock() - timedelta(seconds=older_than)
            statement = statement.where(
                or_(OUTBOX.c.claimed_at.is_(None), OUTBOX.c.claimed_at < cutoff)
            )
        with self.engine.begin() as conn:
            return conn.execute(statement.values(status="pending", claimed_at=None)).rowcount

    def claim(self, limit: int) -> tuple[list[OutboxJob], set[int]]:
        """Claim up to `limit` due rows as "sending" (oldest first) and commit before any send.

        Returns the jobs, and the broadcasts whose rows were settled as "blocked" on the way
        (the chat blocked the bot after the row was queued).
        """
        now = self.clock()
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(
                    OUTBOX.c.id,
                    OUTBOX.c.broadcast_id,
                    OUTBOX.c.chat_id,
                    OUTBOX.c.attempts,
                    BROADCAST.c.text,
                    BROADCAST.c.photo_file_id,
                )
                .join(BROADCAST, BROADCAST.c.id == OUTBOX.c.broadcast_id)
                .where(
                    OUTBOX.c.status == "pending",
                    or_(OUTBOX.c.not_before.is_(None), OUTBOX.c.not_before <= now),
                    BROADCAST.c.status == "queued",
                )
                .order_by(OUTBOX.c.id)
                .limit(limit)
                .with_for_update(of=OUTBOX, skip_locked=True)
            ).all()
            if not rows:
                return [], set()
            blocked = set(
                conn.execute(
                    select(BLOCKED.c.chat_id).where(
                        BLOCKED.c.chat_id.in_({row.chat_id for row in rows})
                    )
                ).scalars()
            )
            jobs: list[OutboxJob] = []
            touched: set[int] = set()
            for row in rows:
                status = "blocked" if row.chat_id in blocked else "sending"
                claimed = conn.execute(
                    update(OUTBOX)
                    .where(OUTBOX.c.id == row.id, OUTBOX.c.status == "pending")
                    .values(status=status, claimed_at=now)
                ).rowcount
                if claimed != 1:
                    continue
                if status == "blocked":  # blocked since it was queued: settle without a send
                    touched.add(row.broadcast_id)
                    continue
                jobs.append(
                    OutboxJob(
                        outbox_id=row.id,
                        broadcast_id=row.broadcast_id,
                        chat_id=row.chat_id,
                        text=row.text,
                        photo_file_id=row.photo_file_id,
                        attempts=row.attempts,
                    )
                )
        return jobs, touched

    def record(self, job: OutboxJob, outcome: Outcome) -> bool:
        """Record one outcome in its own short transaction; True when the row is settled."""
        now = self.clock()
        row = update(OUTBOX).where(OUTBOX.c.id == job.outbox_id, OUTBOX.c.status == "sending")
        final = True
        if isinstance(outcome, Sent):
            row = row.values(status="sent", sent_at=now)
        elif isinstance(outcome, RetryAfter):
            final = False
            row = row.values(
                status="pending",
                claimed_at=None,
                not_before=now + timedelta(seconds=max(0.0, outcome.seconds)),
            )
        elif isinstance(outcome, Blocked):
            row = row.values(status="blocked", last_error=_short(outcome.reason or "blocked"))
        else:
            reason = outcome.reason if isinstance(outcome, Failed) else repr(outcome)
            attempts = job.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                row = row.values(status="failed", attempts=attempts, last_error=_short(reason))
            else:
                final = False
                row = row.values(
                    status="pending",
                    attempts=attempts,
                    last_error=_short(reason),
                    claimed_at=None,
                    not_before=now + timedelta(seconds=2**attempts),
                )
        with self.engine.begin() as conn:
            conn.execute(row)
            if isinstance(outcome, Blocked):
                _remember_blocked(conn, job.chat_id, now)
        return final

    def requeue(self, outbox_ids: list[int]) -> None:
        """Claimed but never sent (a graceful stop): back to "pending" at once."""
        with self.engine.begin() as conn:
            for chunk in chunks(outbox_ids, IN_CHUNK):
                conn.execute(
                    update(OUTBOX)
                    .where(OUTBOX.c.id.in_(chunk), OUTBOX.c.status == "sending")
                    .values(status="pending", claimed_at=None)
                )

    def snapshot(self, broadcast_id: int) -> Snapshot | None:
        with self.engine.connect() as conn:
            broadcast = conn.execute(
                select(
                    BROADCAST.c.status,
                    BROADCAST.c.created_at,
                    BROADCAST.c.progress_chat_id,
                    BROADCAST.c.progress_message_id,
                ).where(BROADCAST.c.id == broadcast_id)
            ).first()
            if broadcast is None:
                return None
            counts: Counter[str] = Counter(
                {
                    status: count
                    for status, count in conn.execute(
                        select(OUTBOX.c.status, func.count())
                        .where(OUTBOX.c.broadcast_id == broadcast_id)
                        .group_by(OUTBOX.c.status)
                    ).all()
                }
            )
            blocked_ids = list(
                conn.execute(
                    select(OUTBOX.c.chat_id)
                    .where(OUTBOX.c.broadcast_id == broadcast_id, OUTBOX.c.status == "blocked")
                    .order_by(OUTBOX.c.id)
                ).scalars()
            )
        return Snapshot(
            status=broadcast.status,
            created_at=broadcast.created_at,
            progress_chat_id=broadcast.progress_chat_id,
            progress_message_id=broadcast.progress_message_id,
            counts=counts,
            blocked_chat_ids=blocked_ids,
        )

    def finished_broadcast_ids(self) -> list[int]:
        """Queued broadcasts with nothing left to send: each needs its final report."""
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(BROADCAST.c.id)
                    .where(BROADCAST.c.status == "queued", ~_unfinished())
                    .order_by(BROADCAST.c.id)
                ).scalars()
            )

    def mark_done(self, broadcast_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(BROADCAST)
                .where(
                    BROADCAST.c.id == broadcast_id,
                    BROADCAST.c.status == "queued",
                    ~_unfinished(),
                )
                .values(status="done", finished_at=self.clock())
            )

    def has_work(self) -> bool:
        """Cheap check before taking the lease, so an idle bot does not write every poll."""
        now = self.clock()
        due: ColumnElement[bool] = or_(
            OUTBOX.c.status == "sending",
            (OUTBOX.c.status == "pending")
            & or_(OUTBOX.c.not_before.is_(None), OUTBOX.c.not_before <= now),
        )
        with self.engine.connect() as conn:
            if conn.execute(select(OUTBOX.c.id).where(due).limit(1)).first() is not None:
                return True
            return (
                conn.execute(
                    select(BROADCAST.c.id)
                    .where(BROADCAST.c.status == "queued", ~_unfinished())
                    .limit(1)
                ).first()
                is not None
            )


def _unfinished() -> Exists:
    return exists().where(
        OUTBOX.c.broadcast_id == BROADCAST.c.id,
        OUTBOX.c.status.in_(("pending", "sending")),
    )


def _remember_blocked(conn: Connection, chat_id: int, now: datetime) -> None:
    """Check-then-insert; a concurrent insert of the same chat is fine (savepoint)."""
    present = conn.execute(select(BLOCKED.c.chat_id).where(BLOCKED.c.chat_id == chat_id)).first()
    if present is not None:
        return
    try:
        with conn.begin_nested():
            conn.execute(insert(BLOCKED).values(chat_id=chat_id, blocked_at=now))
    except IntegrityError:
        pass


def _short(text: str) -> str:
    return text if len(text) <= _LAST_ERROR_MAX else text[: _LAST_ERROR_MAX - 1] + "…"
