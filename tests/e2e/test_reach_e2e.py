"""Owners reach the recommended accounts: contact links and an outreach draft, end to end."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest
from fake_telegram import FakeTelegram
from helpers import StartBot, say, tap

from models.db import make_engine, migrate
from tests import testdb
from tests.db.stores import load_store, store_csv

pytestmark = pytest.mark.e2e

# Bandung food accounts with the contacts owners really find in a store: a phone number
# written three ways, an email, a note that is no contact at all.
ACCOUNTS = store_csv(
    "instagram,sambal_teh_ira,Sambal Teh Ira,Kuliner,Bandung,,22000,4.4,3600,650000,88,0812-3456-7890",
    "instagram,jajanan_cimahi,Jajanan Cimahi,Kuliner,Bandung,,26000,4.2,4000,700000,87,+62 813 1111 2222",
    "instagram,dapoer_euis,Dapoer Euis,Kuliner,Bandung,,19000,4.6,3300,600000,89,wa 085712345678",
    "instagram,ngemil_bdg,Ngemil Bandung,Kuliner,Bandung,,24000,4.3,3800,680000,86,collab@ngemil.id",
    "instagram,kuliner_dago,Kuliner Dago,Kuliner,Bandung,,21000,4.5,3500,620000,88,dm ig",
)
PHONES = {
    "sambal_teh_ira": "https://wa.me/6281234567890",
    "jajanan_cimahi": "https://wa.me/6281311112222",
    "dapoer_euis": "https://wa.me/6285712345678",
}


def test_contact_buttons_and_outreach_draft(
    seeded_db: str, start_bot: StartBot, tmp_path: Path, user_id: int
) -> None:
    url = testdb.new_database(tmp_path, template=seeded_db)
    engine = make_engine(url)
    migrate(engine)
    load_store(engine, ACCOUNTS)
    engine.dispose()
    with FakeTelegram(token="654329:REACH-token") as own:
        bot = start_bot(own, database_url=url)
        user = own.user(user_id, "Sari")
        say(own, user, "/mulai", "Usahanya di bidang apa")
        recap = say(
            own,
            user,
            "jualan sambal online di Bandung budget 3,5jt biar laris di instagram",
            "Cek dulu",
        )
        rec = tap(own, user, "Lihat rekomendasi", "Rekomendasi: influencer", recap.message_id)
        contacts = tap(own, user, "Kontak kandidat", "Kontak kandidat", rec.message_id)
        assert contacts.message_id == rec.message_id  # the view replaces the message
        links = {b.text: b.url for b in contacts.all_buttons() if b.url}
        handles = [
            line.split("@")[1].split(" ")[0]
            for line in contacts.text.splitlines()
            if line[:1].isdigit() and "@" in line
        ]
        assert handles, contacts.text
        for n, handle in enumerate(handles, start=1):
            assert links[f"{n}. 👤 Instagram"] == f"https://instagram.com/{handle}"
            if handle in PHONES:
                assert links[f"{n}. 💬 WhatsApp"] == PHONES[handle]
            else:
                assert f"{n}. 💬 WhatsApp" not in links
        assert any(h in PHONES for h in handles), handles
        if "ngemil_bdg" in handles:
            assert "collab@ngemil.id" in contacts.text

        n = next(i for i, h in enumerate(handles, start=1) if h in PHONES)
        handle = handles[n - 1]
        tap(own, user, f"Tulis pesan ajakan ({n})", "produk yang mau", contacts.message_id)
        draft = say(own, user, "sambal cumi pedas", "Pesan ajakan untuk")
        assert draft.message_id != contacts.message_id  # a message of its own, to copy
        assert draft.html is not None and "<code>Halo Kak" in draft.html
        for part in (
            "Saya Sari, pemilik toko online kuliner yang menjual sambal cumi pedas",
            f"@{handle}",
            "Reels Instagram",
            "#iklan",
            "PIRT/BPOM",
            "balas pesan ini",
        ):
            assert part in draft.text, part
        assert "[" not in draft.text
        send = draft.find_button("Kirim lewat WhatsApp")
        assert send.url is not None and send.url.startswith(PHONES[handle] + "?text=")
        assert f"@{handle}" in unquote(send.url)
        # the contact view above still works: a second account's draft needs no question
        other = next(i for i in range(1, len(handles) + 1) if i != n)
        second = tap(
            own, user, f"Tulis pesan ajakan ({other})", "Pesan ajakan untuk", contacts.message_id
        )
        assert f"@{handles[other - 1]}" in second.text and "sambal cumi pedas" in second.text
        bot.stop()
        own.assert_no_errors()
