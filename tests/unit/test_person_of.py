"""Who an update comes from: the TIMEZONE setting and the pressed message travel with them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from telegram import Update

from bot.config import Settings
from handlers.common import person_of

USER = {"id": 42, "is_bot": False, "first_name": "Yan"}
CHAT = {"id": 42, "type": "private"}


def _context(timezone: str) -> Any:
    return SimpleNamespace(bot_data={"settings": Settings(timezone=timezone)})


def test_a_message_brings_the_timezone_setting() -> None:
    update = Update.de_json(
        {
            "update_id": 1,
            "message": {"message_id": 5, "date": 0, "chat": CHAT, "from": USER, "text": "halo"},
        },
        None,
    )
    person = person_of(update, _context("Asia/Jayapura"))
    assert person is not None
    assert (person.id, person.chat_id, person.first_name) == (42, 42, "Yan")
    assert person.timezone == "Asia/Jayapura" and person.message_id is None
    assert person.username == ""  # no @username: /daftar asks for a WhatsApp number instead


def test_the_username_travels_for_the_listing_contact() -> None:
    user = {**USER, "username": "rina_kuliner"}
    update = Update.de_json(
        {
            "update_id": 4,
            "message": {"message_id": 6, "date": 0, "chat": CHAT, "from": user, "text": "/daftar"},
        },
        None,
    )
    person = person_of(update, _context("Asia/Jakarta"))
    assert person is not None and person.username == "rina_kuliner"


def test_a_press_names_the_message_it_was_pressed_on() -> None:
    update = Update.de_json(
        {
            "update_id": 2,
            "callback_query": {
                "id": "q1",
                "from": USER,
                "chat_instance": "c",
                "data": "saved.page:1",
                "message": {"message_id": 77, "date": 0, "chat": CHAT, "text": "daftar"},
            },
        },
        None,
    )
    person = person_of(update, _context("Asia/Makassar"))
    assert person is not None and person.message_id == 77 and person.timezone == "Asia/Makassar"


def test_groups_are_nobody() -> None:
    group = {"id": -100, "type": "group", "title": "Grup"}
    update = Update.de_json(
        {
            "update_id": 3,
            "message": {"message_id": 1, "date": 0, "chat": group, "from": USER, "text": "x"},
        },
        None,
    )
    assert person_of(update, _context("Asia/Jakarta")) is None
