"""Who an update comes from, as every feature needs it (no Telegram types)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TIMEZONE = "Asia/Jakarta"


@dataclass(frozen=True)
class Person:
    """The user behind an update and the chat they write in.

    `timezone` is where a new user's dates are shown until they choose one (the TIMEZONE
    setting); `message_id` is the message whose button was pressed, when there is one.
    """

    id: int
    first_name: str
    chat_id: int
    bot_username: str = ""  # for deep links (t.me/<bot>?start=<code>)
    timezone: str = DEFAULT_TIMEZONE
    message_id: int | None = None
    username: str = ""  # their Telegram @username without "@", when they have one

    def __post_init__(self) -> None:
        # NUL never means anything in a name, and PostgreSQL cannot store it.
        object.__setattr__(self, "first_name", self.first_name.replace("\x00", ""))
