"""The engine's judgement on real-looking stores: the choice, places, quality, results, budget.

Each quoted failure of issue 11 has its own test on a store priced like Indonesian endorse
rates (tests/unit/stores.py).
"""

from __future__ import annotations

import random

import pytest

from bot.advisor.engine.area import area_of, origins_of
from bot.advisor.engine.choice import MAX_ACCOUNTS, recommend
from bot.advisor.engine.estimates import (
    MAX_CONVERSIONS_PER_POST,
    MAX_ENGAGEMENTS_PER_VIEW,
    ObservedRates,
    estimate,
)
from bot.advisor.engine.results import Recommendation
from bot.advisor.engine.values import pick_for
from bot.advisor.engine.verdict import NEAR_TIE_VALUE
from bot.advisor.view import reasons_view
from bot.chat.texts import to_plain
from bot.data.destinations import DEFAULT_ORIGINS, DESTINATION_ORIGINS
from bot.data.places import CITIES, PROVINCES
from bot.domain import Brief, BusinessKind, Candidate, Goal, Platform, Strategy, Tier
from bot.language.locations import parse_location
from tests.unit.stores import account, cities, store

JAVA = {
    c: {"nano": 6, "micro": 10, "macro": 3, "mega": 1}
    for c in ("Jakarta", "Bandung", "Surabaya", "Yogyakarta", "Semarang")
}
EVERYWHERE = {
    c: {"nano": 8, "micro": 12, "macro": 4, "mega": 2}
    for c in ("Jakarta", "Bandung", "Surabaya", "Medan", "Makassar", "Yogyakarta", "Semarang")
}


def brief(
    budget: int,
    place: str = "seluruh Indonesia",
    *,
    goal: Goal = Goal.AWARENESS,
    niche: str = "Kuliner",
    business: BusinessKind | None = None,
) -> Brief:
    location = parse_location(place)
    assert location is not None
    return Brief(niche, goal, budget, Platform.INSTAGRAM, location, business)


def chosen_picks(rec: Recommendation) -> tuple:
    portfolio = rec.portfolio()
    assert portfolio is not None
    return portfolio.picks


def assert_chosen_by_value(rec: Recommendation) -> None:
    """The chosen strategy gives the most of what the goal needs, or a near tie for less."""
    feasible = [p for p in rec.portfolios.values() if p.feasible]
    top = max(p.totals.value for p in feasible)
    chosen = rec.portfolio()
    assert chosen is not None
    assert rec.best_strategy is not None
    best = rec.portfolios[rec.best_strategy].totals
    assert best.value == top
    if rec.choice_reason == "near_tie":
        t = chosen.totals
        assert t.value >= NEAR_TIE_VALUE * best.value
        cheaper = t.cost <= 0.75 * best.cost
        simpler = t.value >= 0.98 * best.value and t.accounts <= best.accounts
        assert cheaper or (simpler and t.cost <= best.cost)
    else:
        assert rec.chosen is rec.best_strategy


# --------------------------------------------------------------------------- the choice


@pytest.mark.parametrize("goal", list(Goal))
def test_a_big_budget_on_a_cheap_store_buys_what_the_goal_needs(goal: Goal) -> None:
    """Rp150 jt on a store priced far below real rates: not 15 micro accounts for Rp1,3 jt."""
    cheap = store(EVERYWHERE, seed=3, price_scale=0.15)
    rec = recommend(brief(150_000_000, goal=goal, business=BusinessKind.ONLINE), cheap)
    assert_chosen_by_value(rec)
    micro = rec.portfolios[Strategy.MICRO].totals
    chosen = chosen_picks(rec)
    assert rec.chosen is not Strategy.MICRO
    assert sum(p.candidate.price_idr for p in chosen) > 10 * micro.cost
    # the store cannot use Rp150 jt: the text names the amount that buys the best outcome
    assert rec.useful_budget is not None and rec.useful_budget < 60_000_000
    assert rec.useful_budget == rec.portfolios[rec.best_strategy].totals.cost


