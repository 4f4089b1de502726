"""The advisor conversation against a real database, without Telegram in between."""

from __future__ import annotations

import re

from sqlalchemy import Engine
from sqlmodel import select

from bot.advisor import conversation as advisor
from bot.advisor import saved as saved_recommendations
from bot.chat import router
from bot.chat.person import Person
from bot.chat.replies import Outcome
from bot.privacy import chat as privacy_chat
from models.conversations import Conversation
from models.db import session_scope
from models.users import SavedRecommendation, UserAccount
from tests.db.chat import button, call


def conv(engine: Engine, chat_id: int) -> Conversation:
    with session_scope(engine) as session:
        return session.get(Conversation, chat_id)


SARI = Person(id=11, first_name="Sari", chat_id=11)
BUDI = Person(id=22, first_name="Budi", chat_id=22)


def test_buttons_all_the_way_to_a_recommendation(db: Engine) -> None:
    out = call(db, advisor.start, SARI)
    assert "Halo Kak Sari" in out.replies[0].text
    out = call(db, router.button, SARI, button(out, "Kuliner"))
    assert out.replies[0].edit and "Tujuan" in out.replies[-1].text
    out = call(db, router.button, SARI, button(out, "penjualan"))
    out = call(db, router.button, SARI, button(out, "Rp3 jt"))
    out = call(db, router.button, SARI, button(out, "Instagram"))
    out = call(db, router.button, SARI, button(out, "Bandung"))
    assert "Cek dulu" in out.replies[-1].text
    out = call(db, router.button, SARI, button(out, "Lihat rekomendasi"))
    text = out.replies[-1].text
    assert "Rekomendasi: influencer" in text
    others = call(db, router.button, SARI, button(out, "Kandidat lain")).replies[-1].text
    assert "<Rasa>" not in text + others
    assert "Dapur &amp; &lt;Rasa&gt; Rina" in text + others  # escaped for Telegram's HTML
    assert "⚠️ Kualitas audiens rendah" in text or "sambal_bu_ade" not in text
    assert conv(db, 11).step == "done"
    for reply in out.replies:
        for row in reply.buttons:
            for b in row:
                assert len(b.data.encode()) <= 64


def test_complete_brief_shows_the_answers_once(db: Engine) -> None:
    call(db, advisor.start, BUDI)
    out = call(
        db,
        advisor.text_message,
        BUDI,
        "jualan sambal di Bandung budget 4jt lewat instagram biar laris",
    )
    text = "\n".join(reply.text for reply in out.replies)
    assert "Cek dulu" in text and "yang saya tangkap" not in text
    assert text.count("Rp4.000.000") == 1 and text.count("Bandung") == 1
    assert conv(db, 22).step == "recap"
    # one answer changed at the recap is still acknowledged in a line, then the recap
    out = call(db, advisor.text_message, BUDI, "eh budgetnya 6jt aja")
    text = "\n".join(reply.text for reply in out.replies)
    assert "Rp6.000.000 ya" in text and "Cek dulu" in text


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
    assert "Maksudnya Rp5.000 atau Rp5.000.000" in out.replies[-1].text
    assert conv(db, 11).step == "budget_confirm"
    out = call(db, router.button, SARI, button(out, "Rp5 jt"))
    assert conv(db, 11).answers["budget"] == 5_000_000
    assert "platform" in out.replies[-1].text


def test_bare_500_offers_ribu_first_then_juta(db: Engine) -> None:
    call(db, advisor.start, SARI)
    call(db, advisor.text_message, SARI, "kopi")
    call(db, advisor.text_message, SARI, "penjualan")
    out = call(db, advisor.text_message, SARI, "500")
    question = out.replies[-1]
    assert "Maksudnya Rp500.000 atau Rp500.000.000" in question.text
    labels = [b.text for row in question.buttons for b in row]
    assert labels[:2] == ["Rp500 rb", "Rp500 jt"]
    out = call(db, router.button, SARI, question.buttons[0][0].data)
    state = conv(db, 11)
    assert state.answers["budget"] == 500_000 and "pending_budget" not in state.answers
    assert "Rp500.000" in out.replies[0].text and "platform" in out.replies[-1].text


def test_ambiguous_budget_too_small_as_ribu_is_refused_after_the_pick(db: Engine) -> None:
    call(db, advisor.start, SARI)
    call(db, advisor.text_message, SARI, "kopi")
    call(db, advisor.text_message, SARI, "penjualan")
    out = call(db, advisor.text_message, SARI, "7,5")
    out = call(db, router.button, SARI, button(out, "Rp7,5 rb"))
    assert "terlalu kecil" in out.replies[-1].text
    state = conv(db, 11)
    assert state.step == "budget" and "budget" not in state.answers
    out = call(db, advisor.text_message, SARI, "dua juta setengah")
    assert conv(db, 11).answers["budget"] == 2_500_000


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
    out = call(db, router.button, SARI, button(out, "Ubah budget"))
    assert "Budget untuk endorse" in out.replies[-1].text
    out = call(db, advisor.text_message, SARI, "6 juta")
    assert "Cek dulu" in out.replies[-1].text and "Rp6.000.000" in out.replies[-1].text


