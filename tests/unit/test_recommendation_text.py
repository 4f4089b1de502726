"""What the main message says: length, tier words, places, whose figures, next steps, ranges."""

from __future__ import annotations

import pytest

from bot.advisor.engine.estimates import ObservedRates
from bot.advisor.facts import span, tier_counts
from bot.advisor.learning import OwnResults
from bot.advisor.next_steps import next_steps
from bot.advisor.recommendations import Advice, nothing_fits_text
from bot.advisor.view import (
    MAIN_MAX_CHARS,
    main_view,
    portfolio_view,
    reasons_view,
    steps_view,
    strategies_view,
    visible_length,
)
from bot.chat.texts import to_plain
from bot.domain import NATIONWIDE, BusinessKind, Goal, Platform, Strategy, Tier
from tests.unit.built_recommendations import all_away, build, candidate, grid, pick


def _main(rec, *, sample_data: bool = False, own: OwnResults | None = None) -> str:  # type: ignore[no-untyped-def]
    return to_plain(main_view(1, rec, sample_data=sample_data, saved=False, own=own).text)


@pytest.mark.parametrize("sample_data", [False, True])
def test_main_message_fits_a_phone_for_every_shape(sample_data: bool) -> None:
    lengths = []
    for rec in grid():
        html = main_view(1, rec, sample_data=sample_data, saved=True).text
        lengths.append(visible_length(html))
        text = to_plain(html)
        # what must survive any tightening
        assert "Langkah berikutnya" in text or "Berikutnya" in text
        assert "Strategi lain" in text and "Total " in text
        for n, p in enumerate(rec.portfolio().picks[:5], 1):  # type: ignore[union-attr]
            assert f"@{p.candidate.handle}" in text
            if p.outside_area:
                assert "luar kota" in text
            if p.low_quality:
                assert "kualitas audiens rendah" in text
            if p.candidate.self_reported:
                line = next(x for x in text.splitlines() if x.startswith(f"{n}. "))
                assert line.count("belum diverifikasi") == 1 and "/story" in line
    assert max(lengths) <= MAIN_MAX_CHARS, max(lengths)


def test_an_ordinary_message_is_not_squeezed() -> None:
    text = _main(build(Goal.ENGAGEMENT, Strategy.MICRO, mix=None))
    assert "<b>" not in text and "Akun 1 @akun_1" in text  # names kept, figures in full
    assert "per interaksi" in text and "Total Rp" in text


def test_candidate_markers_and_reasons_behind_a_button() -> None:
    rec = build(Goal.SALES, Strategy.MICRO, markers=True, business=BusinessKind.WALK_IN)
    text = _main(rec)
    assert "luar kota" in text and "contoh" in text and "⚠️ kualitas audiens rendah" in text
    assert "Cocok:" not in text  # reasons moved behind the button
    buttons = [
        b.text for row in main_view(1, rec, sample_data=False, saved=False).buttons for b in row
    ]
    assert "Alasan tiap kandidat" in buttons and "Langkah lengkap" in buttons
    assert {"Strategi lain", "Kandidat lain", "📄 Unduh CSV", "💾 Simpan"} <= set(buttons)
    reasons = to_plain(reasons_view(1, rec, 0, sample_data=False).text)
    assert reasons.count("Cocok:") == 5 and "Kualitas audiens rendah (35/100)" in reasons
    # with the whole store being the sample, the note says it once instead of per line
    assert "contoh" not in _main(rec, sample_data=True).split("Kandidat")[1].split("Total")[0]


def test_tier_words_follow_the_follower_lines() -> None:
    picks = [
        pick(candidate(1, 9_999, 100_000)),
        pick(candidate(2, 10_000, 600_000)),
        pick(candidate(3, 99_999, 2_000_000)),
        pick(candidate(4, 100_000, 3_000_000)),
        pick(candidate(5, 1_000_000, 20_000_000)),
        pick(candidate(6, 200_000, 3_000_000, platform=Platform.YOUTUBE)),  # under 250k there
    ]
    assert tier_counts(picks) == [(1, "nano"), (3, "mikro"), (1, "makro"), (1, "mega")]
    rec = build(Goal.AWARENESS, Strategy.MICRO, mix=None)
    text = _main(rec)
    assert "3 akun nano + 2 akun mikro Kuliner" in text
    assert "nano 6 rb" in text and "mikro 6 rb" not in text
    assert all(p.tier in (Tier.NANO, Tier.MICRO) for p in rec.portfolio().picks)  # type: ignore[union-attr]


