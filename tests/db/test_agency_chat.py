"""Agencies through the chat: create, invite, join by deep link, revoke, mute; forged buttons refused."""

from __future__ import annotations

import re

from sqlalchemy import Engine

from bot.agencies import chat as agency_chat
from bot.chat import router
from bot.chat.person import Person
from models.db import session_scope
from tests.db.chat import button, call, texts

OWNER = Person(id=51, first_name="Ovi", chat_id=51, bot_username="umkm_test_bot")
STAFF = Person(id=52, first_name="Sri", chat_id=52, bot_username="umkm_test_bot")
CLIENT = Person(id=53, first_name="Ade", chat_id=53, bot_username="umkm_test_bot")
OUTSIDER = Person(id=54, first_name="Ola", chat_id=54, bot_username="umkm_test_bot")


def code_in(text: str) -> str:
    match = re.search(r"https://t\.me/umkm_test_bot\?start=([A-Za-z0-9_-]+)", text)
    assert match, text
    return match[1]


def test_agency_from_creation_to_joined_client(engine: Engine) -> None:
    out = call(engine, agency_chat.agency_command, OWNER)
    assert "Tulis nama agensinya" in texts(out)
    out = call(engine, router.text_message, OWNER, "Maju Digital")
    assert "Agensi <b>Maju Digital</b> dibuat" in texts(out)
    agency_id = int(button(out, "Klien").split(":")[1])
    out = call(engine, router.button, OWNER, button(out, "Staf"))
    out = call(engine, router.button, OWNER, button(out, "Link undangan staf"))
    staff_code = code_in(texts(out))
    out = call(engine, router.start, STAFF, staff_code)
    assert "Selamat bergabung di tim <b>Maju Digital</b>" in texts(out)
    assert "sudah dipakai" in texts(call(engine, router.start, OUTSIDER, staff_code))
    out = call(engine, router.button, STAFF, f"agency.add_client:{agency_id}")
    out = call(engine, router.text_message, STAFF, "Sambal Bu Ade")
    client_code = code_in(texts(out))
    out = call(engine, router.start, CLIENT, client_code)
    assert "<b>Maju Digital</b> mengundang <b>Sambal Bu Ade</b>" in texts(out)
    assert "dibisukan" in texts(call(engine, agency_chat.mute_command, CLIENT, muted=True))
    assert "aktif lagi" in texts(call(engine, agency_chat.mute_command, CLIENT, muted=False))
    menu = texts(call(engine, agency_chat.agency_command, OWNER))
    assert "2 orang di tim" in menu and "1 klien (1 sudah bergabung)" in menu


def test_links_listed_revoked_and_forged_buttons_refused(engine: Engine) -> None:
    call(engine, agency_chat.agency_command, OWNER)
    out = call(engine, router.text_message, OWNER, "Maju Digital")
    agency_id = int(button(out, "Klien").split(":")[1])
    call(engine, router.button, OWNER, f"agency.add_client:{agency_id}")
    code = code_in(texts(call(engine, router.text_message, OWNER, "Kopi Senja")))
    out = call(engine, router.button, OWNER, f"agency.links:{agency_id}")
    assert "Kopi Senja" in texts(out) and code in texts(out)
    out = call(engine, router.button, OWNER, button(out, "❌ Kopi Senja"))
    assert out.toast == "Link dicabut." and "Tidak ada link aktif" in texts(out)
    assert "sudah dicabut" in texts(call(engine, router.start, CLIENT, code))
    for action, arg in (
        ("menu", ""),
        ("clients", ""),
        ("add_client", ""),
        ("add_many", ""),
        ("add_many_cancel", ""),
        ("staff", ""),
        ("staff_link", ""),
        ("links", ""),
        ("client_link", ":1"),
        ("remove_client", ":1"),
        ("remove_client_yes", ":1"),
        ("remove_staff", ":1"),
        ("remove_staff_yes", ":1"),
        ("revoke_link", ":1"),
    ):
        out = call(engine, router.button, OUTSIDER, f"agency.{action}:{agency_id}{arg}")
        assert out.toast and "tidak punya akses" in out.toast and not out.replies, action
    assert "tidak dikenal" in texts(call(engine, router.start, OUTSIDER, "garbage-code"))


