"""Staged imports of the influencer store: written in short transactions, switched in one.

An import writes in batches, each its own short transaction, so other writers (the bot's
/start, the sweeper, listings) wait for one batch at most, never for the file. Until the
switch nobody sees any of it:

- a new account goes straight into its final place, marked `staged_by` the import, and
  readers hide rows whose import is not yet published;
- an account the file updates keeps its row (and id), marked `superseded_by` the import;
  the new values wait in a row under the import's private scope (`staging_scope`).

Publishing is one tiny UPDATE of the import's row. From then on readers (`visible_filter`)
show the new accounts and the private scope and hide the superseded rows: the old store or
the new one, never a mix. Compaction then copies the waiting values into the kept rows in
short batches (ids of existing accounts never change: campaign members, claims and rate
cards point at them). A failed or abandoned import is deleted in batches; nobody saw it.
This module stages and switches; `models.store_fold` folds in or clears away.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Dialect,
    Table,
    and_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel

from models.base import UTCDateTime, utcnow
from models.influencers import Influencer, InfluencerNiche
from models.revision import bump_store_revision

STAGING = "staging"
PUBLISHED = "published"
#: an import whose process stopped beating this long ago is abandoned (any host)
STALE_AFTER = timedelta(minutes=10)

_INFLUENCER = SQLModel.metadata.tables[Influencer.__tablename__]
_NICHE = SQLModel.metadata.tables[InfluencerNiche.__tablename__]

#: what the staging code writes per account (after id, scope and staged_by)
ACCOUNT_COLUMNS = (
    "platform",
    "handle",
    "name",
    "niches",
    "city",
    "province",
    "followers",
    "engagement_rate",
    "avg_views",
    "price_idr",
    "audience_quality",
    "contact",
    "source",
    "updated_at",
)
#: what it writes per search entry (after influencer_id, scope and staged_by)
ENTRY_COLUMNS = (
    "niche",
    "platform",
    "position",
    "side",
    "price_idr",
    "city",
    "province",
    "value_awareness",
    "value_engagement",
    "value_sales",
    "ranking_version",
)
_KEYS = ("id", "scope", "staged_by")
#: the columns an import overwrites on an existing account
COPIED_COLUMNS = ACCOUNT_COLUMNS[2:]


class StoreImport(SQLModel, table=True):
    """One import in progress per scope (the unique scope refuses a second at once).

    Ids are never reused (SQLite AUTOINCREMENT): rows keep the id of the import that added
    them in `staged_by`, and a reused id would hide them again.
    """

    __tablename__ = "store_import"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int = Field(default=None, primary_key=True)
    scope: str = Field(max_length=40, unique=True)  # the target scope
    state: str = Field(default=STAGING, max_length=10)
    host: str = Field(max_length=100)
    pid: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    heartbeat_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: the range of account ids it wrote (the windows of compaction and clean-up)
    low_id: int | None = None
    high_id: int | None = None


def staging_scope(import_id: int) -> str:
    return f"~import:{import_id}"


@dataclass(frozen=True)
class Visibility:
    scopes: list[str]  # the scopes to read, with published imports' private scopes
    unpublished: list[int]  # imports whose new accounts to hide
    published: list[int]  # imports whose superseded rows to hide


_IMPORTS = SQLModel.metadata.tables[StoreImport.__tablename__]
# Built once: every recommendation asks (building and caching a statement cost more than
# running it on this nearly always empty table).
_VISIBILITY = select(_IMPORTS.c.id, _IMPORTS.c.state).where(
    _IMPORTS.c.scope.in_(bindparam("scopes", expanding=True))
)


def visibility(session: Session, scopes: Sequence[str]) -> Visibility:
    """What a reader of `scopes` may see; one probe of a table that is almost always empty."""
    rows = session.execute(_VISIBILITY, {"scopes": list(scopes)}).all()
    published = [id_ for id_, state in rows if state == PUBLISHED]
    unpublished = [id_ for id_, state in rows if state != PUBLISHED]
    return Visibility([*scopes, *(staging_scope(i) for i in published)], unpublished, published)


def visible_clause(table: Table) -> ColumnElement[bool]:
    """`visible_filter`'s condition with the visibility as bound parameters, for statements
    built once; `visible_params` fills them."""
    return and_(
        table.c.scope.in_(bindparam("scopes", expanding=True)),
        or_(
            table.c.staged_by.is_(None),
            table.c.staged_by.not_in(bindparam("unpublished", expanding=True)),
        ),
        or_(
            table.c.superseded_by.is_(None),
            table.c.superseded_by.not_in(bindparam("published", expanding=True)),
        ),
    )


def visible_params(session: Session, scopes: Sequence[str]) -> dict[str, list[Any]]:
    seen = visibility(session, scopes)
    return {
        "scopes": seen.scopes,
        "unpublished": seen.unpublished or [0],  # ids start at 1: 0 hides nothing
        "published": seen.published or [0],
    }


def visible_filter(session: Session, table: Table, scopes: Sequence[str]) -> ColumnElement[bool]:
    """Rows of `table` (influencer or influencer_niche) a reader of `scopes` may see:
    the old store or, once an import is published, the new one; never a mix."""
    seen = visibility(session, scopes)
    condition: ColumnElement[bool] = table.c.scope.in_(seen.scopes)
    if seen.unpublished:
        condition = and_(
            condition,
            or_(table.c.staged_by.is_(None), table.c.staged_by.not_in(seen.unpublished)),
        )
    if seen.published:
        condition = and_(
            condition,
            or_(table.c.superseded_by.is_(None), table.c.superseded_by.not_in(seen.published)),
        )
    return condition


def begin_import(session: Session, *, scope: str) -> StoreImport | None:
    """Register an import of `scope`; None while another live one runs."""
    table = StoreImport.__table__  # type: ignore[attr-defined]
    if session.execute(select(table.c.id).where(table.c.scope == scope)).first() is not None:
        return None
    row = StoreImport(scope=scope, host=socket.gethostname()[:100], pid=os.getpid())
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another process registered one just now
        return None
    return row


def abandoned(session: Session, *, scope: str | None = None) -> list[StoreImport]:
    """Imports whose process is gone: dead pid on this host, or no heartbeat for a while."""
    query = select(StoreImport)
    if scope is not None:
        query = query.where(StoreImport.scope == scope)  # type: ignore[arg-type]
    host = socket.gethostname()[:100]
    now = utcnow()
    out = []
    for row in session.execute(query).scalars():
        if now - row.heartbeat_at > STALE_AFTER or (row.host == host and not _alive(row.pid)):
            out.append(row)
    return out


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def heartbeat(conn: Connection, import_id: int) -> None:
    conn.execute(
        StoreImport.__table__.update()  # type: ignore[attr-defined]
        .where(StoreImport.__table__.c.id == import_id)  # type: ignore[attr-defined]
        .values(heartbeat_at=utcnow())
    )


def reserve_ids(conn: Connection, count: int) -> list[int]:
    """Ids for `count` new accounts, so rows go in with plain executemany (no RETURNING).

    SQLite: the transaction holds the write lock from BEGIN (models.db), so max(id) + 1...
    cannot be taken by anyone else before commit. PostgreSQL: the id sequence.
    """
    if conn.dialect.name == "postgresql":
        rows = conn.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence('influencer', 'id')) "
            f"FROM generate_series(1, {int(count)})"
        )
        return [value for (value,) in rows]
    (top,) = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM influencer").one()
    return list(range(top + 1, top + 1 + count))


def _insert_sql(conn: Connection, table: str, columns: Sequence[str]) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"


def _insert(conn: Connection, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """Plain rows in: COPY on PostgreSQL (several times faster than INSERTs), executemany
    on SQLite."""
    if conn.dialect.name == "postgresql":
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        except conn.dialect.dbapi.IntegrityError as exc:  # type: ignore[union-attr]
            raise IntegrityError(statement, None, exc) from exc  # as executemany would
        return
    conn.exec_driver_sql(_insert_sql(conn, table, columns), rows)


def bind_time(dialect: Dialect, value: datetime) -> Any:
    """`value` as the driver receives it for a UTCDateTime column (rows go in raw)."""
    processor = _INFLUENCER.c.updated_at.type._cached_bind_processor(dialect)
    return processor(value) if processor else value


def stage_batch(
    conn: Connection,
    import_id: int,
    *,
    target: str,
    accounts: Sequence[tuple[Any, ...]],
    entries: Sequence[tuple[int, tuple[Any, ...]]],
    look_up: bool = True,
) -> int:
    """Write one batch: `accounts` in ACCOUNT_COLUMNS order, `entries` as (index of the
    account, values in ENTRY_COLUMNS order). Returns how many accounts already existed.

    `look_up=False` skips looking for existing accounts (the target was empty when the
    import began): if one appeared meanwhile the key index refuses the batch
    (IntegrityError) and the caller retries it with the look-up.
    """
    keys = [(row[0], row[1]) for row in accounts]
    existing = _existing(conn, target, keys) if look_up else {}
    ids = reserve_ids(conn, len(accounts))
    stage = staging_scope(import_id)
    heads = [
        (id_, stage, None) if (row[0], row[1]) in existing else (id_, target, import_id)
        for id_, row in zip(ids, accounts, strict=True)
    ]
    _insert(
        conn,
        "influencer",
        _KEYS + ACCOUNT_COLUMNS,
        [head + row for head, row in zip(heads, accounts, strict=True)],
    )
    if entries:
        _insert(
            conn,
            "influencer_niche",
            ("influencer_id", *_KEYS[1:], *ENTRY_COLUMNS),
            [heads[index] + values for index, values in entries],
        )
    mark_superseded(conn, list(existing.values()), import_id)
    table = StoreImport.__table__  # type: ignore[attr-defined]
    conn.execute(
        table.update()
        .where(table.c.id == import_id)
        .values(
            low_id=func.coalesce(table.c.low_id, ids[0]),
            high_id=ids[-1],
            heartbeat_at=utcnow(),
        )
    )
    return len(existing)


def scope_is_empty(conn: Connection, scope: str) -> bool:
    probe = select(_INFLUENCER.c.id).where(_INFLUENCER.c.scope == scope).limit(1)
    return conn.execute(probe).first() is None


def _existing(conn: Connection, target: str, keys: list[tuple[str, str]]) -> dict[Any, int]:
    """The target scope's ids of these (platform, handle) keys: one index probe each."""
    by_platform: dict[str, list[str]] = {}
    for platform, handle in keys:
        by_platform.setdefault(platform, []).append(handle)
    found: dict[Any, int] = {}
    for platform, handles in by_platform.items():
        for start in range(0, len(handles), 900):
            rows = conn.execute(
                select(_INFLUENCER.c.handle, _INFLUENCER.c.id).where(
                    _INFLUENCER.c.scope == target,
                    _INFLUENCER.c.platform == platform,
                    _INFLUENCER.c.handle.in_(handles[start : start + 900]),
                )
            )
            found.update({(platform, handle): id_ for handle, id_ in rows})
    return found


def mark_superseded(conn: Connection, ids: Sequence[int], import_id: int | None) -> None:
    if ids:
        conn.execute(
            _INFLUENCER.update().where(_INFLUENCER.c.id.in_(ids)).values(superseded_by=import_id)
        )
        conn.execute(
            _NICHE.update().where(_NICHE.c.influencer_id.in_(ids)).values(superseded_by=import_id)
        )


def publish(conn: Connection, import_id: int) -> None:
    """The switch: one tiny UPDATE; readers see the whole import from their next query."""
    table = StoreImport.__table__  # type: ignore[attr-defined]
    conn.execute(table.update().where(table.c.id == import_id).values(state=PUBLISHED))
    bump_store_revision(conn)


def finish(conn: Connection, import_id: int) -> None:
    """Forget the import (its rows are folded in or deleted by now)."""
    table = StoreImport.__table__  # type: ignore[attr-defined]
    conn.execute(table.delete().where(table.c.id == import_id))
