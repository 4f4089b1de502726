"""Bugs found by the application fuzz (test_application_fuzz.py) and by trying bad input
systematically (lists that grow with the user's data), each pinned by a focused test."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, select

from bot.agencies import chat as agency_chat
from bot.chat import router
from bot.chat.person import Person
from bot.chat.replies import Outcome
from bot.chat.texts import to_plain
from bot.reports.kpi.figures import FIGURE_FIELDS
from bot.store.stream import parse_influencer_csv
from models.campaigns import Campaign, SummarySchedule
from models.conversations import Conversation
from models.db import session_scope
from tests.db.chat import button, call, texts
from tests.db.stores import load_store

STORE = (
    "platform,handle,name,niches,city,province,followers,engagement_rate,avg_views,price_idr,audience_quality,contact\n"
    "instagram,dapur_rina,Dapur Rina,Kuliner,Bandung,,24000,4.1,3500,750000,86,\n"
)
SARI = Person(id=61, first_name="Sari", chat_id=61, bot_username="umkm_test_bot")
SRI = Person(id=62, first_name="Sri", chat_id=62, bot_username="umkm_test_bot")


@pytest.fixture
def influencer_csv() -> str:
    return STORE


def campaign_with_member(engine: Engine, person: Person) -> int:
    out = call(engine, router.campaigns_command, person)
    call(engine, router.button, person, button(out, "Kampanye baru"))
    for answer in ("Promo", "5jt", "30 hari", "@dapur_rina 750rb reels"):
        call(engine, router.text_message, person, answer)
    with session_scope(engine) as session:
        return session.execute(select(Campaign.id)).scalars().one()


def step_of(engine: Engine, person: Person) -> str:
    with session_scope(engine) as session:
        return session.get(Conversation, person.chat_id).step


def test_typing_after_the_last_catat_question_shows_the_confirmation_again(db: Engine) -> None:
    """Every figure asked, Simpan/Batal shown: a typed message raised IndexError."""
    campaign_with_member(db, SARI)
    out = call(db, router.record_command, SARI)
    call(db, router.button, SARI, button(out, "@dapur_rina"))
    for _ in FIGURE_FIELDS:
        out = call(db, router.text_message, SARI, "100")
    assert "Cek dulu" in texts(out)
    again = call(db, router.text_message, SARI, "12000")
    assert "Cek dulu" in texts(again) and button(again, "Simpan")
    saved = call(db, router.button, SARI, button(again, "Simpan"))
    assert "Tercatat" in texts(saved)


def _agency_with_broadcast_draft(engine: Engine) -> int:
    call(engine, agency_chat.agency_command, SARI)
    out = call(engine, router.text_message, SARI, "Maju Digital")
    aid = int(button(out, "Klien").split(":")[1])
    call(engine, router.broadcast_command, SARI)
    out = call(engine, router.text_message, SARI, "Kabar pertama")
    assert "Dikirim ke siapa" in texts(out)
    return aid


def test_text_while_choosing_the_broadcast_audience_is_the_new_draft(db: Engine) -> None:
    """In b_audience or b_confirm a typed text reached the advisor and raised KeyError."""
    _agency_with_broadcast_draft(db)
    out = call(db, router.text_message, SARI, "Kabar yang benar")
    assert "Dikirim ke siapa" in texts(out)
    preview = call(db, router.button, SARI, button(out, "Semua klien"))
    assert step_of(db, SARI) == "b_confirm" and "Kabar yang benar" in texts(preview)
    out = call(db, router.text_message, SARI, "Kabar yang paling benar")
    assert "Dikirim ke siapa" in texts(out)


def test_staff_removed_while_composing_a_broadcast_is_told_so(db: Engine) -> None:
    """require_staff's refusal escaped broadcasts.text as an exception."""
    call(db, agency_chat.agency_command, SARI)
    out = call(db, router.text_message, SARI, "Maju Digital")
    aid = int(button(out, "Klien").split(":")[1])
    link = texts(call(db, router.button, SARI, f"agency.staff_link:{aid}"))
    call(db, router.start, SRI, re.search(r"start=([\w-]+)", link)[1])
    call(db, router.broadcast_command, SRI)
    out = call(db, router.button, SARI, f"agency.staff:{aid}")
    call(
        db,
        router.button,
        SARI,
        button(out, "🗑 Sri").replace("agency.remove_staff:", "agency.remove_staff_yes:"),
    )
    refused = call(db, router.text_message, SRI, "Kabar dari staf lama")
    assert "tidak punya akses" in texts(refused) and step_of(db, SRI) == "idle"


