"""Agencies through the real bot: invite links, a client joining, a staff CSV with progress edits."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fake_telegram import FakeTelegram, FakeUser
from helpers import BotProcess, StartBot, say, tap

from bot.store.sample import CSV_COLUMNS, generate_influencers

pytestmark = pytest.mark.e2e


def _code(text: str) -> str:
    match = re.search(r"https://t\.me/umkm_test_bot\?start=([A-Za-z0-9_-]+)", text)
    assert match, text
    return match[1]


def test_agency_invites_staff_and_client_then_imports_its_list(
    fake: FakeTelegram, shared_bot: BotProcess, user_id: int
) -> None:
    owner = fake.user(user_id, "Ovi")
    staff = fake.user(user_id + 300_000, "Sri")
    client = fake.user(user_id + 310_000, "Ade & <Co>")
    say(fake, owner, "/agensi", "Tulis nama agensinya")
    menu = say(fake, owner, "Maju & Jaya Digital", "Kakak pemilik")
    staff_view = tap(fake, owner, "Staf", "Tim Maju", menu.message_id)
    link = tap(fake, owner, "Link undangan staf", "Link undangan staf", staff_view.message_id)
    code = _code(link.text)
    say(fake, staff, f"/start {code}", "Selamat bergabung di tim Maju & Jaya Digital")
    say(fake, client, f"/start {code}", "sudah dipakai")  # single use
    clients = tap(fake, staff, "Buka menu agensi", "Kakak staf")
    clients = tap(fake, staff, "Klien", "Klien Maju", clients.message_id)
    tap(fake, staff, "Klien baru", "Nama usaha kliennya")
    added = say(fake, staff, "Sambal Bu Ade", "Kirim link ini ke klien")
    say(fake, client, f"/start {_code(added.text)}", "mengundang Sambal Bu Ade")
    say(fake, client, "/bisukan", "dibisukan")
    _add_many_clients(fake, staff, user_id, clients.message_id)
    # the staff member imports the agency's own influencer list, with a progress message
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(generate_influencers(12_000, seed=11))
    mark = fake.mark()
    fake.send_document(staff, "daftar.csv", out.getvalue().encode())
    done = fake.wait_for(staff.id, since=mark, predicate="Selesai", timeout=120)
    assert "12.000 baris masuk ke Maju & Jaya Digital (12.000 baru" in done.text
    assert done.edits >= 2  # checking -> progress -> done, in one message
    # a client may not import influencers
    mark = fake.mark()
    fake.send_document(
        client, "daftar.csv", out.getvalue().encode()[:5000].rsplit(b"\n", 1)[0] + b"\n"
    )
    fake.wait_for(client.id, since=mark, predicate="staf agensi", timeout=30)
    fake.assert_no_errors()


def _links_and_csv(fake: FakeTelegram, user: FakeUser, since: int) -> tuple[list[str], list]:
    """The link messages (texts, in order) and the CSV rows the bot sent after `since`."""
    doc = fake.wait_for(user.id, since=since, predicate=lambda m: m.document is not None)
    assert doc.document is not None and doc.document.filename.endswith(".csv")
    assert doc.document.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(doc.document.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["nama", "link"]
    texts = [
        e.message.text
        for e in fake.events(user.id, since=since, until=doc.seq)
        if e.message.document is None and "start=" in e.message.text
    ]
    return texts, rows[1:]


def _add_many_clients(fake: FakeTelegram, staff: FakeUser, user_id: int, view_id: int) -> None:
    """Staff paste a messy list (refused whole, then fixed), then send a spreadsheet's CSV."""
    tap(fake, staff, "Tambah banyak klien", "satu nama per baris", view_id)
    refused = say(
        fake, staff, "Daftar klien:\n1. Warung Bu Sri\n2. Toko Ani\n3. warung bu  sri", "Belum ada"
    )
    assert 'Baris 1 "Daftar klien:": sepertinya judul' in refused.text
    assert "Baris 4" in refused.text and "sudah ada di baris 2" in refused.text
    mark = fake.mark()
    fake.send_text(staff, "1. Warung Bu Sri\n2. Toko <Ani> & Co\n\n- Kopi Senja\n")
    texts, rows = _links_and_csv(fake, staff, mark)
    assert len(texts) == 1 and "3 klien ditambahkan ke Maju & Jaya Digital" in texts[0]
    codes = [_code(line) for line in texts[0].splitlines() if "start=" in line]
    assert [r[0] for r in rows] == ["Warung Bu Sri", "Toko <Ani> & Co", "Kopi Senja"]
    assert [_code(r[1]) for r in rows] == codes and len(set(codes)) == 3
    assert texts[0].index("1. Warung Bu Sri") < texts[0].index("2. Toko <Ani> & Co")
    ani = fake.user(user_id + 311_000, "Ani")
    say(fake, ani, f"/start {codes[1]}", "mengundang Toko <Ani> & Co")
    # 150 clients from a spreadsheet: the links come back in several messages, in order
    names = [f"Usaha Mitra Binaan Nomor {i:03d} Kecamatan Sukamaju" for i in range(150)]
    data = "\ufeffno;nama;catatan\r\n" + "".join(f"{i};{n};-\r\n" for i, n in enumerate(names))
    tap(fake, staff, "Tambah lagi", "satu nama per baris")
    mark = fake.mark()
    fake.send_document(staff, "klien.csv", data.encode())
    texts, rows = _links_and_csv(fake, staff, mark)
    assert len(texts) > 1 and "150 klien ditambahkan" in texts[0]
    assert f"bagian {len(texts)} dari {len(texts)}" in texts[-1]
    listed = [line for text in texts for line in text.splitlines() if "Sukamaju" in line]
    assert listed == [f"{i}. {n}" for i, n in enumerate(names, start=1)]
    assert [r[0] for r in rows] == names
    links = [_code(line) for text in texts for line in text.splitlines() if "start=" in line]
    assert links == [_code(r[1]) for r in rows]