def test_a_national_launch_spends_its_budget_on_a_pyramid() -> None:
    """Rp200 jt: one affordable mega account no longer makes every micro account worthless."""
    real = store(EVERYWHERE, seed=4)
    rec = recommend(brief(200_000_000, goal=Goal.ENGAGEMENT), real)
    assert_chosen_by_value(rec)
    chosen = rec.portfolio()
    assert chosen is not None and chosen.totals.cost > 150_000_000
    mix = rec.portfolios[Strategy.MIX].picks
    assert {p.tier for p in mix} >= {Tier.MEGA, Tier.MICRO}
    assert rec.portfolios[Strategy.MICRO].totals.accounts >= 10
    assert all(p.totals.accounts <= MAX_ACCOUNTS for p in rec.portfolios.values())


def test_a_near_tie_goes_to_the_cheaper_strategy() -> None:
    rng = random.Random(8)
    micro = [account("micro", "Bandung", rng) for _ in range(4)]
    # a macro account adding a little to the four micro accounts, for much more money
    reach = int(sum(c.avg_views or 0 for c in micro) * 0.08)
    macro = Candidate(
        id=9_999_001,
        platform=Platform.INSTAGRAM,
        handle="macro_bks",
        name="Macro Bekasi",
        niches=("Kuliner",),
        city="Bekasi",
        province="Jawa Barat",
        followers=400_000,
        engagement_rate=0.2,
        avg_views=reach,
        price_idr=9_000_000,
        audience_quality=85,
    )
    budget = sum(c.price_idr for c in micro) + macro.price_idr
    rec = recommend(brief(budget, "Bandung"), [*micro, macro])
    assert rec.best_strategy is Strategy.MIX
    assert rec.chosen is Strategy.MICRO and rec.choice_reason == "near_tie"
    assert_chosen_by_value(rec)


def test_a_tie_goes_to_fewer_accounts() -> None:
    rng = random.Random(9)
    lone = account("macro", "Jakarta", rng)
    tiny = account("nano", "Jakarta", rng)
    tiny = Candidate(**{**tiny.__dict__, "avg_views": 10, "engagement_rate": 0.1})
    rec = recommend(brief(lone.price_idr + tiny.price_idr), [lone, tiny])
    mix = rec.portfolios[Strategy.MIX].totals
    macro = rec.portfolios[Strategy.MACRO].totals
    assert mix.accounts == 2 and mix.value > macro.value > 0.99 * mix.value
    assert rec.best_strategy is Strategy.MIX
    assert rec.chosen is Strategy.MACRO and rec.choice_reason == "near_tie"
    assert_chosen_by_value(rec)


# --------------------------------------------------------------------------- places


def test_a_walk_in_warung_in_medan_keeps_its_budget_in_medan() -> None:
    """The quoted failure: 59% of the budget went to a Makassar account."""
    s = store({**JAVA, "Medan": {"micro": 2}, "Makassar": {"macro": 2, "micro": 3}}, seed=5)
    for goal in Goal:
        rec = recommend(brief(10_000_000, "Medan", goal=goal, business=BusinessKind.WALK_IN), s)
        picks = chosen_picks(rec)
        assert picks[0].candidate.city == "Medan"
        assert cities(picks) == {"Medan"}
        assert rec.local_fitting == 2 and rec.local_affordable == 2
        for portfolio in rec.portfolios.values():
            for p in portfolio.picks:
                assert p.outside_area == (p.candidate.city != "Medan")


def test_a_walk_in_city_without_accounts_is_said_and_marked() -> None:
    s = store({**JAVA, "Binjai": {"micro": 1}}, seed=6)
    rec = recommend(brief(5_000_000, "Medan", business=BusinessKind.WALK_IN), s)
    assert rec.local_fitting == 0 and rec.local_affordable == 0
    picks = chosen_picks(rec)
    assert all(p.outside_area for p in picks)
    assert picks[0].candidate.city == "Binjai"  # the same province comes first


