"""Jinja2 templates for every user-facing text (Indonesian, HTML-escaped)."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot.chat import formatting
from bot.domain import PLATFORM_LABELS, Platform


def _platform(value: str | Platform) -> str:
    return PLATFORM_LABELS.get(Platform(value), str(value))


@lru_cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bot", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=StrictUndefined,
        # Templates ship inside the package and change only with a release: checking each
        # file's mtime on every render cost ~3% of the bot's CPU under load.
        auto_reload=False,
    )
    env.filters.update(
        rupiah=formatting.rupiah,
        rupiah_compact=formatting.rupiah_compact,
        compact=formatting.compact,
        number=formatting.number,
        percent=formatting.percent,
        decimal=formatting.decimal,
        platform=_platform,
        local_datetime=formatting.local_datetime,
        short_date=formatting.short_date,
        long_date=formatting.long_date,
    )
    return env


def render(template: str, /, **context: Any) -> str:
    """Render `templates/<template>.j2`; blank lines beyond one are squeezed for chat."""
    text = environment().get_template(f"{template}.j2").render(**context)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_TAG = re.compile(r"<[^>]+>")


def to_plain(html_text: str) -> str:
    """The same message for a terminal: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", html_text))
