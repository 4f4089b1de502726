"""Unsure owners get a suggestion from the store with a button to take it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.advisor import conversation as advisor
from bot.chat import router
from bot.chat.person import Person
from models.conversations import Conversation
from models.db import session_scope
from tests.db.chat import button, call

SARI = Person(id=11, first_name="Sari", chat_id=11)


def _state(engine: Engine) -> Conversation:
    with session_scope(engine) as session:
        conv = session.get(Conversation, 11)
        assert conv is not None
        return conv


def test_unsure_budget_gets_an_amount_from_the_store(db: Engine) -> None:
    call(db, advisor.start, SARI)
    call(db, advisor.text_message, SARI, "kopi")
    call(db, advisor.text_message, SARI, "penjualan")
    out = call(db, advisor.text_message, SARI, "gatau kak")
    text = out.replies[-1].text
    # micro Kuliner accounts in the store cost 500 rb to 1,5 jt, median 750 rb: 3 of them
    assert "Rp500.000–Rp1.500.000" in text and "Rp2.300.000" in text
    assert "belum bisa saya baca" not in text
    state = _state(db)
    assert state.step == "budget" and "budget" not in state.answers
    out = call(db, router.button, SARI, button(out, "Rp2,3 jt"))
    assert _state(db).answers["budget"] == 2_300_000
    assert "platform" in out.replies[-1].text


def test_unsure_platform_suggests_the_one_with_most_accounts(db: Engine) -> None:
    call(db, advisor.start, SARI)
    call(db, advisor.text_message, SARI, "kopi")
    call(db, advisor.text_message, SARI, "penjualan")
    call(db, advisor.text_message, SARI, "5jt")
    out = call(db, advisor.text_message, SARI, "terserah")
    text = out.replies[-1].text
    assert "Instagram" in text and "belum ada di daftar" not in text
    assert "platform" not in _state(db).answers
    out = call(db, router.button, SARI, button(out, "✅"))
    assert _state(db).answers["platform"] == "instagram"
    assert _state(db).step == "location"


def test_unsure_goal_and_location_nudge_with_the_buttons(db: Engine) -> None:
    call(db, advisor.start, SARI)
    call(db, advisor.text_message, SARI, "kopi")
    out = call(db, advisor.text_message, SARI, "bingung")
    assert "penjualan" in out.replies[-1].text
    button(out, "Biar penjualan naik")
    call(db, advisor.text_message, SARI, "penjualan")
    call(db, advisor.text_message, SARI, "5jt")
    call(db, advisor.text_message, SARI, "instagram")
    out = call(db, advisor.text_message, SARI, "gatau")
    assert "Seluruh Indonesia" in out.replies[-1].text
    out = call(db, router.button, SARI, button(out, "Seluruh Indonesia"))
    assert _state(db).step == "recap"


def test_unsure_budget_without_store_accounts_uses_the_benchmark(db: Engine) -> None:
    call(db, advisor.start, SARI)
    call(db, advisor.text_message, SARI, "bengkel motor")
    call(db, advisor.text_message, SARI, "penjualan")
    out = call(db, advisor.text_message, SARI, "biasanya berapa?")
    text = out.replies[-1].text
    assert "patokan harga endorse" in text and "Rp3.000.000" in text
    out = call(db, router.button, SARI, button(out, "Rp3 jt"))
    assert _state(db).answers["budget"] == 3_000_000


_HEADER = (
    "platform,handle,name,niches,city,province,followers,engagement_rate,avg_views,"
    "price_idr,audience_quality,contact\n"
)
# many Kuliner accounts on Instagram, but only TikTok has any in Medan
_MEDAN = _HEADER + "".join(
    [
        f"instagram,ig_jkt{i},IG Jakarta {i},Kuliner,Jakarta,DKI Jakarta,20000,3,3000,800000,80,\n"
        for i in range(6)
    ]
    + [
        f"tiktok,tt_mdn{i},TT Medan {i},Kuliner,Medan,Sumatera Utara,20000,5,8000,900000,80,\n"
        for i in range(2)
    ]
)


@pytest.mark.parametrize("influencer_csv", [_MEDAN])
def test_unsure_platform_for_a_walk_in_shop_counts_accounts_in_its_city(db: Engine) -> None:
    call(db, advisor.start, SARI)
    call(db, advisor.text_message, SARI, "warung bakso di medan")
    call(db, advisor.text_message, SARI, "penjualan")
    call(db, advisor.text_message, SARI, "3jt")
    out = call(db, advisor.text_message, SARI, "terserah")
    text = out.replies[-1].text
    assert "saya sarankan <b>TikTok</b>" in text and "2 akun Kuliner dari Medan" in text
    assert button(out, "✅").endswith(":tiktok")
