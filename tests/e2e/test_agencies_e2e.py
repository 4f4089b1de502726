"""Agencies through the real bot: invite links, a client joining, a staff CSV with progress edits."""

from __future__ import annotations

import csv
import io
import re

import pytest
from conftest import BotProcess
from fake_telegram import FakeTelegram
from test_advisor_e2e import say, tap

from bot.sample_store import CSV_COLUMNS, generate_influencers

pytestmark = pytest.mark.e2e


def _code(text: str) -> str:
    match = re.search(r"https://t\.me/umkm_test_bot\?start=([A-Za-z0-9_-]+)", text)
    assert match, text
    return match[1]


def test_agency_invites_staff_and_client_then_imports_its_list(fake: FakeTelegram, shared_bot: BotProcess, user_id: int) -> None:
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
    fake.send_document(client, "daftar.csv", out.getvalue().encode()[:5000].rsplit(b"\n", 1)[0] + b"\n")
    fake.wait_for(client.id, since=mark, predicate="staf agensi", timeout=30)
    fake.assert_no_errors()
