"""How numbers, money and dates read in Indonesian (Babel `id_ID` underneath).

The shapes are fixed: Rp5.000.000 (no space, no decimals), compact 12,5 rb / 2,5 jt / 1,2 M
(money compact to two decimals: Rp1,25 jt).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_compact_decimal, format_decimal

from bot.chat.person import DEFAULT_TIMEZONE
from bot.chat.zones import label_of

LOCALE = "id_ID"
# Parsed once: Babel parses a locale name on every call otherwise, which was about half of
# a compact figure's cost. The figures below are cached too: a recommendation prints dozens
# of them, mostly the same few prices and follower counts, on every update that shows one.
_LOCALE = Locale.parse(LOCALE)
_CACHED = lru_cache(maxsize=1024, typed=True)  # per function; bounded: ~0.2 MB each when full


@_CACHED
def number(value: float | int) -> str:
    """Grouped whole number: 12.500."""
    return format_decimal(round(value), locale=_LOCALE)


@_CACHED
def rupiah(value: float | int) -> str:
    """Money as Indonesians write it: Rp5.000.000 (negative as -Rp5.000)."""
    amount = round(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{format_decimal(abs(amount), locale=_LOCALE)}"


@_CACHED
def compact(value: float | int, *, digits: int = 1) -> str:
    """Short figure for chat: 950, 12,5 rb, 2,5 jt, 1,2 M."""
    if abs(value) < 1000:
        return format_decimal(round(value), locale=_LOCALE)
    # CLDR puts a no-break space before the unit; our texts use a plain one.
    text = format_compact_decimal(value, locale=_LOCALE, fraction_digits=digits)
    return text.replace("\xa0", " ")


@_CACHED
def rupiah_compact(value: float | int) -> str:
    """Compact money: Rp3,5 jt, Rp750 rb, Rp1,25 jt.

    Two decimals where a price has them: two accounts at Rp1.250.000 shown as "Rp1,2 jt"
    each would not add up to the Rp2.500.000 total printed under them.
    """
    return f"Rp{compact(value, digits=2)}"


@_CACHED
def percent(value: float | None, digits: int = 1) -> str:
    """A percentage given in percent units (3.26 -> "3,3%")."""
    if value is None:
        return "-"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return f"{format_decimal(value, format=pattern, locale=_LOCALE)}%"


@_CACHED
def decimal(value: float, digits: int = 1) -> str:
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=_LOCALE)


def local_datetime(value: datetime, timezone: str = DEFAULT_TIMEZONE) -> str:
    """UTC timestamp shown in the user's zone: 27 Nov 2026, 09.05 WIB."""
    local = value.astimezone(ZoneInfo(timezone))
    label = label_of(timezone)
    text = format_datetime(local, "d MMM y, HH.mm", locale=_LOCALE)
    return f"{text} {label}" if label else text


def short_date(value: date) -> str:
    """1 Des."""
    return format_date(value, "d MMM", locale=_LOCALE)


def long_date(value: date) -> str:
    """1 Des 2026."""
    return format_date(value, "d MMM y", locale=_LOCALE)
