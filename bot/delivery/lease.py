"""One outbox sender at a time: a lease in the database.

On PostgreSQL a session advisory lock, freed by the server the moment its holder's connection
dies. Elsewhere a row of the `lease` table with an expiry, renewed by a heartbeat; its holder
is named host:pid:process-start, so a process restarted on the same host sees that the old
holder is gone and takes over at once instead of waiting for the expiry.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from models.agencies import Lease
from models.base import utcnow

log = logging.getLogger(__name__)

LEASE_NAME = "outbox"
LEASE_SECONDS = 10  # a holder on another host that died is noticed after this long
_HOLDER_MAX = 80  # the column's length
_PROC = Path("/proc")
_LEASE = Lease.metadata.tables["lease"]


@dataclass(frozen=True)
class LeaseGrant:
    """`took_over`: nobody alive held the lease before us, so every "sending" row is orphaned."""

    took_over: bool


class SenderLease(Protocol):
    """One sender at a time. A PostgreSQL advisory lock can implement the same three calls."""

    def acquire(self) -> LeaseGrant | None: ...

    def renew(self) -> bool: ...

    def release(self) -> None: ...


class TableLease:
    """A lease as a row of the `lease` table: portable compare-and-swap, no dialect tricks."""

    def __init__(
        self,
        engine: Engine,
        *,
        name: str,
        holder: str,
        seconds: float,
        clock: Callable[[], datetime] = utcnow,
        is_gone: Callable[[str], bool] | None = None,
    ) -> None:
        self.engine = engine
        self.name = name
        self.holder = holder
        self.seconds = seconds
        self.clock = clock
        self.is_gone = holder_is_gone if is_gone is None else is_gone

    def acquire(self) -> LeaseGrant | None:
        """Take the lease if it is free, expired, already ours or its holder's process is gone
        (a restart on the same host takes over at once); None while someone else holds it."""
        now = self.clock()
        expires = now + timedelta(seconds=self.seconds)
        try:
            with self.engine.begin() as conn:
                row = conn.execute(
                    select(_LEASE.c.holder, _LEASE.c.expires_at).where(_LEASE.c.name == self.name)
                ).first()
                if row is None:
                    conn.execute(
                        insert(_LEASE).values(
                            name=self.name, holder=self.holder, expires_at=expires
                        )
                    )
                    return LeaseGrant(took_over=True)
                ours = row.holder == self.holder and row.expires_at > now
                if (
                    row.holder != self.holder
                    and row.expires_at > now
                    and not self.is_gone(row.holder)
                ):
                    return None
                # Compare-and-swap on what we read: of two racing takers exactly one matches.
                swapped = conn.execute(
                    update(_LEASE)
                    .where(
                        _LEASE.c.name == self.name,
                        _LEASE.c.holder == row.holder,
                        _LEASE.c.expires_at == row.expires_at,
                    )
                    .values(holder=self.holder, expires_at=expires)
                )
                if swapped.rowcount != 1:
                    return None
                return LeaseGrant(took_over=not ours)
        except IntegrityError:  # another process inserted the row first
            return None

    def renew(self) -> bool:
        """Extend our lease; False means someone else took it (stop sending at once)."""
        expires = self.clock() + timedelta(seconds=self.seconds)
        with self.engine.begin() as conn:
            result = conn.execute(
                update(_LEASE)
                .where(_LEASE.c.name == self.name, _LEASE.c.holder == self.holder)
                .values(expires_at=expires)
            )
        return result.rowcount == 1

    def release(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                delete(_LEASE).where(_LEASE.c.name == self.name, _LEASE.c.holder == self.holder)
            )


class AdvisoryLease:
    """PostgreSQL's session advisory lock, held on a connection of its own.

    Better than a table lease where it is available: a process that dies drops its
    connection, and PostgreSQL frees the lock at once instead of after an expiry.
    """

    KEY = 0x554D4F42  # any constant; every process of this app must use the same one

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    def acquire(self) -> LeaseGrant | None:
        if self._connection is not None:
            return LeaseGrant(took_over=False) if self.renew() else None
        connection = self.engine.connect()
        try:
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": self.KEY}
            ).scalar()
            connection.commit()
        except BaseException:
            connection.close()
            raise
        if not got:
            connection.close()
            return None
        self._connection = connection
        # Whoever held it before is gone (a released lock leaves no "sending" rows behind).
        return LeaseGrant(took_over=True)

    def renew(self) -> bool:
        """Still ours while our connection is alive; a dropped connection released the lock."""
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1")).scalar()
            self._connection.commit()
        except DBAPIError:
            self._drop()
            return False
        return True

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.KEY})
            self._connection.commit()
        except DBAPIError:
            log.warning(
                "outbox: could not unlock the advisory lease; closing its connection frees it"
            )
        self._drop()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(DBAPIError):
                connection.invalidate()  # never hand a connection holding the lock back to the pool
                connection.close()


def sender_lease(engine: Engine, *, holder: str, seconds: float = LEASE_SECONDS) -> SenderLease:
    """The advisory lock on PostgreSQL, the portable table lease elsewhere."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLease(engine)
    return TableLease(engine, name=LEASE_NAME, holder=holder, seconds=seconds)


# -------------------------------------------------------------------- who holds the lease


def _host() -> str:
    """This host, and on Linux its PID namespace: two containers may share a host name."""
    host = socket.gethostname()
    with contextlib.suppress(OSError):
        namespace = os.readlink("/proc/self/ns/pid")  # e.g. "pid:[4026531836]"
        host += "/" + "".join(ch for ch in namespace if ch.isdigit())
    return host.replace(":", "-")


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks since boot) of a process, from /proc; None if absent."""
    try:
        fields = (_PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (fields[0], fields[19]) if len(fields) > 19 else None


_STARTED = str(int(time.time()))  # where /proc is missing, when this process imported us


def _own_start() -> str:
    stat = _stat(os.getpid())
    return stat[1] if stat is not None else _STARTED


def default_holder() -> str:
    """host:pid:process-start, unique per process (a reused pid has another start time)."""
    suffix = f":{os.getpid()}:{_own_start()}"
    return _host()[: _HOLDER_MAX - len(suffix)] + suffix


def holder_is_gone(holder: str) -> bool:
    """True only when the holder ran on this host and its process no longer exists (or is
    a zombie, or its pid now belongs to a later process); otherwise its expiry decides."""
    try:
        host, pid_text, start = holder.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:  # not named by default_holder (tests, older versions)
        return False
    if pid <= 0 or host != _host()[: _HOLDER_MAX - len(f":{pid_text}:{start}")]:
        return False  # another host (or container): only its expiry tells
    stat = _stat(pid)
    if stat is not None:
        state, started = stat
        return state in ("Z", "X") or started != start
    if _PROC.joinpath("self", "stat").exists():
        return True  # /proc works here and has no such process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return pid == os.getpid() and start != _STARTED
