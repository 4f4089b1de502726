"""Campaign KPIs: hand-computed maths, unknowns, supersession, reports and suggestions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.domain import Goal, JsonShape, Platform, Tier, tier_of
from bot.reports.kpi.comparisons import CHANGE_FIELDS, Change, changes
from bot.reports.kpi.figures import (
    FIGURE_FIELDS,
    Figures,
    Snapshot,
    latest_per_post,
    validate_figures,
)
from bot.reports.kpi.rates import Kpis, Member, compute_kpis
from bot.reports.kpi.report import REPORT_JSON, Report, build_report
from bot.reports.kpi.suggestions import SUGGESTION_CODES, Suggestion, suggest

T0 = datetime(2025, 3, 1, 3, 0, tzinfo=UTC)  # 10:00 WIB
JT = 1_000_000


def member(
    mid: int,
    followers: int,
    fee: int,
    *,
    handle: str | None = None,
    platform: Platform = Platform.INSTAGRAM,
) -> Member:
    return Member(
        id=mid,
        handle=handle or f"akun{mid}",
        name=f"Akun {mid}",
        platform=platform,
        followers=followers,
        fee_idr=fee,
        tier=tier_of(followers, platform),
    )


def snap(mid: int, figures: Figures, *, at: datetime = T0, post: str = "") -> Snapshot:
    return Snapshot(member_id=mid, post_key=post, recorded_at=at, figures=figures)


def engaged(likes: int, *, reach: int | None = None, **more: int) -> Figures:
    return Figures(likes=likes, reach=reach, **more)


# ----------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------


def test_figures_add_keeps_unknown_unknown() -> None:
    a = Figures(reach=100, likes=10)
    b = Figures(likes=5, clicks=2)
    assert a + b == Figures(reach=100, likes=15, clicks=2)
    assert (Figures() + Figures()).is_empty()
    assert (Figures() + a) == a


def test_merged_newer_known_values_win() -> None:
    older = Figures(reach=12000, likes=800, comments=45)
    newer = Figures(likes=900, clicks=90)
    assert older.merged(newer) == Figures(reach=12000, likes=900, comments=45, clicks=90)


def test_known_and_is_empty_and_dict_round_trip() -> None:
    f = Figures(revenue_idr=0, reach=5)
    assert f.known() == ["reach", "revenue_idr"]
    assert not f.is_empty() and Figures().is_empty()
    shape = JsonShape(Figures)
    assert shape.load(shape.dump(f)) == f
    assert set(shape.dump(f)) == set(FIGURE_FIELDS)
    assert shape.load({"likes": "7"}) == Figures(likes=7)


def test_engagements_sum_only_known_parts() -> None:
    assert Figures(likes=800, comments=45).engagements == 845
    assert Figures(reach=100, clicks=4).engagements is None
    assert Figures(saves=0).engagements == 0


# ----------------------------------------------------------------------------------
# compute_kpis: hand-computed
# ----------------------------------------------------------------------------------

FULL = Figures(
    impressions=20000,
    reach=12000,
    likes=800,
    comments=45,
    shares=30,
    saves=12,
    clicks=90,
    conversions=7,
    revenue_idr=1_200_000,
)


def test_compute_kpis_full_figures_by_hand() -> None:
    k = compute_kpis(FULL, cost=1_500_000, followers=50_000)
    assert k.engagements == 887  # 800 + 45 + 30 + 12
    assert k.er_basis == "reach"
    assert k.engagement_rate == pytest.approx(7.391667, rel=1e-6)  # 887 / 12000 * 100
    assert k.cpm == pytest.approx(75_000.0)  # 1.500.000 / 20.000 * 1000
    assert k.cpe == pytest.approx(1691.0936, rel=1e-7)  # 1.500.000 / 887
    assert k.cpc == pytest.approx(16_666.6667, rel=1e-8)  # 1.500.000 / 90
    assert k.cpa == pytest.approx(214_285.714, rel=1e-8)  # 1.500.000 / 7
    assert k.roas == pytest.approx(0.8)  # 1.200.000 / 1.500.000
    assert k.cost_per_1000_reach == pytest.approx(125_000.0)  # 1.500.000 / 12.000 * 1000
    assert k.cost == 1_500_000 and k.figures == FULL


def test_er_falls_back_to_followers_and_says_so() -> None:
    k = compute_kpis(Figures(likes=300, comments=20), cost=500_000, followers=16_000)
    assert k.engagements == 320
    assert k.er_basis == "followers"
    assert k.engagement_rate == pytest.approx(2.0)  # 320 / 16.000 * 100
    assert k.cpe == pytest.approx(1562.5)  # 500.000 / 320


def test_er_with_zero_reach_uses_followers() -> None:
    k = compute_kpis(Figures(reach=0, likes=50), cost=100_000, followers=10_000)
    assert (k.er_basis, k.engagement_rate) == ("followers", pytest.approx(0.5))  # 50/10.000


def test_er_unknown_without_reach_or_followers() -> None:
    for followers in (None, 0):
        k = compute_kpis(Figures(likes=50), cost=100_000, followers=followers)
        assert k.engagement_rate is None and k.er_basis is None


def test_nothing_known_means_every_kpi_unknown() -> None:
    k = compute_kpis(Figures(), cost=1_000_000, followers=20_000)
    assert k.engagements is None
    for name in (
        "engagement_rate",
        "er_basis",
        "cpm",
        "cpe",
        "cpc",
        "cpa",
        "roas",
        "cost_per_1000_reach",
    ):
        assert getattr(k, name) is None, name


def test_zero_denominators_are_unknown_not_errors() -> None:
    zeros = Figures(impressions=0, reach=0, likes=0, clicks=0, conversions=0, revenue_idr=0)
    k = compute_kpis(zeros, cost=1_000_000, followers=0)
    assert k.cpm is None and k.cpe is None and k.cpc is None and k.cpa is None
    assert k.cost_per_1000_reach is None
    assert k.roas == 0.0  # revenue known and zero: a real, bad, result
    assert k.engagements == 0


def test_zero_cost_leaves_cost_ratios_unknown() -> None:
    # A barter post (or a fee not entered) would otherwise rank first at "Rp0 per like".
    k = compute_kpis(FULL, cost=0, followers=50_000)
    assert (k.cpm, k.cpe, k.cpc, k.cpa, k.roas, k.cost_per_1000_reach) == (None,) * 6
    assert k.engagement_rate == pytest.approx(7.391667, rel=1e-6)


def test_one_known_part_is_enough_for_engagements() -> None:
    k = compute_kpis(Figures(comments=40), cost=200_000, followers=None)
    assert k.engagements == 40 and k.cpe == pytest.approx(5000.0)  # 200.000 / 40


# ----------------------------------------------------------------------------------
# Snapshots: the latest per post wins, partial snapshots merge
# ----------------------------------------------------------------------------------


def test_latest_snapshot_supersedes_and_merges() -> None:
    first = snap(1, Figures(reach=5000, likes=300), at=T0)
    second = snap(1, Figures(reach=8000, likes=450), at=T0 + timedelta(days=1))
    clicks_only = snap(1, Figures(clicks=60), at=T0 + timedelta(days=2))
    # Input order does not matter, time does.
    totals = latest_per_post([clicks_only, first, second])
    assert totals == {(1, ""): Figures(reach=8000, likes=450, clicks=60)}


def test_latest_as_of_a_moment() -> None:
    first = snap(1, Figures(reach=5000), at=T0)
    second = snap(1, Figures(reach=8000), at=T0 + timedelta(days=1))
    assert latest_per_post([first, second], at=T0 + timedelta(hours=1)) == {
        (1, ""): Figures(reach=5000)
    }
    assert latest_per_post([first, second], at=T0 - timedelta(seconds=1)) == {}
    assert latest_per_post([first, second], at=T0 + timedelta(days=1)) == {
        (1, ""): Figures(reach=8000)
    }


def test_posts_and_members_are_kept_apart() -> None:
    snaps = [
        snap(1, Figures(likes=10), post="tiktok.com/@a/video/1"),
        snap(1, Figures(likes=20), post="tiktok.com/@a/video/2"),
        snap(2, Figures(likes=30), post="tiktok.com/@a/video/1"),
    ]
    assert latest_per_post(snaps) == {
        (1, "tiktok.com/@a/video/1"): Figures(likes=10),
        (1, "tiktok.com/@a/video/2"): Figures(likes=20),
        (2, "tiktok.com/@a/video/1"): Figures(likes=30),
    }


def test_same_time_applies_in_given_order() -> None:
    a = snap(1, Figures(likes=10), at=T0)
    b = snap(1, Figures(likes=12), at=T0)
    assert latest_per_post([a, b]) == {(1, ""): Figures(likes=12)}


def test_snapshot_needs_an_aware_time() -> None:
    with pytest.raises(ValueError):
        Snapshot(member_id=1, post_key="", recorded_at=datetime(2025, 3, 1), figures=Figures())
    wib = timezone(timedelta(hours=7))
    local = snap(1, Figures(likes=1), at=datetime(2025, 3, 1, 10, 0, tzinfo=wib))
    assert latest_per_post([local], at=T0) == {(1, ""): Figures(likes=1)}  # 10:00 WIB = 03:00 UTC


# ----------------------------------------------------------------------------------
# Members and sides
# ----------------------------------------------------------------------------------


def test_member_side_follows_the_tier() -> None:
    assert member(1, 5_000, 100_000).side == "micro"  # nano
    assert member(2, 50_000, 1 * JT).side == "micro"
    assert member(3, 150_000, 4 * JT).side == "macro"
    assert member(4, 2_000_000, 20 * JT).side == "macro"  # mega
    # YouTube's macro line is 250k.
    yt = member(5, 200_000, 3 * JT, platform=Platform.YOUTUBE)
    assert yt.tier is Tier.MICRO and yt.side == "micro"


# ----------------------------------------------------------------------------------
# Reports: per member, per side, overall
# ----------------------------------------------------------------------------------

DAPUR = member(1, 24_000, 750_000, handle="dapur_tehrina")
SAMBAL = member(2, 40_000, 1 * JT, handle="sambal.rudy")
KULINER = member(3, 350_000, 5 * JT, handle="kuliner.jkt")
FOODIE = member(4, 800_000, 8 * JT, handle="foodie.id")
CAMPAIGN = [DAPUR, SAMBAL, KULINER, FOODIE]
CAMPAIGN_SNAPS = [
    snap(1, Figures(reach=5000, likes=400, comments=50, shares=30, saves=20)),  # 500 eng
    snap(2, Figures(reach=8000, likes=500, comments=60, shares=20, saves=20)),  # 600 eng
    snap(3, Figures(reach=40000, likes=1500, comments=300, shares=100, saves=100)),  # 2000
    snap(4, Figures(reach=60000, likes=1800, comments=100, shares=50, saves=50)),  # 2000
]
AT = T0 + timedelta(days=7)


def campaign_report(goal: Goal | None = None) -> Report:
    return build_report(CAMPAIGN, CAMPAIGN_SNAPS, at=AT, goal=goal)


def test_per_member_kpis_by_hand() -> None:
    r = campaign_report()
    assert r.per_member[1].cpe == pytest.approx(1500.0)  # 750.000 / 500
    assert r.per_member[2].cpe == pytest.approx(1666.6667, rel=1e-7)  # 1.000.000 / 600
    assert r.per_member[3].cpe == pytest.approx(2500.0)  # 5.000.000 / 2000
    assert r.per_member[4].cpe == pytest.approx(4000.0)  # 8.000.000 / 2000
    assert r.per_member[1].engagement_rate == pytest.approx(10.0)  # 500 / 5000
    assert r.per_member[1].er_basis == "reach"


def test_per_side_and_overall_by_hand() -> None:
    r = campaign_report()
    micro, macro = r.per_side["micro"], r.per_side["macro"]
    assert micro.cost == 1_750_000 and micro.engagements == 1100
    assert micro.cpe == pytest.approx(1590.909, rel=1e-6)  # 1.750.000 / 1100
    assert micro.engagement_rate == pytest.approx(8.461538, rel=1e-6)  # 1100 / 13.000
    assert macro.cost == 13 * JT and macro.engagements == 4000
    assert macro.cpe == pytest.approx(3250.0)  # 13.000.000 / 4000
    assert macro.engagement_rate == pytest.approx(4.0)  # 4000 / 100.000
    o = r.overall
    assert o.cost == 14_750_000 and o.engagements == 5100 and o.figures.reach == 113_000
    assert o.cpe == pytest.approx(2892.157, rel=1e-6)  # 14.750.000 / 5100
    assert o.engagement_rate == pytest.approx(4.513274, rel=1e-6)  # 5100 / 113.000
    assert o.cpm is None  # no impressions anywhere


def test_best_worst_and_shift_to_side() -> None:
    r = campaign_report()
    assert r.ranked_by == "cpe"
    assert (r.best, r.worst) == (1, 4)
    # Micro 1.590,91 vs macro 3.250 per engagement: 3250 / 1590.909 = 2.04 times cheaper.
    assert r.suggestion == Suggestion(
        "shift_to_side",
        {
            "side": "micro",
            "kpi": "cpe",
            "cheaper_value": pytest.approx(1590.909, rel=1e-6),
            "other_value": pytest.approx(3250.0),
            "ratio": 2.04,
        },
    )


def test_only_present_sides_are_reported() -> None:
    r = build_report([DAPUR, SAMBAL], CAMPAIGN_SNAPS, at=AT)
    assert set(r.per_side) == {"micro"}
    assert set(r.per_member) == {1, 2}  # snapshots of members not listed are ignored
    assert r.overall.cost == 1_750_000


def test_member_without_figures_costs_its_fee_but_stays_out_of_ratios() -> None:
    extra = member(9, 30_000, 2 * JT)
    r = build_report([*CAMPAIGN, extra], CAMPAIGN_SNAPS, at=AT)
    assert r.per_member[9].cost == 2 * JT
    assert r.per_member[9].figures.is_empty() and r.per_member[9].cpe is None
    micro = r.per_side["micro"]
    assert micro.cost == 3_750_000  # the money is spent either way
    # CPE over the two accounts that reported engagements only: 1.750.000 / 1100.
    assert micro.cpe == pytest.approx(1590.909, rel=1e-6)
    assert micro.accounts == 3 and micro.covered("cpe") == 2 and micro.partial("cpe")
    assert micro.cost_basis["cpe"] == 1_750_000


def test_report_ignores_later_snapshots() -> None:
    later = snap(1, Figures(reach=9000, likes=900), at=AT + timedelta(minutes=1))
    r = build_report(CAMPAIGN, [*CAMPAIGN_SNAPS, later], at=AT)
    assert r.per_member[1].figures.reach == 5000


def test_several_posts_of_one_member_add_up() -> None:
    m = member(1, 20_000, 1 * JT)
    both_reach = [
        snap(1, Figures(reach=5000, likes=300), post="a"),
        snap(1, Figures(reach=3000, likes=100), post="b"),
    ]
    k = build_report([m], both_reach, at=AT).per_member[1]
    assert k.figures == Figures(reach=8000, likes=400)
    assert (k.er_basis, k.engagement_rate) == ("reach", pytest.approx(5.0))  # 400 / 8000
    # One post without reach: compare like with like, by followers once per post.
    one_without = [both_reach[0], snap(1, Figures(likes=100), post="b")]
    k = build_report([m], one_without, at=AT).per_member[1]
    assert (k.er_basis, k.engagement_rate) == ("followers", pytest.approx(1.0))  # 400/(2*20k)


def test_duplicate_member_ids_are_refused() -> None:
    with pytest.raises(ValueError):
        build_report([DAPUR, DAPUR], [], at=AT)


# ----------------------------------------------------------------------------------
# Best and worst
# ----------------------------------------------------------------------------------


def cpe_campaign(
    fees: list[int], *, followers: int = 30_000
) -> tuple[list[Member], list[Snapshot]]:
    """One member per fee, each with 1000 likes: CPE = fee / 1000."""
    members = [member(i + 1, followers, fee) for i, fee in enumerate(fees)]
    snaps = [snap(m.id, Figures(reach=10_000, likes=1000)) for m in members]
    return members, snaps


def test_best_and_worst_need_two_members_with_the_kpi() -> None:
    members, snaps = cpe_campaign([1 * JT, 2 * JT])
    r = build_report(members, snaps[:1], at=AT)
    assert (r.best, r.worst, r.ranked_by) == (None, None, None)
    r = build_report(members, snaps, at=AT)
    assert (r.best, r.worst, r.ranked_by) == (1, 2, "cpe")


def test_all_equal_names_nobody() -> None:
    members, snaps = cpe_campaign([1 * JT, 1 * JT, 1 * JT])
    r = build_report(members, snaps, at=AT)
    assert (r.best, r.worst) == (None, None)
    assert r.suggestion.code == "keep_going"


def test_sales_ranks_by_roas_higher_is_better() -> None:
    members = [member(1, 30_000, 1 * JT), member(2, 30_000, 1 * JT)]
    snaps = [
        snap(1, Figures(likes=100, conversions=30, revenue_idr=3 * JT)),  # ROAS 3,0
        snap(2, Figures(likes=900, conversions=10, revenue_idr=1 * JT)),  # ROAS 1,0
    ]
    r = build_report(members, snaps, at=AT, goal=Goal.SALES)
    assert (r.ranked_by, r.best, r.worst) == ("roas", 1, 2)
    # The same figures for engagement: member 2 is cheaper per engagement.
    r = build_report(members, snaps, at=AT, goal=Goal.ENGAGEMENT)
    assert (r.ranked_by, r.best, r.worst) == ("cpe", 2, 1)


def test_sales_falls_back_to_cpa_then_cpe() -> None:
    members = [member(1, 30_000, 1 * JT), member(2, 30_000, 1 * JT)]
    snaps = [
        snap(1, Figures(likes=100, conversions=20)),
        snap(2, Figures(likes=900, conversions=5)),
    ]
    r = build_report(members, snaps, at=AT, goal=Goal.SALES)
    assert (r.ranked_by, r.best, r.worst) == ("cpa", 1, 2)  # Rp50.000 vs Rp200.000 per order
    snaps = [snap(1, Figures(likes=100)), snap(2, Figures(likes=900))]
    r = build_report(members, snaps, at=AT, goal=Goal.SALES)
    assert (r.ranked_by, r.best, r.worst) == ("cpe", 2, 1)


def test_awareness_ranks_by_cpm_then_cost_per_reach() -> None:
    members = [member(1, 30_000, 1 * JT), member(2, 30_000, 3 * JT)]
    snaps = [
        snap(1, Figures(impressions=10_000, reach=2_000)),  # CPM Rp100.000
        snap(2, Figures(impressions=60_000, reach=4_000)),  # CPM Rp50.000
    ]
    r = build_report(members, snaps, at=AT, goal=Goal.AWARENESS)
    assert (r.ranked_by, r.best, r.worst) == ("cpm", 2, 1)
    reach_only = [snap(1, Figures(reach=2_000)), snap(2, Figures(reach=4_000))]
    r = build_report(members, reach_only, at=AT, goal=Goal.AWARENESS)
    # Rp500.000 vs Rp750.000 per 1.000 reach.
    assert (r.ranked_by, r.best, r.worst) == ("cost_per_1000_reach", 1, 2)


# ----------------------------------------------------------------------------------
# Suggestions
# ----------------------------------------------------------------------------------


def test_no_data() -> None:
    r = build_report(CAMPAIGN, [], at=AT)
    assert r.suggestion == Suggestion("no_data", {"handle": "dapur_tehrina"})
    assert build_report([], [], at=AT).suggestion == Suggestion("no_data", {"handle": None})


def test_record_more_names_the_costliest_missing() -> None:
    extra = member(5, 12_000, 600_000, handle="nano.snack")
    r = build_report([*CAMPAIGN, extra], CAMPAIGN_SNAPS[:2], at=AT)  # 2 of 5 recorded
    assert r.suggestion == Suggestion(
        "record_more",
        {
            "handles": ["foodie.id", "kuliner.jkt", "nano.snack"],
            "missing": 3,
            "recorded": 2,
            "total": 5,
        },
    )


def test_half_recorded_is_enough() -> None:
    r = build_report(CAMPAIGN, CAMPAIGN_SNAPS[1:3], at=AT)  # 2 of 4
    assert r.suggestion.code != "record_more"


def test_add_tracking_for_sales_without_clicks_or_conversions() -> None:
    r = campaign_report(Goal.SALES)
    assert r.suggestion == Suggestion("add_tracking", {"goal": "sales"})
    with_clicks = [*CAMPAIGN_SNAPS, snap(1, Figures(clicks=40), at=T0 + timedelta(days=1))]
    r = build_report(CAMPAIGN, with_clicks, at=AT, goal=Goal.SALES)
    assert r.suggestion.code != "add_tracking"


def test_no_shift_when_sides_are_within_25_percent() -> None:
    micro = member(1, 30_000, 1 * JT)
    macro = member(2, 300_000, 12 * JT // 10)
    snaps = [snap(1, Figures(likes=1000)), snap(2, Figures(likes=1000))]
    # CPE 1.000 vs 1.200: 1,2 times, under 1,33 (25% cheaper).
    r = build_report([micro, macro], snaps, at=AT)
    assert r.suggestion.code != "shift_to_side"


def test_shift_to_macro_when_macro_is_cheaper() -> None:
    micro = member(1, 30_000, 2 * JT)
    macro = member(2, 300_000, 3 * JT)
    snaps = [snap(1, Figures(likes=1000)), snap(2, Figures(likes=6000))]
    r = build_report([micro, macro], snaps, at=AT)
    # CPE micro 2.000, macro 500: macro is 4 times cheaper.
    assert r.suggestion == Suggestion(
        "shift_to_side",
        {
            "side": "macro",
            "kpi": "cpe",
            "cheaper_value": 500.0,
            "other_value": 2000.0,
            "ratio": 4.0,
        },
    )


def test_shift_by_roas_for_sales() -> None:
    micro = member(1, 30_000, 1 * JT)
    macro = member(2, 300_000, 4 * JT)
    snaps = [
        snap(1, Figures(clicks=100, conversions=10, revenue_idr=2 * JT)),  # ROAS 2,0
        snap(2, Figures(clicks=300, conversions=12, revenue_idr=4 * JT)),  # ROAS 1,0
    ]
    r = build_report([micro, macro], snaps, at=AT, goal=Goal.SALES)
    assert r.suggestion == Suggestion(
        "shift_to_side",
        {"side": "micro", "kpi": "roas", "cheaper_value": 2.0, "other_value": 1.0, "ratio": 2.0},
    )


def test_drop_worst() -> None:
    members, snaps = cpe_campaign([1 * JT, 1_200_000, 3 * JT])
    r = build_report(members, snaps, at=AT)
    # CPE 1.000, 1.200, 3.000; median of the others 1.100; 3000 / 1100 = 2,73.
    assert r.suggestion == Suggestion(
        "drop_worst",
        {
            "handle": "akun3",
            "member_id": 3,
            "kpi": "cpe",
            "value": 3000.0,
            "median": 1100.0,
            "ratio": 2.73,
            "compared": 3,
        },
    )


def test_drop_worst_by_roas_zero() -> None:
    members = [member(i, 30_000, 1 * JT) for i in (1, 2, 3)]
    snaps = [
        snap(1, Figures(conversions=5, revenue_idr=2 * JT)),  # ROAS 2,0
        snap(2, Figures(conversions=4, revenue_idr=1_500_000)),  # ROAS 1,5
        snap(3, Figures(conversions=0, revenue_idr=0)),  # ROAS 0: earned nothing
    ]
    r = build_report(members, snaps, at=AT, goal=Goal.SALES)
    # Infinitely worse than the median of the others (1,75): no ratio to show.
    assert r.suggestion == Suggestion(
        "drop_worst",
        {
            "handle": "akun3",
            "member_id": 3,
            "kpi": "roas",
            "value": 0.0,
            "median": 1.75,
            "ratio": None,
            "compared": 3,
        },
    )


def test_boost_best() -> None:
    members, snaps = cpe_campaign([1 * JT, 1_500_000, 1_600_000])
    r = build_report(members, snaps, at=AT)
    # Worst 1.600 vs median 1.250: 1,28, not twice. Best 1.000 vs median 1.550: 1,55.
    assert r.suggestion == Suggestion(
        "boost_best",
        {
            "handle": "akun1",
            "member_id": 1,
            "kpi": "cpe",
            "value": 1000.0,
            "median": 1550.0,
            "ratio": 1.55,
            "compared": 3,
        },
    )


def test_keep_going_quotes_the_campaign_kpi() -> None:
    members, snaps = cpe_campaign([1 * JT, 1_100_000, 1_200_000])
    r = build_report(members, snaps, at=AT)
    # Drop: 1200/1050 = 1,14; boost: 1150/1000 = 1,15; overall 3.300.000 / 3000 = 1.100.
    assert r.suggestion == Suggestion("keep_going", {"kpi": "cpe", "value": 1100.0, "compared": 3})


def test_suggest_can_be_asked_for_another_goal() -> None:
    r = campaign_report()
    assert suggest(r, Goal.SALES).code == "add_tracking"
    assert suggest(r, None) == r.suggestion


def test_every_code_is_reachable_and_listed() -> None:
    assert set(SUGGESTION_CODES) == {
        "no_data",
        "record_more",
        "add_tracking",
        "shift_to_side",
        "drop_worst",
        "boost_best",
        "keep_going",
    }


# ----------------------------------------------------------------------------------
# Change since the previous report
# ----------------------------------------------------------------------------------


def test_changes_by_hand() -> None:
    before = compute_kpis(Figures(reach=10_000, likes=1000), cost=2 * JT, followers=None)
    after = compute_kpis(
        Figures(reach=12_000, likes=1000, comments=200, revenue_idr=2_400_000),
        cost=2 * JT,
        followers=None,
    )
    c = changes(after, before)
    assert set(c) == set(CHANGE_FIELDS)
    assert (c["reach"].delta, c["reach"].pct) == (2000, pytest.approx(20.0))  # 10.000 -> 12.000
    assert c["reach"].improved is True
    # CPE 2.000 -> 1.666,67: 16,7% cheaper, good news.
    assert c["cpe"].before == pytest.approx(2000.0)
    assert c["cpe"].pct == pytest.approx(-16.6667, rel=1e-5)
    assert c["cpe"].improved is True
    assert c["roas"] == Change("roas", None, pytest.approx(1.2))  # 2.400.000 / 2.000.000
    assert c["roas"].delta is None and c["roas"].pct is None and c["roas"].improved is None
    assert c["clicks"] == Change("clicks", None, None)


def test_first_report_has_no_change() -> None:
    c = changes(campaign_report().overall, None)
    assert all(ch.before is None and ch.delta is None for ch in c.values())
    assert c["engagements"].after == 5100


def test_change_from_zero_has_no_percent() -> None:
    ch = Change("conversions", 0, 5)
    assert ch.delta == 5 and ch.pct is None and ch.improved is True
    assert Change("cpm", 100.0, 100.0).improved is None
    assert Change("cpm", 100.0, 120.0).improved is False


# ----------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("figures", "followers", "problems"),
    [
        (Figures(reach=12000, likes=800), 50_000, []),
        (Figures(likes=-1), None, ["negative:likes"]),
        (Figures(revenue_idr=-500, clicks=-2), None, ["negative:clicks", "negative:revenue_idr"]),
        (Figures(impressions=800, likes=900), None, ["likes_over_views"]),
        (Figures(impressions=800, comments=801), None, ["likes_over_views"]),
        (Figures(impressions=800, likes=900, comments=900), None, ["likes_over_views"]),
        (Figures(impressions=800, likes=800), None, []),  # equal is possible
        (Figures(impressions=100, clicks=101), None, ["clicks_over_impressions"]),
        (Figures(reach=500_001), 50_000, ["reach_over_followers"]),
        (Figures(reach=500_000), 50_000, []),  # exactly ten times: a viral post
        (Figures(reach=500_001), None, []),  # followers unknown: nothing to compare
        # Possible, so accepted:
        (Figures(reach=9000, impressions=8000), 20_000, []),  # platforms count differently
        (Figures(clicks=3, conversions=10), None, []),  # promo codes convert without clicks
        (Figures(revenue_idr=500_000), None, []),  # revenue without a conversion count
        (Figures(likes=5000), 20_000, []),  # views unknown
        (Figures(impressions=0, likes=1), None, ["likes_over_views"]),
    ],
)
def test_validate_figures(figures: Figures, followers: int | None, problems: list[str]) -> None:
    assert validate_figures(figures, followers=followers) == problems


# ----------------------------------------------------------------------------------
# Storage
# ----------------------------------------------------------------------------------


def round_trip(report: Report) -> Report:
    return REPORT_JSON.load(json.loads(json.dumps(REPORT_JSON.dump(report))))


@pytest.mark.parametrize("goal", [None, Goal.SALES, Goal.AWARENESS, Goal.ENGAGEMENT])
def test_report_round_trips_through_json(goal: Goal | None) -> None:
    extra = member(9, 12_000, 600_000, handle="nano.snack", platform=Platform.TIKTOK)
    snaps = [
        *CAMPAIGN_SNAPS,
        snap(
            2,
            Figures(impressions=30_000, clicks=120, conversions=9, revenue_idr=1_350_000),
            at=T0 + timedelta(days=2),
            post="instagram.com/p/X",
        ),
    ]
    report = build_report([*CAMPAIGN, extra], snaps, at=AT, goal=goal)
    again = round_trip(report)
    assert again == report
    assert again.at.tzinfo is not None and again.at == AT
    assert isinstance(next(iter(again.per_member)), int)


def test_stored_suggestion_params_survive_json() -> None:
    extra = member(5, 12_000, 600_000, handle="nano.snack")
    report = build_report([*CAMPAIGN, extra], CAMPAIGN_SNAPS[:2], at=AT)
    assert report.suggestion.code == "record_more"
    assert round_trip(report).suggestion == report.suggestion


def test_kpis_round_trip_keeps_unknowns() -> None:
    k = compute_kpis(Figures(likes=3), cost=0, followers=None)
    kpis, members = JsonShape(Kpis), JsonShape(Member)
    assert kpis.load(json.loads(json.dumps(kpis.dump(k)))) == k
    assert members.load(members.dump(DAPUR)) == DAPUR
