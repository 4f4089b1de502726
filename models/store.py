"""Queries on the influencer store: bulk upsert for imports, candidate look-ups for the engine.

Look-ups return plain rows and strings; `bot.store.search` turns them into domain types, so
this layer never imports `bot`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Row,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel

from models.base import rows_affected, utcnow
from models.campaigns import CampaignMember
from models.influencers import (
    GLOBAL_SCOPE,
    SAMPLE_SOURCE,
    SELF_SOURCE,
    Influencer,
    InfluencerNiche,
    RateCard,
)

# The Core tables, typed (SQLModel classes do not declare `__table__` to type checkers).
_INFLUENCER = SQLModel.metadata.tables[Influencer.__tablename__]
_NICHE = SQLModel.metadata.tables[InfluencerNiche.__tablename__]
_MEMBER = SQLModel.metadata.tables[CampaignMember.__tablename__]
_RATE_CARD = SQLModel.metadata.tables[RateCard.__tablename__]
_CHUNK = 2000


@dataclass(frozen=True)
class UpsertCounts:
    added: int
    updated: int


def upsert_influencers(
    session: Session,
    rows: Sequence[Any],  # bot.store.importer.InfluencerRow; typed loosely: models never import bot
    *,
    scope: str = GLOBAL_SCOPE,
    source: str,
    search_entries: Callable[[Any], list[dict[str, Any]]],
    progress: Callable[[int], None] | None = None,
) -> UpsertCounts:
    """Insert new (platform, handle) keys and update existing ones, in the caller's transaction.

    `search_entries(row)` gives the row's search-table entries (one per niche, with the
    ranking figures); the caller computes them because they rest on domain estimates.
    """
    existing = {
        (platform, handle): id_
        for platform, handle, id_ in session.execute(
            select(_INFLUENCER.c.platform, _INFLUENCER.c.handle, _INFLUENCER.c.id).where(
                _INFLUENCER.c.scope == scope
            )
        )
    }
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        # A big import rewrites index pages all over the file; let them stay in memory
        # for this connection instead of SQLite's 2 MB default (restored below).
        session.execute(text("PRAGMA cache_size = -131072"))
    try:
        return _write(session, rows, existing, scope, source, search_entries, progress)
    finally:
        if sqlite:
            with contextlib.suppress(SQLAlchemyError):  # never mask the import's own error
                session.execute(text("PRAGMA cache_size = -2000"))


def _write(
    session: Session,
    rows: Sequence[Any],
    existing: dict[tuple[str, str], int],
    scope: str,
    source: str,
    search_entries: Callable[[Any], list[dict[str, Any]]],
    progress: Callable[[int], None] | None,
) -> UpsertCounts:
    now = utcnow()
    added = updated = done = 0
    # Chunk by chunk, each fully written (accounts, then their search entries), so the
    # progress callback tracks the real work.
    for chunk in _chunks(rows):
        new_rows = [row for row in chunk if row.key not in existing]
        old_rows = [row for row in chunk if row.key in existing]
        ids = {row.key: existing[row.key] for row in old_rows}
        if new_rows:
            inserted = session.execute(
                insert(_INFLUENCER).returning(
                    _INFLUENCER.c.platform, _INFLUENCER.c.handle, _INFLUENCER.c.id
                ),
                [_values(row, scope, source, now) for row in new_rows],
            )
            ids.update({(platform, handle): id_ for platform, handle, id_ in inserted})
        if old_rows:
            session.execute(
                update(_INFLUENCER).where(_INFLUENCER.c.id == bindparam("_id")),
                [{"_id": ids[row.key], **_values(row, scope, source, now)} for row in old_rows],
            )
            session.execute(
                delete(_NICHE).where(_NICHE.c.influencer_id.in_(ids[r.key] for r in old_rows))
            )
        links = [
            {"influencer_id": ids[row.key], "platform": row.platform, "scope": scope, **entry}
            for row in chunk
            for entry in search_entries(row)
        ]
        if links:
            session.execute(insert(_NICHE), links)
        added += len(new_rows)
        updated += len(old_rows)
        done += len(chunk)
        if progress:
            progress(done)
    return UpsertCounts(added=added, updated=updated)


def _values(row: Any, scope: str, source: str, now: datetime) -> dict[str, Any]:
    return {
        "scope": scope,
        "platform": row.platform,
        "handle": row.handle,
        "name": row.name,
        "niches": "|".join(row.niches),
        "city": row.city,
        "province": row.province,
        "followers": row.followers,
        "engagement_rate": row.engagement_rate,
        "avg_views": row.avg_views,
        "price_idr": row.price_idr,
        "audience_quality": row.audience_quality,
        "contact": row.contact,
        "source": source,
        "updated_at": now,
    }


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


#: the columns a `Candidate` is built from (bot.store.search.candidate_of)
CANDIDATE_COLUMNS = (
    _INFLUENCER.c.id,
    _INFLUENCER.c.platform,
    _INFLUENCER.c.handle,
    _INFLUENCER.c.name,
    _INFLUENCER.c.niches,
    _INFLUENCER.c.city,
    _INFLUENCER.c.province,
    _INFLUENCER.c.followers,
    _INFLUENCER.c.engagement_rate,
    _INFLUENCER.c.avg_views,
    _INFLUENCER.c.price_idr,
    _INFLUENCER.c.audience_quality,
    _INFLUENCER.c.contact,
    # Rows of the bundled sample store (only `seed-demo` writes this source); a real import
    # of the same handle overwrites the source, and the row stops being sample.
    (_INFLUENCER.c.source == SAMPLE_SOURCE).label("sample"),
    # Listed by the influencer (/daftar) and not yet verified by the operator.
    and_(_INFLUENCER.c.source == SELF_SOURCE, _INFLUENCER.c.verified_at.is_(None)).label(
        "self_reported"
    ),
)


def candidate_query(
    *, niche: str, platform: str, scopes: Sequence[str] = (GLOBAL_SCOPE,)
) -> Select[Any]:
    """One index scan on (niche, platform, scope), joined to the influencer rows."""
    return (
        select(*CANDIDATE_COLUMNS)
        .select_from(_NICHE.join(_INFLUENCER, _INFLUENCER.c.id == _NICHE.c.influencer_id))
        .where(_NICHE.c.niche == niche, _NICHE.c.platform == platform, _NICHE.c.scope.in_(scopes))
    )


_GOAL_COLUMNS = {
    "awareness": _NICHE.c.value_awareness,
    "engagement": _NICHE.c.value_engagement,
    "sales": _NICHE.c.value_sales,
}


@dataclass(frozen=True)
class SearchColumns:
    """A niche's accounts on one platform, column-wise: only what ranking needs."""

    ids: list[int]
    macro: list[bool]
    prices: list[int]
    values: list[float]
    #: match bits per row: 2 = in one of the cities, 1 = in one of the provinces, 4 = in
    #: one of the origin cities (summed: bot.advisor.engine.area's codes)
    matches: list[int]


