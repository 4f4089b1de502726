"""Folding a published import into its store, or clearing away one that failed.

Both work in windows of account ids, one short transaction each (see `models.store_import`
for how an import is staged and switched): compaction copies each updated account's new
values into the row it keeps (so its id never changes) and moves new accounts into the
target scope; discarding deletes what the import wrote and unmarks what it would have
updated.
"""

from __future__ import annotations

from sqlalchemy import Connection, select
from sqlmodel import SQLModel

from models.campaigns import CampaignMember
from models.influencers import Influencer, InfluencerNiche
from models.revision import bump_store_revision
from models.store_import import COPIED_COLUMNS, StoreImport, mark_superseded, staging_scope

_INFLUENCER = SQLModel.metadata.tables[Influencer.__tablename__]
_NICHE = SQLModel.metadata.tables[InfluencerNiche.__tablename__]
_MEMBER = SQLModel.metadata.tables[CampaignMember.__tablename__]


def _pairs(
    conn: Connection, import_id: int, target: str, low: int, high: int
) -> list[tuple[int, int]]:
    """(staged id, existing id) for staged rows low..high whose key the target already has.

    Written to walk the staged ids by primary key and probe the key index once per row
    (`scope || ''` keeps SQLite from scanning the whole scope's index instead).
    """
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    rows = conn.exec_driver_sql(
        "SELECT s.id, o.id FROM influencer AS s CROSS JOIN influencer AS o "
        f"WHERE s.id BETWEEN {mark} AND {mark} AND s.scope || '' = {mark} "
        f"AND o.scope = {mark} AND o.platform = s.platform AND o.handle = s.handle",
        (low, high, staging_scope(import_id), target),
    )
    return [(new, old) for new, old in rows]


def _staged_ids(conn: Connection, import_id: int, low: int, high: int) -> list[int]:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    rows = conn.exec_driver_sql(
        f"SELECT id FROM influencer WHERE id BETWEEN {mark} AND {mark} AND scope || '' = {mark}",
        (low, high, staging_scope(import_id)),
    )
    return [id_ for (id_,) in rows]


def windows(conn: Connection, import_id: int, size: int) -> list[tuple[int, int]]:
    """Id windows covering what the import wrote, `size` ids wide (later steps' batches)."""
    table = StoreImport.__table__  # type: ignore[attr-defined]
    found = conn.execute(
        select(table.c.low_id, table.c.high_id).where(table.c.id == import_id)
    ).first()
    if found is None or found[0] is None:
        return []
    low, high = found
    return [(start, min(start + size - 1, high)) for start in range(low, high + 1, size)]


def compact_window(conn: Connection, import_id: int, target: str, low: int, high: int) -> None:
    """Fold staged rows low..high into the target scope (one short transaction).

    An existing account takes the staged values in place (its id stays) and the staged
    row goes; a new account just changes scope (its id is final). Campaign members that
    picked a staged row while it was visible are pointed at the kept id.
    """
    pairs = _pairs(conn, import_id, target, low, high)
    if pairs:
        copy = ", ".join(COPIED_COLUMNS)
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        conn.exec_driver_sql(
            f"UPDATE influencer SET ({copy}) = (SELECT {copy} FROM influencer AS s "
            f"WHERE s.id = {mark}), superseded_by = NULL WHERE id = {mark}",
            [(new, old) for new, old in pairs],
        )
        olds = [old for _, old in pairs]
        conn.execute(_NICHE.delete().where(_NICHE.c.influencer_id.in_(olds)))
        conn.exec_driver_sql(
            f"UPDATE influencer_niche SET influencer_id = {mark}, scope = {mark}, "
            f"superseded_by = NULL WHERE influencer_id = {mark}",
            [(old, target, new) for new, old in pairs],
        )
        kept = dict(pairs)
        members = conn.execute(
            select(_MEMBER.c.id, _MEMBER.c.influencer_id).where(
                _MEMBER.c.influencer_id.in_(list(kept))
            )
        ).all()
        for member_id, staged_id in members:  # rare: picked while the import was published
            conn.execute(
                _MEMBER.update()
                .where(_MEMBER.c.id == member_id)
                .values(influencer_id=kept[staged_id])
            )
        conn.execute(_INFLUENCER.delete().where(_INFLUENCER.c.id.in_([new for new, _ in pairs])))
    replaced = {new for new, _ in pairs}
    leftover = [id_ for id_ in _staged_ids(conn, import_id, low, high) if id_ not in replaced]
    if leftover:  # its key left the target meanwhile (a sample removal): it moves in
        conn.execute(
            _NICHE.update().where(_NICHE.c.influencer_id.in_(leftover)).values(scope=target)
        )
        conn.execute(
            _INFLUENCER.update().where(_INFLUENCER.c.id.in_(leftover)).values(scope=target)
        )
    if pairs or leftover:  # the visible ids changed: searches made before are stale
        bump_store_revision(conn)


def discard_window(conn: Connection, import_id: int, target: str, low: int, high: int) -> None:
    """Delete staged rows low..high and unmark the accounts they would have updated."""
    mark_superseded(conn, [old for _, old in _pairs(conn, import_id, target, low, high)], None)
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    added = conn.exec_driver_sql(
        f"SELECT id FROM influencer WHERE id BETWEEN {mark} AND {mark} AND staged_by = {mark}",
        (low, high, import_id),
    )
    staged = _staged_ids(conn, import_id, low, high) + [id_ for (id_,) in added]
    if staged:
        conn.execute(_NICHE.delete().where(_NICHE.c.influencer_id.in_(staged)))
        conn.execute(_INFLUENCER.delete().where(_INFLUENCER.c.id.in_(staged)))