def test_a_walk_in_budget_below_every_local_account_buys_nothing_far_away() -> None:
    """Three cheap accounts in other cities are no answer for a warung in Bandung."""
    s = store({"Bandung": {"micro": 2}, "Makassar": {"nano": 3}, "Denpasar": {"nano": 3}}, seed=24)
    rec = recommend(brief(500_000, "Bandung", business=BusinessKind.WALK_IN), s)
    assert rec.chosen is None
    assert rec.local_fitting == 2 and rec.local_affordable == 0
    assert rec.cheapest_price == min(c.price_idr for c in s if c.city == "Bandung")
    online = recommend(brief(500_000, "Bandung", business=BusinessKind.ONLINE), s)
    assert online.chosen is not None  # an online shop can use them


def test_a_bandung_sales_brief_puts_bandung_first() -> None:
    """The quoted failure: the top pick was a Jakarta account with audience quality 50."""
    rng = random.Random(11)
    s = store(JAVA, seed=7)
    s.append(account("mega", "Jakarta", rng, quality=50))
    s.append(account("macro", "Jakarta", rng, quality=49))
    rec = recommend(brief(25_000_000, "Bandung", goal=Goal.SALES, business=BusinessKind.WALK_IN), s)
    picks = chosen_picks(rec)
    assert picks[0].candidate.city == "Bandung"
    assert all(not p.low_quality for pf in rec.portfolios.values() for p in pf.picks)
    assert [p.candidate.city for p in picks if not p.outside_area] == [
        p.candidate.city for p in picks[: len([q for q in picks if not q.outside_area])]
    ]


def test_a_beauty_clinic_in_medan_is_told_what_medan_has() -> None:
    """The quoted failure: "nothing fits in Medan" while two Medan accounts were in budget."""
    niche = ("Kecantikan",)
    s = store(JAVA, seed=8, niches=niche) + store({"Medan": {"micro": 2}}, seed=9, niches=niche)
    s += store({"Medan": {"macro": 1}}, seed=10, niches=niche, price_scale=3.0)
    rec = recommend(brief(6_000_000, "Medan", niche="Kecantikan", business=BusinessKind.WALK_IN), s)
    assert rec.local_fitting == 3 and rec.local_affordable == 2
    picks = chosen_picks(rec)
    assert sum(p.candidate.city == "Medan" for p in picks) == 2


def test_a_bimbel_in_makassar_gets_makassar_tutors() -> None:
    """The quoted failure: tutors in Jakarta, Yogyakarta and Bandung."""
    niche = ("Edukasi",)
    s = store(JAVA, seed=12, niches=niche) + store(
        {"Makassar": {"micro": 3, "nano": 2}}, niches=niche
    )
    for goal in Goal:
        rec = recommend(
            brief(8_000_000, "Makassar", goal=goal, niche="Edukasi", business=BusinessKind.WALK_IN),
            s,
        )
        assert cities(chosen_picks(rec)) == {"Makassar"}


def test_an_online_shop_uses_its_whole_market() -> None:
    s = store({**JAVA, "Medan": {"micro": 4}}, seed=13)
    rec = recommend(brief(20_000_000, "Medan", business=BusinessKind.ONLINE), s)
    picks = chosen_picks(rec)
    assert cities(picks) - {"Medan"}  # a better Jakarta account is not shut out
    assert not any(p.outside_area for p in picks)
    walk_in = recommend(brief(20_000_000, "Medan", business=BusinessKind.WALK_IN), s)
    assert cities(chosen_picks(walk_in)) == {"Medan"}


def test_a_bali_villa_reaches_the_cities_its_guests_come_from() -> None:
    s = store({**JAVA, "Binjai": {"micro": 6, "macro": 2}, "Denpasar": {"micro": 2}}, seed=14)
    rec = recommend(
        brief(30_000_000, "Bali", goal=Goal.SALES, business=BusinessKind.DESTINATION), s
    )
    picks = chosen_picks(rec)
    assert cities(picks) <= {"Jakarta", "Bandung", "Surabaya", "Yogyakarta", "Semarang", "Denpasar"}
    assert not any(p.outside_area for p in picks)
    b = rec.brief
    assert all(pick_for(b, c).outside_area for c in s if c.city == "Binjai")
    assert not any(pick_for(b, c).outside_area for c in s if c.city in ("Jakarta", "Denpasar"))
    # a villa cannot take hundreds of bookings from one post
    cap = MAX_CONVERSIONS_PER_POST[BusinessKind.DESTINATION]
    assert all(p.estimate.conversions <= cap for p in picks)


