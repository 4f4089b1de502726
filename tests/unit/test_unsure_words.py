"""Which messages read as an unsure owner, and which are real answers."""

from __future__ import annotations

import pytest

from bot.advisor.unsure import is_unsure

CASES = [
    ("gatau", True),
    ("gatauuu kak", True),
    ("ga tau", True),
    ("gak tahu kak", True),
    ("gtw", True),
    ("nggak tau juga sih", True),
    ("belum tau kak", True),
    ("blm tau", True),
    ("terserah", True),
    ("terserah kakak aja", True),
    ("trserah", True),
    ("bingung", True),
    ("masih bingung mau pilih yang mana", True),
    ("bingunggg", True),
    ("biasanya berapa?", True),
    ("biasanya brp kak", True),
    ("enaknya berapa ya kak", True),
    ("ngikut aja", True),
    ("ikut saran kakak aja", True),
    ("belum kepikiran", True),
    ("saran dong kak", True),
    ("bebas", True),
    ("apa aja kak", True),
    ("5jt", False),
    ("tiktok", False),
    ("ga jadi tiktok, ig aja", False),
    ("terserah, tiktok aja", False),
    ("gatau, 3jt cukup?", False),
    ("jualan sambal", False),
    ("biar penjualan naik", False),
    ("Bandung", False),
    ("bebas gluten", False),
    ("500rb", False),
    ("saya mau tau harganya", False),
    ("", False),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_unsure_words(text: str, expected: bool) -> None:
    assert is_unsure(text) is expected
