"""Small influencer stores for the chat tests, as the CSV text an owner could upload."""

from __future__ import annotations

from sqlalchemy import Engine

from bot.advisor.engine.results import Recommendation
from bot.store.bulk import import_rows
from bot.store.stream import parse_influencer_csv
from models.db import session_scope

HEADER = "platform,handle,name,niches,city,province,followers,engagement_rate,avg_views,price_idr,audience_quality,contact"


def store_csv(*rows: str) -> str:
    """A CSV file of `rows` under the usual header."""
    return "\n".join([HEADER, *rows]) + "\n"


# Mostly Bandung food accounts of every size, one with characters HTML must escape and one
# with a low audience quality: enough for the advisor to choose between strategies.
ADVISOR_STORE = store_csv(
    "instagram,dapur_rina,Dapur & <Rasa> Rina,Kuliner,Bandung,,24000,4.1,3500,750000,86,",
    "instagram,sambal_bu_ade,Sambal Bu Ade,Kuliner,Bandung,,15000,,,500000,40,",
    "instagram,jajan_bdg,Jajan Bandung,Kuliner|Gaya Hidup,Bandung,,60000,2.5,,1500000,80,",
    "instagram,kuliner_jabar,Kuliner Jabar,Kuliner,Bogor,,45000,2.0,6000,1000000,75,",
    "instagram,makan_besar,Makan Besar,Kuliner,Jakarta,,450000,1.6,20000,7500000,82,",
    "instagram,foodie_nusantara,Foodie Nusantara,Kuliner,Surabaya,,1500000,1.4,60000,25000000,88,",
    "tiktok,rina_tt,Rina TT,Kuliner,Bandung,,30000,5.0,20000,600000,80,",
)


def load_store(engine: Engine, csv_text: str, *, source: str = "test") -> None:
    """Import `csv_text` as an owner's upload would; it must parse without errors."""
    parsed = parse_influencer_csv(csv_text.encode())
    assert not parsed.errors, parsed.errors
    with session_scope(engine) as session:
        import_rows(session, parsed.rows, source=source)


def answer_signature(rec: Recommendation) -> tuple:
    """What an owner is told, for comparing two ways of answering the same brief: the chosen
    strategy, every strategy's accounts and cheapest price, the other candidates, and the
    counts of accounts in the owner's city."""
    return (
        rec.chosen,
        {s: tuple(sorted(p.candidate.id for p in pf.picks)) for s, pf in rec.portfolios.items()},
        {s: pf.cheapest_price for s, pf in rec.portfolios.items()},
        tuple(p.candidate.id for p in rec.others),
        rec.cheapest_price,
        rec.local_fitting,
        rec.local_affordable,
    )