def test_stale_and_forged_buttons(db: Engine) -> None:
    first = call(db, advisor.start, SARI)
    call(db, advisor.text_message, SARI, "kopi")
    out = call(db, router.button, SARI, button(first, "Fashion"))
    assert "pesan lama" in out.toast
    assert conv(db, 11).answers["niche"] == "Kuliner"
    version = conv(db, 11).version
    for forged in (
        "advisor.niche@x:1",
        "advisor.niche:1",  # a question button without its version
        f"advisor.niche@{version}:99",
        f"advisor.niche@{version}:-1",
        f"advisor.goal@{version}:fame",
        f"advisor.budget@{version}:5",
        f"advisor.edit@{version}:goal",  # editing is only offered on the recap
        "rec.main:abc:0",
        "saved.open:-1",
        "saved.open:99999999999",
        "nonsense",
        "",
        "c:1:n:1",  # a button from before the upgrade
    ):
        out = call(db, router.button, SARI, forged)
        assert out.toast and not out.replies, forged
    for old in ("advisor.niche@999:1", f"advisor.goal@{version - 1}:sales"):
        out = call(db, router.button, SARI, old)
        assert "pesan lama" in out.toast and "Tujuan" in out.replies[-1].text
    assert conv(db, 11).answers["niche"] == "Kuliner" and conv(db, 11).step == "goal"


def test_other_peoples_recommendations_are_out_of_reach(db: Engine) -> None:
    call(db, advisor.start, SARI)
    out = call(
        db,
        advisor.text_message,
        SARI,
        "jualan sambal di Bandung budget 4jt biar laris di instagram",
    )
    out = call(db, router.button, SARI, button(out, "Lihat rekomendasi"))
    save = button(out, "Simpan")
    for data in (save, button(out, "Strategi lain"), button(out, "Unduh CSV")):
        stolen = call(db, router.button, BUDI, data)
        assert "tidak tersedia" in stolen.toast and not stolen.replies
    rec_id = int(save.split(":")[1])
    assert "tidak tersedia" in call(db, router.button, BUDI, f"saved.open:{rec_id}").toast
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
    out = call(db, router.button, SARI, button(out, "Lihat rekomendasi"))
    saved = call(db, router.button, SARI, button(out, "Simpan"))
    assert "Tersimpan" in saved.toast
    assert "Sudah tersimpan" in call(db, router.button, SARI, button(out, "Simpan")).toast
    listing = call(db, saved_recommendations.saved_list, SARI)
    assert "Kuliner · Instagram · Bandung" in listing.replies[0].text
    reopened = call(db, router.button, SARI, button(listing, "1"))
    assert "Disimpan" in reopened.replies[0].text
    confirm = call(db, privacy_chat.request_deletion, SARI)
    assert "1 rekomendasi tersimpan" in confirm.replies[0].text
    done = call(db, router.button, SARI, button(confirm, "Ya, hapus"))
    assert "sudah dihapus" in done.replies[0].text
    assert (
        "Belum ada rekomendasi" in call(db, saved_recommendations.saved_list, SARI).replies[0].text
    )
    with session_scope(db) as session:
        assert session.get(Conversation, 11) is None


def test_nothing_affordable_offers_to_change_the_budget(db: Engine) -> None:
    call(db, advisor.start, SARI)
    out = call(
        db, advisor.text_message, SARI, "jualan kue di Bandung budget 100rb biar laris di instagram"
    )
    out = call(db, router.button, SARI, button(out, "Lihat rekomendasi"))
    # the cheapest fitting option the advisor would recommend (the Rp500.000 account's
    # audience quality is 40: never recommended)
    assert "Rp750.000" in out.replies[-1].text
    out = call(db, router.button, SARI, button(out, "Ubah budget"))
    out = call(db, advisor.text_message, SARI, "3jt")
    assert "Cek dulu" in out.replies[-1].text


def test_platform_without_accounts_is_said_plainly(db: Engine) -> None:
    call(db, advisor.start, SARI)
    out = call(
        db, advisor.text_message, SARI, "jualan kue di Bandung budget 10jt biar laris di youtube"
    )
    out = call(db, router.button, SARI, button(out, "Lihat rekomendasi"))
    assert "belum ada influencer Kuliner di YouTube" in out.replies[-1].text


def _saved_recommendation(engine: Engine, person: Person) -> Outcome:
    call(engine, advisor.start, person)
    out = call(
        engine,
        advisor.text_message,
        person,
        "jualan sambal di Bandung budget 4jt biar laris di instagram",
    )
    out = call(engine, router.button, person, button(out, "Lihat rekomendasi"))
    call(engine, router.button, person, button(out, "Simpan"))
    return out


