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
    assert "pembelinya biasanya gimana" in out.replies[-1].text
    out = call(db, router.button, SARI, button(out, "Pembeli datang ke tempat"))
    assert "Cek dulu" in out.replies[-1].text
    assert "Jenis usaha: Pembeli datang ke tempat" in out.replies[-1].text
    out = call(db, router.button, SARI, button(out, "Lihat rekomendasi"))
    text = out.replies[-1].text
    assert "Rekomendasi: influencer" in text
    others = call(db, router.button, SARI, button(out, "Kandidat lain")).replies[-1].text
    assert "<Rasa>" not in text + others
    assert "Dapur &amp; &lt;Rasa&gt; Rina" in text + others  # escaped for Telegram's HTML
    assert "⚠️ kualitas audiens rendah" in text or "sambal_bu_ade" not in text
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
        "jualan sambal online di Bandung budget 4jt lewat instagram biar laris",
    )
    text = "\n".join(reply.text for reply in out.replies)
    assert "Cek dulu" in text and "yang saya tangkap" not in text
    assert text.count("Rp4.000.000") == 1 and text.count("Bandung") == 1
    assert conv(db, 22).step == "recap"
    # one answer changed at the recap is still acknowledged in a line, then the recap
    out = call(db, advisor.text_message, BUDI, "eh budgetnya 6jt aja")
    text = "\n".join(reply.text for reply in out.replies)
    assert "budgetnya saya ganti ke Rp6.000.000 (tadinya Rp4.000.000)" in text
    assert "Cek dulu" in text


def test_one_message_brief_then_missing_answer(db: Engine) -> None:
    call(db, advisor.start, BUDI)
    out = call(
        db, advisor.text_message, BUDI, "jualan sambal online di Bandung budget 4jt lewat instagram"
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
        "jualan sambal online di Bandung budget 4jt biar laris di instagram",
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
        "jualan sambal online di Bandung budget 4jt biar laris di instagram",
    )
    out = call(db, router.button, SARI, button(out, "Lihat rekomendasi"))
    save = button(out, "Simpan")
    behind = (button(out, "Alasan tiap kandidat"), button(out, "Langkah lengkap"))
    for data in (save, button(out, "Strategi lain"), button(out, "Unduh CSV"), *behind):
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
        "jualan sambal online di Bandung budget 4jt biar laris di instagram",
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
        db,
        advisor.text_message,
        SARI,
        "jualan kue online di Bandung budget 100rb biar laris di instagram",
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
        db,
        advisor.text_message,
        SARI,
        "jualan kue online di Bandung budget 10jt biar laris di youtube",
    )
    out = call(db, router.button, SARI, button(out, "Lihat rekomendasi"))
    text = out.replies[-1].text
    assert "belum ada influencer Kuliner di YouTube" in text
    # the platforms that do have the niche, with their counts, and a way to switch
    assert re.search(r"Yang ada: Instagram \(\d+ akun\)", text), text
    assert button(out, "Ubah platform")


def _saved_recommendation(engine: Engine, person: Person) -> Outcome:
    call(engine, advisor.start, person)
    out = call(
        engine,
        advisor.text_message,
        person,
        "jualan sambal online di Bandung budget 4jt biar laris di instagram",
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
    # what sits behind the main message: each candidate's reasons, the full next steps
    reasons = call(db, router.button, SARI, button(out, "Alasan tiap kandidat"))
    assert reasons.replies[0].edit and "Cocok:" in reasons.replies[0].text
    assert (
        "Rekomendasi" in call(db, router.button, SARI, button(reasons, "Kembali")).replies[0].text
    )
    steps = call(db, router.button, SARI, button(out, "Langkah lengkap"))
    assert steps.replies[0].edit and "#iklan" in steps.replies[0].text
    assert "halal" in steps.replies[0].text  # a food business
    refused = call(db, router.button, SARI, f"rec.reasons:{rec_id}:x")
    assert "tidak dikenali" in refused.toast and not refused.replies


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
        "jualan sambal online di Bandung budget 4jt biar laris di instagram",
    )
    out = call(db, router.button, SARI, button(out, "Lihat rekomendasi"))
    before = conv(db, 11)
    assert before.step == "done"
    out = call(db, router.text_message, SARI, "makasih kak")
    assert len(out.replies) == 1 and "Sama-sama" in out.replies[0].text
    assert "/mulai" not in out.replies[0].text and not out.replies[0].buttons
    after = conv(db, 11)
    assert after.step == "done" and after.answers == before.answers


