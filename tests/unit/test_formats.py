"""Rate cards in the engine: one format per account, chosen by the objective, reach scaled."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from bot.advisor.engine.choice import recommend
from bot.advisor.engine.estimates import estimate
from bot.advisor.engine.formats import (
    MAIN_FORMAT,
    REACH_FACTORS,
    best_format,
    priced_formats,
    reach_factor,
    shown_format,
)
from bot.advisor.engine.results import RECOMMENDATION_JSON, Recommendation
from bot.advisor.engine.table import CandidateTable
from bot.advisor.engine.values import pick_for
from bot.campaigns.members import CONTENT_TYPES, DEFAULT_CONTENT
from bot.domain import Brief, BusinessKind, Candidate, Goal, Location, Platform
from bot.language.locations import parse_location
from tests.unit.stores import account, store

JT = 1_000_000


def _place(text: str) -> Location:
    location = parse_location(text)
    assert location is not None, text
    return location


def _account(
    *,
    price: int = 2 * JT,
    formats: tuple[tuple[str, int], ...] = (),
    views: int | None = 10_000,
    platform: Platform = Platform.INSTAGRAM,
    handle: str = "rina.story",
) -> Candidate:
    return Candidate(
        id=9_000_001,
        platform=platform,
        handle=handle,
        name="Rina Story",
        niches=("Kuliner",),
        city="Bandung",
        province="Jawa Barat",
        followers=60_000,
        engagement_rate=3.0,
        avg_views=views,
        price_idr=price,
        audience_quality=85,
        self_reported=True,
        formats=formats,
    )


def _brief(budget: int, goal: Goal = Goal.AWARENESS, place: str = "Bandung") -> Brief:
    return Brief("Kuliner", goal, budget, Platform.INSTAGRAM, _place(place))


def _reach(c: Candidate) -> float:
    return estimate(c).reach


def test_the_main_format_is_the_one_a_campaign_member_makes_by_default() -> None:
    assert dict(MAIN_FORMAT) == DEFAULT_CONTENT
    for platform, factors in REACH_FACTORS.items():
        assert factors[MAIN_FORMAT[platform]] == 1.0
        assert set(factors) <= set(CONTENT_TYPES)  # a chosen format is a member's content type
        assert all(0 < f <= 1.5 for f in factors.values())
    assert reach_factor(Platform.INSTAGRAM, "story") < reach_factor(Platform.INSTAGRAM, "feed") < 1


def test_messy_rate_cards_price_only_what_can_be_bought() -> None:
    # barter (0) and negative prices are no price; X has no stories; the main format keeps
    # price_idr unless the card prices it
    messy = _account(
        price=1_500_000,
        formats=(("story", 0), ("feed", -5), ("video", 900_000)),
        platform=Platform.X,
    )
    assert priced_formats(messy) == {"video": 900_000, "feed": 1_500_000}
    only_story = _account(price=2 * JT, formats=(("story", 300_000),))
    assert priced_formats(only_story) == {"story": 300_000, "reels": 2 * JT}
    carded_main = _account(price=2 * JT, formats=(("reels", 1_800_000), ("story", 300_000)))
    assert priced_formats(carded_main)["reels"] == 1_800_000
    barter_only = _account(price=0, formats=(("story", 0),))
    assert priced_formats(barter_only) == {}


def test_the_objective_picks_the_format() -> None:
    c = _account(price=2 * JT, formats=(("story", 300_000),))

    def value(x: Candidate) -> float:
        return _reach(x)

    # a Rupiah worth nothing: the most reach the budget buys (the reels)
    assert best_format(c, 10 * JT, 0.0, value).content_format == "reels"
    # a Rupiah worth a lot: the cheap story nets more
    chosen = best_format(c, 10 * JT, 0.01, value)
    assert (chosen.content_format, chosen.price_idr) == ("story", 300_000)
    # a small budget cannot reach the reels, but can the story
    small = best_format(c, 1 * JT, 0.0, value)
    assert (small.content_format, small.price_idr) == ("story", 300_000)
    # a story pricier than the reels is never the better buy
    odd = _account(price=800_000, formats=(("story", 1 * JT),))
    for rupiah_value in (0.0, 0.001, 0.1):
        assert best_format(odd, 10 * JT, rupiah_value, value).content_format == "reels"
    # nothing within the budget, or no rate card at all: the account as it was
    assert best_format(c, 200_000, 0.0, value) is c
    plain = replace(c, formats=())
    assert best_format(plain, 200_000, 0.0, value) is plain
    assert best_format(_account(price=0, formats=(("story", 0),)), JT, 0.0, value).price_idr == 0


def test_a_story_pick_is_estimated_on_scaled_views() -> None:
    reels = replace(_account(), self_reported=False)
    story = replace(reels, content_format="story", price_idr=300_000)
    assert _reach(story) == pytest.approx(0.35 * _reach(reels))
    assert estimate(story).engagements == pytest.approx(0.35 * estimate(reels).engagements)
    assert not estimate(reels).estimated and estimate(story).reach_estimated
    # without own views the benchmark reach is scaled the same way
    no_views = replace(reels, avg_views=None)
    assert _reach(replace(no_views, content_format="story")) == pytest.approx(
        0.35 * _reach(no_views)
    )
    # the main format named explicitly changes nothing
    assert estimate(replace(reels, content_format="reels")) == estimate(reels)
    # the vectorised table agrees with pick_for, format by format
    brief = _brief(5 * JT)
    fit = [
        reels,
        story,
        replace(story, content_format="feed"),
        replace(no_views, content_format="story"),
    ]
    table = CandidateTable(brief, fit, {})
    for i, c in enumerate(fit):
        assert table.value[i] == pytest.approx(pick_for(brief, c).value)


def test_self_reported_figures_are_an_estimate_with_the_same_value() -> None:
    checked = replace(_account(), self_reported=False)
    unchecked = _account()
    assert estimate(unchecked).estimated and not estimate(checked).estimated
    assert estimate(unchecked).reach == estimate(checked).reach
    assert pick_for(_brief(5 * JT), unchecked).value == pick_for(_brief(5 * JT), checked).value
    low, high = estimate(unchecked).reach_range or (0, 0)
    assert low < 0.85 * estimate(unchecked).reach and high > 1.2 * estimate(unchecked).reach


def _bandung(seed: int = 3) -> list[Candidate]:
    return store(
        {"Bandung": {"nano": 6, "micro": 6, "macro": 2}, "Jakarta": {"micro": 4}}, seed=seed
    )


def _without_formats(rec: Recommendation) -> dict:
    return RECOMMENDATION_JSON.dump(rec)


@pytest.mark.parametrize("goal", list(Goal))
def test_no_rate_cards_no_change(goal: Goal) -> None:
    accounts = _bandung()
    brief = Brief("Kuliner", goal, 8 * JT, Platform.INSTAGRAM, _place("Bandung"))
    before = recommend(brief, accounts)
    # a rate card pricing only the main format at its price changes nothing but the label
    carded = [replace(c, formats=((MAIN_FORMAT[c.platform], c.price_idr),)) for c in accounts]
    after = recommend(brief, carded)
    assert after.chosen == before.chosen
    for s, p in before.portfolios.items():
        q = after.portfolios[s]
        assert [x.candidate.id for x in q.picks] == [x.candidate.id for x in p.picks]
        assert q.totals == p.totals
        assert all(x.candidate.content_format == "reels" for x in q.picks)
    # and the same store read twice gives the very same stored JSON
    assert _without_formats(recommend(brief, accounts)) == _without_formats(before)


def test_a_small_budget_buys_the_story_of_an_account_whose_reels_is_out_of_reach() -> None:
    rng = random.Random(11)
    accounts = [account("nano", "Bandung", rng) for _ in range(4)]
    star = _account(price=5 * JT, formats=(("reels", 5 * JT), ("story", 350_000), ("feed", 0)))
    budget = 1_200_000
    rec = recommend(_brief(budget), [*accounts, star])
    without = recommend(_brief(budget), [*accounts, replace(star, formats=())])
    assert star.id not in {p.candidate.id for p in without.portfolio().picks}  # type: ignore[union-attr]
    picks = {p.candidate.id: p for p in rec.portfolio().picks}  # type: ignore[union-attr]
    assert star.id in picks
    bought = picks[star.id]
    assert (bought.candidate.content_format, bought.candidate.price_idr) == ("story", 350_000)
    assert bought.estimate.reach == pytest.approx(0.35 * star.avg_views)  # type: ignore[operator]
    assert bought.estimate.estimated and bought.candidate.self_reported
    assert shown_format(bought.candidate) == "story"
    assert rec.portfolio().totals.cost <= budget  # type: ignore[union-attr]
    # stored and loaded back whole
    loaded = RECOMMENDATION_JSON.load(RECOMMENDATION_JSON.dump(rec))
    assert loaded == rec
    again = {p.candidate.id: p.candidate for p in loaded.portfolio().picks}  # type: ignore[union-attr]
    assert again[star.id].formats == star.formats and again[star.id].content_format == "story"


def test_a_big_budget_buys_the_reels_when_it_is_worth_its_price() -> None:
    accounts = _bandung(seed=5)
    star = _account(price=1 * JT, formats=(("story", 500_000),), views=40_000)
    rec = recommend(_brief(20 * JT), [*accounts, star])
    chosen = [p for s in rec.portfolios.values() for p in s.picks if p.candidate.id == star.id]
    assert chosen and {p.candidate.content_format for p in chosen} == {"reels"}
    assert {p.candidate.price_idr for p in chosen} == {1 * JT}


def test_old_candidates_without_the_new_fields_still_load() -> None:
    rec = recommend(_brief(5 * JT, Goal.SALES), _bandung())
    dumped = RECOMMENDATION_JSON.dump(rec)
    for portfolio in dumped["portfolios"].values():
        for p in portfolio["picks"]:
            for key in ("self_reported", "formats", "content_format"):
                p["candidate"].pop(key)
    loaded = RECOMMENDATION_JSON.load(dumped)
    assert loaded.portfolio() is not None
    c = loaded.portfolio().picks[0].candidate  # type: ignore[union-attr]
    assert (c.self_reported, c.formats, c.content_format) == (False, (), None)


def test_walk_in_and_engagement_briefs_choose_formats_too() -> None:
    rng = random.Random(2)
    accounts = [account("micro", "Bandung", rng) for _ in range(5)]
    star = _account(price=4 * JT, formats=(("story", 400_000), ("feed", 900_000)))
    brief = Brief(
        "Kuliner",
        Goal.ENGAGEMENT,
        1 * JT,
        Platform.INSTAGRAM,
        _place("Bandung"),
        BusinessKind.WALK_IN,
    )
    rec = recommend(brief, [*accounts, star])
    every = [p for s in rec.portfolios.values() for p in s.picks] + list(rec.others)
    mine = [p for p in every if p.candidate.id == star.id]
    assert mine and all(p.candidate.price_idr <= brief.budget for p in mine)
    assert all(p.candidate.content_format in ("story", "feed") for p in mine)
