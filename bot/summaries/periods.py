"""Summary periods: the calendar of a schedule, its period keys and when each is due.

Pure domain logic (no database, no Telegram). A schedule fires once per period at a local
wall time in the owner's zone. Every period has a stable text key so that the sweeper can
record it once under a unique (campaign, period) constraint:

- daily   ``D2026-11-27`` (the local date)
- weekly  ``W2026-48``    (ISO year and ISO week, so 2027-01-01 belongs to ``W2026-53``)
- monthly ``M2026-11``

Keys of one frequency sort chronologically as plain strings (zero-padded), but the code
below compares them by their ordinal to stay correct even for malformed input.

Times are built as *wall clock + zone* and then converted to UTC, never by adding a fixed
offset, so the same code stays right in zones with daylight saving time (Indonesia has none).
What a sweep sends or skips after an outage is bot.summaries.sweep_decision.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import TypeGuard
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.chat.zones import ZONES

__all__ = [
    "DEFAULT_TIMEZONE",
    "Frequency",
    "ScheduleSpec",
    "fire_time",
    "first_after",
    "first_due",
    "latest_due",
    "latest_key",
    "next_fire",
    "next_key",
    "ordinal",
    "own_ordinal",
    "period_key",
    "period_of",
    "previous_key",
    "require_aware",
    "resolve_timezone",
]


class Frequency(StrEnum):
    """How often a campaign summary is sent; the value is what the database stores."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


DEFAULT_TIMEZONE = ZONES["WIB"]

_PREFIX = {Frequency.DAILY: "D", Frequency.WEEKLY: "W", Frequency.MONTHLY: "M"}
_KEY_RE = {
    Frequency.DAILY: re.compile(r"D(\d{4})-(\d{2})-(\d{2})"),
    Frequency.WEEKLY: re.compile(r"W(\d{4})-(\d{2})"),
    Frequency.MONTHLY: re.compile(r"M(\d{4})-(\d{2})"),
}


def resolve_timezone(name: str) -> str:
    """Map a chat label ("WIB", "wita") or an IANA name to a validated IANA name.

    Lets handlers accept what owners type while the spec only ever stores IANA names.
    """
    cleaned = name.strip()
    iana = ZONES.get(cleaned.upper(), cleaned)
    _zone(iana)  # raises ValueError when unknown
    return iana


def _zone(name: str) -> ZoneInfo:
    """Load a zone, turning zoneinfo's KeyError/OSError into a ValueError callers can show."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"timezone must be a non-empty IANA name, got {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(
            f"unknown timezone {name!r}; use an IANA name such as 'Asia/Jakarta'"
        ) from exc


@dataclass(frozen=True)
class ScheduleSpec:
    """When a campaign's summary fires: frequency, local wall time and zone.

    Frozen and hashable so results can be cached per spec; validated on construction so a
    bad row fails loudly where it is loaded, not silently at 3 a.m. in the sweeper.
    """

    frequency: Frequency
    at: time
    timezone: str = DEFAULT_TIMEZONE
    weekday: int | None = None  # 0 = Monday .. 6 = Sunday; WEEKLY only
    day_of_month: int | None = None  # 1..31; MONTHLY only; clamped to the month's last day
    _tz: ZoneInfo = field(init=False, repr=False, compare=False)  # loaded from `timezone`

    def __post_init__(self) -> None:
        try:
            frequency = Frequency(self.frequency)
        except ValueError:
            allowed = ", ".join(f.value for f in Frequency)
            raise ValueError(
                f"frequency must be one of {allowed}, got {self.frequency!r}"
            ) from None
        object.__setattr__(self, "frequency", frequency)  # accept the stored string, keep the enum

        if not isinstance(self.at, time):
            raise ValueError(f"at must be a datetime.time, got {type(self.at).__name__}")
        if self.at.tzinfo is not None:
            raise ValueError(
                "at must be a local wall time without tzinfo; put the zone in timezone"
            )
        if self.at.second or self.at.microsecond:
            raise ValueError(f"at must have minute precision (HH:MM), got {self.at.isoformat()}")
        object.__setattr__(self, "_tz", _zone(self.timezone))  # eq/hash unaffected

        if frequency is Frequency.WEEKLY:
            if not _is_int(self.weekday) or not 0 <= self.weekday <= 6:
                raise ValueError(
                    f"weekly schedules need weekday 0 (Monday)..6 (Sunday), got {self.weekday!r}"
                )
        elif self.weekday is not None:
            raise ValueError(f"weekday is only allowed for weekly schedules, not {frequency.value}")

        if frequency is Frequency.MONTHLY:
            if not _is_int(self.day_of_month) or not 1 <= self.day_of_month <= 31:
                raise ValueError(
                    f"monthly schedules need day_of_month 1..31, got {self.day_of_month!r}"
                )
        elif self.day_of_month is not None:
            raise ValueError(
                f"day_of_month is only allowed for monthly schedules, not {frequency.value}"
            )

    @property
    def zone(self) -> ZoneInfo:
        """The schedule's zone object, loaded once at construction."""
        return self._tz