def test_a_weekly_schedule_asks_the_day_before_the_time(db: Engine) -> None:
    """An older time button (or a typed time) after choosing "weekly" skipped the weekday,
    and the zone button then raised ValueError while storing the schedule."""
    cid = campaign_with_member(db, SARI)
    call(db, router.button, SARI, f"schedule.menu:{cid}")
    call(
        db, router.button, SARI, f"schedule.frequency:{cid}:daily"
    )  # daily first: the time buttons are shown
    call(db, router.button, SARI, f"schedule.frequency:{cid}:weekly")  # then weekly after all
    out = call(
        db, router.button, SARI, f"schedule.time:{cid}:0800"
    )  # the daily message's time button
    assert out.toast and "hari apa" in texts(out)
    out = call(db, router.text_message, SARI, "19:00")
    assert "hari apa" in texts(out)
    out = call(db, router.button, SARI, f"schedule.zone:{cid}:WIB")
    assert out.toast and "hari apa" in texts(out)
    call(db, router.button, SARI, f"schedule.weekday:{cid}:4")
    call(db, router.button, SARI, f"schedule.time:{cid}:0800")
    done = call(db, router.button, SARI, f"schedule.zone:{cid}:WIB")
    assert "Jumat" in texts(done) or "Jum" in texts(done), texts(done)
    with session_scope(db) as session:
        schedule = session.execute(select(SummarySchedule)).scalars().one()
        assert (schedule.frequency, schedule.weekday, schedule.at_time) == ("weekly", 4, "08:00")


def assert_fits_telegram(outcome: Outcome) -> None:
    """What Telegram refuses: over 4,096 characters (1,024 in a caption), over 100 buttons
    or 8 in a row, callback data over 64 bytes."""
    for reply in outcome.replies:
        limit = 1024 if reply.photo is not None or reply.document is not None else 4096
        assert len(to_plain(reply.text).encode("utf-16-le")) // 2 <= limit, len(reply.text)
        assert sum(len(row) for row in reply.buttons) <= 100
        assert all(len(row) <= 8 for row in reply.buttons)
        assert all(len(b.data.encode()) <= 64 for row in reply.buttons for b in row)


def walk_pages(engine: Engine, person: Person, first: Outcome, pick: str) -> list[str]:
    """Labels of buttons starting with `pick` on every page, following "Berikutnya"."""
    seen: list[str] = []
    out = first
    for _ in range(50):
        assert_fits_telegram(out)
        seen += [
            b.text for r in out.replies for row in r.buttons for b in row if b.text.startswith(pick)
        ]
        labels = [b.text for r in out.replies for row in r.buttons for b in row]
        if not any("Berikutnya" in label for label in labels):
            return seen
        out = call(engine, router.button, person, button(out, "Berikutnya"))
    raise AssertionError("paging never ended")


def test_a_campaign_with_150_influencers_fits_in_telegram_messages(engine: Engine) -> None:
    """The detail listed every member (over 4,096 characters from about 50 members on) and
    the remove and /catat keyboards had a button per member (Telegram allows about 100)."""
    rows = [
        f"instagram,akun_{i:03d},Akun {i},Kuliner,Bandung,,20000,,,100000,80," for i in range(150)
    ]
    load_store(engine, STORE + "\n".join(rows) + "\n")
    out = call(engine, router.campaigns_command, SARI)
    call(engine, router.button, SARI, button(out, "Kampanye baru"))
    for answer in ("Banyak Akun", "1 M", "30 hari"):
        call(engine, router.text_message, SARI, answer)
    cid = None
    for i in range(150):
        out = call(
            engine,
            router.text_message,
            SARI,
            f"@akun_{i:03d} 100rb https://instagram.com/p/{'x' * 300}",
        )
        assert_fits_telegram(out)
        cid = int(button(out, "Tambah influencer").split(":")[1])
        call(engine, router.button, SARI, f"campaign.add_member:{cid}")
    detail = call(engine, router.button, SARI, f"campaign.detail:{cid}")
    assert_fits_telegram(detail)
    assert "Influencer (150)" in texts(detail) and "…dan 130 influencer lain" in texts(detail)
    removable = walk_pages(
        engine, SARI, call(engine, router.button, SARI, f"campaign.remove:{cid}"), "@akun_"
    )
    assert sorted(removable) == [f"@akun_{i:03d}" for i in range(150)]
    recordable = walk_pages(engine, SARI, call(engine, router.record_command, SARI), "@akun_")
    assert len(recordable) == 150
    assert_fits_telegram(call(engine, router.button, SARI, f"campaign.report:{cid}"))


