"""Where the send budget records its grants: the database, shared by every process, or memory.

One round is one short transaction: record the sends that finished since the last round and
any new pause, read the recent entries, grant what fits (rules.py) and record the grants.
Rounds of all processes are serialised (PostgreSQL: a transaction-level advisory lock;
SQLite: the transaction's first statement is a write, so it holds the write lock from the
start), so two processes never both take the last slot. Rows older than a few seconds are
deleted in the same round, so the table stays a few dozen rows long.

Times cross the interface as offsets from "now" (seconds ago, seconds to wait), because on
PostgreSQL the database's clock is the common one: processes on several hosts need not agree
on the time to the millisecond.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import (
    Connection,
    Engine,
    Float,
    bindparam,
    case,
    delete,
    insert,
    select,
    text,
    update,
)

from bot.delivery.rules import Entry, Limits, Request, decide
from models.sending import SendLedger

_LEDGER = SendLedger.metadata.tables["send_ledger"]
_PG_LOCK_KEY = 0x554D5342  # any constant, the same in every process of this app ("UMSB")


def chat_key(chat_id: int | None) -> int | None:
    """What the ledger stores for a chat: enough to tell chats apart, not the Telegram id."""
    if chat_id is None:
        return None
    digest = hashlib.blake2b(str(chat_id).encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") >> 1  # 31 bits: a plain INTEGER everywhere


@dataclass
class Round:
    """Grants by request key (the value identifies the entry for `finished`), and how long
    until the first refused request may fit (inf when none was refused)."""

    granted: dict[int, int] = field(default_factory=dict)
    wait: float = math.inf


class Ledger(Protocol):
    """`blocking`: calls do I/O, so the budget runs them in a worker thread."""

    blocking: bool

    def grant(
        self, requests: Sequence[Request], *, finished: Mapping[int, float], pause: float
    ) -> Round:
        """`finished`: entry id -> seconds ago its request finished; `pause`: seconds nobody
        may send from now (0 for none)."""
        ...


class MemoryLedger:
    """The ledger of one process alone: for tests in virtual time, and as the fallback
    while the database is unreachable (the process then keeps to the limits by itself)."""

    blocking = False

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._entries: dict[int, Entry] = {}
        self._ids = 0
        self._paused_until = -math.inf

    def grant(
        self, requests: Sequence[Request], *, finished: Mapping[int, float], pause: float
    ) -> Round:
        now = self.clock()
        for entry_id, ago in finished.items():
            entry = self._entries.get(entry_id)
            if entry is not None and now - ago > entry.at:
                self._entries[entry_id] = Entry(
                    now - ago, entry.chat_id, entry.priority, entry.granted
                )
        if pause > 0:
            self._paused_until = max(self._paused_until, now + pause)
        horizon = now - self.limits.retention
        self._entries = {key: e for key, e in self._entries.items() if e.at >= horizon}
        if not requests:
            return Round()
        decision = decide(
            self.limits,
            self._entries.values(),
            requests,
            now,
            paused_until=self._paused_until,
        )
        granted: dict[int, int] = {}
        for request in decision.granted:
            self._ids += 1
            self._entries[self._ids] = Entry(now, request.chat_id, request.priority, now)
            granted[request.key] = self._ids
        return Round(granted, decision.next_at - now)


# Built once: a round runs for nearly every message the bot sends, and building these
# statements (and their cache keys) cost more than running them.
# The lock, then the clock read under it, in one round trip: the outer SELECT reads the
# clock only for the row the subquery yields once the lock is held (OFFSET 0 keeps the
# planner from folding the subquery away).
_PG_LOCK_NOW = text(
    "SELECT extract(epoch from clock_timestamp()) FROM (SELECT pg_advisory_xact_lock(:k) OFFSET 0) AS held"
)
_HORIZON = bindparam("horizon", type_=Float)
_PRUNE = delete(_LEDGER).where(_LEDGER.c.at < _HORIZON)
_MOVED = bindparam("moved_at", type_=Float)
_FINISHED = (
    update(_LEDGER)
    .where(_LEDGER.c.id == bindparam("entry_id"))
    .values(at=case((_LEDGER.c.at < _MOVED, _MOVED), else_=_LEDGER.c.at))
)
_ADD = insert(_LEDGER)
# rows older than the horizon may still be there between prunes; they no longer count
_READ = select(
    _LEDGER.c.kind, _LEDGER.c.at, _LEDGER.c.chat_key, _LEDGER.c.priority, _LEDGER.c.granted
).where(_LEDGER.c.at >= _HORIZON)
#: seconds between two prunes by one process (rounds between them skip the DELETE)
PRUNE_EVERY = 1.0
# every grant of a round in one statement, its ids in the order of the rows given
_GRANT = insert(_LEDGER).returning(_LEDGER.c.id, sort_by_parameter_order=True)


class SqlLedger:
    """The `send_ledger` table: every process on the same database shares one budget."""

    blocking = True

    def __init__(
        self,
        engine: Engine,
        limits: Limits,
        clock: Callable[[], float] = time.time,
        *,
        prune_every: float = PRUNE_EVERY,
    ) -> None:
        self.engine = engine
        self.limits = limits
        self.clock = clock
        self.prune_every = prune_every
        self._postgres = engine.dialect.name == "postgresql"
        self._pruned_at = -math.inf

    def grant(
        self, requests: Sequence[Request], *, finished: Mapping[int, float], pause: float
    ) -> Round:
        with self.engine.begin() as conn:
            now = self._lock(conn)
            if finished:
                conn.execute(
                    _FINISHED,
                    [{"entry_id": key, "moved_at": now - ago} for key, ago in finished.items()],
                )
            if pause > 0:
                conn.execute(
                    _ADD, {"kind": "pause", "at": now + pause, "granted": now, "priority": 0}
                )
            if not requests:
                return Round()
            paused_until = -math.inf
            entries: list[Entry] = []
            horizon = now - self.limits.retention
            for kind, at, chat, priority, granted_at in conn.execute(_READ, {"horizon": horizon}):
                if kind == "pause":
                    paused_until = max(paused_until, at)
                else:
                    entries.append(Entry(at, chat, priority, granted_at))
            keyed = [Request(r.key, chat_key(r.chat_id), r.priority) for r in requests]
            decision = decide(self.limits, entries, keyed, now, paused_until=paused_until)
            if not decision.granted:
                return Round({}, decision.next_at - now)
            ids = conn.execute(
                _GRANT,
                [
                    {
                        "kind": "send",
                        "at": now,
                        "granted": now,
                        "chat_key": request.chat_id,
                        "priority": int(request.priority),
                    }
                    for request in decision.granted
                ],
            ).scalars()
            grants = {
                request.key: entry_id
                for request, entry_id in zip(decision.granted, ids, strict=True)
            }
            return Round(grants, decision.next_at - now)

    def _lock(self, conn: Connection) -> float:
        """Serialise the round against every other process; returns the ledger's "now".

        The clock is read after the lock is held: a "now" from before a wait for the lock
        could lie before another process's grant, and the window arithmetic assumes none.
        Old rows are pruned here about once a second (reads skip them meanwhile); on SQLite
        a round's first statement must write, as that is what takes the lock, so it prunes
        every round there.
        """
        if self._postgres:
            now = float(conn.execute(_PG_LOCK_NOW, {"k": _PG_LOCK_KEY}).scalar_one())
            if now - self._pruned_at >= self.prune_every:
                conn.execute(_PRUNE, {"horizon": now - self.limits.retention})
                self._pruned_at = now
            return now
        conn.execute(_PRUNE, {"horizon": self.clock() - self.limits.retention})
        return self.clock()
