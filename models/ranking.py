"""Queries for search rows whose ranking values were computed with an older formula."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, bindparam, select, update
from sqlmodel import Session, SQLModel

from models.influencers import Influencer, InfluencerNiche
from models.revision import bump_store_revision
from models.store import CANDIDATE_COLUMNS

_INFLUENCER = SQLModel.metadata.tables[Influencer.__tablename__]
_NICHE = SQLModel.metadata.tables[InfluencerNiche.__tablename__]


def stale_influencers(session: Session, *, version: int, limit: int) -> list[Row]:
    """Up to `limit` influencers (candidate columns) with a search row older than `version`."""
    stale_ids = (
        select(_NICHE.c.influencer_id)
        .where(_NICHE.c.ranking_version != version)
        .distinct()
        .order_by(_NICHE.c.influencer_id)
        .limit(limit)
        .scalar_subquery()
    )
    query = (
        select(*CANDIDATE_COLUMNS).where(_INFLUENCER.c.id.in_(stale_ids)).order_by(_INFLUENCER.c.id)
    )
    return list(session.execute(query))


def rewrite_values(session: Session, rows: Sequence[dict[str, Any]], *, version: int) -> None:
    """Set the per-goal values of (influencer_id, niche) search rows and stamp `version`."""
    if not rows:
        return
    statement = (
        update(_NICHE)
        .where(_NICHE.c.influencer_id == bindparam("b_influencer_id"))
        .where(_NICHE.c.niche == bindparam("b_niche"))
        .values(
            value_awareness=bindparam("b_awareness"),
            value_engagement=bindparam("b_engagement"),
            value_sales=bindparam("b_sales"),
            ranking_version=version,
        )
    )
    bump_store_revision(session)
    session.connection().execute(
        statement,
        [
            {
                "b_influencer_id": row["influencer_id"],
                "b_niche": row["niche"],
                "b_awareness": row["value_awareness"],
                "b_engagement": row["value_engagement"],
                "b_sales": row["value_sales"],
            }
            for row in rows
        ],
    )
