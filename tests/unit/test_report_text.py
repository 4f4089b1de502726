"""Report and summary texts stay within Telegram's limits however big the campaign."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.chat.texts import to_plain
from bot.domain import Goal, Platform, Tier
from bot.reports.kpi.figures import Figures, Snapshot
from bot.reports.kpi.rates import Member
from bot.reports.kpi.report import build_report
from bot.reports.report import render_report
from bot.summaries.periods import Frequency
from bot.summaries.sweeper import Claim, Period, render_summary_text
from models.campaigns import Campaign


def _report(members: int):
    at = datetime(2026, 11, 27, 3, tzinfo=UTC)
    people = [
        Member(
            i,
            f"akun_yang_cukup_panjang_{i}",
            f"Akun {i}",
            Platform.INSTAGRAM,
            20_000 * (i + 1),
            1_000_000 + i,
            Tier.MICRO if i % 3 else Tier.MACRO,
        )
        for i in range(members)
    ]
    snaps = [
        Snapshot(
            m.id,
            "",
            at - timedelta(days=1),
            Figures(
                impressions=90_000,
                reach=50_000 + m.id,
                likes=4_000,
                comments=300,
                shares=120,
                saves=80,
                clicks=900,
                conversions=40,
                revenue_idr=4_000_000,
            ),
        )
        for m in people
    ]
    return build_report(people, snaps, at=at, goal=Goal.SALES)


def test_report_of_a_big_campaign_fits_one_message() -> None:
    campaign = Campaign(
        id=7,
        owner_user_id=1,
        name="Kampanye & <Besar>",
        budget_idr=100_000_000,
        start_date=date(2026, 11, 1),
        end_date=date(2026, 12, 1),
    )
    report = _report(40)
    text = render_report(
        report,
        campaign,
        previous=(report.at - timedelta(days=1), _report(40)),
        timezone="Asia/Jakarta",
    )
    assert len(to_plain(text)) <= 4096
    assert "dan 30 influencer lain" in text
    assert "Kampanye &amp; &lt;Besar&gt;" in text
    summary = render_summary_text(
        report,
        campaign,
        previous=None,
        timezone="Asia/Jakarta",
        claim=Claim(1, 7, 1, "D2026-11-27", True, report.at - timedelta(days=3)),
        period=Period(date(2026, 11, 24), date(2026, 11, 26), Frequency.DAILY),
    )
    assert len(to_plain(summary)) <= 1024 and "Terlambat" in summary
