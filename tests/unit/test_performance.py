"""The one-line performance parser: how owners type a post's figures in chat."""

from __future__ import annotations

import pytest

from bot.language.performance_line import (
    LINE_ERROR_CODES,
    LineError,
    PerformanceLine,
    looks_like_performance_line,
    parse_performance_line,
)
from bot.language.post_urls import handle_from_url, post_key_of
from bot.reports.kpi.figures import FIGURE_FIELDS, Figures

JT = 1_000_000

# (line, handle, figures, post_url)
GOOD_LINES: list[tuple[str, str, dict[str, int], str | None]] = [
    (
        "@dapur_tehrina reach 12000 like 800 komen 45 share 30 simpan 12 klik 90 order 7 omzet 1,2jt",
        "dapur_tehrina",
        dict(
            reach=12000,
            likes=800,
            comments=45,
            shares=30,
            saves=12,
            clicks=90,
            conversions=7,
            revenue_idr=1_200_000,
        ),
        None,
    ),
    ("@Kopi.Senja 12rb views, 800 likes", "kopi.senja", dict(impressions=12000, likes=800), None),
    (
        "@sambal.bu_rudy Reach: 12.000 Like: 800 Komen: 45",
        "sambal.bu_rudy",
        dict(reach=12000, likes=800, comments=45),
        None,
    ),
    (
        "@rina jangkauan 15rb, suka 1,2rb, komentar 88, dibagikan 40, disimpan 25",
        "rina",
        dict(reach=15000, likes=1200, comments=88, shares=40, saves=25),
        None,
    ),
    (
        "@rina views=25k likes=1.5k comments=120 shares=60 saves=44",
        "rina",
        dict(impressions=25000, likes=1500, comments=120, shares=60, saves=44),
        None,
    ),
    # Number before the word, as the app shows "12K reach".
    ("@budi 12k reach 900 like 30 komen", "budi", dict(reach=12000, likes=900, comments=30), None),
    # Both orders in one line: the split into adjacent pairs is forced.
    ("@budi reach 12rb 800 like", "budi", dict(reach=12000, likes=800), None),
    (
        "https://www.tiktok.com/@rina.masak/video/7301234567890 ditonton 1,2jt like 85rb komen 1.024 share 3.300",
        "rina.masak",
        dict(impressions=1_200_000, likes=85_000, comments=1024, shares=3300),
        "https://www.tiktok.com/@rina.masak/video/7301234567890",
    ),
    (
        "@hijab.syari https://www.instagram.com/p/C1a2B3c4D5e/ reach 8.500 like 640",
        "hijab.syari",
        dict(reach=8500, likes=640),
        "https://www.instagram.com/p/C1a2B3c4D5e/",
    ),
    (
        "@toko_kue tayangan 30.000 jangkauan 21.500 klik 310 pesanan 24 omzet Rp 2.400.000",
        "toko_kue",
        dict(impressions=30000, reach=21500, clicks=310, conversions=24, revenue_idr=2_400_000),
        None,
    ),
    ("@toko_kue omset 500rb order 12", "toko_kue", dict(revenue_idr=500_000, conversions=12), None),
    (
        "@warung.mak impresi 18 ribu reach 11 ribu",
        "warung.mak",
        dict(impressions=18000, reach=11000),
        None,
    ),
    (
        "@GadgetIn impressions 120000 reach 85000 clicks 1500 conversions 40 revenue 12jt",
        "gadgetin",
        dict(impressions=120000, reach=85000, clicks=1500, conversions=40, revenue_idr=12 * JT),
        None,
    ),
    ("@mbak_ayu LIKE 350 KOMEN 20", "mbak_ayu", dict(likes=350, comments=20), None),
    ("@a like 800 dan komen 45 & share 30", "a", dict(likes=800, comments=45, shares=30), None),
    ("@a total reach 12000 di ig", "a", dict(reach=12000), None),
    ("@a postingan konten tiktok views 50rb", "a", dict(impressions=50000), None),
    ("@a klik link bio 90 checkout 5", "a", dict(clicks=90, conversions=5), None),
    ("@a beli 3 omzet 450rb", "a", dict(conversions=3, revenue_idr=450_000), None),
    ("@a closing 7 pendapatan 1.750.000", "a", dict(conversions=7, revenue_idr=1_750_000), None),
    ("@a penjualan Rp 1,2jt", "a", dict(revenue_idr=1_200_000), None),
    # "penjualan 7" is seven sales, not Rp7.
    ("@a penjualan 7", "a", dict(conversions=7), None),
    ("@a sales 9 penjualan rp 900rb", "a", dict(conversions=9, revenue_idr=900_000), None),
    ("@a repost 12 bookmark 30", "a", dict(shares=12, saves=30), None),
    ("@a 3,5 rb like 120 komen", "a", dict(likes=3500, comments=120), None),
    # Zero is a known figure, not a missing one.
    ("@a reach 0 like 0 omzet 0", "a", dict(reach=0, likes=0, revenue_idr=0), None),
    ("@a love 1.1k save 40", "a", dict(likes=1100, saves=40), None),
    ("@a ditonton 2,5jt kali like 100rb", "a", dict(impressions=2_500_000, likes=100_000), None),
    ("@a jangkau 12rb orang", "a", dict(reach=12000), None),
    (
        "@a tap 45 konversi 3 omzet 1.5jt",
        "a",
        dict(clicks=45, conversions=3, revenue_idr=1_500_000),
        None,
    ),
    # A spaced dash is a separator, not a minus sign.
    ("@a reach - 12000", "a", dict(reach=12000), None),
    (
        "youtu.be/dQw4w9WgXcQ @a views 10rb",
        "a",
        dict(impressions=10000),
        "https://youtu.be/dQw4w9WgXcQ",
    ),
    ("@a reach 12000. like 800.", "a", dict(reach=12000, likes=800), None),
    ("@a 👍 like 800 💬 komen 45", "a", dict(likes=800, comments=45), None),
    (
        "@a impression 5000, clicks 12, conversion 1, income 150rb",
        "a",
        dict(impressions=5000, clicks=12, conversions=1, revenue_idr=150_000),
        None,
    ),
    ("@a reach 12.000 like 1.234", "a", dict(reach=12000, likes=1234), None),
    ("@a tayang 9rb like 300 (reels)", "a", dict(impressions=9000, likes=300), None),
    ("@a: reach 1000 like 50", "a", dict(reach=1000, likes=50), None),
    ("@a.b_c reach12000 like800", "a.b_c", dict(reach=12000, likes=800), None),
    (
        "  @kedai_kopi   reach   7,5rb   like   410  ",
        "kedai_kopi",
        dict(reach=7500, likes=410),
        None,
    ),
    (
        "https://www.instagram.com/stories/kopi.senja/3301/ views 4rb",
        "kopi.senja",
        dict(impressions=4000),
        "https://www.instagram.com/stories/kopi.senja/3301/",
    ),
    ("@a omzet Rp 1.200.000,- order 4", "a", dict(revenue_idr=1_200_000, conversions=4), None),
    ("@a like 800 n komen 45", "a", dict(likes=800, comments=45), None),
    ("@a klik 90x", "a", dict(clicks=90), None),
    ("@a omzet 1,2 M", "a", dict(revenue_idr=1_200_000_000), None),
]


