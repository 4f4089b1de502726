"""Ratios over the accounts that reported their inputs, and the money line, on messy campaigns."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.chat.texts import to_plain
from bot.domain import Goal, Platform, tier_of
from bot.reports.kpi.figures import Figures, Snapshot
from bot.reports.kpi.rates import RATIO_INPUTS, Member, group_kpis
from bot.reports.kpi.report import REPORT_JSON, build_report
from bot.reports.report import render_report
from bot.reports.spreadsheet import report_csv
from models.campaigns import Campaign

AT = datetime(2026, 12, 9, 2, 0, tzinfo=UTC)


def member(mid: int, handle: str, fee: int, followers: int = 20_000) -> Member:
    return Member(
        id=mid,
        handle=handle,
        name=handle,
        platform=Platform.TIKTOK,
        followers=followers,
        fee_idr=fee,
        tier=tier_of(followers, Platform.TIKTOK),
    )


def snap(mid: int, **figures: int) -> Snapshot:
    return Snapshot(member_id=mid, post_key="", recorded_at=AT, figures=Figures(**figures))


def campaign(goal: str = "sales") -> Campaign:
    return Campaign(
        id=12,
        owner_user_id=1,
        name="Kuliner Tiktok 7 Des",
        budget_idr=25_000_000,
        start_date=date(2026, 12, 7),
        end_date=date(2027, 1, 6),
        goal=goal,
    )


# The quoted bug: one of three accounts reported; its CPM is Rp28.000, the report said
# Rp297.000 (every fee over its views).
THREE = [
    member(1, "warungbudi", 1_960_000),
    member(2, "makanmulu", 9_400_000, 300_000),
    member(3, "jajanjkt", 9_440_000, 320_000),
]


def test_one_reporting_account_gives_its_own_cpm_and_says_so() -> None:
    report = build_report(THREE, [snap(1, impressions=70_000, likes=3_100, clicks=840)], at=AT)
    overall = report.overall
    assert overall.cost == 20_800_000  # the money is all spent
    assert overall.cpm == pytest.approx(28_000.0)  # 1.960.000 / 70.000 × 1.000
    assert overall.cpc == pytest.approx(2333.33, rel=1e-5)
    assert overall.covered("cpm") == 1 and overall.accounts == 3 and overall.partial("cpm")
    text = to_plain(render_report(report, campaign(), previous=None, timezone="Asia/Jakarta"))
    assert "Rp297.000" not in text
    assert (
        "biaya per 1.000 tayangan (CPM) Rp28.000 (baru 1 dari 3 akun yang melaporkan tayangan)"
        in text
    )
    assert "Belum ada yang menonjol" not in text
    # each acronym is explained once in the message
    for acronym in ("(CPM)", "(CPE)", "(CPC)", "(ER)"):
        assert text.count(acronym) == 1, acronym


# A messy campaign: one with views only, one with clicks but no purchases, one with
# purchases and revenue, one silent.
MESSY = [
    member(1, "viewsaja", 1_000_000),
    member(2, "klikdoang", 2_000_000),
    member(3, "jualan", 3_000_000),
    member(4, "diam", 4_000_000),
]
MESSY_SNAPS = [
    snap(1, impressions=40_000),
    snap(2, impressions=30_000, likes=900, comments=40, clicks=300),
    snap(3, impressions=20_000, likes=500, clicks=200, conversions=25, revenue_idr=7_200_000),
]


def test_messy_campaign_ratios_use_only_accounts_with_inputs() -> None:
    r = build_report(MESSY, MESSY_SNAPS, at=AT, goal=Goal.SALES)
    o = r.overall
    assert o.cost == 10_000_000
    assert o.cpm == pytest.approx(6_000_000 / 90_000 * 1000)
    assert (o.covered("cpm"), o.cost_basis["cpm"]) == (3, 6_000_000)
    assert o.cpe == pytest.approx(5_000_000 / 1440)
    assert o.cpc == pytest.approx(5_000_000 / 500)
    assert o.cpa == pytest.approx(3_000_000 / 25)
    assert o.roas == pytest.approx(2.4)  # 7.200.000 over the one account with revenue
    assert o.covered("roas") == 1


def test_money_line_with_revenue_for_one_account_only() -> None:
    r = build_report(MESSY, MESSY_SNAPS, at=AT, goal=Goal.SALES)
    text = to_plain(render_report(r, campaign(), previous=None, timezone="Asia/Jakarta"))
    first_lines = text.splitlines()[2]
    assert first_lines.startswith(
        "💰 Omzet Rp7,2 jt dari biaya Rp3 jt (1 dari 4 akun yang mencatat omzet): sudah untung 2,4x."
    )
    assert "Total biaya semua akun Rp10 jt" in first_lines
    # no figure all three reporting accounts share on the goal's list: the two with
    # interactions are compared, and the text says so
    assert "@klikdoang paling hemat: Rp2.128 per interaksi; 🐢 @jualan paling mahal" in text
    assert "dibandingkan di antara 2 akun yang melaporkan interaksi" in text


@pytest.mark.parametrize(
    ("revenue", "verdict"),
    [(7_200_000, "baru balik 35%"), (20_500_000, "balik modal"), (43_050_000, "sudah untung 2,1x")],
)
def test_money_line_says_whether_it_paid(revenue: int, verdict: str) -> None:
    members = [member(1, "a", 10_250_000), member(2, "b", 10_250_000)]
    snaps = [snap(1, revenue_idr=revenue // 2), snap(2, revenue_idr=revenue - revenue // 2)]
    r = build_report(members, snaps, at=AT, goal=Goal.SALES)
    text = to_plain(render_report(r, campaign(), previous=None, timezone="Asia/Jakarta"))
    assert f"dari biaya Rp20,5 jt: {verdict}." in text


def test_money_line_without_revenue_says_what_to_record() -> None:
    r = build_report(MESSY[:2], MESSY_SNAPS[:2], at=AT, goal=Goal.SALES)
    text = to_plain(render_report(r, campaign(), previous=None, timezone="Asia/Jakarta"))
    assert "omzet belum dicatat" in text and "@viewsaja omzet 1500000" in text


def test_reports_stored_before_coverage_still_load() -> None:
    r = build_report(MESSY, MESSY_SNAPS, at=AT, goal=Goal.SALES)
    stored = REPORT_JSON.dump(r)
    for kpis in [stored["overall"], *stored["per_member"].values(), *stored["per_side"].values()]:
        for key in ("accounts", "coverage", "cost_basis"):
            del kpis[key]
    old = REPORT_JSON.load(stored)
    assert old.overall.accounts == 0 and not old.overall.partial("cpm")
    text = render_report(old, campaign(), previous=None, timezone="Asia/Jakarta")
    assert "(baru 3 dari 4 akun" not in text and "Rp10 jt: " in text


# ----------------------------------------------------------------------------------
# Property: a ratio never mixes accounts with and without its inputs
# ----------------------------------------------------------------------------------

maybe = st.one_of(st.none(), st.integers(min_value=0, max_value=5_000_000))
figures_st = st.builds(
    Figures,
    impressions=maybe,
    reach=maybe,
    likes=maybe,
    comments=maybe,
    clicks=maybe,
    conversions=maybe,
    revenue_idr=maybe,
)
account_st = st.tuples(st.integers(min_value=0, max_value=50_000_000), figures_st)


def _has(f: Figures, name: str) -> bool:
    return (f.engagements if name == "engagements" else getattr(f, name)) is not None


@settings(max_examples=200, deadline=None)
@given(st.lists(account_st, min_size=1, max_size=6))
def test_ratio_equals_the_ratio_of_the_accounts_with_its_inputs(accounts: list) -> None:
    group = [(member(i, f"a{i}", fee), [f]) for i, (fee, f) in enumerate(accounts)]
    kpis = group_kpis(group)
    assert kpis.cost == sum(fee for fee, _ in accounts)
    for kpi, inputs in RATIO_INPUTS.items():
        if kpi == "engagement_rate":
            continue
        with_inputs = [(m, p) for m, p in group if all(_has(p[0], n) for n in inputs)]
        alone = group_kpis(with_inputs).value(kpi) if with_inputs else None
        assert kpis.covered(kpi) == len(with_inputs)
        # Adding accounts without the inputs changes nothing; with no one, nothing is known.
        assert kpis.value(kpi) == (pytest.approx(alone) if alone is not None else None)


def test_report_csv_opens_with_indonesian_settings() -> None:
    r = build_report(MESSY, MESSY_SNAPS, at=AT, goal=Goal.SALES)
    raw = report_csv(r)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, *body = rows
    assert header[:5] == ["Baris", "Akun", "Platform", "Tier", "Fee (Rp)"]
    assert all(len(row) == len(header) for row in body)
    assert [row[0] for row in body] == ["Influencer"] * 4 + ["Total mikro", "Total kampanye"]
    col = {name: i for i, name in enumerate(header)}
    jualan, diam, total = body[2], body[3], body[-1]
    assert jualan[col["Akun"]] == "@jualan" and jualan[col["Omzet (Rp)"]] == "7200000"
    assert jualan[col["Omzet per Rupiah biaya/ROAS (x)"]] == "2,40"  # decimal comma
    assert jualan[col["Tingkat interaksi/ER (%)"]] == "2,50"
    assert set(diam[5:]) == {""}  # nothing reported: unknown, not zero
    assert total[col["Fee (Rp)"]] == "10000000"
    assert total[col["Biaya per klik/CPC (Rp)"]] == "10000"  # 5 jt over the 500 clicks of two
