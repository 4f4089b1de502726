"""How to reach an account: a WhatsApp link, its profile, its Telegram, an email address.

Pure functions over the store's free-text `contact` field ("0812-3456-7890", "wa
+62 812 3456 7890", "dm ig", "collab@x.id") and the account's platform and handle, so the
rules are tested without a database or Telegram.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from bot.domain import Platform

#: Indonesian mobile numbers: 8 then 8 to 12 more digits after the country code (62)
_MOBILE = re.compile(r"8\d{8,12}")
#: a run of digits with the separators people type between them
_PHONE_RUN = re.compile(r"\+?\d[\d\s().-]{6,}\d")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_HANDLE = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: a Telegram username given as a link ("t.me/rina_kuliner") or after the word ("tele @rina")
_TELEGRAM = re.compile(
    r"(?:\bt\.me/|\btelegram\.me/|\b(?:tele|telegram|tg)\s*:?\s*@)([A-Za-z][A-Za-z0-9_]{4,31})\b",
    re.IGNORECASE,
)

_PROFILE = {
    Platform.INSTAGRAM: "https://instagram.com/{}",
    Platform.TIKTOK: "https://www.tiktok.com/@{}",
    Platform.YOUTUBE: "https://www.youtube.com/@{}",
    Platform.FACEBOOK: "https://www.facebook.com/{}",
    Platform.X: "https://x.com/{}",
}


@dataclass(frozen=True)
class ContactLinks:
    """What the contact view offers for one account (any of them may be missing)."""

    whatsapp: str | None  # https://wa.me/62...
    profile: str | None  # the account's page on its platform
    email: str | None  # shown as text: Telegram buttons cannot open mailto
    telegram: str | None = None  # https://t.me/<username>


def whatsapp_number(contact: str | None) -> str | None:
    """The number in international form (628123456789), or None when there is none.

    Accepts 08..., +62..., 62... and 8... with spaces, dashes, dots or brackets between
    digit groups, and words around them ("wa 0812 3456 7890"); anything else (an email, a
    landline, a number too short or too long for a mobile) is not a WhatsApp number.
    """
    if not contact:
        return None
    for match in _PHONE_RUN.finditer(contact):
        digits = re.sub(r"\D", "", match.group(0))
        if digits.startswith("62"):
            local = digits[2:]
        elif digits.startswith("0"):
            local = digits[1:]
        else:
            local = digits
        if _MOBILE.fullmatch(local):
            return "62" + local
    return None


def whatsapp_url(contact: str | None) -> str | None:
    number = whatsapp_number(contact)
    return None if number is None else f"https://wa.me/{number}"


def telegram_url(contact: str | None) -> str | None:
    match = _TELEGRAM.search(contact or "")
    return f"https://t.me/{match.group(1)}" if match else None


def email_of(contact: str | None) -> str | None:
    match = _EMAIL.search(contact or "")
    return match.group(0) if match else None


def profile_url(platform: Platform, handle: str) -> str | None:
    """The account's public page; None for a handle no platform would have."""
    handle = handle.strip().lstrip("@")
    if not _HANDLE.fullmatch(handle):
        return None
    return _PROFILE[platform].format(quote(handle))


def contact_links(platform: Platform, handle: str, contact: str | None) -> ContactLinks:
    return ContactLinks(
        whatsapp=whatsapp_url(contact),
        profile=profile_url(platform, handle),
        email=email_of(contact),
        telegram=telegram_url(contact),
    )