def test_broadcast_reaches_clients_and_reports_blocked(start_bot: StartBot, user_id: int) -> None:
    # Its own emulator: a chat blocked here must not show up in other tests' error checks.
    with FakeTelegram(token="444444:BLOCKED-token") as fake:
        bot = start_bot(fake)
        _broadcast_scenario(fake, user_id)
        bot.stop()


def _broadcast_scenario(fake: FakeTelegram, user_id: int) -> None:
    owner = fake.user(user_id, "Ovi")
    say(fake, owner, "/agensi", "Tulis nama agensinya")
    say(fake, owner, "Kabar Agensi", "Kakak pemilik")
    clients = [fake.user(user_id + 320_000 + i, f"Klien {i}") for i in range(6)]
    for i, client in enumerate(clients):
        say(fake, owner, "/agensi", "Kakak pemilik")
        menu = fake.messages(owner.id)[-1]
        view = tap(fake, owner, "Klien", "Klien Kabar", menu.message_id)
        tap(fake, owner, "Klien baru", "Nama usaha kliennya", view.message_id)
        added = say(fake, owner, f"Usaha {i}", "Kirim link ini ke klien")
        say(fake, client, f"/start {_code(added.text)}", f"mengundang Usaha {i}")
    say(fake, clients[5], "/bisukan", "dibisukan")
    fake.block(clients[4].id)
    say(fake, owner, "/siaran", "Tulis kabar untuk klien")
    too_long = say(fake, owner, "x" * 4090, "Batas Telegram 4.096 karakter")
    assert "4.090 karakter" in too_long.text and "maksimal 4.079 karakter" in too_long.text
    say(fake, owner, "Promo <b>Desember</b> & diskon 10%!", "Dikirim ke siapa?")
    preview = tap(fake, owner, "Semua klien", "Pratinjau siaran")
    assert "Penerima: 5 chat klien" in preview.text  # the muted one is left out
    mark = fake.mark()
    tap(fake, owner, "Kirim", "masuk antrean untuk 5 chat", preview.message_id)
    done = fake.wait_for(owner.id, since=mark, predicate="Siaran selesai", timeout=60)
    assert "4 terkirim" in done.text and "1 memblokir" in done.text and "Usaha 4" in done.text
    for i, client in enumerate(clients[:4]):
        got = [
            m for m in fake.messages(client.id) if "Promo <b>Desember</b> & diskon 10%!" in m.text
        ]
        assert len(got) == 1, i
        assert "Bisukan siaran" in got[0].button_texts()[0]
    assert not [m for m in fake.messages(clients[5].id) if "Promo" in m.text]
    mark = fake.mark()
    fake.press_button(clients[0], "Bisukan siaran")
    assert "dibisukan" in fake.wait_for_callback_answer(clients[0].id, since=mark)["text"]
    fake.assert_no_errors(allow=[403])
