"""Callback data: an action, an id and a version; never authority (ownership is checked server-side).

Formats (all ASCII, well under Telegram's 64-byte limit):
- conversation: ``c:<version>:<action>:<arg>``
- recommendation views: ``r:<rec id>:<view>:<arg>``
- saved list: ``t:<page>``; open saved: ``o:<rec id>``
- campaigns: ``k:<campaign id>:<action>:<arg>``; undo a capture: ``u:<entry id>``
- agencies: ``g:<agency id>:<action>:<arg>``; mute an agency's broadcasts: ``m:<agency id>``
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64
# Every number in our buttons is a row id, a version or an index; row ids are 32-bit on
# PostgreSQL, so anything larger is forged and must not reach a query.
MAX_NUMBER = 2**31 - 1


class BadCallback(ValueError):
    """Data that did not come from this bot (forged, truncated or from an old format)."""


@dataclass(frozen=True)
class Callback:
    kind: str
    parts: tuple[str, ...]

    def int_at(self, index: int) -> int:
        try:
            value = int(self.parts[index])
        except (IndexError, ValueError) as exc:
            raise BadCallback(f"expected a number at {index}") from exc
        if value < 0 or value > MAX_NUMBER:
            raise BadCallback("number out of range")
        return value

    def str_at(self, index: int) -> str:
        try:
            return self.parts[index]
        except IndexError as exc:
            raise BadCallback(f"missing part {index}") from exc


def number(text: str) -> int | None:
    """A button's number argument, or None when it is not one we could have made."""
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_NUMBER:
        return None
    return int(text)


def encode(kind: str, *parts: object) -> str:
    data = ":".join([kind, *(str(part) for part in parts)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def decode(data: str | None) -> Callback:
    if not data or len(data.encode()) > MAX_BYTES:
        raise BadCallback("empty or oversized")
    if (
        not data.isprintable()
    ):  # ours never hold control characters (nor NUL, which PostgreSQL refuses)
        raise BadCallback("control characters")
    kind, *parts = data.split(":")
    if kind not in {"c", "r", "t", "o", "k", "u", "g", "m"}:
        raise BadCallback(f"unknown kind {kind!r}")
    return Callback(kind, tuple(parts))


def conversation(version: int, action: str, arg: object = "") -> str:
    return encode("c", version, action, arg)


def recommendation(rec_id: int, view: str, arg: object = "") -> str:
    return encode("r", rec_id, view, arg)
