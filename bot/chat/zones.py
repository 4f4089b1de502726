"""Indonesia's three time zones, by the labels people use in chat and on dates.

One table for everything that shows or reads a zone, and whose zone a chat uses: dates in messages ("09.05 WIB"), the zone
buttons of a summary schedule, and the zone an owner types.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.chat.person import Person
from models.users import UserAccount

#: The three Indonesian zones an owner can pick, by the label people use in chat.
ZONES: dict[str, str] = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
_LABELS = {iana: label for label, iana in ZONES.items()}


def label_of(timezone: str) -> str | None:
    """ "WIB" for Asia/Jakarta; None for a zone outside Indonesia."""
    return _LABELS.get(timezone)


def zone_label(timezone: str) -> str:
    """The Indonesian label for an IANA zone ("WIB"), or the IANA name itself, for display."""
    return _LABELS.get(timezone, timezone)


def timezone_of(session: Session, person: Person) -> str:
    """The zone the user chose, else the bot's TIMEZONE setting (carried by `person`)."""
    user = session.get(UserAccount, person.id)
    return user.timezone if user is not None and user.timezone else person.timezone