def _is_int(value: object) -> TypeGuard[int]:
    """A real int (bool is an int subclass but no weekday); narrows the type for checkers."""
    return isinstance(value, int) and not isinstance(value, bool)


def require_aware(moment: datetime, name: str) -> datetime:
    """Reject naive datetimes: a naive 'now' silently read as local time is the classic bug."""
    if not isinstance(moment, datetime):
        raise ValueError(f"{name} must be a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got naive {moment.isoformat()}")
    return moment


# ----------------------------------------------------------------------------------
# Keys
# ----------------------------------------------------------------------------------


def period_key(spec: ScheduleSpec, local_date: date) -> str:
    """Key of the period that contains this local calendar date."""
    if isinstance(local_date, datetime):
        # A datetime is a date subclass; its .date() would ignore the zone, so refuse it.
        raise ValueError("period_key takes a local date; use period_of for an instant")
    return _date_key(spec, local_date)


def _date_key(spec: ScheduleSpec, local_date: date) -> str:
    if spec.frequency is Frequency.DAILY:
        return f"D{local_date.year:04d}-{local_date.month:02d}-{local_date.day:02d}"
    if spec.frequency is Frequency.WEEKLY:
        iso = local_date.isocalendar()
        return f"W{iso.year:04d}-{iso.week:02d}"
    return f"M{local_date.year:04d}-{local_date.month:02d}"


def period_of(spec: ScheduleSpec, moment_utc: datetime) -> str:
    """Key of the period containing that instant, judged by the calendar in the spec's zone."""
    return _key_at(spec, require_aware(moment_utc, "moment_utc"))


def _key_at(spec: ScheduleSpec, moment: datetime) -> str:
    """period_of without the argument check, for callers that already checked."""
    return _date_key(spec, moment.astimezone(spec.zone).date())


def _parse(spec: ScheduleSpec, key: str) -> date:
    """The first local date of the key's period; ValueError for keys of another frequency."""
    if not isinstance(key, str):
        raise ValueError(f"period key must be a string, got {type(key).__name__}")
    return _parse_key(spec.frequency, key)


@lru_cache(maxsize=8192)
def _parse_key(frequency: Frequency, key: str) -> date:
    """Cached: the sweeper parses the same recorded keys on every tick."""
    match = _KEY_RE[frequency].fullmatch(key)
    if match is None:
        raise ValueError(
            f"{key!r} is not a {frequency.value} period key (expected {_PREFIX[frequency]}...)"
        )
    parts = [int(p) for p in match.groups()]
    try:
        if frequency is Frequency.DAILY:
            return date(parts[0], parts[1], parts[2])
        if frequency is Frequency.WEEKLY:
            return date.fromisocalendar(parts[0], parts[1], 1)
        return date(parts[0], parts[1], 1)
    except ValueError as exc:
        raise ValueError(f"{key!r} is not a valid period key: {exc}") from None


def ordinal(spec: ScheduleSpec, key: str) -> int:
    """A number that orders keys of one frequency; consecutive periods differ by one."""
    if not isinstance(key, str):
        raise ValueError(f"period key must be a string, got {type(key).__name__}")
    return _ordinal_key(spec.frequency, key)


@lru_cache(maxsize=8192)
def _ordinal_key(frequency: Frequency, key: str) -> int:
    start = _parse_key(frequency, key)
    if frequency is Frequency.DAILY:
        return start.toordinal()
    if frequency is Frequency.WEEKLY:
        return start.toordinal() // 7  # ISO weeks start on Monday; ordinal 1 is a Monday
    return start.year * 12 + start.month - 1


