"""The message says what the portfolio is: its numbers, its candidates, nothing else."""

from __future__ import annotations

import csv
import io
import json

from bot.advisor.engine.choice import recommend
from bot.advisor.engine.results import RECOMMENDATION_JSON, Recommendation
from bot.advisor.facts import figures, tier_counts
from bot.advisor.view import candidates_csv, main_view, others_view, strategies_view
from bot.chat.formatting import rupiah
from bot.chat.texts import to_plain
from bot.domain import Brief, Candidate, Goal, Location, Platform
from bot.store.stream import parse_influencer_csv

BANDUNG = Location(
    kind="city", name="Bandung", cities=frozenset({"Bandung"}), provinces=frozenset({"Jawa Barat"})
)


def _store() -> list[Candidate]:
    rows = [
        (1, "dapur_rina", "Dapur & <Rasa>", 24_000, 4.1, 3_500, 750_000, 86, "Bandung"),
        (2, "sambal_ade", "Sambal Ade", 15_000, None, None, 500_000, 40, "Bandung"),
        (3, "jajan_bdg", "Jajan Bandung", 60_000, 2.5, None, 1_500_000, 80, "Bandung"),
        (4, "kuliner_bogor", "Kuliner Bogor", 45_000, 2.0, 6_000, 1_000_000, 75, "Bogor"),
        (5, "makan_besar", "Makan Besar", 450_000, 1.6, 20_000, 7_500_000, 82, "Jakarta"),
        (6, "foodie_id", "Foodie ID", 1_500_000, 1.4, 60_000, 25_000_000, 88, "Surabaya"),
        (7, "warung_ceu", "Warung Ceu", 8_000, 6.0, 1_500, 150_000, 70, "Bandung"),
    ]
    provinces = {
        "Bandung": "Jawa Barat",
        "Bogor": "Jawa Barat",
        "Jakarta": "DKI Jakarta",
        "Surabaya": "Jawa Timur",
    }
    return [
        Candidate(
            i, Platform.INSTAGRAM, h, n, ("Kuliner",), city, provinces[city], f, er, views, price, q
        )
        for i, h, n, f, er, views, price, q, city in rows
    ]


def _rec(budget: int, goal: Goal = Goal.ENGAGEMENT) -> Recommendation:
    return recommend(Brief("Kuliner", goal, budget, Platform.INSTAGRAM, BANDUNG), _store())


def test_headline_numbers_are_the_portfolio_totals() -> None:
    rec = _rec(3_000_000)
    portfolio = rec.portfolio()
    assert portfolio is not None
    text = to_plain(main_view(1, rec, sample_data=False, saved=False).text)
    t = portfolio.totals
    tiers = " + ".join(f"{n} akun {word}" for n, word in tier_counts(portfolio.picks))
    assert f"Dengan {rupiah(t.cost)}, {tiers} Kuliner" in text
    assert sum(n for n, _ in tier_counts(portfolio.picks)) == t.accounts
    shown = figures(t)
    assert f"{shown['reach']} orang" in text
    assert f"{shown['engagements']} interaksi" in text
    assert f"{rupiah(t.cost_per_engagement)} per interaksi" in text
    assert (
        f"Total {rupiah(t.cost)} dari budget Rp3.000.000 (sisa {rupiah(3_000_000 - t.cost)})"
        in text
    )
    handles = {c.handle for c in _store() if f"@{c.handle}" in text}
    assert handles == {p.candidate.handle for p in portfolio.picks}
    assert t.cost == sum(p.candidate.price_idr for p in portfolio.picks) <= 3_000_000


def test_macro_out_of_budget_is_said_plainly_and_escaped_names() -> None:
    rec = _rec(2_000_000)
    html = main_view(1, rec, sample_data=True, saved=False).text
    text = to_plain(html)
    assert "Makro: belum terjangkau" in text and "Rp7.500.000" in text
    assert "data contoh" in text
    if "dapur_rina" in text:
        assert "Dapur &amp; &lt;Rasa&gt;" in html


def test_estimates_are_labelled() -> None:
    rec = _rec(3_000_000)
    text = to_plain(
        others_view(1, rec, 0).text + main_view(1, rec, sample_data=False, saved=False).text
    )
    if any(p.candidate.engagement_rate is None for p in (*rec.others, *rec.portfolio().picks)):
        assert "(perkiraan)" in text


def test_views_round_trip_through_storage_and_csv() -> None:
    rec = _rec(30_000_000, Goal.AWARENESS)
    stored = RECOMMENDATION_JSON.load(json.loads(json.dumps(RECOMMENDATION_JSON.dump(rec))))
    assert (
        main_view(9, stored, sample_data=False, saved=True).text
        == main_view(9, rec, sample_data=False, saved=True).text
    )
    assert "Tiga strategi" in strategies_view(9, stored, sample_data=False).text
    data = candidates_csv(stored)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    chosen = {p.candidate.handle for p in stored.portfolio().picks}
    assert {r["handle"] for r in rows if r["in_portfolio"] == "yes"} == chosen
    # the download imports back as an influencer CSV, figures unchanged
    parsed = parse_influencer_csv(data)
    assert not parsed.errors and len(parsed.rows) == len(rows)
    by_handle = {c.handle: c for c in _store()}
    for row in parsed.rows:
        original = by_handle[row.handle]
        assert row.engagement_rate == original.engagement_rate
        assert row.price_idr == original.price_idr and row.followers == original.followers
