"""A domain button is exactly one of a callback, a link or a copy button, as Telegram wants."""

from __future__ import annotations

import pytest

from bot.chat.replies import COPY_TEXT_LIMIT, Button
from handlers.common import inline_button, inline_markup


def test_each_kind_becomes_the_matching_telegram_button() -> None:
    assert inline_button(Button("Lihat", "rec.main:1")).callback_data == "rec.main:1"
    link = inline_button(Button("WhatsApp", url="https://wa.me/6281234567890"))
    assert link.url == "https://wa.me/6281234567890" and link.callback_data is None
    copy = inline_button(Button("Salin pesan", copy_text="Halo Kak!"))
    assert copy.copy_text is not None and copy.copy_text.text == "Halo Kak!"
    assert inline_markup(()) is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"data": "a", "url": "https://x.id"},
        {"url": "https://x.id", "copy_text": "x"},
        {"copy_text": "x" * (COPY_TEXT_LIMIT + 1)},
    ],
)
def test_a_button_with_no_or_two_actions_is_refused(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        Button("x", **kwargs)