def test_staff_work_for_a_client_and_the_client_sees_only_its_own(engine: Engine) -> None:
    from sqlmodel import select

    from bot.summaries.sweeper import recipient
    from models.campaigns import Campaign

    call(engine, agency_chat.agency_command, OWNER)
    out = call(engine, router.text_message, OWNER, "Maju Digital")
    aid = int(button(out, "Klien").split(":")[1])
    call(engine, router.button, OWNER, f"agency.add_client:{aid}")
    code = code_in(texts(call(engine, router.text_message, OWNER, "Sambal Bu Ade")))
    call(engine, router.start, CLIENT, code)
    out = call(engine, router.button, OWNER, f"agency.clients:{aid}")
    out = call(engine, router.button, OWNER, button(out, "👤 Sambal Bu Ade"))
    assert "bekerja untuk klien <b>Sambal Bu Ade</b>" in texts(out)
    out = call(engine, router.campaigns_command, OWNER)
    call(engine, router.button, OWNER, button(out, "Kampanye baru"))
    call(engine, router.text_message, OWNER, "Promo Desember")
    call(engine, router.text_message, OWNER, "5jt")
    out = call(engine, router.text_message, OWNER, "1/12 - 31/12")
    with session_scope(engine) as session:
        campaign = session.exec(select(Campaign)).one()
        cid = campaign.id
        assert (campaign.agency_id, campaign.client_id) == (aid, 1)
        assert recipient(session, campaign) == CLIENT.chat_id  # summaries go to the client's chat
    # the client sees it, read-only
    assert f"#{cid} Promo Desember" in texts(call(engine, router.campaigns_command, CLIENT))
    detail = call(engine, router.button, CLIENT, f"campaign.detail:{cid}")
    assert "Untuk klien: Sambal Bu Ade" in texts(detail)
    labels = [b.text for r in detail.replies for row in r.buttons for b in row]
    assert "🗑 Hapus" not in labels and "📊 Laporan" in labels
    assert "Laporan Promo Desember" in texts(
        call(engine, router.button, CLIENT, f"campaign.report:{cid}")
    )
    for forged in (
        "campaign.delete_yes",
        "campaign.add_member",
        "campaign.end_yes",
        "campaign.edit",
        "schedule.menu",
        "record.campaign",
    ):
        refused = call(engine, router.button, CLIENT, f"{forged}:{cid}")
        assert refused.toast and not refused.replies, forged
    # outsiders see nothing at all
    assert f"#{cid}" not in texts(call(engine, router.campaigns_command, OUTSIDER))
    for forged in ("detail", "report", "report_csv", "delete_yes"):
        refused = call(engine, router.button, OUTSIDER, f"campaign.{forged}:{cid}")
        assert refused.toast and not refused.replies, forged
    # staff of the agency manage it; once removed, not any more
    staff_code = code_in(texts(call(engine, router.button, OWNER, f"agency.staff_link:{aid}")))
    call(engine, router.start, STAFF, staff_code)
    assert "Promo Desember" in texts(call(engine, router.button, STAFF, f"campaign.detail:{cid}"))
    assert not call(engine, router.button, STAFF, f"campaign.add_member:{cid}").toast
    out = call(engine, router.button, OWNER, f"agency.staff:{aid}")
    call(
        engine,
        router.button,
        OWNER,
        button(out, "🗑 Sri").replace("agency.remove_staff:", "agency.remove_staff_yes:"),
    )
    refused = call(engine, router.button, STAFF, f"campaign.detail:{cid}")
    assert refused.toast and not refused.replies


def test_upload_targets_and_recommendation_scopes(engine: Engine) -> None:
    from bot.store.upload import scopes_for, upload_target

    call(engine, agency_chat.agency_command, OWNER)
    out = call(engine, router.text_message, OWNER, "Maju Digital")
    aid = int(button(out, "Klien").split(":")[1])
    call(engine, router.button, OWNER, f"agency.add_client:{aid}")
    call(
        engine,
        router.start,
        CLIENT,
        code_in(texts(call(engine, router.text_message, OWNER, "Kopi Senja"))),
    )
    with session_scope(engine) as s:
        assert (
            upload_target(s, user_id=OUTSIDER.id, chat_id=OUTSIDER.chat_id, admin_ids=frozenset())
            is None
        )
        assert (
            upload_target(
                s, user_id=OUTSIDER.id, chat_id=OUTSIDER.chat_id, admin_ids=frozenset({OUTSIDER.id})
            ).scope
            == "global"
        )
        assert (
            upload_target(s, user_id=OWNER.id, chat_id=OWNER.chat_id, admin_ids=frozenset()).scope
            == f"agency:{aid}"
        )
        assert (
            upload_target(s, user_id=CLIENT.id, chat_id=CLIENT.chat_id, admin_ids=frozenset())
            is None
        )
        assert scopes_for(s, user_id=CLIENT.id, chat_id=CLIENT.chat_id) == (
            "global",
            f"agency:{aid}",
        )
        assert scopes_for(s, user_id=OUTSIDER.id, chat_id=OUTSIDER.chat_id) == ("global",)
        assert scopes_for(s, user_id=OWNER.id, chat_id=OWNER.chat_id) == (
            "global",
        )  # not working for a client