def test_a_new_users_dates_are_in_the_timezone_setting(db: Engine) -> None:
    """TIMEZONE=Asia/Jayapura: a new user's saved dates read WIT; an existing user keeps theirs."""
    papua = Person(id=33, first_name="Yan", chat_id=33, timezone="Asia/Jayapura")
    _saved_recommendation(db, papua)
    with session_scope(db) as session:
        assert session.get(UserAccount, papua.id).timezone == "Asia/Jayapura"
    listing = call(db, saved_recommendations.saved_list, papua)
    assert re.search(r"disimpan \d+ \w+ \d{4}, \d\d\.\d\d WIT\b", listing.replies[0].text)
    reopened = call(db, router.button, papua, button(listing, "1"))
    assert re.search(r"Disimpan .* WIT\. ", reopened.replies[0].text)
    _saved_recommendation(db, SARI)  # created under the default zone
    moved = Person(id=SARI.id, first_name="Sari", chat_id=SARI.chat_id, timezone="Asia/Jayapura")
    assert " WIB" in call(db, saved_recommendations.saved_list, moved).replies[0].text


def test_saved_list_pages_and_views_of_a_recommendation(db: Engine) -> None:
    out = _saved_recommendation(db, SARI)
    with session_scope(db) as session:
        first = session.exec(select(SavedRecommendation)).one()
        for _ in range(6):
            copy = SavedRecommendation.model_validate(first.model_dump(exclude={"id"}))
            session.add(copy)
    listing = call(db, saved_recommendations.saved_list, SARI)
    assert "(1/2)" in listing.replies[0].text
    second = call(db, router.button, SARI, button(listing, "Berikutnya"))
    assert second.replies[0].edit and "(2/2)" in second.replies[0].text
    assert button(second, "6") and button(second, "Sebelumnya")
    clamped = call(db, router.button, SARI, "saved.page:99")
    assert "(2/2)" in clamped.replies[0].text
    # the views under the recommendation, each edited in place
    strategies = call(db, router.button, SARI, button(out, "Strategi lain"))
    assert strategies.replies[0].edit and "Tiga strategi" in strategies.replies[0].text
    micro = call(db, router.button, SARI, button(strategies, "Lihat Mikro"))
    assert micro.replies[0].edit and button(micro, "Strategi lain")
    rec_id = button(out, "Simpan").split(":")[1]
    for forged in (
        f"rec.strategy:{rec_id}:mega:0",
        f"rec.strategy:{rec_id}",
        f"rec.main:{rec_id}:x",
    ):
        refused = call(db, router.button, SARI, forged)
        assert "tidak dikenali" in refused.toast and not refused.replies, forged
    others = call(db, router.button, SARI, button(out, "Kandidat lain"))
    back = call(db, router.button, SARI, button(others, "Kembali"))
    assert "Rekomendasi: influencer" in back.replies[0].text and button(back, "Tersimpan")
    csv = call(db, router.button, SARI, button(out, "Unduh CSV"))
    assert csv.replies[0].document is not None and csv.replies[0].document.filename.endswith(
        f"-{rec_id}.csv"
    )


def test_a_question_at_the_budget_is_answered_then_the_budget_asked_again(db: Engine) -> None:
    call(db, advisor.start, SARI)
    call(db, router.text_message, SARI, "kopi")
    asked = call(db, router.text_message, SARI, "penjualan")
    before = conv(db, 11)
    assert before.step == "budget"
    out = call(db, router.text_message, SARI, "bedanya mikro sama makro apa kak?")
    assert "mikro" in out.replies[0].text and "Makro" in out.replies[0].text
    again = out.replies[-1]
    assert again.text == asked.replies[-1].text  # the same budget question
    labels = [b.text for row in again.buttons for b in row]
    assert "Rp3 jt" in labels
    after = conv(db, 11)
    assert after.step == "budget" and after.answers == before.answers
    out = call(db, router.button, SARI, button(out, "Rp3 jt"))
    assert conv(db, 11).answers["budget"] == 3_000_000
    assert "platform" in out.replies[-1].text


def test_other_asides_keep_the_step_and_its_answers(db: Engine) -> None:
    call(db, advisor.start, SARI)
    call(db, router.text_message, SARI, "kopi")
    before = conv(db, 11)
    for text in (
        "cara hubungin influencernya gimana kak?",
        "ER itu apa kak?",
        "hasilnya dijamin ga kak?",
        "makasih kak",
    ):
        out = call(db, router.text_message, SARI, text)
        assert len(out.replies) == 2 and "Tujuan" in out.replies[-1].text, text
        assert conv(db, 11).answers == before.answers and conv(db, 11).step == "goal"


def test_thanks_after_a_recommendation_does_not_restart(db: Engine) -> None:
    call(db, advisor.start, SARI)
    out = call(
        db,
        advisor.text_message,
        SARI,
        "jualan sambal di Bandung budget 4jt biar laris di instagram",
    )
    out = call(db, router.button, SARI, button(out, "Lihat rekomendasi"))
    before = conv(db, 11)
    assert before.step == "done"
    out = call(db, router.text_message, SARI, "makasih kak")
    assert len(out.replies) == 1 and "Sama-sama" in out.replies[0].text
    assert "/mulai" not in out.replies[0].text and not out.replies[0].buttons
    after = conv(db, 11)
    assert after.step == "done" and after.answers == before.answers
