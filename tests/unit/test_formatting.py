"""Numbers, money and callback data as the product fixes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.chat import buttons
from bot.chat.formatting import compact, local_datetime, percent, rupiah, rupiah_compact
from bot.chat.texts import render, to_plain


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5_000_000, "Rp5.000.000"),
        (0, "Rp0"),
        (750_000, "Rp750.000"),
        (1_526.4, "Rp1.526"),
        (-5000, "-Rp5.000"),
    ],
)
def test_rupiah(value: float, expected: str) -> None:
    assert rupiah(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (950, "950"),
        (12_500, "12,5 rb"),
        (38_000, "38 rb"),
        (2_500_000, "2,5 jt"),
        (1_200_000_000, "1,2 M"),
    ],
)
def test_compact(value: int, expected: str) -> None:
    assert compact(value) == expected


def test_compact_money_and_percent() -> None:
    assert rupiah_compact(3_500_000) == "Rp3,5 jt"
    assert rupiah_compact(3_000_000) == "Rp3 jt"
    assert rupiah_compact(750_000) == "Rp750 rb"
    # two accounts at Rp1.250.000 must read as adding up to the Rp2.500.000 under them
    assert rupiah_compact(1_250_000) == "Rp1,25 jt"
    assert compact(1_250_000) == "1,2 jt"  # reach and other figures keep one decimal
    assert percent(4.1) == "4,1%"
    assert percent(None) == "-"


def test_local_datetime_shows_the_users_zone() -> None:
    moment = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    assert local_datetime(moment) == "27 Nov 2026, 06.30 WIB"
    assert local_datetime(moment, "Asia/Jayapura") == "27 Nov 2026, 08.30 WIT"


def test_callback_data_round_trip_and_limits() -> None:
    data = buttons.button_data("advisor", "niche", 3, version=12)
    assert data == "advisor.niche@12:3"
    parsed = buttons.parse(data)
    assert (parsed.feature, parsed.action, parsed.version) == ("advisor", "niche", 12)
    assert parsed.id(0) == 3 and not parsed.has(1)
    assert buttons.parse("campaign.report:7:csv").word(1) == "csv"
    with pytest.raises(ValueError):
        buttons.button_data("rec", "page", "x" * 70)
    forged = (None, "", "q:1", "c", "x" * 65, "k:1:rep", "advisor.niche@x:1", "Advisor.niche:1",
              "advisor.niche:\x00", "advisor.niche:ä", "advisor.niche:99999999999",
              "advisor.niche:-1", "advisor.niche:2147483648", "advisor.niche")  # fmt: skip
    for bad in forged:
        with pytest.raises(buttons.BadButton):
            buttons.parse(bad).id(0)


def test_templates_escape_user_data() -> None:
    text = render("welcome", name="<b>Sari</b> & co")
    assert "&lt;b&gt;Sari&lt;/b&gt; &amp; co" in text
    assert to_plain(text).startswith("Halo Kak <b>Sari</b> & co!")