def test_client_summary_with_staff_copy_and_clients_cannot_broadcast(engine: Engine) -> None:
    from datetime import UTC, datetime

    import time_machine

    from bot.summaries.sweeper import claim_due

    call(engine, agency_chat.agency_command, OWNER)
    out = call(engine, router.text_message, OWNER, "Maju Digital")
    aid = int(button(out, "Klien").split(":")[1])
    call(engine, router.button, OWNER, f"agency.add_client:{aid}")
    call(
        engine,
        router.start,
        CLIENT,
        code_in(texts(call(engine, router.text_message, OWNER, "Kopi Senja"))),
    )
    call(engine, router.button, OWNER, f"agency.act_for:{aid}:1")
    with time_machine.travel(datetime(2026, 11, 27, 0, 0, tzinfo=UTC), tick=False) as clock:
        out = call(engine, router.campaigns_command, OWNER)
        call(engine, router.button, OWNER, button(out, "Kampanye baru"))
        call(engine, router.text_message, OWNER, "Promo")
        call(engine, router.text_message, OWNER, "5jt")
        call(engine, router.text_message, OWNER, "1/12 - 31/12")
        for data in ("schedule.menu:1", "schedule.frequency:1:daily", "schedule.time:1:0800"):
            call(engine, router.button, OWNER, data)
        done = call(engine, router.button, OWNER, "schedule.zone:1:WIB")
        assert "ke chat klien" in texts(done)
        call(engine, router.button, OWNER, button(done, "salinan"))
        clock.move_to(datetime(2026, 11, 27, 1, 0, 30, tzinfo=UTC))
        with session_scope(engine) as session:
            (claim,) = claim_due(session, now=datetime.now(UTC))
        assert (claim.chat_id, claim.copy_chat_id) == (CLIENT.chat_id, OWNER.id)
    # a client cannot broadcast, not even with forged buttons
    assert "hanya untuk staf" in texts(call(engine, router.broadcast_command, CLIENT))
    for action, arg in (("compose", ""), ("audience", ":all"), ("send", ""), ("cancel", "")):
        refused = call(engine, router.button, CLIENT, f"broadcast.{action}:{aid}{arg}")
        assert refused.toast and "tidak punya akses" in refused.toast and not refused.replies


def test_the_chosen_client_is_shown_in_the_advisor(engine: Engine) -> None:
    from bot.advisor import conversation as advisor

    call(engine, agency_chat.agency_command, OWNER)
    out = call(engine, router.text_message, OWNER, "Maju Digital")
    aid = int(button(out, "Klien").split(":")[1])
    call(engine, router.button, OWNER, f"agency.add_client:{aid}")
    call(engine, router.text_message, OWNER, "Sambal Bu Ade")
    call(engine, router.button, OWNER, f"agency.act_for:{aid}:1")
    call(engine, advisor.start, OWNER)
    recap = call(
        engine,
        router.text_message,
        OWNER,
        "jualan sambal online di Bandung budget 5jt biar laris di instagram",
    )
    assert "Untuk klien: Sambal Bu Ade" in texts(recap)


def test_a_client_cannot_read_another_clients_campaign(engine: Engine) -> None:
    from sqlmodel import select

    from models.campaigns import Campaign

    other_client = Person(id=55, first_name="Budi", chat_id=55, bot_username="umkm_test_bot")
    call(engine, agency_chat.agency_command, OWNER)
    out = call(engine, router.text_message, OWNER, "Maju Digital")
    aid = int(button(out, "Klien").split(":")[1])
    for person, name in ((CLIENT, "Sambal Bu Ade"), (other_client, "Kopi Senja")):
        call(engine, router.button, OWNER, f"agency.add_client:{aid}")
        call(
            engine,
            router.start,
            person,
            code_in(texts(call(engine, router.text_message, OWNER, name))),
        )
    call(engine, router.button, OWNER, f"agency.act_for:{aid}:1")  # campaigns for Sambal Bu Ade
    out = call(engine, router.campaigns_command, OWNER)
    call(engine, router.button, OWNER, button(out, "Kampanye baru"))
    call(engine, router.text_message, OWNER, "Promo Sambal")
    call(engine, router.text_message, OWNER, "5jt")
    call(engine, router.text_message, OWNER, "30 hari")
    with session_scope(engine) as session:
        cid = session.exec(select(Campaign.id)).one()
    assert "Promo Sambal" in texts(call(engine, router.button, CLIENT, f"campaign.detail:{cid}"))
    assert "Promo Sambal" not in texts(call(engine, router.campaigns_command, other_client))
    for action in ("detail", "report", "report_csv", "delete_yes"):
        refused = call(engine, router.button, other_client, f"campaign.{action}:{cid}")
        assert refused.toast and not refused.replies, action


