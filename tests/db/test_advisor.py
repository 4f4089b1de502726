"""The advisor conversation against a real database, without Telegram in between."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from bot.advisor import conversation as advisor
from bot.chat.person import Person
from bot.store.importer import import_rows, parse_influencer_csv
from models.conversations import Conversation
from models.db import session_scope
from models.users import SavedRecommendation
from tests.db.chat import button, call

HEADER = "platform,handle,name,niches,city,province,followers,engagement_rate,avg_views,price_idr,audience_quality,contact"
STORE = [
    "instagram,dapur_rina,Dapur & <Rasa> Rina,Kuliner,Bandung,,24000,4.1,3500,750000,86,",
    "instagram,sambal_bu_ade,Sambal Bu Ade,Kuliner,Bandung,,15000,,,500000,40,",
    "instagram,jajan_bdg,Jajan Bandung,Kuliner|Gaya Hidup,Bandung,,60000,2.5,,1500000,80,",
    "instagram,kuliner_jabar,Kuliner Jabar,Kuliner,Bogor,,45000,2.0,6000,1000000,75,",
    "instagram,makan_besar,Makan Besar,Kuliner,Jakarta,,450000,1.6,20000,7500000,82,",
    "instagram,foodie_nusantara,Foodie Nusantara,Kuliner,Surabaya,,1500000,1.4,60000,25000000,88,",
    "tiktok,rina_tt,Rina TT,Kuliner,Bandung,,30000,5.0,20000,600000,80,",
]


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    parsed = parse_influencer_csv(("\n".join([HEADER, *STORE]) + "\n").encode())
    assert not parsed.errors
    with session_scope(engine) as session:
        import_rows(session, parsed.rows, source="test")
    yield engine


def conv(engine: Engine, chat_id: int) -> Conversation:
    with session_scope(engine) as session:
        return session.get(Conversation, chat_id)


SARI = Person(id=11, first_name="Sari", chat_id=11)
BUDI = Person(id=22, first_name="Budi", chat_id=22)


def test_buttons_all_the_way_to_a_recommendation(db: Engine) -> None:
    out = call(db, advisor.start, SARI)
    assert "Halo Kak Sari" in out.replies[0].text
    out = call(db, advisor.button, SARI, button(out, "Kuliner"))
    assert out.replies[0].edit and "Tujuan" in out.replies[-1].text
    out = call(db, advisor.button, SARI, button(out, "penjualan"))
    out = call(db, advisor.button, SARI, button(out, "Rp3 jt"))
    out = call(db, advisor.button, SARI, button(out, "Instagram"))
    out = call(db, advisor.button, SARI, button(out, "Bandung"))
    assert "Cek dulu" in out.replies[-1].text
    out = call(db, advisor.button, SARI, button(out, "Lihat rekomendasi"))
    text = out.replies[-1].text
    assert "Rekomendasi: influencer" in text
    assert "Dapur &amp; &lt;Rasa&gt; Rina" in text  # escaped for Telegram's HTML
    assert "⚠️ Kualitas audiens rendah" in text or "sambal_bu_ade" not in text
    assert conv(db, 11).step == "done"
    for reply in out.replies:
        for row in reply.buttons:
            for b in row:
                assert len(b.data.encode()) <= 64


def test_one_message_brief_then_missing_answer(db: Engine) -> None:
    call(db, advisor.start, BUDI)
    out = call(
        db, advisor.text_message, BUDI, "jualan sambal di Bandung budget 4jt lewat instagram"
    )
    assert "yang saya tangkap" in out.replies[0].text
    assert "Tujuan" in out.replies[-1].text
    state = conv(db, 22)
    assert state.step == "goal"
    assert state.answers["budget"] == 4_000_000 and state.answers["niche"] == "Kuliner"
    out = call(db, advisor.text_message, BUDI, "biar makin dikenal")
    assert "Cek dulu" in out.replies[-1].text


def test_ambiguous_budget_asks_before_guessing(db: Engine) -> None:
    out = call(db, advisor.start, SARI)
    call(db, advisor.text_message, SARI, "kopi")
    call(db, advisor.text_message, SARI, "penjualan")
    out = call(db, advisor.text_message, SARI, "5")
    assert "Maksudnya Rp5.000.000" in out.replies[-1].text
    assert conv(db, 11).step == "budget_confirm"
    out = call(db, advisor.button, SARI, button(out, "Ya"))
    assert conv(db, 11).answers["budget"] == 5_000_000
    assert "platform" in out.replies[-1].text


def test_bad_budget_keeps_the_question(db: Engine) -> None:
    call(db, advisor.start, SARI)
    call(db, advisor.text_message, SARI, "kopi")
    call(db, advisor.text_message, SARI, "penjualan")
    out = call(db, advisor.text_message, SARI, "-5jt")
    assert "lebih dari nol" in out.replies[-1].text
    assert conv(db, 11).step == "budget"


def test_edit_from_recap_returns_to_recap(db: Engine) -> None:
    call(db, advisor.start, SARI)
    out = call(
        db,
        advisor.text_message,
        SARI,
        "jualan sambal di Bandung budget 4jt biar laris di instagram",
    )
    assert "Cek dulu" in out.replies[-1].text
    out = call(db, advisor.button, SARI, button(out, "Ubah budget"))
    assert "Budget untuk endorse" in out.replies[-1].text
    out = call(db, advisor.text_message, SARI, "6 juta")
    assert "Cek dulu" in out.replies[-1].text and "Rp6.000.000" in out.replies[-1].text


def test_stale_and_forged_buttons(db: Engine) -> None:
    first = call(db, advisor.start, SARI)
    call(db, advisor.text_message, SARI, "kopi")
    out = call(db, advisor.button, SARI, button(first, "Fashion"))
    assert "pesan lama" in out.toast
    assert conv(db, 11).answers["niche"] == "Kuliner"
    for forged in ("c:999:n:1", "c:x:n:1", "r:abc:m:0", "nonsense", "", "o:-1", "c:1:n:99"):
        out = call(db, advisor.button, SARI, forged)
        assert out.toast, forged


def test_other_peoples_recommendations_are_out_of_reach(db: Engine) -> None:
    call(db, advisor.start, SARI)
    out = call(
        db,
        advisor.text_message,
        SARI,
        "jualan sambal di Bandung budget 4jt biar laris di instagram",
    )
    out = call(db, advisor.button, SARI, button(out, "Lihat rekomendasi"))
    save = button(out, "Simpan")
    for data in (save, button(out, "Strategi lain"), button(out, "Unduh CSV")):
        stolen = call(db, advisor.button, BUDI, data)
        assert "tidak tersedia" in stolen.toast and not stolen.replies
    rec_id = int(save.split(":")[1])
    assert "tidak tersedia" in call(db, advisor.button, BUDI, f"o:{rec_id}").toast
    with session_scope(db) as session:
        assert session.get(SavedRecommendation, rec_id).saved_at is None


def test_save_list_reopen_and_delete(db: Engine) -> None:
    call(db, advisor.start, SARI)
    out = call(
        db,
        advisor.text_message,
        SARI,
        "jualan sambal di Bandung budget 4jt biar laris di instagram",
    )
    out = call(db, advisor.button, SARI, button(out, "Lihat rekomendasi"))
    saved = call(db, advisor.button, SARI, button(out, "Simpan"))
    assert "Tersimpan" in saved.toast
    assert "Sudah tersimpan" in call(db, advisor.button, SARI, button(out, "Simpan")).toast
    listing = call(db, advisor.saved_list, SARI)
    assert "Kuliner · Instagram · Bandung" in listing.replies[0].text
    reopened = call(db, advisor.button, SARI, button(listing, "1"))
    assert "Disimpan" in reopened.replies[0].text
    confirm = call(db, advisor.request_deletion, SARI)
    assert "1 rekomendasi tersimpan" in confirm.replies[0].text
    done = call(db, advisor.button, SARI, button(confirm, "Ya, hapus"))
    assert "sudah dihapus" in done.replies[0].text
    assert "Belum ada rekomendasi" in call(db, advisor.saved_list, SARI).replies[0].text
    with session_scope(db) as session:
        assert session.get(Conversation, 11) is None


def test_nothing_affordable_offers_to_change_the_budget(db: Engine) -> None:
    call(db, advisor.start, SARI)
    out = call(
        db, advisor.text_message, SARI, "jualan kue di Bandung budget 100rb biar laris di instagram"
    )
    out = call(db, advisor.button, SARI, button(out, "Lihat rekomendasi"))
    assert "Rp500.000" in out.replies[-1].text  # the cheapest fitting option
    out = call(db, advisor.button, SARI, button(out, "Ubah budget"))
    out = call(db, advisor.text_message, SARI, "3jt")
    assert "Cek dulu" in out.replies[-1].text


def test_platform_without_accounts_is_said_plainly(db: Engine) -> None:
    call(db, advisor.start, SARI)
    out = call(
        db, advisor.text_message, SARI, "jualan kue di Bandung budget 10jt biar laris di youtube"
    )
    out = call(db, advisor.button, SARI, button(out, "Lihat rekomendasi"))
    assert "belum ada influencer Kuliner di YouTube" in out.replies[-1].text