def own_ordinal(spec: ScheduleSpec, key: str) -> int | None:
    """``ordinal`` for a key of the spec's frequency; None for a well-formed key of another.

    A recorded key of another frequency means the owner changed the schedule: it does not
    order against this one's keys. Anything else that is not a key raises ValueError.
    """
    if isinstance(key, str) and key.startswith(_PREFIX[spec.frequency]):
        return ordinal(spec, key)
    _check_key(key)
    return None


def _check_key(key: str) -> None:
    """A key of another frequency must still be a well-formed key, not garbage from a bug."""
    for frequency, pattern in _KEY_RE.items():
        if isinstance(key, str) and pattern.fullmatch(key):
            _parse_key(frequency, key)
            return
    raise ValueError(f"{key!r} is not a period key")


def next_key(spec: ScheduleSpec, key: str) -> str:
    """The period right after ``key``."""
    return _shift(spec, key, +1)


def previous_key(spec: ScheduleSpec, key: str) -> str:
    """The period right before ``key``."""
    return _shift(spec, key, -1)


@lru_cache(maxsize=8192)
def _shift(spec: ScheduleSpec, key: str, steps: int) -> str:
    """Cached: the sweeper steps back from the current period on most ticks."""
    start = _parse(spec, key)
    if spec.frequency is Frequency.DAILY:
        return _date_key(spec, start + timedelta(days=steps))
    if spec.frequency is Frequency.WEEKLY:
        return _date_key(spec, start + timedelta(weeks=steps))
    months = start.year * 12 + start.month - 1 + steps
    return _date_key(spec, date(months // 12, months % 12 + 1, 1))


# ----------------------------------------------------------------------------------
# Fire times
# ----------------------------------------------------------------------------------


def _fire_date(spec: ScheduleSpec, key: str) -> date:
    """The local date the period's summary goes out on."""
    start = _parse(spec, key)
    if spec.frequency is Frequency.DAILY:
        return start
    if spec.frequency is Frequency.WEEKLY:
        assert spec.weekday is not None  # guaranteed by ScheduleSpec validation
        return start + timedelta(days=spec.weekday)
    assert spec.day_of_month is not None
    last_day = monthrange(start.year, start.month)[1]
    return start.replace(day=min(spec.day_of_month, last_day))


@lru_cache(maxsize=8192)
def fire_time(spec: ScheduleSpec, key: str) -> datetime:
    """Aware UTC instant when the period's summary is due.

    Built as local wall time + zone, then converted: in a zone with DST a time inside the
    spring-forward gap lands just after it, an ambiguous time takes its first occurrence.
    Cached because the sweeper asks for the same few keys every tick.
    """
    local = datetime.combine(_fire_date(spec, key), spec.at, tzinfo=spec.zone)
    return local.astimezone(UTC)


def latest_due(
    spec: ScheduleSpec, now_utc: datetime, *, since: datetime | None = None
) -> str | None:
    """The newest key whose fire time is <= now, or None if that is before ``since``."""
    key = latest_key(spec, now_utc)
    if since is not None and fire_time(spec, key) < require_aware(since, "since"):
        return None
    return key


def latest_key(spec: ScheduleSpec, now_utc: datetime) -> str:
    """The newest key whose fire time is <= now."""
    now = require_aware(now_utc, "now_utc")
    # A period's fire time lies inside it: the answer is now's period or the one before.
    key = _key_at(spec, now)
    if fire_time(spec, key) > now:
        key = _shift(spec, key, -1)
    return key


def first_due(spec: ScheduleSpec, since: datetime) -> str:
    """The first key whose fire time is at or after ``since`` (the schedule's first period)."""
    return _first(spec, require_aware(since, "since"), strictly_after=False)


def first_after(spec: ScheduleSpec, moment_utc: datetime) -> str:
    """The first key whose fire time is strictly after the moment."""
    return _first(spec, require_aware(moment_utc, "moment_utc"), strictly_after=True)


def _first(spec: ScheduleSpec, moment: datetime, *, strictly_after: bool) -> str:
    key = _key_at(spec, moment)
    fire = fire_time(spec, key)
    if fire < moment or (strictly_after and fire == moment):
        key = _shift(spec, key, +1)
    return key


def next_fire(spec: ScheduleSpec, now_utc: datetime) -> datetime:
    """The next fire time strictly after now, for "ringkasan berikutnya ..." messages."""
    return fire_time(spec, first_after(spec, require_aware(now_utc, "now_utc")))