@pytest.mark.parametrize(("line", "handle", "figures", "url"), GOOD_LINES)
def test_good_lines(line: str, handle: str, figures: dict[str, int], url: str | None) -> None:
    result = parse_performance_line(line)
    assert result == PerformanceLine(handle=handle, figures=Figures(**figures), post_url=url)
    assert looks_like_performance_line(line)


def test_enough_good_lines() -> None:
    assert len(GOOD_LINES) >= 30
    assert len(BAD_LINES) >= 15


# (line, code, detail)
BAD_LINES: list[tuple[str, str, str]] = [
    ("", "empty", ""),
    ("   \n ", "empty", ""),
    ("reach 12000 like 800", "no_handle", ""),
    # An Instagram post link names only the post: the caller may look it up.
    (
        "https://www.instagram.com/p/Cxyz/ reach 12000",
        "no_handle",
        "https://www.instagram.com/p/Cxyz/",
    ),
    ("@rina", "no_figures", ""),
    ("@rina mantap kak", "no_figures", ""),
    ("@rina reach 12000 mantap", "unknown_word", "mantap"),
    ("@rina reach 12000 er 5%", "unknown_word", "er"),
    ("@rina omzet $500", "unknown_word", "$"),
    ("@rina omzet 50 usd", "unknown_word", "usd"),
    ("@rina like 3-5rb", "bad_number", "3-5rb"),
    # "M" is miliar in Indonesian but million in TikTok's English UI: never guess a count.
    ("@rina views 1.2M", "bad_number", "1.2M"),
    ("@rina like 12,5", "bad_number", "12,5"),
    ("@rina like Rp 500", "bad_number", "Rp 500"),
    ("@rina reach 5..000", "bad_number", "5..000"),
    ("@rina like 1,2,3", "bad_number", "1,2,3"),
    ("@rina like 800 suka 900", "duplicate_field", "likes"),
    ("@rina views 100 impresi 200", "duplicate_field", "impressions"),
    ("@rina @budi like 800", "duplicate_field", "handle"),
    (
        "@rina https://instagram.com/p/A reach 5 https://instagram.com/p/B",
        "duplicate_field",
        "post_url",
    ),
    ("@rina like -5", "negative", "likes"),
    ("@rina omzet -500rb", "negative", "revenue_idr"),
    ("@rina reach 12000 like", "missing_number", "like"),
    ("@rina reach like 800", "missing_number", "reach"),
    ("@rina 12000 800 like", "missing_word", "12000"),
    ("@rina reach 12000 900", "missing_word", "900"),
]


