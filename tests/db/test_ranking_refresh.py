"""Search rows ranked by an older formula are recomputed once after an upgrade."""

from __future__ import annotations

from sqlalchemy import Engine, text, update
from sqlmodel import Session, SQLModel

from bot.advisor.engine.values import RANKING_VERSION
from bot.store.ranking import refresh_rankings
from models.influencers import InfluencerNiche
from tests.db.stores import load_store

_NICHE = SQLModel.metadata.tables[InfluencerNiche.__tablename__]

CSV = """platform,handle,name,niches,city,province,followers,engagement_rate,avg_views,price_idr,audience_quality,contact
instagram,dapur_rina,Dapur Rina,Kuliner|Gaya Hidup,Bandung,Jawa Barat,24000,4.1,3600,750000,86,
instagram,sambal_ade,Sambal Ade,Kuliner,Medan,Sumatera Utara,8200,,,250000,,
tiktok,jajan_bdg,Jajan Bandung,Kuliner,Bandung,Jawa Barat,150000,6,45000,3500000,40,
"""


def _values(engine: Engine) -> dict[tuple[int, str], tuple[float, float, float, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT influencer_id, niche, value_awareness, value_engagement, value_sales,"
                " ranking_version FROM influencer_niche"
            )
        )
        return {(r[0], r[1]): (r[2], r[3], r[4], r[5]) for r in rows}


def test_old_rankings_are_recomputed_once_and_new_imports_are_current(engine: Engine) -> None:
    load_store(engine, CSV)
    fresh = _values(engine)
    assert len(fresh) == 4
    assert {v[3] for v in fresh.values()} == {RANKING_VERSION}
    assert refresh_rankings(engine) == 0  # nothing to do after an import

    # as a database written before the formula changed: stale values, version 1
    with Session(engine) as session, session.begin():
        session.execute(
            update(_NICHE).values(
                value_awareness=1.0, value_engagement=2.0, value_sales=3.0, ranking_version=1
            )
        )
    assert refresh_rankings(engine, batch=2) == 3  # three accounts, two batches
    assert _values(engine) == fresh
    assert refresh_rankings(engine) == 0
