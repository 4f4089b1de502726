"""The advisor as a user meets it: the real bot process, talked to through the Bot API emulation."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys

import pytest
from fake_telegram import FakeTelegram, FakeUser
from helpers import BotProcess, StartBot, bot_env, handled_so_far, say, tap, texts_since

pytestmark = pytest.mark.e2e


def test_whole_conversation_by_buttons(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    user = fake.user(user_id, "Sari & <Co>")
    welcome = say(fake, user, "/start", "Halo Kak Sari & <Co>!")
    assert "mikro atau makro" in welcome.text
    question = fake.wait_for(user.id, predicate="Usahanya di bidang apa")
    assert "Kuliner" in question.button_texts()
    tap(fake, user, "Kuliner", "Tujuan utama", question.message_id)
    tap(fake, user, "penjualan naik", "Budget untuk endorse")
    tap(fake, user, "Rp3 jt", "platform mana")
    tap(fake, user, "Instagram", "Target pembelinya")
    tap(fake, user, "Bandung", "pembelinya biasanya gimana")
    recap = tap(fake, user, "Pembeli datang ke tempat", "Cek dulu")
    assert "Jenis usaha: Pembeli datang ke tempat" in recap.text
    for label in (
        "Ubah bidang",
        "Ubah tujuan",
        "Ubah budget",
        "Ubah platform",
        "Ubah lokasi",
        "Ubah jenis usaha",
        "Lihat rekomendasi",
    ):
        recap.find_button(label)
    assert "Rp3.000.000" in recap.text and "Bandung" in recap.text
    rec = tap(fake, user, "Lihat rekomendasi", "Rekomendasi: influencer")
    assert "Total Rp" in rec.text and "dari budget Rp3.000.000" in rec.text
    assert "data contoh" in rec.text.lower()  # the store holds only the sample
    assert "BPOM" in rec.text  # food needs registration
    assert "Strategi lain:" in rec.text and "Langkah berikutnya" in rec.text
    for label in (
        "Alasan tiap kandidat",
        "Langkah lengkap",
        "Strategi lain",
        "Kandidat lain",
        "Unduh CSV",
        "Simpan",
    ):
        rec.find_button(label)
    fake.assert_no_errors()


def test_one_message_brief_fills_everything_it_understood(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    user = fake.user(user_id, "Budi")
    say(fake, user, "/mulai", "Usahanya di bidang apa")
    recap = say(
        fake,
        user,
        "jualan keripik pedas online di Bandung, budget 5jt, mau naikin penjualan lewat instagram",
        "Cek dulu",
    )
    for part in ("Kuliner", "Rp5.000.000", "Instagram", "Bandung", "penjualan"):
        assert part in recap.text
    # the recap lists the answers once, not after the same list of what was understood
    assert "yang saya tangkap" not in recap.text
    assert recap.text.count("Rp5.000.000") == 1


def test_partial_brief_asks_only_what_is_missing(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    user = fake.user(user_id, "Nisa")
    say(fake, user, "/mulai", "Usahanya di bidang apa")
    question = say(fake, user, "olshop hijab, budget 10 juta", "Tujuan utama")
    assert "Budget untuk endorse" not in question.text
    tap(fake, user, "makin dikenal", "platform mana")
    tap(fake, user, "TikTok", "Target pembelinya")
    say(fake, user, "Jogja", "Cek dulu")
    rec = tap(fake, user, "Lihat rekomendasi", "Rekomendasi")
    assert "Fashion" in rec.text or "Kandidat" in rec.text


def test_bad_budget_is_explained_and_asked_again(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    user = fake.user(user_id, "Andi")
    say(fake, user, "/mulai", "Usahanya di bidang apa")
    say(fake, user, "skincare", "Tujuan utama")
    tap(fake, user, "banyak interaksi", "Budget untuk endorse")
    error = say(fake, user, "mahal banget pokoknya", "belum bisa saya baca")
    assert "5jt" in error.text and "Rp 5.000.000" in error.text
    ambiguous = say(fake, user, "5", "Maksudnya Rp5.000 atau Rp5.000.000")
    tap(fake, user, "Rp5 jt", "platform mana", ambiguous.message_id)
    say(fake, user, "instagram", "Target pembelinya")
    unknown = say(fake, user, "Planet Mars", "belum kenal lokasi")
    assert "Seluruh Indonesia" in unknown.button_texts()[-1]
    say(fake, user, "seluruh Indonesia", "Cek dulu")


def test_cancel_and_idle_hint(fake: FakeTelegram, shared_bot: BotProcess, user_id: int) -> None:
    user = fake.user(user_id, "Dewi")
    say(fake, user, "/mulai", "Usahanya di bidang apa")
    say(fake, user, "/batal", "dibatalkan")
    say(fake, user, "halo", "Ketik /mulai")
    say(fake, user, "/bantuan", "Cara pakai")
    say(fake, user, "/privasi", "Data yang saya simpan")
    say(fake, user, "/entahlah", "belum saya kenal")


def test_stale_button_gets_a_polite_answer(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    user = fake.user(user_id, "Eko")
    say(fake, user, "/mulai", "Usahanya di bidang apa")
    old_question = fake.wait_for(user.id, predicate="Usahanya di bidang apa")
    say(fake, user, "kopi", "Tujuan utama")
    mark = fake.mark()
    fake.press_button(user, "Fashion", old_question.message_id)
    answer = fake.wait_for_callback_answer(user.id, since=mark)
    assert "pesan lama" in answer["text"]
    again = fake.wait_for(user.id, since=mark, predicate="Tujuan utama")
    assert again.has_keyboard
    # forged data is refused politely, too
    mark = fake.mark()
    fake.press(user, old_question.message_id, "rec.main:999999:0")
    answer = fake.wait_for_callback_answer(user.id, since=mark)
    assert "tidak tersedia" in answer["text"]
    mark = fake.mark()
    fake.press(user, old_question.message_id, "zz:garbage")
    answer = fake.wait_for_callback_answer(user.id, since=mark)
    assert "tidak dikenali" in answer["text"]
    fake.assert_no_errors()


def _recommend(fake: FakeTelegram, user: FakeUser, brief: str):
    say(fake, user, "/mulai", "Usahanya di bidang apa")
    say(fake, user, brief, "Cek dulu")
    return tap(fake, user, "Lihat rekomendasi", "Rekomendasi: influencer")


def test_csv_save_saved_list_and_views(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    user = fake.user(user_id, "Rina")
    rec = _recommend(
        fake,
        user,
        "jualan sambal online di Surabaya budget 20jt biar banyak interaksi di instagram",
    )
    doc = tap(fake, user, "Unduh CSV", lambda m: m.document is not None, rec.message_id)
    assert doc.document is not None
    text = doc.document.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))  # Indonesian spreadsheets
    in_portfolio = [row for row in rows if row["in_portfolio"] == "yes"]
    assert in_portfolio
    assert sum(int(row["price_idr"]) for row in in_portfolio) <= 20_000_000
    for row in in_portfolio:
        assert f"@{row['handle']}" in rec.text
    strategies = tap(fake, user, "Strategi lain", "Tiga strategi", rec.message_id)
    assert strategies.message_id == rec.message_id  # edited in place
    back = tap(fake, user, "Kembali", "Rekomendasi: influencer", rec.message_id)
    others = tap(fake, user, "Kandidat lain", "Kandidat lain yang juga cocok", back.message_id)
    tap(fake, user, "Kembali", "Rekomendasi: influencer", others.message_id)
    mark = fake.mark()
    fake.press_button(user, "Simpan", rec.message_id)
    assert "Tersimpan" in fake.wait_for_callback_answer(user.id, since=mark)["text"]
    listing = say(fake, user, "/tersimpan", "Rekomendasi tersimpan")
    assert "Kuliner" in listing.text and "Surabaya" in listing.text
    reopened = tap(fake, user, "1", "Disimpan", listing.message_id)
    assert "Rekomendasi: influencer" in reopened.text
    fake.assert_no_errors()


def test_delete_data_after_confirmation(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    user = fake.user(user_id, "Tono")
    rec = _recommend(fake, user, "bengkel motor di Medan budget 2jt biar dikenal di tiktok")
    mark = fake.mark()
    fake.press_button(user, "Simpan", rec.message_id)
    fake.wait_for_callback_answer(user.id, since=mark)
    confirm = say(fake, user, "/hapusdata", "Yakin mau menghapus")
    assert "1 rekomendasi tersimpan" in confirm.text
    tap(fake, user, "Batal", "tidak ada yang dihapus", confirm.message_id)
    confirm = say(fake, user, "/hapusdata", "Yakin mau menghapus")
    tap(fake, user, "Ya, hapus semua", "sudah dihapus", confirm.message_id)
    say(fake, user, "/tersimpan", "Belum ada rekomendasi yang disimpan")
    mark = fake.mark()
    fake.press_button(user, "Strategi lain", rec.message_id)
    assert "tidak tersedia" in fake.wait_for_callback_answer(user.id, since=mark)["text"]


def test_budget_too_small_for_anyone_says_the_cheapest_option(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    user = fake.user(user_id, "Wati")
    say(fake, user, "/mulai", "Usahanya di bidang apa")
    say(fake, user, "jualan kue online di Jakarta budget 20rb biar laris di youtube", "Cek dulu")
    reply = tap(fake, user, "Lihat rekomendasi", "belum cukup")
    assert "Opsi termurah yang cocok" in reply.text
    reply.find_button("Ubah budget")


def test_redelivered_update_is_handled_once(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    user = fake.user(user_id, "Joko")
    say(fake, user, "/mulai", "Usahanya di bidang apa")
    mark = fake.mark()
    update_id = fake.send_text(user, "kopi")
    fake.wait_for(user.id, since=mark, predicate="Tujuan utama")
    handled_so_far(fake, user)
    mark = fake.mark()
    fake.redeliver(update_id)
    fake.wait_delivered(update_id)
    assert texts_since(fake, user, mark) == []


def test_group_messages_are_ignored(fake: FakeTelegram, shared_bot: BotProcess) -> None:
    update_id = fake.queue_raw_update(
        {
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": -100123, "type": "group", "title": "Grup UMKM"},
                "from": {"id": 4242, "is_bot": False, "first_name": "Group"},
                "text": "budget 5jt",
            }
        }
    )
    fake.wait_delivered(update_id)
    # the line a handler logs once it is done with the update (the claim logs one first)
    shared_bot.wait_log(
        rf'msg="update handled" update_id={update_id} chat_id=-100123 handler=(?!system\.claim )'
    )
    assert fake.messages(-100123) == []


def test_restart_mid_conversation_keeps_the_answers(
    fake: FakeTelegram, start_bot: StartBot, shared_bot: BotProcess, tmp_path, user_id: int
) -> None:
    # A second fake server so this bot's restarts do not disturb the shared one.
    with FakeTelegram(token="654321:OTHER-token") as own:
        bot = start_bot(own)
        user = own.user(user_id, "Lia")
        say(own, user, "/mulai", "Usahanya di bidang apa")
        say(own, user, "jualan baju", "Tujuan utama")
        question = tap(own, user, "makin dikenal", "Budget untuk endorse")
        assert bot.stop() == 0  # SIGTERM: a graceful stop
        bot = start_bot(own, database_url=bot.database_url)
        say(own, user, "7,5 juta", "platform mana")
        say(own, user, "tiktok", "Target pembelinya")
        say(own, user, "Jakarta", "pembelinya biasanya gimana")
        recap = say(own, user, "online", "Cek dulu")
        assert "Fashion" in recap.text and "Rp7.500.000" in recap.text
        # a button from before the restart is stale, and gets a polite answer
        mark = own.mark()
        own.press_button(user, "Rp3 jt", question.message_id)
        assert "pesan lama" in own.wait_for_callback_answer(user.id, since=mark)["text"]
        bot.stop()
        log = bot.log + shared_bot.log
        assert own.token not in log and fake.token not in log
        assert own.token.split(":")[1] not in log
        own.assert_no_errors()


def test_timezone_setting_dates_a_new_users_saved_recommendations(
    fake: FakeTelegram, start_bot: StartBot, user_id: int
) -> None:
    """TIMEZONE=Asia/Jayapura: someone new sees the dates of what they saved in WIT."""
    with FakeTelegram(token="654322:PAPUA-token") as own:
        bot = start_bot(own, TIMEZONE="Asia/Jayapura")
        user = own.user(user_id, "Yan")
        rec = _recommend(
            own, user, "jualan sambal online di Jayapura budget 5jt biar laris di instagram"
        )
        mark = own.mark()
        own.press_button(user, "Simpan", rec.message_id)
        own.wait_for_callback_answer(user.id, since=mark)
        listing = say(own, user, "/tersimpan", "Rekomendasi tersimpan")
        assert re.search(r"disimpan \d+ \w+ \d{4}, \d\d\.\d\d WIT\b", listing.text), listing.text
        reopened = tap(own, user, "1", "Disimpan", listing.message_id)
        assert " WIT. " in reopened.text
        bot.stop()
        own.assert_no_errors()


def test_token_never_appears_in_the_log(fake: FakeTelegram, shared_bot: BotProcess) -> None:
    log = shared_bot.log
    assert (
        "getUpdates" in log or "Calling Bot API" in log or "ready" in log
    )  # the log is really there
    assert fake.token not in log
    assert fake.token.split(":")[1] not in log


def test_missing_token_stops_with_one_clear_line(fake: FakeTelegram, tmp_path) -> None:
    env = bot_env(fake, f"sqlite:///{tmp_path / 'x.sqlite3'}")
    env["TELEGRAM_BOT_TOKEN"] = ""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "@BotFather" in lines[0] and ".env" in lines[0]
    assert "Traceback" not in result.stderr