def test_ranges_are_shown_where_set() -> None:
    assert span(12_000, (12_000, 30_000)) == "~12–30 rb"
    assert span(800, (500, 1_800)) == "~500–1,8 rb"
    assert span(12_345, None) == "~12,3 rb"
    rec = build(Goal.AWARENESS, Strategy.MICRO, ranges=True, mix=None)
    assert "~20–64 rb orang" in _main(rec)  # 40 rb × 0.5 and × 1.6
    others = to_plain(strategies_view(1, rec, sample_data=False).text)
    assert "jangkauan ~20–64 rb" in others and "~45–144 rb jangkauan" in others
    assert "jangkauan ~20–64 rb" in to_plain(portfolio_view(1, rec, Strategy.MICRO, 0).text)


def test_walk_in_with_none_in_the_city_says_so_and_what_works_instead() -> None:
    rec = all_away(build(Goal.SALES, Strategy.MICRO, business=BusinessKind.WALK_IN, local=(0, 0)))
    text = _main(rec)
    assert "Kuliner dari luar Medan" in text
    assert "Di Medan belum ada akun Kuliner di Instagram di data kami" in text
    assert "komunitas lokal Medan" in text and "barter" in text and "target Medan" in text
    assert text.count("luar kota") >= 1


def test_place_sentences_follow_the_store() -> None:
    walk_in = dict(business=BusinessKind.WALK_IN, mix=None)
    dear = _main(all_away(build(Goal.SALES, Strategy.MICRO, local=(3, 0), **walk_in)))  # type: ignore[arg-type]
    assert "Akun Kuliner di Medan ada 3, tapi belum ada yang masuk budget" in dear
    passed = _main(all_away(build(Goal.SALES, Strategy.MICRO, local=(3, 2), **walk_in)))  # type: ignore[arg-type]
    assert "Ada 2 akun di Medan yang masuk budget, tapi tidak terpilih" in passed
    assert "belum ada" not in passed.split("Strategi lain")[0]
    unknown = _main(all_away(build(Goal.SALES, Strategy.MICRO, **walk_in)))  # type: ignore[arg-type]
    assert "Semua akun ini dari luar Medan" in unknown and "belum ada" not in unknown
    villa = all_away(
        build(Goal.SALES, Strategy.MICRO, business=BusinessKind.DESTINATION, local=(0, 0), mix=None)
    )
    text = _main(villa)
    assert "akun di kota asal mereka justru pas" in text and "belum ada akun" not in text
    mixed = _main(build(Goal.SALES, Strategy.MICRO, markers=True, **walk_in))  # type: ignore[arg-type]
    assert "(4 di Medan, 1 dari luar)" in mixed and "luar kota" in mixed


def test_never_says_none_fits_when_the_store_has_local_accounts() -> None:
    for local in ((2, 2), (2, 0), (None, None)):
        rec = build(Goal.SALES, Strategy.MICRO, business=BusinessKind.WALK_IN, local=local)
        text = _main(rec)
        assert "belum ada akun" not in text and "belum ada yang cocok" not in text
        assert "yang berbasis di Medan" in text


def test_whose_figures_never_both_for_the_same_figure() -> None:
    rec = build(Goal.SALES, Strategy.MICRO, mix=None)
    none = _main(rec)
    assert "Jumlah pembelian masih asumsi umum." in none and "kampanye Kakak" not in none
    own_micro = OwnResults(
        rates={Tier.MICRO: ObservedRates(engagement_rate=4.0, purchase_rate=0.012)},
        cost_per_engagement={"micro": 278.0},
        campaigns=1,
    )
    mine = _main(rec, own=own_micro)
    assert "berdasarkan hasil kampanye Kakak sebelumnya (mikro Rp278/interaksi)" in mine
    assert "akun nano dari rata-rata industri" in mine  # no own figures for nano
    assert "data penjualan Kakak sendiri (~1,2% interaksi jadi pembeli)" in mine
    assert "asumsi" not in mine
    macro = build(Goal.SALES, Strategy.MACRO, mix=None)
    theirs = _main(macro, own=own_micro)
    assert "berdasarkan" not in theirs and "belum pernah Kakak coba" in theirs
    assert (
        "Jumlah pembelian masih asumsi umum" in theirs
        and "data penjualan Kakak sendiri" not in theirs
    )