def _at_recap(engine: Engine, person: Person, brief: str) -> Outcome:
    call(engine, advisor.start, person)
    out = call(engine, advisor.text_message, person, brief)
    assert "Cek dulu" in out.replies[-1].text, out.replies[-1].text
    return out


JOGJA = "warung gudeg di Yogyakarta, budget 5jt, tiktok, biar makin dikenal"


def _recommended(engine: Engine, brief: str) -> Outcome:
    """SARI's brief up to the recap, then the "Lihat rekomendasi" button: what it shows."""
    _at_recap(engine, SARI, brief)
    recap = call(engine, advisor.text_message, SARI, "oke")
    return call(engine, router.button, SARI, button(recap, "Lihat rekomendasi"))


def test_an_explicit_correction_at_the_recap_changes_the_answer_and_says_so(db: Engine) -> None:
    _at_recap(db, SARI, JOGJA)
    out = call(db, advisor.text_message, SARI, "eh ga jadi tiktok, ig aja")
    text = "\n".join(reply.text for reply in out.replies)
    assert "platformnya saya ganti ke Instagram (tadinya TikTok)" in text
    assert "Cek dulu" in out.replies[-1].text
    state = conv(db, 11)
    assert state.step == "recap" and state.answers["platform"] == "instagram"
    out = call(db, advisor.text_message, SARI, "lokasinya jaksel aja")
    assert "lokasinya saya ganti ke Jakarta (tadinya Yogyakarta)" in out.replies[0].text
    assert conv(db, 11).answers["location"]["name"] == "Jakarta"


def test_words_in_passing_are_asked_about_and_only_a_press_changes_them(db: Engine) -> None:
    _at_recap(db, SARI, JOGJA)
    before = conv(db, 11).answers
    out = call(db, advisor.text_message, SARI, "tp plg penting org dateng beli")
    state = conv(db, 11)
    assert state.answers["location"] == before["location"]  # "plg" is *paling*
    assert state.answers["goal"] == "awareness" and state.step == "recap"
    question = out.replies[-1]
    assert "diganti ke <b>Penjualan naik</b>" in question.text
    labels = [b.text for row in question.buttons for b in row]
    assert labels == ["Ganti ke Penjualan naik", "Tetap Makin dikenal"]
    kept = call(db, router.button, SARI, button(out, "Tetap Makin dikenal"))
    assert kept.replies[0].edit and "tetap Makin dikenal" in kept.replies[0].text
    assert "Cek dulu" in kept.replies[-1].text
    assert conv(db, 11).answers["goal"] == "awareness"
    assert "pesan lama" in call(db, router.button, SARI, button(out, "Ganti ke")).toast
    out = call(db, advisor.text_message, SARI, "tp plg penting org dateng beli")
    changed = call(db, router.button, SARI, button(out, "Ganti ke Penjualan naik"))
    assert (
        "tujuannya saya ganti ke Penjualan naik (tadinya Makin dikenal)" in changed.replies[0].text
    )
    assert (
        "Cek dulu" in changed.replies[-1].text and "Biar penjualan naik" in changed.replies[-1].text
    )
    assert conv(db, 11).answers["goal"] == "sales"


def test_home_words_do_not_change_the_niche_and_online_is_recorded(db: Engine) -> None:
    call(db, advisor.start, BUDI)
    out = call(
        db, advisor.text_message, BUDI, "jualan gudeg di Yogyakarta, 5jt, tiktok, biar dikenal"
    )
    assert "pembelinya biasanya gimana" in out.replies[-1].text
    assert conv(db, 22).step == "business"
    out = call(db, advisor.text_message, BUDI, "di rumah aja kak jualannya online")
    text = "\n".join(reply.text for reply in out.replies)
    assert "jualannya online ya" in text and "Jenis usaha: Jualan online" in text
    state = conv(db, 22)
    assert state.answers["niche"] == "Kuliner" and state.answers["business"] == "online"
    assert state.step == "recap"