def test_destination_table_names_are_gazetteer_names() -> None:
    for destination, origins in DESTINATION_ORIGINS.items():
        assert destination in CITIES or destination in PROVINCES, destination
        assert all(city in CITIES for city in origins), destination
    assert all(city in CITIES for city in DEFAULT_ORIGINS)
    assert origins_of(parse_location("Lembang")) == DESTINATION_ORIGINS["Bandung"]
    assert origins_of(parse_location("Ambon")) == DEFAULT_ORIGINS
    area = area_of(parse_location("Ambon"), BusinessKind.DESTINATION)
    assert area.code("Jakarta", "DKI Jakarta") != area.code("Kupang", "Nusa Tenggara Timur")


def test_unknown_business_behaves_as_before() -> None:
    area = area_of(parse_location("Bandung"), None)
    assert area.start == 0 and not any(area.outside)
    assert area.fit[area.code("Bandung", "Jawa Barat")] == 1.0
    assert area.fit[area.code("Bekasi", "Jawa Barat")] == 0.85
    assert area.fit[area.code("Medan", "Sumatera Utara")] == 0.6


def test_local_counts_are_none_without_a_city() -> None:
    s = store(JAVA, seed=15)
    assert recommend(brief(5_000_000, "Jawa Barat"), s).local_fitting is None
    assert recommend(brief(5_000_000), s).local_affordable is None
    rec = recommend(brief(1_000_000, "Bandung"), s)
    bandung = [c for c in s if c.city == "Bandung"]
    assert rec.local_fitting == len(bandung)
    assert rec.local_affordable == sum(c.price_idr <= 1_000_000 for c in bandung)


# --------------------------------------------------------------------------- quality, results


def test_low_quality_audiences_never_enter_a_portfolio() -> None:
    rng = random.Random(16)
    s = store({"Bandung": {"micro": 3}}, seed=16)
    bought = [account("macro", "Bandung", rng, quality=q) for q in (20, 35, 49)]
    rec = recommend(brief(50_000_000, "Bandung"), s + bought)
    in_portfolios = {p.candidate.id for pf in rec.portfolios.values() for p in pf.picks}
    assert in_portfolios.isdisjoint(c.id for c in bought)
    assert {lo.candidate.id for lo in rec.left_out if lo.reason == "low_quality"} == {
        c.id for c in bought
    }
    assert not rec.portfolios[Strategy.MACRO].feasible


def test_poor_results_for_this_owner_are_left_out() -> None:
    s = store({"Bandung": {"micro": 6, "macro": 2}}, seed=17)
    bad = max((c for c in s if c.tier is Tier.MACRO), key=lambda c: c.followers)
    poor = {(bad.platform, bad.handle): 0.15}
    rec = recommend(brief(30_000_000, "Bandung", goal=Goal.SALES), s, poor=poor)
    assert bad.id not in {p.candidate.id for pf in rec.portfolios.values() for p in pf.picks}
    assert bad.id not in {p.candidate.id for p in rec.others}
    (left,) = [lo for lo in rec.left_out if lo.reason == "poor_results"]
    assert left.candidate.id == bad.id and left.roas == pytest.approx(0.15)


def test_the_owners_rates_are_used_and_said_to_be_theirs() -> None:
    s = store({"Bandung": {"micro": 6}}, seed=18)
    s = [Candidate(**{**c.__dict__, "engagement_rate": None}) for c in s]
    observed = {Tier.MICRO: ObservedRates(engagement_rate=1.0, purchase_rate=0.01)}
    rec = recommend(brief(5_000_000, "Bandung", goal=Goal.SALES), s, observed=observed)
    t = rec.portfolios[Strategy.MICRO].totals
    assert t.engagements_own and t.purchase_rate_own
    plain = recommend(brief(5_000_000, "Bandung", goal=Goal.SALES), s)
    t = plain.portfolios[Strategy.MICRO].totals
    assert not t.engagements_own and not t.purchase_rate_own


# --------------------------------------------------------------------------- estimates


