"""Every template is valid Telegram HTML: literal text too, not only the data put into it."""

from __future__ import annotations

import re
from pathlib import Path

import bot

TEMPLATES = Path(bot.__file__).parent / "templates"
_BARE_AMPERSAND = re.compile(r"&(?!(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);)")
_TAG = re.compile(r"</?([a-zA-Z-]+)")
ALLOWED_TAGS = {"b", "i", "u", "s", "code", "pre", "a", "blockquote"}


def _literal_text(source: str) -> str:
    """Template text outside Jinja blocks (what autoescape does not touch)."""
    return re.sub(r"{[{%#].*?[}%#]}", "", source, flags=re.S)


def test_literal_text_has_no_bare_ampersands_or_unknown_tags() -> None:
    checked = 0
    for path in sorted(TEMPLATES.glob("*.j2")):
        text = _literal_text(path.read_text())
        assert not _BARE_AMPERSAND.search(text), f"{path.name}: write &amp; instead of &"
        for tag in _TAG.findall(text):
            assert tag in ALLOWED_TAGS, f"{path.name}: <{tag}> is not Telegram HTML"
        assert "<" not in re.sub(
            r"</?(?:{})(?:\s[^>]*)?>".format("|".join(ALLOWED_TAGS)), "", text
        ), path.name
        checked += 1
    assert checked > 20


def test_every_item_of_the_deletion_list_is_its_own_line() -> None:
    """An inner `{% endif %}` at a line's end eats its line break (trim_blocks)."""
    from types import SimpleNamespace

    from bot.chat.texts import render

    data = SimpleNamespace(
        saved=2,
        campaigns=1,
        owned_agencies=[],
        staff_of=["Agensi Maju"],
        handed_over=3,
        client_of=["Agensi Lain"],
        offers=[],
        reported=0,
        listings=["@rina"],
        claim_requests=[],
    )
    lines = render("delete_confirm", data=data).splitlines()
    bullets = [line for line in lines if line.startswith("•")]
    assert len(bullets) == 5, lines
    assert all(line.count("•") <= 1 for line in lines)
