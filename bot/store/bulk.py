"""Importing an influencer file: streamed, staged in short transactions, switched in one.

`import_csv` is what the command line and a CSV sent in the chat use: other writers (an
owner's /start, the sweeper, listings) wait at most for one batch, never for the file, and
readers see the old store until the one-row switch, then the whole new one (see
models.store_import for the visibility rules). `import_rows` does the same steps inside a
caller's transaction, for small stores (the sample seed, tests).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from sqlalchemy import Connection, Dialect, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.store import fast
from bot.store.importer import InfluencerRow, RowError
from bot.store.stream import BATCH, read_influencers
from models import store_fold
from models import store_import as staging
from models.base import utcnow
from models.db import session_scope
from models.influencers import GLOBAL_SCOPE
from models.store import UpsertCounts

log = logging.getLogger(__name__)
#: account ids per compaction transaction: an updated account costs several statements
COMPACT_WINDOW = 500
#: SQLite: the import leaves the write lock free this long (seconds) between two batches,
#: once this often at most: enough for the chat's writers to get in, little for the import
_SQLITE_GAP = 0.001
_SQLITE_GAP_EVERY = 0.04


class ImportBusy(Exception):
    """Another import of the same store is still running."""


@dataclass(frozen=True)
class ImportResult:
    rows: int  # valid rows read
    errors: list[RowError]  # every bad line; nothing was imported when there are any
    counts: UpsertCounts | None  # None when the file was refused


_Prepared = tuple[list[tuple[Any, ...]], list[tuple[int, tuple[Any, ...]]]]


class _Stager:
    """Turns validated rows into staged rows, one short transaction per batch."""

    def __init__(
        self,
        connect: Callable[[], contextlib.AbstractContextManager[Connection]],
        import_id: int,
        *,
        dialect: Dialect,
        scope: str,
        source: str,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.connect = connect
        self.import_id = import_id
        self.scope = scope
        self.source = source.replace("\x00", "")[:200]  # PostgreSQL refuses NUL
        self.progress = progress
        self.now = staging.bind_time(dialect, utcnow())
        self.rows = 0
        self.existing = 0
        #: the target store was empty when the import began: no need to look for
        #: existing accounts (None: not asked yet)
        self.fresh: bool | None = None

    def prepare(self, rows: list[InfluencerRow]) -> _Prepared:
        """Everything but the ids, built before the transaction: the write lock is held
        only for the statements."""
        accounts: list[tuple[Any, ...]] = []
        entries: list[tuple[int, tuple[Any, ...]]] = []
        for index, row in enumerate(rows):
            accounts.append(
                (
                    row.platform,
                    row.handle,
                    row.name,
                    "|".join(row.niches),
                    row.city,
                    row.province,
                    row.followers,
                    row.engagement_rate,
                    row.avg_views,
                    row.price_idr,
                    row.audience_quality,
                    row.contact,
                    self.source,
                    self.now,
                )
            )
            side, primary, secondary = fast.entry_figures(
                row.platform,
                row.followers,
                row.engagement_rate,
                row.avg_views,
                row.price_idr,
                row.audience_quality,
            )
            for position, niche in enumerate(row.niches):
                entries.append(
                    (
                        index,
                        (
                            niche,
                            row.platform,
                            position,
                            side,
                            row.price_idr,
                            row.city,
                            row.province,
                            *(primary if position == 0 else secondary),
                            fast.RANKING_VERSION,
                        ),
                    )
                )
        self.rows += len(rows)
        if self.progress is not None:
            self.progress(self.rows)
        return accounts, entries

    def write(self, prepared: _Prepared) -> None:
        accounts, entries = prepared
        if self.fresh is None:
            with self.connect() as conn:
                self.fresh = staging.scope_is_empty(conn, self.scope)
        if self.fresh:
            try:
                with self.connect() as conn:
                    staging.stage_batch(
                        conn,
                        self.import_id,
                        target=self.scope,
                        accounts=accounts,
                        entries=entries,
                        look_up=False,
                    )
                return
            except IntegrityError:  # an account appeared meanwhile (a /daftar listing)
                self.fresh = False
        with self.connect() as conn:
            self.existing += staging.stage_batch(
                conn, self.import_id, target=self.scope, accounts=accounts, entries=entries
            )

    def __call__(self, rows: list[InfluencerRow]) -> None:
        self.write(self.prepare(rows))


class _Overlapped:
    """Writes batches in a thread while the next ones are read: SQLite and psycopg release
    the GIL while the database works, so reading and writing share the two cores. At most
    two batches wait, so memory stays flat."""

    def __init__(self, stager: _Stager) -> None:
        self.stager = stager
        self.queue: queue.Queue[_Prepared | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
        self.thread.start()

    def __call__(self, rows: list[InfluencerRow]) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(self.stager.prepare(rows))

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.stager.write(item)
                except BaseException as exc:  # handed to the reading thread
                    self.error = exc

    def close(self) -> None:
        """Wait for the last batch; its error, if any, is the import's."""
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def import_csv(
    engine: Engine,
    source: BinaryIO,
    *,
    source_name: str,
    scope: str = GLOBAL_SCOPE,
    progress: Callable[[int], None] | None = None,
    batch: int = BATCH,
) -> ImportResult:
    """Read, validate and import a file; all or nothing, every bad line reported.

    Raises ImportBusy while another import of the scope runs.
    """
    recover(engine, scope=scope)
    with session_scope(engine) as session:
        job = staging.begin_import(session, scope=scope)
        if job is None:
            raise ImportBusy(scope)
        import_id = job.id
    with engine.connect() as conn, _bigger_cache(conn):
        connect = _transactions(conn)
        stager = _Stager(
            connect,
            import_id,
            dialect=engine.dialect,
            scope=scope,
            source=source_name,
            progress=progress,
        )
        published = False
        try:
            writer = _Overlapped(stager)
            try:
                outcome = read_influencers(source, writer, batch=batch)
            finally:
                writer.close()
            if outcome.errors:
                _discard(connect, import_id, scope)
                return ImportResult(outcome.rows, outcome.errors, None)
            with connect() as tx:
                staging.publish(tx, import_id)
            published = True
            _compact(connect, import_id, scope)
        except BaseException:
            if not published:
                with contextlib.suppress(Exception):  # never mask the import's own error
                    conn.rollback()
                    _discard(connect, import_id, scope)
            raise
    counts = UpsertCounts(added=stager.rows - stager.existing, updated=stager.existing)
    return ImportResult(stager.rows, [], counts)