@pytest.mark.parametrize(("line", "code", "detail"), BAD_LINES)
def test_bad_lines(line: str, code: str, detail: str) -> None:
    assert parse_performance_line(line) == LineError(code, detail)
    assert code in LINE_ERROR_CODES


def test_every_field_has_words() -> None:
    seen = set()
    for line, _, figures, _ in GOOD_LINES:
        seen |= set(figures)
        assert isinstance(parse_performance_line(line), PerformanceLine)
    assert seen == set(FIGURE_FIELDS)


def test_handle_is_lower_case_without_at_or_trailing_dot() -> None:
    result = parse_performance_line("@Dapur.TehRina. like 5")
    assert isinstance(result, PerformanceLine)
    assert result.handle == "dapur.tehrina"


def test_explicit_handle_wins_over_url_handle() -> None:
    # A collab or repost: the owner says whose figures these are.
    result = parse_performance_line("@budi https://www.tiktok.com/@rina/video/1 views 5rb")
    assert isinstance(result, PerformanceLine)
    assert result.handle == "budi"


def test_same_handle_twice_is_fine() -> None:
    assert parse_performance_line("@rina like 5 @Rina") == PerformanceLine("rina", Figures(likes=5))


def test_url_keeps_case_and_loses_trailing_punctuation() -> None:
    result = parse_performance_line(
        "@rina (https://www.instagram.com/reel/CaBcD12/?igsh=xYz), reach 5"
    )
    assert isinstance(result, PerformanceLine)
    assert result.post_url == "https://www.instagram.com/reel/CaBcD12/?igsh=xYz"
    assert result.post_key == "instagram.com/p/CaBcD12"


def test_line_without_url_has_empty_post_key() -> None:
    result = parse_performance_line("@rina reach 5")
    assert isinstance(result, PerformanceLine)
    assert result.post_url is None and result.post_key == ""


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (None, ""),
        ("", ""),
        ("https://www.instagram.com/p/CaBcD12/", "instagram.com/p/CaBcD12"),
        ("https://instagram.com/reel/CaBcD12/?igsh=abc", "instagram.com/p/CaBcD12"),
        ("https://www.instagram.com/kopi.senja/p/CaBcD12/", "instagram.com/p/CaBcD12"),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&si=tracking",
            "youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ?si=x", "youtube.com/watch?v=dQw4w9WgXcQ"),
        ("https://m.youtube.com/shorts/abc123", "youtube.com/watch?v=abc123"),
        (
            "https://www.tiktok.com/@rina/video/73012?is_from_webapp=1",
            "tiktok.com/@rina/video/73012",
        ),
        ("HTTPS://WWW.TikTok.com/@rina/video/73012/", "tiktok.com/@rina/video/73012"),
        ("vt.tiktok.com/ZSabc/", "vt.tiktok.com/ZSabc"),
    ],
)
def test_post_key_of(url: str | None, key: str) -> None:
    assert post_key_of(url) == key


@pytest.mark.parametrize(
    ("url", "handle"),
    [
        ("https://www.tiktok.com/@Rina.Masak/video/1", "rina.masak"),
        ("https://www.youtube.com/@KulinerKita/shorts", "kulinerkita"),
        ("https://www.instagram.com/kopi.senja/reel/CaB/", "kopi.senja"),
        ("https://www.instagram.com/stories/kopi.senja/3301/", "kopi.senja"),
        ("https://t.me/promo_umkm/123", "promo_umkm"),
        ("https://www.instagram.com/p/CaB/", None),
        ("https://vt.tiktok.com/ZSabc/", None),
        ("https://youtu.be/dQw4w9WgXcQ", None),
        (None, None),
    ],
)
def test_handle_from_url(url: str | None, handle: str | None) -> None:
    assert handle_from_url(url) == handle


@pytest.mark.parametrize(
    "text",
    [
        "@rina reach 12000",
        "@rina 12rb views",
        "https://www.tiktok.com/@rina/video/1 ditonton 5rb",
        "instagram.com/p/CaB reach 5",
        "@rina reach 12000 mantap",  # routed, then refused with a precise reason
        "@rina like -5",
    ],
)
def test_looks_like_performance_line(text: str) -> None:
    assert looks_like_performance_line(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "reach 12000 like 800",  # no handle first: may be an answer to the advisor
        "budget 5jt",
        "@rina",
        "@rina mantap kak 5 menit lagi",
        "halo @rina like 800",
        "jualan sambal di https://www.instagram.com/p/CaB like 5",
        "@rina like komen share",
    ],
)
def test_does_not_look_like_performance_line(text: str) -> None:
    assert not looks_like_performance_line(text)


def test_long_garbage_is_quick_and_safe() -> None:
    line = "@rina " + "1.1." * 2000 + " like"
    result = parse_performance_line(line)
    assert isinstance(result, LineError)
    assert not looks_like_performance_line(line)