def scan_search_rows(
    session: Session,
    *,
    niche: str,
    platform: str,
    goal: str,
    cities: Iterable[str] = (),
    provinces: Iterable[str] = (),
    origins: Iterable[str] = (),
    scopes: Sequence[str] = (GLOBAL_SCOPE,),
) -> SearchColumns:
    """One covering-index scan; the database does the place matching (case-insensitively)."""
    match: Any = literal_column("0")
    for column, names, bit in (
        (_NICHE.c.city, cities, 2),
        (_NICHE.c.province, provinces, 1),
        (_NICHE.c.city, origins, 4),
    ):
        folded = sorted({n.lower() for n in names})
        if folded:
            match = match + case((func.lower(column).in_(folded), bit), else_=0)
    query = select(
        _NICHE.c.influencer_id,
        _NICHE.c.side == "macro",
        _NICHE.c.price_idr,
        _GOAL_COLUMNS[goal],
        match,
    ).where(_NICHE.c.niche == niche, _NICHE.c.platform == platform, _NICHE.c.scope.in_(scopes))
    rows = session.execute(query).all()
    if not rows:
        return SearchColumns([], [], [], [], [])
    ids, macro, prices, values, matches = (list(column) for column in zip(*rows, strict=True))
    return SearchColumns(ids, macro, prices, values, matches)


def fetch_candidate_rows_by_ids(session: Session, ids: Iterable[int]) -> list[Row]:
    """The influencer rows with these ids (candidate columns), in chunks under SQLite's limit."""
    wanted = sorted(set(ids))
    rows: list[Row] = []
    for chunk in _chunks(wanted, 900):
        query = select(*CANDIDATE_COLUMNS).where(_INFLUENCER.c.id.in_(chunk))
        rows.extend(session.execute(query))
    return rows


def fetch_candidate_rows(
    session: Session, *, niche: str, platform: str, scopes: Sequence[str] = (GLOBAL_SCOPE,)
) -> list[Row]:
    """Every influencer row of the niche on the platform (candidate columns)."""
    return list(session.execute(candidate_query(niche=niche, platform=platform, scopes=scopes)))


RateCards = dict[int, list[tuple[str, int]]]
"""influencer id -> its rate card, (format, price) pairs in format order."""


def fetch_rate_cards(session: Session, ids: Iterable[int]) -> RateCards:
    """The rate cards of these influencers (few accounts have one: one primary-key probe
    per id, in chunks under SQLite's limit)."""
    cards: RateCards = {}
    for chunk in _chunks(sorted(set(ids)), 900):
        query = (
            select(_RATE_CARD.c.influencer_id, _RATE_CARD.c.format, _RATE_CARD.c.price_idr)
            .where(_RATE_CARD.c.influencer_id.in_(chunk))
            .order_by(_RATE_CARD.c.influencer_id, _RATE_CARD.c.format)
        )
        for influencer_id, fmt, price in session.execute(query):
            cards.setdefault(influencer_id, []).append((fmt, price))
    return cards