def test_the_business_question_its_buttons_and_its_recap_line(db: Engine) -> None:
    call(db, advisor.start, SARI)
    out = call(
        db, advisor.text_message, SARI, "jualan sambal di Medan budget 3jt lewat ig biar laris"
    )
    question = out.replies[-1]
    labels = [b.text for row in question.buttons for b in row]
    assert labels == [
        "🏪 Pembeli datang ke tempat",
        "📦 Jualan online, kirim ke mana saja",
        "🏝️ Penginapan/wisata, tamu dari kota lain",
    ]
    out = call(db, router.button, SARI, button(out, "Pembeli datang"))
    recap_text = out.replies[-1].text
    assert "Jenis usaha: Pembeli datang ke tempat" in recap_text
    out = call(db, router.button, SARI, button(out, "Ubah jenis usaha"))
    assert "pembelinya biasanya gimana" in out.replies[-1].text
    out = call(db, advisor.text_message, SARI, "olshop kak, kirim ke seluruh indo")
    assert "Jenis usaha: Jualan online" in out.replies[-1].text
    with session_scope(db) as session:
        row = session.get(Conversation, 11)
        from bot.advisor.answers import Answers

        assert Answers.model_validate(row.answers).brief().business == "online"


def test_nationwide_is_online_unless_words_say_otherwise_and_old_rows_load(db: Engine) -> None:
    call(db, advisor.start, BUDI)
    out = call(
        db, advisor.text_message, BUDI, "skincare lokal, 3jt, interaksi, youtube, seluruh Indonesia"
    )
    assert (
        "Cek dulu" in out.replies[-1].text and "Jenis usaha: Jualan online" in out.replies[-1].text
    )
    assert "business" not in conv(db, 22).answers  # a default, not something the owner said
    out = call(db, advisor.text_message, BUDI, "villa di Bali budget 20jt ig biar dikenal")
    # a whole new brief at the recap is several corrections at once
    assert "Cek dulu" in out.replies[-1].text


def test_a_correction_after_the_recommendation_reopens_the_same_brief(db: Engine) -> None:
    # online: the test store has no Yogyakarta accounts, which a walk-in warung would need
    out = _recommended(db, JOGJA.replace("warung gudeg", "gudeg kaleng online"))
    assert conv(db, 11).step == "done"
    out = call(db, advisor.text_message, SARI, "eh ga jadi tiktok, ig aja")
    assert "platformnya saya ganti ke Instagram" in out.replies[0].text
    assert "Cek dulu" in out.replies[-1].text and "Gudeg" not in out.replies[-1].text
    state = conv(db, 11)
    assert state.step == "recap" and state.answers["niche"] == "Kuliner"


def test_a_what_if_after_the_recommendation_tries_it_on_the_same_brief(db: Engine) -> None:
    _recommended(db, JOGJA.replace("warung gudeg", "gudeg kaleng online"))
    out = call(db, advisor.text_message, SARI, "kalo di instagram gmn kak?")
    assert "platformnya saya ganti ke Instagram" in out.replies[0].text
    state = conv(db, 11)
    assert state.step == "recap" and state.answers["niche"] == "Kuliner"
    assert state.answers["platform"] == "instagram"


def test_a_question_about_the_results_is_answered_from_the_recommendation(db: Engine) -> None:
    """It names the brief's own goal and kind of business ("orang yg dtg"): a question about
    the recommendation just shown, not a new consultation that forgets the brief."""
    shown = _recommended(db, "jualan sambal online di Bandung budget 4jt biar laris di instagram")
    estimate = next((r.text for r in shown.replies if "diperkirakan" in r.text), "")
    assert estimate, [r.text for r in shown.replies]
    before = conv(db, 11).answers
    out = call(db, advisor.text_message, SARI, "kok cuma segitu kak? bisa dapet brp orang yg dtg?")
    text = out.replies[0].text
    assert text.startswith("Dari rekomendasi tadi") and "pembelian" in text
    reach = text.split("perkiraannya ")[1].split(" orang")[0]
    assert f"menjangkau {reach} orang" in estimate  # the same figure the owner saw
    assert "kalau budget" in text
    state = conv(db, 11)
    assert state.step == "done" and state.answers == before


