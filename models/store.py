"""Queries on the influencer store: bulk upsert for imports, candidate look-ups for the engine.

Look-ups return plain rows and strings; `bot.store.search` turns them into domain types, so
this layer never imports `bot`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Row,
    Select,
    and_,
    any_,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, SQLModel

from models.base import rows_affected
from models.campaigns import CampaignMember
from models.influencers import (
    GLOBAL_SCOPE,
    SAMPLE_SOURCE,
    SELF_SOURCE,
    Influencer,
    InfluencerNiche,
    RateCard,
)
from models.revision import bump_store_revision
from models.store_import import visible_clause, visible_filter, visible_params

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


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
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
    session: Session, *, niche: str, platform: str, scopes: Sequence[str] = (GLOBAL_SCOPE,)
) -> Select[Any]:
    """One index scan on (niche, platform, scope), joined to the influencer rows."""
    return (
        select(*CANDIDATE_COLUMNS)
        .select_from(_NICHE.join(_INFLUENCER, _INFLUENCER.c.id == _NICHE.c.influencer_id))
        .where(
            _NICHE.c.niche == niche,
            _NICHE.c.platform == platform,
            visible_filter(session, _NICHE, scopes),
        )
    )


def fetch_candidate_rows_by_ids(session: Session, ids: Iterable[int]) -> list[tuple[Any, ...]]:
    """The influencer rows with these ids (candidate columns, in their order), in chunks
    under SQLite's limit.

    Plain tuples from the driver's cursor: a recommendation reads some 600 of them, and a
    Row object each cost more than the query.
    """
    wanted = sorted(set(ids))
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    rows: list[tuple[Any, ...]] = []
    if postgres:
        # one array parameter (600 placeholders cost more to render than to run), straight
        # to psycopg's binary cursor: through SQLAlchemy's array handling it took twice as long
        sql, constants = _candidates_by_id_array()
        raw = connection.connection.driver_connection
        with raw.cursor(binary=True) as cursor:  # type: ignore[union-attr]
            for chunk in _chunks(wanted, 5000):
                rows.extend(cursor.execute(sql, {**constants, "ids": list(chunk)}).fetchall())
        return rows
    for chunk in _chunks(wanted, 900):
        result = connection.execute(select(*CANDIDATE_COLUMNS).where(_INFLUENCER.c.id.in_(chunk)))
        try:
            rows.extend(result.cursor.fetchall())
        finally:
            result.close()
    return rows


@functools.cache
def _candidates_by_id_array() -> tuple[str, dict[str, Any]]:
    """The PostgreSQL statement of the candidate columns by an array of ids, compiled once,
    and its constant parameters."""
    from sqlalchemy.dialects.postgresql import psycopg

    query = select(*CANDIDATE_COLUMNS).where(
        _INFLUENCER.c.id == any_(bindparam("ids", type_=postgresql.ARRAY(BigInteger)))
    )
    compiled = query.compile(dialect=psycopg.dialect())
    return str(compiled), {k: v for k, v in compiled.params.items() if k != "ids"}


def fetch_candidate_rows(
    session: Session, *, niche: str, platform: str, scopes: Sequence[str] = (GLOBAL_SCOPE,)
) -> list[Row]:
    """Every influencer row of the niche on the platform (candidate columns)."""
    query = candidate_query(session, niche=niche, platform=platform, scopes=scopes)
    return list(session.execute(query))


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
            visible_clause(_NICHE),
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
    params = {"niche": niche, "platform": platform, **visible_params(session, scopes)}
    cards: RateCards = {}
    for influencer_id, fmt, price in session.execute(_NICHE_RATE_CARDS, params):
        cards.setdefault(influencer_id, []).append((fmt, price))
    return cards


def count_influencers(session: Session, *, scope: str = GLOBAL_SCOPE) -> int:
    return session.execute(
        select(func.count())
        .select_from(_INFLUENCER)
        .where(visible_filter(session, _INFLUENCER, [scope]))
    ).scalar_one()


def _probe(*conditions: ColumnElement[bool]) -> Select[tuple[bool]]:
    return select(select(_INFLUENCER.c.id).where(visible_clause(_INFLUENCER), *conditions).exists())


# Built once: this runs for every recommendation.
_HAS_REAL_ROWS = _probe(_INFLUENCER.c.source != SAMPLE_SOURCE)
_HAS_SAMPLE_ROWS = _probe(_INFLUENCER.c.source == SAMPLE_SOURCE)


def store_is_sample_only(session: Session) -> bool:
    """True while the global store holds nothing but the bundled sample rows.

    Two EXISTS probes, the second only when the first found no real row: in a real store
    of a million accounts, looking for a sample row that is not there reads every row.
    """
    params = visible_params(session, [GLOBAL_SCOPE])
    if session.execute(_HAS_REAL_ROWS, params).scalar_one():
        return False
    return bool(session.execute(_HAS_SAMPLE_ROWS, params).scalar_one())


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
    if influencers:
        bump_store_revision(session)
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
    visible = visible_filter(session, _INFLUENCER, scopes)
    probes = [
        select(_INFLUENCER.c.id)
        .where(visible, _INFLUENCER.c.platform == platform)
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
        .where(_NICHE.c.niche == niche, visible_filter(session, _NICHE, scopes))
        .group_by(_NICHE.c.platform)
    )
    return {platform: count for platform, count in session.execute(query)}
