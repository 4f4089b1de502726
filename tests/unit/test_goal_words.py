"""Goal answers as owners type them: slang, abbreviations, typos and mixed English."""

from __future__ import annotations

import pytest

from bot.domain import Goal
from bot.language.brief import extract_brief
from bot.language.goals import parse_goal

A, E, S = Goal.AWARENESS, Goal.ENGAGEMENT, Goal.SALES

GOAL_ANSWERS: list[tuple[str, Goal | None]] = [
    # People coming to buy is sales, even when said with "rame".
    ("biar rame yg dateng ke warung", S),
    ("biar rame yang datang ke toko", S),
    ("pengen warung rame pembeli", S),
    ("biar warungnya rame kak", S),
    ("biar org pd dtg ke kafe sy", S),
    # ... or with what the customer comes to do there
    ("biar rame yg servis", S),
    ("biar rame yang pesen", S),
    ("biar rame yg makan di tempat", S),
    ("biar rame yang booking", S),
    ("biar rame yg komen", E),  # reactions stay engagement
    # Any act of a customer at the business, not only the listed ones.
    ("pengen rame yg nyuci", S),  # a laundry
    ("biar banyak yg kenal dulu", A),
    ("biar makin banyak yang tau", A),
    ("biar rame yang pada ngegym", S),
    ("biar rame yg karaoke", S),
    ("biar rame yang pake jasa kita", S),
    ("biar rame yang ikut kelas", S),
    ("biar rame yg nonton", A),  # views are reach: getting known, not a purchase
    ("biar rame yg follow", A),  # following is getting known
    ("biar rame yang kenal", A),
    ("pgn byk pembeli dateng", S),
    ("biar pembeli datang terus", S),
    ("yg penting org dateng beli", S),
    ("biar salonnya rame customer", S),
    ("rame pengunjung ke cafe", S),
    ("biar laris manis", S),
    ("biar dagangan laku keras", S),
    ("mau naikin omset toko", S),
    ("more sales kak", S),
    ("pengen banyak yg order", S),
    ("biar cust pada mampir ke outlet", S),
    ("biar rame yg beli", S),
    ("biar pelanggan balik lagi belanja", S),
    # Growing followers or reach is awareness.
    ("biar followers ig nambah", A),
    ("nambah pengikut", A),
    ("biar akunnya naik", A),
    ("pengen followersnya bertambah", A),
    ("naikin followers tiktok", A),
    ("biar folowers naik", A),
    ("biar foll ig sy nambah", A),
    ("pengen banyak followers", A),
    ("biar pengikutnya makin banyak", A),
    ("biar akun ig naik", A),
    ("biar masuk fyp", A),
    ("mau viral kak", A),
    ("grow followers", A),
    # People knowing the brand or a new product is awareness.
    ("biar orang pada tau produk baru saya", A),
    ("biar dikenal", A),
    ("org pd tau", A),
    ("biar orang tahu brand kita", A),
    ("kenalin produk baru", A),
    ("mau launching produk baru", A),
    ("lagi launching menu baru kak", A),
    ("biar di kenal org", A),
    ("biar masyarakat kenal brand sy", A),
    ("brand awareness", A),
    ("biar banyak org liat", A),
    # Reactions under a post are engagement.
    ("biar rame komen", E),
    ("pengen rame like sama komen", E),
    ("biar kolom komentar rame", E),
    ("biar banyak interaksi", E),
    ("engagement naik", E),
    ("biar rame", E),
    # Not goals.
    ("gatau kak", None),
    ("terserah", None),
    ("makasih kak", None),
    ("5jt", None),
    ("warung kopi", None),
    ("bedanya mikro sama makro apa kak?", None),
    ("saya ga tau", None),
]


@pytest.mark.parametrize(("text", "goal"), GOAL_ANSWERS)
def test_goal_answer(text: str, goal: Goal | None) -> None:
    assert parse_goal(text) is goal


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("warung bakso di Medan, budget 3jt, biar rame yg dateng ke warung", S),
        ("kopi susu kekinian di Jogja 5jt lewat ig, biar followers ig nambah", A),
        ("skincare lokal, 10 juta, biar orang pada tau produk baru saya", A),
        ("salon di Bandung, pengen rame customer, dana 2jt", S),
        ("hijab olshop, target seluruh Indonesia, biar rame komen", E),
        ("punya 3 cabang kopi di Jogja, budget 10 juta biar makin dikenal", A),
        ("mau launching sambal baru di tiktok, budget 20jt", A),
        ("sy punya laundry kiloan di bekasi kak, pengen rame yg nyuci", S),
    ],
)
def test_goal_inside_a_brief(text: str, goal: Goal) -> None:
    assert extract_brief(text).goal is goal


@pytest.mark.parametrize(
    "text",
    [
        "warung kopi di Medan",
        "salon kecantikan",
        "toko kue",
        "budget 5jt",
        "500rb aja kak",
        "mau influencer yg followersnya banyak",
        "cari influencer 100rb followers di ig",
        "cara hubungin influencernya gimana kak?",
        "mau tau harga endorse",
        "jualan keripik di Malang",
        "terima order kue kering",
        "toko saya di Surabaya, kirim ke seluruh Indonesia",
        "saya ga tau budgetnya berapa",
    ],
)
def test_other_answers_are_not_goals(text: str) -> None:
    assert extract_brief(text).goal is None


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("tp plg penting org dateng beli", S),
        ("biar pada dateng", S),
        ("villa di bali, biar tamu dateng", S),
        ("saya mau membeli jasa influencer", None),
        ("mau tanya cara orang beli paket", None),
        ("produk buat orang tua", None),
    ],
)
def test_goal_in_passing(text: str, goal: Goal | None) -> None:
    assert extract_brief(text).goal is goal
