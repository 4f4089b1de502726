"""What the emulator records and hands to tests: users, bot messages (snapshots), events, API
calls and webhook deliveries, plus the internal records of files, pending updates and faults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class FakeUser:
    """A Telegram user the test acts as; in private chats the chat id equals the user id."""

    id: int
    first_name: str = "Test"
    username: str | None = None
    language_code: str | None = "id"
    last_name: str | None = None
    is_bot: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The ``from`` object of updates."""
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat_dict(self) -> dict[str, Any]:
        """The private ``chat`` object for this user."""
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class Button:
    """One inline keyboard button as the bot sent it."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def copy_text(self) -> str | None:
        """The text a copy button puts on the clipboard (None for other buttons)."""
        copy = self.raw.get("copy_text")
        return copy.get("text") if isinstance(copy, dict) else None


@dataclass
class SentDocument:
    """A file the bot uploaded (or re-sent by file_id)."""

    filename: str
    content: bytes
    mime_type: str
    file_id: str
    file_unique_id: str


def _find_button(buttons: list[list[Button]], needle: str, where: str) -> Button:
    """Exact label match wins, else a unique case-insensitive substring match."""
    flat = [b for row in buttons for b in row]
    exact = [b for b in flat if b.text == needle]
    if exact:
        return exact[0]
    partial = [b for b in flat if needle.lower() in b.text.lower()]
    if len(partial) == 1:
        return partial[0]
    labels = [b.text for b in flat]
    if not partial:
        raise AssertionError(f"No button matching {needle!r} in {where}; available: {labels}")
    raise AssertionError(
        f"Button text {needle!r} is ambiguous in {where}: {[b.text for b in partial]}"
    )


@dataclass
class SentMessage:
    """A bot message as the user currently sees it (a snapshot; edits produce new snapshots).

    ``text`` is the plain text after HTML parsing; for documents/photos it mirrors the plain
    caption ("" without caption) so predicates on ``text`` work for every message.
    """

    chat_id: int
    message_id: int
    date: int
    kind: str  # "text" | "document" | "photo"
    text: str
    html: str | None
    parse_mode: str | None
    entities: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[list[Button]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: SentDocument | None = None
    photo: bytes | None = None
    photo_file_id: str | None = None
    caption: str | None = None
    caption_html: str | None = None
    reply_to_message_id: int | None = None
    edits: int = 0
    edit_date: int | None = None
    history: list[str] = field(default_factory=list)
    html_history: list[str | None] = field(default_factory=list)
    deleted: bool = False
    seq: int = 0

    def button_texts(self) -> list[str]:
        """Labels of all inline buttons, row by row."""
        return [b.text for row in self.buttons for b in row]

    def all_buttons(self) -> list[Button]:
        return [b for row in self.buttons for b in row]

    def find_button(self, substring: str) -> Button:
        """The button whose label equals / uniquely contains ``substring``; AssertionError if not."""
        return _find_button(self.buttons, substring, f"message {self.message_id}")

    @property
    def has_keyboard(self) -> bool:
        return any(self.buttons)


@dataclass
class MessageEvent:
    """Something the bot did to a message: kind is "send", "edit" or "delete"."""

    seq: int
    kind: str
    chat_id: int
    message_id: int
    message: SentMessage


@dataclass
class ApiCall:
    """One request the bot made, with decoded parameters and the answer it got."""

    seq: int
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str | None, int, str | None]]
    chat_id: int | None
    started: float
    status: int | None = None
    description: str | None = None
    finished: float | None = None
    injected: bool = False


@dataclass
class _FileEntry:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    mime_type: str
    filename: str


@dataclass
class WebhookDelivery:
    """One POST of an update to the webhook: status None means no HTTP answer at all."""

    update_id: int
    chat_id: int | None
    url: str
    started: float
    finished: float | None = None
    status: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class _Pending:
    update: dict[str, Any]
    forced: bool = False
    delivered: bool = False
    # webhook mode: a POST is in flight / failed attempts so far / no retry before this time
    sending: bool = False
    attempts: int = 0
    not_before: float = 0.0

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])


@dataclass
class _Fault:
    status: int = 500
    description: str | None = None
    retry_after: int | None = None
    seconds: float = 0.0


PredicateArg = Callable[[SentMessage], bool] | str | None


def _as_predicate(predicate: PredicateArg) -> Callable[[SentMessage], bool]:
    if predicate is None:
        return lambda _m: True
    if isinstance(predicate, str):
        needle = predicate
        return lambda m: needle in m.text
    return predicate