# Built once: a recommendation asks it every time (statement building costs more than
# running it on a small rate-card table).
_NICHE_RATE_CARDS = (
    select(_RATE_CARD.c.influencer_id, _RATE_CARD.c.format, _RATE_CARD.c.price_idr)
    .where(
        select(_NICHE.c.influencer_id)
        .where(
            _NICHE.c.influencer_id == _RATE_CARD.c.influencer_id,
            _NICHE.c.niche == bindparam("niche"),
            _NICHE.c.platform == bindparam("platform"),
            _NICHE.c.scope.in_(bindparam("scopes", expanding=True)),
        )
        .exists()
    )
    .order_by(_RATE_CARD.c.influencer_id, _RATE_CARD.c.format)
)


def niche_rate_cards(
    session: Session, *, niche: str, platform: str, scopes: Sequence[str] = (GLOBAL_SCOPE,)
) -> RateCards:
    """The rate cards of a niche's accounts on one platform.

    Driven from the small rate-card table (a correlated EXISTS probing the search rows'
    primary key), so a store with thousands of accounts in the niche and few cards pays
    for the cards only.
    """
    params = {"niche": niche, "platform": platform, "scopes": list(scopes)}
    cards: RateCards = {}
    for influencer_id, fmt, price in session.execute(_NICHE_RATE_CARDS, params):
        cards.setdefault(influencer_id, []).append((fmt, price))
    return cards


def count_influencers(session: Session, *, scope: str = GLOBAL_SCOPE) -> int:
    return session.execute(
        select(func.count()).select_from(_INFLUENCER).where(_INFLUENCER.c.scope == scope)
    ).scalar_one()


def store_is_sample_only(session: Session) -> bool:
    """True while the global store holds nothing but the bundled sample rows.

    Two EXISTS probes instead of a count: this runs for every recommendation.
    """
    in_global = _INFLUENCER.c.scope == GLOBAL_SCOPE
    has_other = session.execute(
        select(
            select(_INFLUENCER.c.id)
            .where(in_global, _INFLUENCER.c.source != SAMPLE_SOURCE)
            .exists()
        )
    ).scalar_one()
    if has_other:
        return False
    return session.execute(
        select(
            select(_INFLUENCER.c.id)
            .where(in_global, _INFLUENCER.c.source == SAMPLE_SOURCE)
            .exists()
        )
    ).scalar_one()


@dataclass(frozen=True)
class SampleRemoval:
    influencers: int
    search_rows: int
    members_detached: int  # campaign members that had come from a sample row
    campaigns: int  # the campaigns those members belong to


def remove_sample_rows(session: Session) -> SampleRemoval:
    """Delete the bundled sample store, in the caller's transaction.

    Campaign members keep their own copy of an account (handle, name, followers, fee) and
    their snapshots hang off the member, so campaigns and reports stay whole; their link to
    the store row is cleared, so a later import that reuses the id cannot claim them. The
    search rows are deleted explicitly: SQLite enforces the cascade only with foreign keys on.
    """
    sample_ids = select(_INFLUENCER.c.id).where(
        _INFLUENCER.c.scope == GLOBAL_SCOPE, _INFLUENCER.c.source == SAMPLE_SOURCE
    )
    linked = _MEMBER.c.influencer_id.in_(sample_ids)
    members, campaigns = session.execute(
        select(func.count(), func.count(func.distinct(_MEMBER.c.campaign_id))).where(linked)
    ).one()
    if members:
        session.execute(update(_MEMBER).where(linked).values(influencer_id=None))
    search_rows = rows_affected(
        session.execute(delete(_NICHE).where(_NICHE.c.influencer_id.in_(sample_ids)))
    )
    influencers = rows_affected(
        session.execute(
            delete(_INFLUENCER).where(
                _INFLUENCER.c.scope == GLOBAL_SCOPE, _INFLUENCER.c.source == SAMPLE_SOURCE
            )
        )
    )
    return SampleRemoval(
        influencers=influencers,
        search_rows=search_rows,
        members_detached=members,
        campaigns=campaigns,
    )


def platforms_with_accounts(
    session: Session, platforms: Sequence[str], *, scopes: Sequence[str] = (GLOBAL_SCOPE,)
) -> set[str]:
    """Which of `platforms` have at least one account: one round trip, one index probe per
    platform (scope, platform, handle). Asked on every budget answer, so it must stay cheap."""
    probes = [
        select(_INFLUENCER.c.id)
        .where(_INFLUENCER.c.scope.in_(scopes), _INFLUENCER.c.platform == platform)
        .exists()
        .label(f"p{i}")
        for i, platform in enumerate(platforms)
    ]
    if not probes:
        return set()
    row = session.execute(select(*probes)).one()
    return {platform for platform, present in zip(platforms, row, strict=True) if present}


def niche_accounts_per_platform(
    session: Session, *, niche: str, scopes: Sequence[str] = (GLOBAL_SCOPE,)
) -> dict[str, int]:
    """How many accounts of a niche each platform has: one grouped scan of the niche index,
    asked only when the brief's platform has nothing that fits."""
    query = (
        select(_NICHE.c.platform, func.count(func.distinct(_NICHE.c.influencer_id)))
        .where(_NICHE.c.niche == niche, _NICHE.c.scope.in_(scopes))
        .group_by(_NICHE.c.platform)
    )
    return {platform: count for platform, count in session.execute(query)}
