"""What the bot wants to say, independent of Telegram: handlers turn these into API calls."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    text: str
    data: str  # callback data, at most 64 bytes (checked by bot.callbacks)


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True)
class Reply:
    """One message (HTML text) with optional inline buttons.

    `edit=True` replaces the message whose button was pressed instead of sending a new one.
    """

    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False
    document: Document | None = None
    photo: bytes | None = None  # PNG; `text` becomes its caption (at most 1024 characters)


@dataclass
class Outcome:
    """Everything one update produces: messages, and the toast for a pressed button."""

    replies: list[Reply] = field(default_factory=list)
    toast: str | None = None
    alert: bool = False

    def add(self, reply: Reply) -> Outcome:
        self.replies.append(reply)
        return self


def rows(*buttons: Button, per_row: int = 2) -> tuple[tuple[Button, ...], ...]:
    """Lay buttons out in rows of `per_row` (phones show two or three labels comfortably)."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
