"""Bugs the application fuzz (test_application_fuzz.py) found, each pinned by a focused test."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from bot import agency_chat, router
from bot.advisor import Person
from bot.importer import import_rows, parse_influencer_csv
from bot.kpi import FIGURE_FIELDS
from models.campaigns import Campaign, SummarySchedule
from models.conversations import Conversation
from models.db import session_scope
from tests.db.chat import button, call, texts

STORE = (
    "platform,handle,name,niches,city,province,followers,engagement_rate,avg_views,price_idr,audience_quality,contact\n"
    "instagram,dapur_rina,Dapur Rina,Kuliner,Bandung,,24000,4.1,3500,750000,86,\n"
)
SARI = Person(id=61, first_name="Sari", chat_id=61, bot_username="umkm_test_bot")
SRI = Person(id=62, first_name="Sri", chat_id=62, bot_username="umkm_test_bot")


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    with session_scope(engine) as session:
        import_rows(session, parse_influencer_csv(STORE.encode()).rows, source="test")
    yield engine


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
    link = texts(call(db, router.button, SARI, f"g:{aid}:sti"))
    call(db, router.start, SRI, re.search(r"start=([\w-]+)", link)[1])
    call(db, router.broadcast_command, SRI)
    out = call(db, router.button, SARI, f"g:{aid}:st")
    call(db, router.button, SARI, button(out, "🗑 Sri").replace(":str:", ":sty:"))
    refused = call(db, router.text_message, SRI, "Kabar dari staf lama")
    assert "tidak punya akses" in texts(refused) and step_of(db, SRI) == "idle"


def test_a_weekly_schedule_asks_the_day_before_the_time(db: Engine) -> None:
    """An older time button (or a typed time) after choosing "weekly" skipped the weekday,
    and the zone button then raised ValueError while storing the schedule."""
    cid = campaign_with_member(db, SARI)
    call(db, router.button, SARI, f"k:{cid}:sch")
    call(db, router.button, SARI, f"k:{cid}:sf:d")  # daily first: the time buttons are shown
    call(db, router.button, SARI, f"k:{cid}:sf:w")  # then weekly after all
    out = call(db, router.button, SARI, f"k:{cid}:st:0800")  # the daily message's time button
    assert out.toast and "hari apa" in texts(out)
    out = call(db, router.text_message, SARI, "19:00")
    assert "hari apa" in texts(out)
    out = call(db, router.button, SARI, f"k:{cid}:sz:WIB")
    assert out.toast and "hari apa" in texts(out)
    call(db, router.button, SARI, f"k:{cid}:sw:4")
    call(db, router.button, SARI, f"k:{cid}:st:0800")
    done = call(db, router.button, SARI, f"k:{cid}:sz:WIB")
    assert "Jumat" in texts(done) or "Jum" in texts(done), texts(done)
    with session_scope(db) as session:
        schedule = session.execute(select(SummarySchedule)).scalars().one()
        assert (schedule.frequency, schedule.weekday, schedule.at_time) == ("weekly", 4, "08:00")