def test_interactions_per_view_stay_realistic() -> None:
    rng = random.Random(19)
    for tier in ("nano", "micro", "macro", "mega"):
        for _ in range(20):
            c = account(tier, "Jakarta", rng)
            inflated = Candidate(**{**c.__dict__, "engagement_rate": 6.0})  # 40-90% of views
            for cand in (c, inflated, Candidate(**{**c.__dict__, "avg_views": None})):
                est = estimate(cand)
                assert est.engagements <= MAX_ENGAGEMENTS_PER_VIEW * est.reach + 1e-9
            assert estimate(inflated).engagements_estimated


def test_purchases_depend_on_the_kind_of_business_and_are_capped() -> None:
    rng = random.Random(20)
    big = account("mega", "Denpasar", rng)
    online = estimate(big, business=BusinessKind.ONLINE).conversions
    walk_in = estimate(big, business=BusinessKind.WALK_IN).conversions
    villa = estimate(big, business=BusinessKind.DESTINATION)
    assert online > walk_in > villa.conversions
    assert villa.conversions <= MAX_CONVERSIONS_PER_POST[BusinessKind.DESTINATION]
    assert villa.conversions_range is not None
    assert villa.conversions_range[1] <= MAX_CONVERSIONS_PER_POST[BusinessKind.DESTINATION]


def test_wide_spreads_are_shown_as_ranges() -> None:
    s = store({"Bandung": {"micro": 5}}, seed=21)
    benchmark_only = [
        Candidate(**{**c.__dict__, "engagement_rate": None, "avg_views": None}) for c in s
    ]
    t = (
        recommend(brief(5_000_000, "Bandung", goal=Goal.SALES), benchmark_only)
        .portfolios[Strategy.MICRO]
        .totals
    )
    assert t.reach_range is not None and t.reach_range[0] < t.reach < t.reach_range[1]
    assert t.engagements_range is not None and t.conversions_range is not None
    own = recommend(brief(5_000_000, "Bandung"), s).portfolios[Strategy.MICRO].totals
    assert own.reach_range is None  # the accounts' own views: a narrow spread


# --------------------------------------------------------------------------- budget use


def test_a_budget_the_store_cannot_use_names_the_useful_amount() -> None:
    s = store({"Makassar": {"micro": 3, "nano": 2}}, seed=22)
    rec = recommend(brief(100_000_000, "Makassar", business=BusinessKind.WALK_IN), s)
    chosen = rec.portfolio()
    assert chosen is not None
    assert rec.useful_budget == rec.portfolios[rec.best_strategy].totals.cost
    assert rec.useful_budget < 0.6 * 100_000_000
    tight = recommend(brief(chosen.totals.cost, "Makassar", business=BusinessKind.WALK_IN), s)
    assert tight.useful_budget is None


def test_many_cheap_accounts_stop_at_the_maximum() -> None:
    crowd = {c: {"nano": 20, "micro": 20} for c in ("Jakarta", "Bandung", "Surabaya", "Medan")}
    crowd |= {c: {"micro": 10} for c in ("Makassar", "Yogyakarta", "Semarang", "Denpasar")}
    s = store(crowd, seed=23)
    rec = recommend(brief(300_000_000, goal=Goal.ENGAGEMENT), s)
    micro = rec.portfolios[Strategy.MICRO]
    assert micro.totals.accounts == MAX_ACCOUNTS


def test_a_destination_says_its_accounts_are_where_the_guests_come_from() -> None:
    """The reasons must not call the guests' home cities "outside the target area"."""
    s = store({"Jakarta": {"micro": 4}, "Makassar": {"micro": 2}, "Denpasar": {"nano": 2}}, seed=3)
    rec = recommend(brief(6_000_000, "Bali", niche="Kuliner", business=BusinessKind.DESTINATION), s)
    picks = chosen_picks(rec)
    reasons = to_plain(reasons_view(1, rec, 0, sample_data=False).text)
    assert any(p.candidate.city == "Jakarta" for p in picks)
    assert all(not p.outside_area for p in picks if p.candidate.city == "Jakarta")
    assert "di kota asal banyak tamu (Jakarta)" in reasons
    assert "tapi di luar area target" not in reasons