def test_a_results_question_with_the_budget_used_up_suggests_another_platform(
    db: Engine,
) -> None:
    """When the fitting accounts run out below the budget, "kalau budget 2x?" would
    contradict the recommendation's own "budget belum bisa terpakai semua"."""
    shown = _recommended(db, "jualan sambal online di Bandung budget 200jt biar laris di instagram")
    assert any("belum bisa terpakai semua" in r.text for r in shown.replies)
    out = call(db, advisor.text_message, SARI, "hasilnya kira2 berapa kak?")
    text = out.replies[0].text
    assert "tidak menambah hasilnya" in text and "kalau di TikTok?" in text
    assert "kalau budget" not in text


def test_a_value_asked_about_after_the_recommendation_is_offered_on_the_same_brief(
    db: Engine,
) -> None:
    """ "ada yg dari jakarta ga?" named a place in passing and used to start a new
    consultation that asked for the business again."""
    _recommended(db, "jualan sambal online di Bandung budget 4jt biar laris di instagram")
    before = conv(db, 11).answers
    out = call(db, advisor.text_message, SARI, "ada yg dari jakarta ga kak?")
    assert [b.text for b in out.replies[-1].buttons[0]] == ["Ganti ke Jakarta", "Tetap Bandung"]
    assert conv(db, 11).answers["niche"] == before["niche"]
    changed = call(db, router.button, SARI, button(out, "Ganti ke Jakarta"))
    assert "Cek dulu" in changed.replies[-1].text and "Jakarta" in changed.replies[-1].text
    after = conv(db, 11).answers
    assert {k: v for k, v in after.items() if k != "location"} == {
        k: v for k, v in before.items() if k != "location"
    }


def test_after_a_recommendation_an_unanswerable_message_says_what_can_be_done(
    db: Engine,
) -> None:
    """It used to greet the owner as if nothing had been said ("Halo Kak! Mau cari ...")."""
    _recommended(db, "jualan sambal online di Bandung budget 4jt biar laris di instagram")
    before = conv(db, 11).answers
    out = call(db, advisor.text_message, SARI, "kalau pake 3 akun nano aja bisa ga kak?")
    text = out.replies[0].text
    assert "Strategi lain" in text and "kalau budget" in text and "Halo" not in text
    ack = call(db, advisor.text_message, SARI, "oke kak")
    assert ack.replies[0].text.startswith("Sip, Kak")
    state = conv(db, 11)
    assert state.step == "done" and state.answers == before


def test_each_answer_taken_from_one_message_is_its_own_line(db: Engine) -> None:
    out = call(
        db,
        advisor.text_message,
        SARI,
        "aku ada usaha kue kering rumahan di makassar, budget dua juta, mau coba endorse di ig",
    )
    text = out.replies[0].text
    assert "• Budget: Rp2.000.000\n• Platform: Instagram\n• Lokasi: Makassar" in text, text


def test_two_platforms_named_start_with_the_first_and_say_so(db: Engine) -> None:
    out = call(
        db,
        advisor.text_message,
        SARI,
        "jualan keripik pedas di bandung budget 5jt mau naikin penjualan, promosi di ig "
        "sama tiktok, jualannya online",
    )
    first = out.replies[0].text
    assert "mulai dari Instagram" in first and "kalau di TikTok?" in first
    assert "Cek dulu" in out.replies[-1].text
    assert conv(db, 11).answers["platform"] == "instagram"


def test_two_platforms_in_a_list_of_answers_say_which_comes_first(db: Engine) -> None:
    out = call(db, advisor.text_message, SARI, "jualan keripik di bandung, ig sm tiktok")
    first = out.replies[0].text
    assert "Platform: Instagram dulu (TikTok menyusul setelah rekomendasinya)" in first


