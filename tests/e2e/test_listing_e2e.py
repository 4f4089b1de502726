"""Influencers list themselves: /daftar through the emulated Telegram, and a second account's
claim of the same handle refused."""

from __future__ import annotations

import pytest
from fake_telegram import FakeTelegram, FakeUser
from helpers import BotProcess, say, tap

pytestmark = pytest.mark.e2e


def test_an_influencer_lists_and_another_account_cannot_claim_the_handle(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    rina = fake.user(user_id, "Rina", username=f"rina{user_id}")
    budi = fake.user(user_id + 500_000, "Budi")
    handle = f"rina.kuliner{user_id}"

    def fill(user: FakeUser, followers: str) -> None:
        form = say(fake, user, "/daftar", "Akunnya di platform apa")
        tap(fake, user, "Instagram", "Nama akun Instagram", form.message_id)
        niches = say(fake, user, f"https://www.instagram.com/{handle}/?igsh=x", "Pilih 1 sampai 3")
        tap(fake, user, "Kuliner", "terpilih: Kuliner", niches.message_id)
        tap(fake, user, "Lanjut", "kota mana", niches.message_id)
        say(fake, user, "Bandung", "Berapa followers")
        say(fake, user, followers, "tarif satu reels")
        say(fake, user, "500", "Maksudnya Rp500.000")  # a price in the wrong unit: asked again
        feed = say(fake, user, "750rb", "tarif satu feed")
        tap(fake, user, "Lewati", "tarif satu story", feed.message_id)
        say(fake, user, "250rb", "lewat mana")

    fill(rina, "12rb")
    recap = tap(fake, rina, f"Pakai Telegram @rina{user_id}", "Cek dulu ya")
    assert f"@{handle}" in recap.text and "Rp750.000" in recap.text, recap.text
    assert f"t.me/rina{user_id}" in recap.text
    tap(fake, rina, "Simpan", "sudah terdaftar", recap.message_id)
    cards = say(fake, rina, "/daftar", "belum diverifikasi")
    assert f"@{handle}" in cards.text and "reels Rp750.000 · story Rp250.000" in cards.text

    fill(budi, "90rb")
    recap = say(fake, budi, "0812-3456-7890", "Cek dulu ya")
    assert "wa.me/6281234567890" in recap.text
    refused = tap(fake, budi, "Simpan", "sudah didaftarkan akun Telegram lain", recap.message_id)
    assert "teruskan ke admin" in refused.text
    say(fake, budi, "/daftar", "Akunnya di platform apa")  # nothing of Budi's was listed
    cards = say(fake, rina, "/daftar", "belum diverifikasi")
    assert "12.000 followers" in cards.text  # Rina's listing unchanged
