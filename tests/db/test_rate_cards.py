"""Self-listed rows and rate cards from real rows: read into candidates, priced per format,
shown, and carried into the campaign a recommendation becomes."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.advisor.engine.results import RECOMMENDATION_JSON
from bot.advisor.engine.shortlist import KEEP, shortlist
from bot.advisor.outreach import contacts_view, draft_message
from bot.advisor.recommendations import advise, to_json
from bot.advisor.view import candidates_csv, main_view, reasons_view
from bot.campaigns.plans import campaign_from_recommendation
from bot.chat.texts import to_plain
from bot.domain import BRIEF_JSON, Brief, Goal, Location, Platform
from bot.language.locations import parse_location
from bot.store.sample import CSV_COLUMNS, generate_influencers
from bot.store.search import fetch_candidates, fetch_candidates_by_ids
from models.base import utcnow
from models.campaigns import CampaignMember
from models.db import session_scope
from models.influencers import SELF_SOURCE, Influencer, RateCard
from models.search_rows import scan_search_rows
from models.users import SavedRecommendation
from tests.db.stores import load_store, store_csv

JT = 1_000_000


def _place(text: str) -> Location:
    location = parse_location(text)
    assert location is not None, text
    return location


SARI = 41
# Listed with /daftar: a Bandung account whose reels is far above a small budget, whose
# story is cheap; one the operator verified; one with a barter-only card.
SELF_ROWS = (
    "instagram,rina.story,Rina Story,Kuliner,Bandung,,90000,3.0,30000,6000000,85,6281234567890",
    "instagram,budi_verified,Budi Makan,Kuliner,Bandung,,30000,2.8,4000,900000,80,",
    "instagram,barter_only,Barter Aja,Kuliner,Bandung,,12000,3.5,2000,400000,80,",
)
CARDS = {
    "rina.story": (("reels", 6 * JT), ("story", 350_000), ("feed", 0)),
    "budi_verified": (("story", 250_000),),
    "barter_only": (("story", 0), ("feed", -1)),
}


def _list_self(engine: Engine, *, verify: str = "budi_verified") -> dict[str, int]:
    """The rows /daftar would write: source "self", search rows, rate-card rows."""
    load_store(engine, store_csv(*SELF_ROWS), source=SELF_SOURCE)
    with session_scope(engine) as session:
        rows = session.exec(select(Influencer).where(Influencer.source == SELF_SOURCE)).all()
        ids = {row.handle: row.id for row in rows}
        for row in rows:
            if row.handle == verify:
                row.verified_at = utcnow()
                session.add(row)
            for fmt, price in CARDS[row.handle]:
                session.add(RateCard(influencer_id=row.id, format=fmt, price_idr=price))
    return ids


def test_self_listed_rows_and_their_cards_are_read(db: Engine) -> None:
    ids = _list_self(db)
    with Session(db) as session:
        by_niche = {
            c.handle: c for c in fetch_candidates(session, niche="Kuliner", platform="instagram")
        }
        by_ids = {c.handle: c for c in fetch_candidates_by_ids(session, [*ids.values(), 1])}
    for found in (by_niche, by_ids):
        rina = found["rina.story"]
        assert rina.self_reported and rina.content_format is None
        assert rina.formats == (("feed", 0), ("reels", 6 * JT), ("story", 350_000))
        assert not found["budi_verified"].self_reported  # verified by the operator
        assert found["budi_verified"].formats == (("story", 250_000),)
        assert found["barter_only"].self_reported
    imported = by_niche["dapur_rina"]
    assert not imported.self_reported and imported.formats == ()


def _brief(budget: int) -> Brief:
    return Brief("Kuliner", Goal.AWARENESS, budget, Platform.INSTAGRAM, _place("Bandung"))


def test_a_small_budget_recommends_the_story_and_says_so(db: Engine) -> None:
    _list_self(db)
    with Session(db) as session:
        advice = advise(session, _brief(2 * JT))
    rec = advice.recommendation
    portfolio = rec.portfolio()
    assert portfolio is not None
    picks = {p.candidate.handle: p for p in portfolio.picks}
    assert "rina.story" in picks, [p.candidate.handle for p in portfolio.picks]
    rina = picks["rina.story"]
    assert (rina.candidate.content_format, rina.candidate.price_idr) == ("story", 350_000)
    assert rina.estimate.reach == 0.35 * 30_000 and rina.estimate.estimated
    assert portfolio.totals.cost <= 2 * JT

    text = to_plain(main_view(1, rec, sample_data=False, saved=True).text)
    line = next(x for x in text.splitlines() if "@rina.story" in x)
    assert "Rp350 rb/story" in line and line.count("belum diverifikasi") == 1
    assert len(text) <= 1200
    reasons = to_plain(reasons_view(1, rec, 0, sample_data=False).text)
    assert "Rp350.000/story" in reasons and reasons.count("belum kami cek") == 1
    contacts = to_plain(contacts_view(1, rec, 0).text)
    assert "Rp350.000/story · belum diverifikasi" in contacts
    draft = draft_message(rec.brief, rina.candidate, owner_name="Sari", today=date(2026, 12, 7))
    assert "1 story Instagram" in draft.plain and "Rp350.000 sesuai rate card Kakak" in draft.plain
    assert "rate card kalau ada" not in draft.plain

    shown = {c["handle"]: c for c in to_json(advice)["candidates"]}
    assert shown["rina.story"]["self_reported"] is True
    assert shown["rina.story"]["content_format"] == "story"
    assert shown["rina.story"]["price_idr"] == 350_000
    others = [c for h, c in shown.items() if h != "rina.story"]
    assert all(c["content_format"] is None and c["self_reported"] is False for c in others)
    rows = list(csv.reader(io.StringIO(candidates_csv(rec).decode("utf-8-sig")), delimiter=";"))
    by_handle = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_handle["rina.story"]["content_format"] == "story"
    assert by_handle["rina.story"]["self_reported"] == "yes"

    # the saved recommendation becomes a campaign: the story is the member's content
    with session_scope(db) as session:
        saved = SavedRecommendation(
            user_id=SARI,
            chat_id=SARI,
            brief=BRIEF_JSON.dump(rec.brief),
            result=RECOMMENDATION_JSON.dump(rec),
            saved_at=utcnow(),
        )
        session.add(saved)
        session.flush()
        campaign = campaign_from_recommendation(
            session, owner_id=SARI, rec_id=saved.id, today=date(2026, 12, 7), name="Promo Story"
        )
        members = {
            m.handle: m
            for m in session.exec(
                select(CampaignMember).where(CampaignMember.campaign_id == campaign.id)
            )
        }
    assert (members["rina.story"].content_type, members["rina.story"].fee_idr) == ("story", 350_000)
    assert {m.content_type for h, m in members.items() if h != "rina.story"} <= {"reels"}


def test_a_barter_card_is_not_a_price(db: Engine) -> None:
    _list_self(db)
    with Session(db) as session:
        rec = advise(session, _brief(10 * JT)).recommendation
    every = [p for s in rec.portfolios.values() for p in s.picks] + list(rec.others)
    barter = [p.candidate for p in every if p.candidate.handle == "barter_only"]
    assert barter and all(c.price_idr == 400_000 for c in barter)
    assert all(c.content_format == "reels" for c in barter)


def test_a_big_store_still_reads_the_accounts_with_a_rate_card(engine: Engine) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(generate_influencers(6000, seed=5))
    load_store(engine, out.getvalue())
    # far too dear for the budget at its main price, so the search rows drop it
    pricey = "instagram,mahal.tapi.story,Mahal Story,Kuliner,Bandung,,150000,2.0,6000,90000000,85,"
    load_store(engine, store_csv(pricey), source=SELF_SOURCE)
    nationwide = _place("seluruh Indonesia")
    brief = Brief("Kuliner", Goal.AWARENESS, 3 * JT, Platform.INSTAGRAM, nationwide)
    with session_scope(engine) as session:
        row = session.exec(select(Influencer).where(Influencer.handle == "mahal.tapi.story")).one()
        session.add(RateCard(influencer_id=row.id, format="story", price_idr=150_000))
        star = row.id
    with Session(engine) as session:
        columns = scan_search_rows(
            session,
            niche="Kuliner",
            platform="instagram",
            goal="awareness",
            cities=brief.location.cities,
            provinces=brief.location.provinces,
        )
        assert len(columns.ids) > 3 * KEEP  # big enough to be shortlisted
        ids = shortlist(
            columns.ids, columns.macro, columns.prices, columns.values, columns.matches, brief
        )
        assert star not in ids  # the search rows alone would never read it
        rec = advise(session, brief).recommendation
    every = [p for s in rec.portfolios.values() for p in s.picks] + list(rec.others)
    found = [p.candidate for p in every if p.candidate.id == star]
    assert found and found[0].content_format == "story" and found[0].price_idr == 150_000