def test_recommend_command_takes_the_kind_of_business(db: Engine, monkeypatch) -> None:
    import argparse

    import pytest

    from bot.advisor import recommendations
    from bot.cli import commands
    from bot.cli.main import _parser

    seen: list[object] = []

    def fake_advise(session: object, brief: object, **kwargs: object) -> object:
        seen.append(brief)
        raise SystemExit(0)

    monkeypatch.setattr(recommendations, "advise", fake_advise)
    base = ["recommend", "--niche", "kuliner", "--goal", "sales", "--budget", "5jt"]
    base += ["--platform", "ig"]
    for extra, kind in (
        (["--location", "Medan", "--business", "offline"], "walk_in"),
        (["--location", "Medan", "--business", "walk_in"], "walk_in"),
        (["--location", "Bali", "--business", "wisata"], "destination"),
        (["--location", "Medan", "--business", "online"], "online"),
        (["--location", "seluruh Indonesia"], "online"),
        (["--location", "Medan"], None),
    ):
        args: argparse.Namespace = _parser().parse_args([*base, *extra])
        with pytest.raises(SystemExit):
            commands.recommend(db, args)
        assert seen[-1].business == kind, extra
    args = _parser().parse_args([*base, "--location", "Medan", "--business", "entahlah"])
    with pytest.raises(commands.Refused):
        commands.recommend(db, args)


def test_online_said_at_the_location_is_taken_and_the_question_asked_plainly(db: Engine) -> None:
    call(db, advisor.start, BUDI)
    for text in ("sambal", "biar laris", "3jt", "ig"):
        call(db, advisor.text_message, BUDI, text)
    out = call(db, advisor.text_message, BUDI, "di rumah aja kak jualannya online")
    text = "\n".join(reply.text for reply in out.replies)
    assert "jualannya online ya" in text and "belum kenal lokasi" not in text
    assert "Target pembelinya di mana" in out.replies[-1].text
    state = conv(db, 22)
    assert state.step == "location" and state.answers["niche"] == "Kuliner"
    out = call(db, advisor.text_message, BUDI, "seluruh indonesia")
    assert "Cek dulu" in out.replies[-1].text and "Jualan online" in out.replies[-1].text


def test_a_word_in_passing_at_a_question_is_asked_then_the_next_question(db: Engine) -> None:
    call(db, advisor.start, SARI)
    call(db, advisor.text_message, SARI, "kopi")
    call(db, advisor.text_message, SARI, "penjualan")
    out = call(db, advisor.text_message, SARI, "10jt biar viral")
    assert "Oke, budget Rp10.000.000 ya" in out.replies[0].text
    assert [b.text for b in out.replies[-1].buttons[0]] == [
        "Ganti ke Makin dikenal",
        "Tetap Penjualan naik",
    ]
    kept = call(db, router.button, SARI, button(out, "Tetap Penjualan naik"))
    assert "platform mana" in kept.replies[-1].text
    state = conv(db, 11)
    assert state.answers["goal"] == "sales" and "proposed" not in state.answers
    assert state.step == "platform"


def test_taking_an_answer_back_asks_it_again_then_returns_to_the_recap(db: Engine) -> None:
    _at_recap(db, SARI, JOGJA)
    out = call(db, advisor.text_message, SARI, "ga jadi tiktok")
    assert "platform mana" in out.replies[-1].text and conv(db, 11).step == "platform"
    out = call(db, advisor.text_message, SARI, "youtube aja")
    assert "Cek dulu" in out.replies[-1].text and "YouTube" in out.replies[-1].text


def test_a_walk_in_shop_with_nobody_in_its_city_is_told_so_not_sold_other_cities(
    db: Engine,
) -> None:
    # the test store has Kuliner accounts on TikTok, none of them in Yogyakarta
    out = _recommended(db, JOGJA)
    text = out.replies[-1].text
    assert "Di Yogyakarta belum ada akun Kuliner di TikTok" in text
    assert "tidak saya arahkan ke sana" in text and "belum cukup" not in text
    assert "@" not in text  # no invented or far-away accounts offered as the answer
    labels = [b.text for row in out.replies[-1].buttons for b in row]
    assert "Ubah jenis usaha" in labels and "Ubah lokasi" in labels