# ---------------------------------------------------------------- many clients at once


def _agency_with_staff(engine: Engine) -> int:
    call(engine, agency_chat.agency_command, OWNER)
    out = call(engine, router.text_message, OWNER, "Maju Digital")
    aid = int(button(out, "Klien").split(":")[1])
    staff_code = code_in(texts(call(engine, router.button, OWNER, f"agency.staff_link:{aid}")))
    call(engine, router.start, STAFF, staff_code)
    return aid


def _client_names(engine: Engine, aid: int) -> list[str]:
    from sqlmodel import col, select

    from models.agencies import Client

    with session_scope(engine) as s:
        return list(
            s.exec(
                select(Client.business_name)
                .where(col(Client.agency_id) == aid)
                .order_by(col(Client.id))
            )
        )


def test_staff_add_a_pasted_list_and_get_every_link_in_order_and_as_csv(engine: Engine) -> None:
    import csv
    import io

    aid = _agency_with_staff(engine)
    view = call(engine, router.button, STAFF, f"agency.clients:{aid}")
    ask = call(engine, router.button, STAFF, button(view, "Tambah banyak klien"))
    assert "satu nama per baris" in texts(ask) and "kolom <code>nama</code>" in texts(ask)
    out = call(
        engine,
        router.text_message,
        STAFF,
        "1. Warung Bu Sri\n2. Toko <Ani> & Co\n\n- Kopi Senja\n",
    )
    message = texts(out)
    assert "3 klien ditambahkan ke <b>Maju Digital</b>" in message
    assert message.index("1. <b>Warung Bu Sri</b>") < message.index(
        "2. <b>Toko &lt;Ani&gt; &amp; Co</b>"
    )
    codes = re.findall(r"start=([A-Za-z0-9_-]+)", message)
    assert len(set(codes)) == 3
    (document,) = [r.document for r in out.replies if r.document is not None]
    assert document.filename.endswith(".csv") and document.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["nama", "link"]
    assert [r[0] for r in rows[1:]] == ["Warung Bu Sri", "Toko <Ani> & Co", "Kopi Senja"]
    assert [r[1].rsplit("=", 1)[1] for r in rows[1:]] == codes
    # the second link joins the second client, and the flow is over (text goes elsewhere again)
    assert "mengundang <b>Toko &lt;Ani&gt; &amp; Co</b>" in texts(
        call(engine, router.start, CLIENT, codes[1])
    )
    assert _client_names(engine, aid) == ["Warung Bu Sri", "Toko <Ani> & Co", "Kopi Senja"]
    call(engine, router.text_message, STAFF, "Bakso Pak Kumis")
    assert len(_client_names(engine, aid)) == 3


def test_a_bad_list_is_refused_line_by_line_and_nothing_is_written(engine: Engine) -> None:
    aid = _agency_with_staff(engine)
    call(engine, router.button, OWNER, f"agency.add_client:{aid}")
    call(engine, router.text_message, OWNER, "Kopi Senja")
    call(engine, router.button, STAFF, f"agency.add_many:{aid}")
    out = call(
        engine,
        router.text_message,
        STAFF,
        "Warung Bu Sri\nkopi senja\n3.\nWARUNG BU SRI\n" + "x" * 121,
    )
    message = texts(out)
    assert "Belum ada klien yang saya simpan" in message and "4 dari 5 baris" in message
    assert 'Baris 2 "kopi senja": sudah jadi klien Maju Digital' in message
    assert 'Baris 3 "3.": namanya kosong' in message
    assert 'Baris 4 "WARUNG BU SRI": nama yang sama sudah ada di baris 1' in message
    assert "Baris 5" in message and "121 karakter, maksimal 120" in message
    assert not [r for r in out.replies if r.document]
    assert _client_names(engine, aid) == ["Kopi Senja"]
    # still waiting: the fixed list goes in
    out = call(engine, router.text_message, STAFF, "Warung Bu Sri\nToko Ani")
    assert "2 klien ditambahkan" in texts(out)
    assert _client_names(engine, aid) == ["Kopi Senja", "Warung Bu Sri", "Toko Ani"]