def test_an_agency_with_many_clients_and_links_fits_in_telegram_messages(db: Engine) -> None:
    """Clients (three buttons each), staff and open links were listed whole."""
    call(db, agency_chat.agency_command, SARI)
    out = call(db, router.text_message, SARI, "Maju Digital")
    aid = int(button(out, "Klien").split(":")[1])
    for i in range(35):
        call(db, router.button, SARI, f"agency.add_client:{aid}")
        call(db, router.text_message, SARI, f"Klien Nomor {i:02d} " + "x" * 90)
    for _ in range(3):  # more links for the same clients, as a forgetful staff member makes
        for client_id in range(1, 12):
            call(db, router.button, SARI, f"agency.client_link:{aid}:{client_id}")
    clients = walk_pages(db, SARI, call(db, router.button, SARI, f"agency.clients:{aid}"), "👤")
    assert len(clients) == 35
    links = walk_pages(db, SARI, call(db, router.button, SARI, f"agency.links:{aid}"), "❌")
    assert len(links) == 35 + 33
    assert_fits_telegram(call(db, router.button, SARI, f"agency.staff:{aid}"))


def test_many_campaigns_are_listed_a_page_at_a_time(db: Engine) -> None:
    """The list showed 20 buttons but every campaign in its text."""
    for i in range(45):
        out = call(db, router.campaigns_command, SARI)
        call(db, router.button, SARI, button(out, "Kampanye baru"))
        for answer in (f"Kampanye {i:02d} " + "y" * 100, "5jt", "30 hari"):
            call(db, router.text_message, SARI, answer)
    listed = walk_pages(db, SARI, call(db, router.campaigns_command, SARI), "#")
    assert len(listed) == 45


def test_the_preview_of_a_broadcast_of_the_longest_allowed_text_fits(db: Engine) -> None:
    """The preview wrapped the text in its own header and question: over 4,096 characters."""
    call(db, agency_chat.agency_command, SARI)
    call(db, router.text_message, SARI, "A" * 120)
    call(db, router.broadcast_command, SARI)
    header = len(f"📣 {'A' * 120}\n\n".encode("utf-16-le")) // 2
    out = call(db, router.text_message, SARI, "😀" * ((4096 - header) // 2))
    preview = call(db, router.button, SARI, button(out, "Semua klien"))
    assert_fits_telegram(preview)
    assert "Pratinjau siaran" in texts(preview) and button(preview, "Kirim")
    too_long = call(db, router.text_message, SARI, "x" * (4096 - header + 1))
    assert "Persingkat" in texts(too_long)


def test_nul_characters_never_reach_the_database(db: Engine) -> None:
    """PostgreSQL refuses NUL in text: a name, a message, a deep-link code, button data or
    a CSV holding one raised DataError there (SQLite stored it)."""
    nul = Person(id=63, first_name="Ade\x00", chat_id=63, bot_username="umkm_test_bot")
    assert "Halo Kak Ade" in texts(call(db, router.start, nul))
    assert texts(call(db, router.text_message, nul, "jualan\x00 sambal"))
    call(db, agency_chat.agency_command, nul)
    assert "Agensi <b>Maju Digital</b> dibuat" in texts(
        call(db, router.text_message, nul, "Maju\x00 Digital")
    )
    assert "tidak dikenal" in texts(call(db, router.start, nul, "kode\x00palsu"))
    refused = call(db, router.button, nul, "u:\x00")
    assert refused.toast and not refused.replies
    out = call(db, router.document, nul, "x.csv", b"handle,recorded_at,reach\n\x00,2025-01-01,1\n")
    assert texts(out)
    assert parse_influencer_csv(STORE.replace("Dapur Rina", "Dapur\x00Rina").encode()).errors


def test_removing_a_client_leaves_no_campaign_pointing_at_it(db: Engine) -> None:
    """The campaigns run for a removed client kept its id: a dangling reference."""
    call(db, agency_chat.agency_command, SARI)
    out = call(db, router.text_message, SARI, "Maju Digital")
    aid = int(button(out, "Klien").split(":")[1])
    call(db, router.button, SARI, f"agency.add_client:{aid}")
    call(db, router.text_message, SARI, "Sambal Bu Ade")
    call(db, router.button, SARI, f"agency.act_for:{aid}:1")
    cid = campaign_with_member(db, SARI)
    call(db, router.button, SARI, f"agency.remove_client_yes:{aid}:1")
    with session_scope(db) as session:
        campaign = session.get(Campaign, cid)
        assert (campaign.agency_id, campaign.client_id) == (aid, None)
    assert "Promo" in texts(call(db, router.button, SARI, f"campaign.detail:{cid}"))
