"""A niche's search rows on one platform, packed into one binary row per store revision.

Reading a big niche row by row costs about a microsecond per value in the database driver
(a niche of 114,000 accounts: ~90 ms on SQLite before any ranking). A pack holds the same
rows (the global store's visible accounts without a rate card, as `scan_search_rows`
reads them with `without_cards`) as one numpy record array, with each goal's order by price
and value (the skyband's sort, done once here): reading it is one blob, a few milliseconds. A pack is tagged with the store revision it was read under and is used only
while the revision has not moved (models.revision), so it is never staler than the search
rows. Place names are stored folded by the database's own lower(), the function the scan
matches places with, so both match the same accounts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import LargeBinary, Text, bindparam, delete, func, select
from sqlmodel import Field, Session, SQLModel

from models.base import BigInt
from models.influencers import GLOBAL_SCOPE
from models.search_rows import SearchColumns
from models.store import _NICHE, _RATE_CARD
from models.store_import import visible_filter


class SearchPack(SQLModel, table=True):
    __tablename__ = "search_pack"

    niche: str = Field(primary_key=True, max_length=60)
    platform: str = Field(primary_key=True, max_length=20)
    revision: int = Field(sa_type=BigInt)
    #: PACK_FORMAT of the code that wrote it: a pack in another layout counts as stale
    format: int
    rows: int
    data: bytes = Field(sa_type=LargeBinary)
    #: JSON list of the folded place names the rows' city and province codes point into
    places: str = Field(sa_type=Text)


_TABLE = SQLModel.metadata.tables[SearchPack.__tablename__]

PACK_ROW = np.dtype(
    [
        ("id", "<i8"),
        ("macro", "?"),
        ("price", "<i8"),
        ("awareness", "<f8"),
        ("engagement", "<f8"),
        ("sales", "<f8"),
        ("city", "<i4"),  # index into the pack's places, -1 for none
        ("province", "<i4"),
        # the rows by price ascending, then the goal's value descending (then id): the
        # i-th entry is the row that comes i-th, so a search need not sort a big niche
        ("by_awareness", "<i4"),
        ("by_engagement", "<i4"),
        ("by_sales", "<i4"),
    ]
)
_GOALS = ("awareness", "engagement", "sales")
#: bump with any change to PACK_ROW or to what a pack holds
PACK_FORMAT = 1
_FETCH = 20_000


@dataclass(frozen=True)
class Pack:
    rows: np.ndarray  # PACK_ROW records
    places: list[str]

    def columns(
        self, *, goal: str, cities: Sequence[str], provinces: Sequence[str], origins: Sequence[str]
    ) -> SearchColumns:
        """What `scan_search_rows` returns for these (folded) places."""
        match = np.zeros(len(self.rows), dtype=np.int64)
        for field, names, bit in (
            ("city", cities, 2),
            ("province", provinces, 1),
            ("city", origins, 4),
        ):
            wanted = {name.lower() for name in names}
            if wanted:
                # one flag per place name, and a last False for rows without the place (-1)
                hit = np.array([name in wanted for name in self.places] + [False])
                match += hit[self.rows[field]] * bit
        return SearchColumns(
            self.rows["id"],
            self.rows["macro"],
            self.rows["price"],
            self.rows[goal],
            match,
            order=self.rows[f"by_{goal}"],
        )


_READ = select(_TABLE.c.data, _TABLE.c.places).where(
    _TABLE.c.niche == bindparam("niche"),
    _TABLE.c.platform == bindparam("platform"),
    _TABLE.c.revision == bindparam("revision"),
    _TABLE.c.format == PACK_FORMAT,
)
# PostgreSQL sends bytea as hex text unless asked for binary results: for the biggest pack
# (5.6 MB) 57 ms against 8 ms, so it is read through psycopg's binary cursor.
_READ_BINARY = (
    f"SELECT data, places FROM {_TABLE.name} "
    "WHERE niche = %(niche)s AND platform = %(platform)s AND revision = %(revision)s "
    f"AND format = {PACK_FORMAT}"
)


def read_pack(session: Session, *, niche: str, platform: str, revision: int) -> Pack | None:
    """The pack of this niche and platform if it was read under this store revision."""
    params = {"niche": niche, "platform": platform, "revision": revision}
    connection = session.connection()
    found: Any
    if connection.dialect.name == "postgresql":
        with connection.connection.driver_connection.cursor(binary=True) as cursor:  # type: ignore[union-attr]
            found = cursor.execute(_READ_BINARY, params).fetchone()
    else:
        found = connection.execute(_READ, params).first()
    if found is None:
        return None
    data, places = found
    return Pack(np.frombuffer(bytes(data), dtype=PACK_ROW), json.loads(places))


def pack_revisions(session: Session) -> dict[tuple[str, str], int]:
    """(niche, platform) -> the revision its pack was read under (packs in this format)."""
    query = select(_TABLE.c.niche, _TABLE.c.platform, _TABLE.c.revision).where(
        _TABLE.c.format == PACK_FORMAT
    )
    return {(niche, platform): rev for niche, platform, rev in session.execute(query)}


def scan_pack(session: Session, *, niche: str, platform: str) -> Pack:
    """Read the niche's search rows into a pack (in the caller's read transaction)."""
    query = select(
        _NICHE.c.influencer_id,
        _NICHE.c.side == "macro",
        _NICHE.c.price_idr,
        _NICHE.c.value_awareness,
        _NICHE.c.value_engagement,
        _NICHE.c.value_sales,
        func.lower(_NICHE.c.city),
        func.lower(_NICHE.c.province),
    ).where(
        _NICHE.c.niche == niche,
        _NICHE.c.platform == platform,
        visible_filter(session, _NICHE, [GLOBAL_SCOPE]),
        ~select(_RATE_CARD.c.influencer_id)
        .where(_RATE_CARD.c.influencer_id == _NICHE.c.influencer_id)
        .exists(),
    )
    places: dict[str | None, int] = {None: -1}
    parts: list[np.ndarray] = []
    result = session.connection().execute(query)
    try:
        cursor = result.cursor
        while chunk := cursor.fetchmany(_FETCH):
            part = np.empty(len(chunk), dtype=PACK_ROW)
            ids, macro, price, aware, engage, sales, city, province = zip(*chunk, strict=True)
            part["id"], part["macro"], part["price"] = ids, macro, price
            part["awareness"], part["engagement"], part["sales"] = aware, engage, sales
            part["city"] = [places.setdefault(name, len(places) - 1) for name in city]
            part["province"] = [places.setdefault(name, len(places) - 1) for name in province]
            parts.append(part)
    finally:
        result.close()
    rows = np.concatenate(parts) if parts else np.empty(0, dtype=PACK_ROW)
    for goal in _GOALS:
        rows[f"by_{goal}"] = np.lexsort((rows["id"], -rows[goal], rows["price"]))
    names = [name for name in places if name is not None]
    return Pack(rows, names)


def write_pack(session: Session, *, niche: str, platform: str, revision: int, pack: Pack) -> None:
    """Replace the niche's pack (in the caller's transaction)."""
    session.execute(delete(_TABLE).where(_TABLE.c.niche == niche, _TABLE.c.platform == platform))
    session.execute(
        _TABLE.insert().values(
            niche=niche,
            platform=platform,
            revision=revision,
            format=PACK_FORMAT,
            rows=len(pack.rows),
            data=pack.rows.tobytes(),
            places=json.dumps(pack.places, ensure_ascii=False),
        )
    )
