"""Callback data for inline buttons: readable, versioned where it must be, never authority.

Shape: ``<feature>.<action>[@<version>][:<arg>...]``, for example ``campaign.report:12``,
``agency.clients:5:2`` or ``advisor.niche@7:3``. The feature and action name the table entry that
handles the press; the version (the conversation's, for buttons that answer a question) tells a
button on an older message from a current one; arguments are row ids, page numbers or short
words. Everything here is checked before a feature sees it: data from a forged or outdated
client fails with `BadButton`, and ownership is always checked again by the feature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MAX_BYTES = 64  # Telegram's limit for callback_data
# Row ids are 32-bit on PostgreSQL: anything larger is forged and must not reach a query.
MAX_NUMBER = 2**31 - 1

_NAME = re.compile(r"[a-z][a-z_]{0,19}")
_WORD = re.compile(r"[A-Za-z0-9_-]{1,24}")


class BadButton(ValueError):
    """Data that did not come from this bot (forged, truncated or from an old format)."""


@dataclass(frozen=True)
class Press:
    """A decoded button press: which table entry, which version, which arguments."""

    feature: str
    action: str
    version: int | None
    args: tuple[str, ...]

    def id(self, index: int) -> int:
        """A row id or page number at `index` (0 ... 2^31-1)."""
        try:
            text = self.args[index]
        except IndexError as exc:
            raise BadButton(f"missing argument {index}") from exc
        value = number(text)
        if value is None:
            raise BadButton(f"argument {index} is not a number we make")
        return value

    def word(self, index: int) -> str:
        """A short code at `index` (letters, digits, '-' and '_')."""
        try:
            text = self.args[index]
        except IndexError as exc:
            raise BadButton(f"missing argument {index}") from exc
        if not _WORD.fullmatch(text):
            raise BadButton(f"argument {index} is not a word we make")
        return text

    def has(self, index: int) -> bool:
        return index < len(self.args) and self.args[index] != ""


def number(text: str) -> int | None:
    """A button's number argument, or None when it is not one we could have made."""
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > MAX_NUMBER:
        return None
    return int(text)


def button_data(
    feature: str, action: StrEnum | str, *args: object, version: int | None = None
) -> str:
    """Encode a press; raises ValueError for data we must never send (too long, bad names)."""
    name = f"{feature}.{action}"
    if version is not None:
        name += f"@{version}"
    data = ":".join([name, *(str(arg) for arg in args)])
    if len(data.encode()) > MAX_BYTES or not data.isascii():
        raise ValueError(f"callback data we cannot send: {data!r}")
    return data


def parse(data: str | None) -> Press:
    if not data or len(data.encode()) > MAX_BYTES:
        raise BadButton("empty or oversized")
    if not data.isascii() or not data.isprintable():  # ours are plain ASCII (and PG refuses NUL)
        raise BadButton("characters we never send")
    head, *args = data.split(":")
    name, at, version_text = head.partition("@")
    feature, dot, action = name.partition(".")
    if not dot or not _NAME.fullmatch(feature) or not _NAME.fullmatch(action):
        raise BadButton("not feature.action")
    version = None
    if at:
        version = number(version_text)
        if version is None:
            raise BadButton("bad version")
    return Press(feature, action, version, tuple(args))
