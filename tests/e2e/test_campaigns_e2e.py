"""Campaigns as an owner meets them: from a saved recommendation to a scheduled summary."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fake_telegram import FakeTelegram, FakeUser
from helpers import BotProcess, StartBot, campaign_from_recommendation, say, tap, wait_sweeps

pytestmark = pytest.mark.e2e


def _campaign_from_recommendation(fake: FakeTelegram, user: FakeUser) -> tuple[str, str]:
    made = campaign_from_recommendation(fake, user)
    return made.id, made.handles[0]


def test_campaign_capture_and_report(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    user = fake.user(user_id, "Rina")
    campaign_id, handle = _campaign_from_recommendation(fake, user)
    recorded = say(
        fake, user, f"@{handle} reach 12000 like 800 komen 45 share 30 simpan 12", "Tercatat untuk"
    )
    assert "jangkauan 12.000" in recorded.text
    tap(fake, user, "Batalkan", "dibatalkan", recorded.message_id)
    say(fake, user, f"@{handle} reach 12000 like 800 komen 45 share 30 simpan 12", "Tercatat untuk")
    header = "handle,platform,post_url,recorded_at,impressions,reach,likes,comments,shares,saves,clicks,conversions,revenue_idr"
    data = f"{header}\n@{handle},instagram,,2026-11-26 19:00,30000,15000,900,50,31,12,95,7,1200000\n".encode()
    mark = fake.mark()
    fake.send_document(user, "hasil.csv", data)
    fake.wait_for(user.id, since=mark, predicate="1 catatan hasil masuk", timeout=20)
    mark = fake.mark()
    fake.send_text(user, "/laporan")
    photo = fake.wait_for(user.id, since=mark, predicate=lambda m: m.photo is not None, timeout=20)
    assert photo.photo.startswith(b"\x89PNG") and "jangkauan" in photo.text
    report = fake.wait_for(user.id, since=mark, predicate="Laporan", timeout=20)
    assert f"(#{campaign_id})" in report.text and "Per influencer" in report.text
    assert "biaya per interaksi (CPE)" in report.text and "(ROAS)" in report.text
    assert "💰 Omzet Rp1,2 jt dari biaya" in report.text
    assert "🎯 Perkiraan rekomendasi" in report.text  # the campaign came from one
    doc = tap(fake, user, "Unduh CSV", lambda m: m.document is not None, report.message_id)
    assert doc.document is not None
    assert doc.document.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    text = doc.document.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    # The chat line (now) is newer than the file's row (yesterday): its reach wins, and the
    # figures only the file had (clicks, revenue) still count.
    ((row),) = [r for r in rows if r["Akun"] == f"@{handle}"]
    assert (row["Jangkauan"], row["Klik"], row["Omzet (Rp)"]) == ("12000", "95", "1200000")
    fake.assert_no_errors()


def test_bad_line_and_foreign_campaign(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    owner = fake.user(user_id, "Dewi")
    campaign_id, handle = _campaign_from_recommendation(fake, owner)
    say(fake, owner, f"@{handle} views 100 like 500", "tidak masuk akal")
    say(fake, owner, f"@{handle} reach 12000 sukaan 5", "belum saya kenal")
    intruder = fake.user(user_id + 500_000, "Penyusup")
    say(fake, intruder, "/mulai", "Usahanya di bidang apa")
    last = fake.messages(intruder.id)[-1]
    mark = fake.mark()
    fake.press(intruder, last.message_id, f"campaign.delete_yes:{campaign_id}")
    assert "tidak tersedia" in fake.wait_for_callback_answer(intruder.id, since=mark)["text"]
    say(fake, owner, "/kampanye", f"#{campaign_id}")
    fake.assert_no_errors()


def test_scheduled_summary_arrives_at_its_time(start_bot: StartBot, user_id: int) -> None:
    # The bot's clock runs ahead to 35 s past a minute, so that its next minute turns some
    # 20 s after the schedule is set, instead of up to 75 s of waiting for the real one.
    ahead = (35 - datetime.now().timestamp()) % 60

    def bot_now() -> datetime:
        return datetime.now(ZoneInfo("Asia/Jakarta")) + timedelta(seconds=ahead)

    with FakeTelegram(token="777777:SCHEDULE-token") as own:
        bot = start_bot(own, SWEEP_INTERVAL_SECONDS="1", clock_ahead=ahead)
        logged = re.match(r"ts=(\S+)", bot.log)  # its log is stamped by its own clock
        assert logged, bot.log
        bot_clock = datetime.fromisoformat(logged[1]).astimezone(ZoneInfo("Asia/Jakarta"))
        assert abs((bot_clock - bot_now()).total_seconds()) < 10, (bot_clock, bot_now())
        user = own.user(user_id, "Joko")
        _campaign_from_recommendation(own, user)
        say(own, user, "/jadwal", "Pilih seberapa sering")
        tap(own, user, "Harian", "Jam berapa")
        now = bot_now()
        if now.second > 50:  # leave the bot a moment to store it before the minute turns
            now += timedelta(seconds=15)
        due = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
        at = due.strftime("%H:%M")
        say(own, user, at, "zona waktu")
        done = tap(own, user, "WIB", "dikirim setiap hari")
        assert f"pukul {at.replace(':', '.')} WIB" in done.text
        mark = own.mark()
        summary = own.wait_for(
            user.id, since=mark, predicate=lambda m: m.photo is not None, timeout=100
        )
        assert bot_now() >= due  # not before its HH:MM
        assert "Ringkasan" in summary.text and summary.photo.startswith(b"\x89PNG")
        assert "Laporan lengkap" in summary.button_texts()[0]
        wait_sweeps(bot)  # a second copy would have been sent by then
        assert sum(1 for m in own.messages(user.id) if m.photo is not None) == 1  # once
        bot.stop()
        own.assert_no_errors()
