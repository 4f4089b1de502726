"""Learning from the owner's campaigns: poor accounts are left out, their rates are used."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from bot.advisor.learning import own_results
from bot.advisor.recommendations import advise
from bot.domain import Brief, BusinessKind, Goal, Platform, Tier
from bot.language.locations import parse_location
from models.base import utcnow
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot
from models.db import session_scope
from tests.db.stores import store_csv

OWNER = 4242
STORE = store_csv(
    "instagram,dapur_rina,Dapur Rina,Kuliner,Bandung,,24000,4.1,3500,750000,86,",
    "instagram,jajan_bdg,Jajan Bandung,Kuliner,Bandung,,60000,2.5,9000,1500000,80,",
    "instagram,kuliner_jabar,Kuliner Jabar,Kuliner,Bandung,,45000,2.0,6000,1000000,75,",
    "instagram,makan_besar,Makan Besar,Kuliner,Bandung,,450000,1.6,30000,7500000,82,",
    "instagram,ngemil_bdg,Ngemil Bandung,Kuliner,Bandung,,30000,3.0,4000,800000,78,",
    "instagram,seblak_teh,Seblak Teh,Kuliner,Bandung,,12000,5.0,2500,400000,84,",
)


@pytest.fixture
def influencer_csv() -> str:
    return STORE


def _campaign(
    engine: Engine, goal: str, members: list[tuple[str, int, int, dict[str, int]]]
) -> None:
    """One campaign of OWNER: (handle, followers, fee, figures of its one post) per member."""
    with session_scope(engine) as session:
        campaign = Campaign(
            owner_user_id=OWNER,
            name="Promo",
            budget_idr=20_000_000,
            start_date=date(2026, 11, 1),
            end_date=date(2026, 11, 30),
            goal=goal,
        )
        session.add(campaign)
        session.flush()
        for handle, followers, fee, figures in members:
            member = CampaignMember(
                campaign_id=campaign.id,
                platform="instagram",
                handle=handle,
                name=handle,
                followers=followers,
                fee_idr=fee,
            )
            session.add(member)
            session.flush()
            session.add(
                PerformanceSnapshot(
                    member_id=member.id,
                    recorded_at=utcnow() - timedelta(days=1),
                    entry_id=str(uuid.uuid4()),
                    **figures,
                )
            )


def test_an_account_with_poor_roas_is_left_out_with_its_roas(db: Engine) -> None:
    """The quoted failure: "ROAS 0,15x" came back as a macro candidate at its old estimate."""
    _campaign(
        db,
        "sales",
        [
            (
                "makan_besar",
                450_000,
                7_500_000,
                {"likes": 900, "conversions": 5, "revenue_idr": 1_125_000},
            ),
            (
                "jajan_bdg",
                60_000,
                1_500_000,
                {"likes": 1200, "conversions": 40, "revenue_idr": 4_000_000},
            ),
        ],
    )
    with session_scope(db) as session:
        own = own_results(session, owner_id=OWNER)
        assert own is not None
        assert own.poor_accounts() == {(Platform.INSTAGRAM, "makan_besar"): pytest.approx(0.15)}
        assert own.rates[Tier.MACRO].purchase_rate == pytest.approx(5 / 900)
        assert own.rates[Tier.NANO].purchase_rate == pytest.approx(45 / 2100)  # pooled
        location = parse_location("Bandung")
        assert location is not None
        brief = Brief(
            "Kuliner", Goal.SALES, 20_000_000, Platform.INSTAGRAM, location, BusinessKind.ONLINE
        )
        rec = advise(session, brief, owner_id=OWNER).recommendation
    used = {p.candidate.handle for pf in rec.portfolios.values() for p in pf.picks}
    assert "makan_besar" not in used
    assert "makan_besar" not in {p.candidate.handle for p in rec.others}
    (left,) = rec.left_out
    assert left.reason == "poor_results" and left.roas == pytest.approx(0.15)
    chosen = rec.portfolio()
    assert chosen is not None and chosen.totals.purchase_rate_own


def test_the_report_rule_finds_an_account_far_worse_than_the_others(db: Engine) -> None:
    """Engagement: the report's "don't use it again" rule (twice the others' cost)."""
    _campaign(
        db,
        "engagement",
        [
            ("dapur_rina", 24_000, 750_000, {"likes": 700, "comments": 50}),
            ("ngemil_bdg", 30_000, 800_000, {"likes": 800, "comments": 40}),
            ("seblak_teh", 12_000, 400_000, {"likes": 380, "comments": 20}),
            ("kuliner_jabar", 45_000, 1_000_000, {"likes": 150, "comments": 10}),
        ],
    )
    with session_scope(db) as session:
        own = own_results(session, owner_id=OWNER)
        assert own is not None
        (poor,) = own.poor
        assert poor.handle == "kuliner_jabar" and poor.kpi == "cpe" and poor.roas is None
        location = parse_location("Bandung")
        assert location is not None
        brief = Brief("Kuliner", Goal.ENGAGEMENT, 5_000_000, Platform.INSTAGRAM, location)
        rec = advise(session, brief, owner_id=OWNER).recommendation
    assert [(lo.candidate.handle, lo.reason) for lo in rec.left_out] == [
        ("kuliner_jabar", "poor_results")
    ]
    assert all(p.candidate.handle != "kuliner_jabar" for p in rec.others)


def test_a_later_good_campaign_clears_an_account(db: Engine) -> None:
    bad = {"likes": 100, "conversions": 1, "revenue_idr": 100_000}
    good = {"likes": 2000, "conversions": 60, "revenue_idr": 6_000_000}
    _campaign(db, "sales", [("jajan_bdg", 60_000, 1_500_000, bad)])
    _campaign(db, "sales", [("jajan_bdg", 60_000, 1_500_000, good)])
    with session_scope(db) as session:
        own = own_results(session, owner_id=OWNER)
    assert own is not None and own.poor == ()