def test_too_many_names_are_refused_with_the_limit(engine: Engine) -> None:
    aid = _agency_with_staff(engine)
    call(engine, router.button, STAFF, f"agency.add_many:{aid}")
    names = "\n".join(f"Toko {i}" for i in range(501))
    out = call(engine, router.text_message, STAFF, names)
    assert "berisi 501 nama" in texts(out) and "maksimal 500" in texts(out)
    assert _client_names(engine, aid) == []


def test_a_csv_document_adds_500_clients_with_links_split_under_the_limit(engine: Engine) -> None:
    import csv
    import io

    from bot.chat.replies import TEXT_LIMIT

    aid = _agency_with_staff(engine)
    call(engine, router.button, STAFF, f"agency.add_many:{aid}")
    names = [f"Usaha Mikro Nomor {i:03d} Sejahtera Bersama Kita" for i in range(500)]
    data = "\ufeffno;nama;catatan\r\n" + "".join(f"{i};{n};-\r\n" for i, n in enumerate(names))
    out = call(engine, router.document, STAFF, "klien.csv", data.encode())
    messages = [r.text for r in out.replies if r.document is None]
    assert len(messages) > 1
    assert all(len(m.encode("utf-16-le")) // 2 <= TEXT_LIMIT for m in messages)
    assert f"(bagian 1 dari {len(messages)})" in messages[0]
    assert f"(bagian {len(messages)} dari {len(messages)})" in messages[-1]
    listed = re.findall(r"^(\d+)\. <b>(.+)</b>$", "\n".join(messages), flags=re.M)
    assert [int(n) for n, _ in listed] == list(range(1, 501))
    assert [name for _, name in listed] == names  # in the order given
    (document,) = [r.document for r in out.replies if r.document is not None]
    rows = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == names
    assert _client_names(engine, aid) == names
    # the same file again: every name already exists, nothing doubled
    call(engine, router.button, STAFF, f"agency.add_many:{aid}")
    again = texts(call(engine, router.document, STAFF, "klien.csv", data.encode()))
    assert "500 dari 500 baris" in again and "Sudah jadi klien Maju Digital (500 baris)" in again
    pieces = re.findall(r"\(500 baris\): baris ([\d, ]+)", again)
    assert [int(n) for piece in pieces for n in piece.split(", ")] == list(range(2, 502))
    assert len(_client_names(engine, aid)) == 500


def test_a_csv_without_a_name_column_and_cancelling(engine: Engine) -> None:
    aid = _agency_with_staff(engine)
    call(engine, router.button, STAFF, f"agency.add_many:{aid}")
    out = call(engine, router.document, STAFF, "x.csv", b"toko,kota\nWarung,Solo\n")
    assert "tidak menemukan kolom <code>nama</code>" in texts(out) and "toko, kota" in texts(out)
    out = call(engine, router.button, STAFF, button(out, "Batal"))
    assert "batal" in texts(out).lower() and _client_names(engine, aid) == []
    # a second tap on the old "Batal" is stale; a CSV is performance figures again
    assert call(engine, router.button, STAFF, f"agency.add_many_cancel:{aid}").toast
    assert "ditambahkan" not in texts(
        call(engine, router.document, STAFF, "x.csv", b"nama\nWarung\n")
    )


def test_only_staff_add_many_and_removed_staff_are_stopped_mid_flow(engine: Engine) -> None:
    aid = _agency_with_staff(engine)
    for person in (CLIENT, OUTSIDER):
        refused = call(engine, router.button, person, f"agency.add_many:{aid}")
        assert refused.toast and "tidak punya akses" in refused.toast and not refused.replies
    call(engine, router.button, STAFF, f"agency.add_many:{aid}")
    out = call(engine, router.button, OWNER, f"agency.staff:{aid}")
    call(
        engine,
        router.button,
        OWNER,
        button(out, "🗑 Sri").replace("agency.remove_staff:", "agency.remove_staff_yes:"),
    )
    out = call(engine, router.text_message, STAFF, "Warung Bu Sri\nToko Ani")
    assert "tidak punya akses" in texts(out) and _client_names(engine, aid) == []