def test_left_out_accounts_are_named_with_the_reason() -> None:
    text = _main(build(Goal.SALES, Strategy.MICRO, left_out=True, mix=None))
    assert (
        "Tidak saya sarankan: @warung_mahal (ROAS 0,15x di kampanye Kakak),"
        " @bot_followers (kualitas audiens rendah)."
    ) in text


def test_near_tie_and_unused_budget_are_said_plainly() -> None:
    rec = build(
        Goal.AWARENESS,
        Strategy.MICRO,
        micro=(5, 88_000.0, 2_400.0),
        macro=(2, 90_000.0, 2_000.0),
        mix=None,
        near_tie=True,
        useful_budget=36_000_000,
    )
    text = _main(rec)
    assert "Hasilnya ~98% dari Makro" in text and "Rp33 jt lebih murah" in text
    assert "belum bisa memakai seluruh budget" in text and "~Rp36 jt" in text


@pytest.mark.parametrize(
    ("niche", "business", "main_has", "full_has"),
    [
        ("Kuliner", BusinessKind.WALK_IN, "sertifikat halal", "PIRT"),
        ("Kuliner", BusinessKind.ONLINE, "PIRT/BPOM", "izin edar BPOM"),
        ("Kecantikan", BusinessKind.WALK_IN, "before-after", "notifikasi BPOM"),
        ("Kecantikan", BusinessKind.ONLINE, "BPOM", "menyembuhkan jerawat"),
        ("Kesehatan & Kebugaran", BusinessKind.WALK_IN, "klaim pasti sembuh", "testimoni"),
        ("Kesehatan & Kebugaran", None, "izin edar BPOM", "tidak boleh mengklaim"),
        ("Pertanian", None, "Kementan", "Kementerian Pertanian"),
        ("Teknologi & Gadget", BusinessKind.ONLINE, "SDPPI", "SNI"),
        ("Fashion", BusinessKind.ONLINE, "kode promo", "link WhatsApp"),
    ],
)
def test_next_steps_fit_the_business(
    niche: str, business: BusinessKind | None, main_has: str, full_has: str
) -> None:
    rec = build(Goal.SALES, Strategy.MICRO, niche=niche, business=business, mix=None)
    text = _main(rec)
    steps = text.split("Langkah berikutnya:")[1]
    assert len([line for line in steps.splitlines() if line.startswith("• ")]) == 3
    assert "insight" in steps and "hak pakai" in steps and "#iklan" in steps
    assert main_has in steps
    full = to_plain(steps_view(1, rec).text)
    assert full_has in full and "#iklan" in full and "kode promo" in full
    if niche != "Kuliner":
        assert "halal" not in full


def test_barter_tiktok_shop_and_local_audience_steps() -> None:
    small = build(
        Goal.SALES,
        Strategy.MICRO,
        budget=3_000_000,
        platform=Platform.TIKTOK,
        business=BusinessKind.WALK_IN,
        niche="Fashion",
        mix=None,
    )
    full = to_plain(steps_view(1, small).text)
    assert "barter" in full and "TikTok Shop" in full and "di kasir" in full
    assert "audiensnya di sana" in full
    big = build(Goal.AWARENESS, Strategy.MICRO, location=NATIONWIDE, niche="Fashion", mix=None)
    assert "barter" not in next_steps(big).steps and "local_only" not in next_steps(big).steps


def test_nothing_fits_names_other_platforms_and_the_cheapest_option() -> None:
    rec = build(
        Goal.SALES, Strategy.MICRO, micro=None, macro=None, mix=None, platform=Platform.YOUTUBE
    )
    nothing = rec.__class__(
        **{**rec.__dict__, "cheapest_price": None, "cheapest_macro_price": None}
    )
    text = to_plain(
        nothing_fits_text(Advice(nothing, False, niche_platforms={"instagram": 12, "tiktok": 3}))
    )
    assert "belum ada influencer Kuliner di YouTube" in text
    assert "Instagram (12 akun), TikTok (3 akun)" in text and "Ubah platform" in text
    alone = to_plain(nothing_fits_text(Advice(nothing, False)))
    assert "platform lain juga belum ada" in alone
    poor = rec.__class__(
        **{**rec.__dict__, "cheapest_price": 450_000, "cheapest_macro_price": 7_500_000}
    )
    text = to_plain(nothing_fits_text(Advice(poor, False)))
    assert "Rp450.000" in text and "satu posting makro paling murah Rp7.500.000" in text
