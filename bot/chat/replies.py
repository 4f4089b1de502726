"""What the bot wants to say, independent of Telegram: handlers turn these into API calls."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Button:
    """An inline button: a callback (`data`), a link (`url`) or a copy-to-clipboard button.

    Exactly one of the three is set. `copy_text` is at most 256 characters (Telegram's
    limit for a copy button); longer texts go in the message itself.
    """

    text: str
    data: str = ""  # callback data, at most 64 bytes (checked by bot.chat.buttons)
    url: str | None = None
    copy_text: str | None = None

    def __post_init__(self) -> None:
        kinds = sum(1 for x in (self.data, self.url, self.copy_text) if x)
        if kinds != 1:
            raise ValueError(f"button {self.text!r} needs exactly one of data, url, copy_text")
        if self.copy_text is not None and len(self.copy_text) > COPY_TEXT_LIMIT:
            raise ValueError(f"copy text over {COPY_TEXT_LIMIT} characters")


COPY_TEXT_LIMIT = 256


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True)
class Reply:
    """One message (HTML text) with optional inline buttons.

    `edit=True` replaces the message whose button was pressed instead of sending a new one;
    `chat_id` sends it to another private chat instead (an owner told of an influencer's answer).
    """

    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False
    document: Document | None = None
    photo: bytes | None = None  # PNG; `text` becomes its caption (at most 1024 characters)
    photo_id: str | None = None  # a photo Telegram already holds (a screenshot sent as proof)
    chat_id: int | None = None


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


TEXT_LIMIT = 4096  # Telegram's limit for one message, in UTF-16 code units


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def coalesce(replies: list[Reply]) -> list[Reply]:
    """Join a short note and the message after it ("Siap, Kuliner ya 👍" + the next question)
    into one chat bubble: one notification on the user's phone, and one Bot API call instead
    of two. Only plain new messages join, and only when the earlier one has no buttons."""
    out: list[Reply] = []
    for reply in replies:
        previous = out[-1] if out else None
        if (
            previous is not None
            and _plain(previous)
            and _plain(reply)
            and not previous.buttons
            and _utf16_len(previous.text) + 2 + _utf16_len(reply.text) <= TEXT_LIMIT
        ):
            out[-1] = Reply(text=f"{previous.text}\n\n{reply.text}", buttons=reply.buttons)
        else:
            out.append(reply)
    return out


def _plain(reply: Reply) -> bool:
    return (
        not reply.edit
        and reply.document is None
        and reply.photo is None
        and reply.photo_id is None
        and reply.chat_id is None
        and bool(reply.text)
    )


def page_of(items: Sequence[T], page: int, size: int) -> tuple[list[T], int, int]:
    """One page of a long list, the page number clamped, and the number of pages.

    Telegram takes 4,096 characters and about 100 buttons in one message, so any list that
    grows with the user's data (members, clients, links, campaigns) is shown a page at a time.
    """
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return list(items[page * size : (page + 1) * size]), page, pages


def pager(page: int, pages: int, data: Callable[[int], str]) -> tuple[Button, ...]:
    """The ◀ / ▶ row under a paged list (empty when everything fits on one page)."""
    row = []
    if page > 0:
        row.append(Button("◀ Sebelumnya", data(page - 1)))
    if page < pages - 1:
        row.append(Button("Berikutnya ▶", data(page + 1)))
    return tuple(row)
