"""Influencers in their own chats: an owner invites two, one accepts and reports, one declines."""

from __future__ import annotations

import re

import pytest
from fake_telegram import FakeTelegram, FakeUser
from helpers import BotProcess, StartBot, campaign_from_recommendation, handled_so_far, say, tap

pytestmark = pytest.mark.e2e


def _invite(fake: FakeTelegram, owner: FakeUser, handle: str) -> str:
    say(fake, owner, "/kampanye", "Kampanye")
    shown = tap(fake, owner, "#", "Influencer (")
    pick = tap(fake, owner, "Undang influencer", "Mau undang siapa", shown.message_id)
    link_msg = tap(fake, owner, f"@{handle}", f"Link undangan untuk @{handle}", pick.message_id)
    copy = next(b.copy_text for b in link_msg.all_buttons() if b.copy_text)
    assert copy is not None and copy in link_msg.text
    match = re.fullmatch(r"https://t\.me/umkm_test_bot\?start=(inv_[A-Za-z0-9_-]{22})", copy)
    assert match, copy
    return match[1]


def test_owner_invites_two_one_accepts_and_reports_one_declines(
    start_bot: StartBot, user_id: int
) -> None:
    """Its own Telegram: the owner's chat refuses a notice on purpose (a 403), which the
    shared emulator would report to the other tests."""
    with FakeTelegram(token="654330:INVITES-token") as fake:
        bot = start_bot(fake)
        _scenario(fake, bot, user_id)
        fake.assert_no_errors(allow=["bot was blocked by the user"])


def _scenario(fake: FakeTelegram, bot: BotProcess, user_id: int) -> None:
    owner = fake.user(user_id, "Sari")
    rina = fake.user(user_id + 500_000, "Rina")
    budi = fake.user(user_id + 500_001, "Budi")
    handles = campaign_from_recommendation(fake, owner).handles
    assert len(handles) >= 2, handles
    first, second = handles[:2]
    first_code = _invite(fake, owner, first)
    second_code = _invite(fake, owner, second)

    offer = say(fake, rina, f"/start {first_code}", "tawaran kerja sama")
    assert f"@{first}" in offer.text and "Fee" in offer.text and "#iklan" in offer.text
    assert "dari Kak Sari" in offer.text, offer.text
    mark = fake.mark()
    tap(fake, rina, "Terima", "tawaran diterima", offer.message_id)
    fake.wait_for(owner.id, since=mark, predicate=f"@{first} menerima", timeout=20)

    say(fake, budi, f"/start {first_code}", "sudah dipakai akun lain")  # single use
    offer = say(fake, budi, f"/start {second_code}", "tawaran kerja sama")
    # the owner's chat refuses messages for a moment: the influencer is still answered
    fake.block(owner.id)
    tap(fake, budi, "Ajukan fee lain", "Berapa fee", offer.message_id)
    say(fake, budi, "2,5 juta", "sudah saya sampaikan")
    handled_so_far(fake, budi)  # the notice to the owner has been tried by now
    bot.wait_log(rf"notice to chat {owner.id} not delivered")
    fake.unblock(owner.id)
    mark = fake.mark()
    tap(fake, budi, "Tolak", "tawaran ditolak", offer.message_id)
    fake.wait_for(owner.id, since=mark, predicate=f"@{second} menolak", timeout=20)
    assert not [m for m in fake.messages(owner.id) if "mengajukan fee" in m.text]
    tap(fake, budi, "Terima", "sudah ditolak", offer.message_id)  # an old button, answered

    # figures from someone who is not the member: refused
    say(fake, budi, f"@{first} reach 99000 like 10", "bukan influencer di kampanye")
    say(fake, rina, f"https://www.instagram.com/reel/C0sambal{user_id}/", "Link postingan")
    mark = fake.mark()
    say(fake, rina, "reach 12.000 like 800 komen 45 share 30", "sudah tercatat")
    fake.wait_for(owner.id, since=mark, predicate=f"@{first} melaporkan angka", timeout=20)

    say(fake, owner, "/kampanye", "Kampanye")
    shown = tap(fake, owner, "#", "Influencer (")
    assert "tayang" in shown.text and "ditolak" in shown.text, shown.text

    mark = fake.mark()
    fake.send_text(owner, "/laporan")
    report = fake.wait_for(owner.id, since=mark, predicate="Per influencer", timeout=20)
    assert f"@{first} (fee" in report.text and "dilaporkan influencer" in report.text
    line = next(x for x in report.text.splitlines() if f"@{first} (fee" in x)
    assert "dilaporkan influencer" in line and "jangkauan 12" in line, line
    assert "biaya Rp" in report.text or "Biaya Rp" in report.text, report.text