def import_rows(
    session: Session,
    rows: Sequence[InfluencerRow],
    *,
    source: str,
    scope: str = GLOBAL_SCOPE,
) -> UpsertCounts:
    """Write validated rows in the caller's transaction (small stores: seeds, tests)."""
    job = staging.begin_import(session, scope=scope)
    if job is None:
        raise ImportBusy(scope)

    @contextlib.contextmanager
    def connect() -> Any:
        yield session.connection()

    stager = _Stager(
        connect,
        job.id,
        dialect=session.get_bind().dialect,
        scope=scope,
        source=source,
        progress=None,
    )
    for start in range(0, len(rows), BATCH):
        stager(list(rows[start : start + BATCH]))
    conn = session.connection()
    staging.publish(conn, job.id)
    _compact(connect, job.id, scope)
    session.expire_all()
    return UpsertCounts(added=stager.rows - stager.existing, updated=stager.existing)


def _transactions(
    conn: Connection,
) -> Callable[[], contextlib.AbstractContextManager[Connection]]:
    """One short transaction per call, all on the import's own connection."""

    sqlite = conn.dialect.name == "sqlite"
    last_gap = time.monotonic()

    @contextlib.contextmanager
    def transaction() -> Iterator[Connection]:
        nonlocal last_gap
        with conn.begin():
            yield conn
        if sqlite and time.monotonic() - last_gap >= _SQLITE_GAP_EVERY:
            # SQLite has no queue for its write lock: without a gap the next batch would
            # take it again at once, and the chat's writers (trying every half millisecond,
            # models.db) would wait for many batches instead of a few.
            time.sleep(_SQLITE_GAP)
            last_gap = time.monotonic()

    return transaction


@contextlib.contextmanager
def _bigger_cache(conn: Connection) -> Iterator[None]:
    """A big import rewrites index pages all over the file: on SQLite, let them stay in
    this connection's memory (48 MB, within the import's memory goal) instead of the 2 MB
    default (restored after)."""
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        conn.exec_driver_sql("PRAGMA cache_size = -49152")
        conn.commit()
    try:
        yield
    finally:
        if sqlite:
            with contextlib.suppress(Exception):
                conn.rollback()
                conn.exec_driver_sql("PRAGMA cache_size = -2000")
                conn.commit()


def recover(engine: Engine, *, scope: str | None = None) -> int:
    """Finish or remove imports whose process died: published ones are folded in, the
    others deleted (nobody saw them). Returns how many were found."""
    with session_scope(engine) as session:
        found = [(job.id, job.scope, job.state) for job in staging.abandoned(session, scope=scope)]
    for import_id, target, state in found:
        log.warning("recovering abandoned import %s of %s (%s)", import_id, target, state)
        if state == staging.PUBLISHED:
            _compact(engine.begin, import_id, target)
        else:
            _discard(engine.begin, import_id, target)
    return len(found)


def _compact(
    connect: Callable[[], contextlib.AbstractContextManager[Connection]],
    import_id: int,
    scope: str,
) -> None:
    with connect() as conn:
        windows = store_fold.windows(conn, import_id, COMPACT_WINDOW)
    for low, high in windows:
        with connect() as conn:
            store_fold.compact_window(conn, import_id, scope, low, high)
            staging.heartbeat(conn, import_id)
    with connect() as conn:
        staging.finish(conn, import_id)


def _discard(
    connect: Callable[[], contextlib.AbstractContextManager[Connection]],
    import_id: int,
    scope: str,
) -> None:
    with connect() as conn:
        windows = store_fold.windows(conn, import_id, BATCH)
    for low, high in windows:
        with connect() as conn:
            store_fold.discard_window(conn, import_id, scope, low, high)
    with connect() as conn:
        staging.finish(conn, import_id)
