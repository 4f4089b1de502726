"""Unit tests for bot.summaries.periods and .sweep_decision: keys, fire times, the decision.

Summaries must go out once per (campaign, period), never twice after a restart and never
lost after an outage; these tests pin that down without a database or a real clock.
"""

from __future__ import annotations

import bisect
import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.chat.zones import ZONES, zone_label
from bot.summaries.periods import (
    Frequency,
    ScheduleSpec,
    fire_time,
    first_due,
    latest_due,
    next_fire,
    next_key,
    period_key,
    period_of,
    previous_key,
    resolve_timezone,
)
from bot.summaries.sweep_decision import DEFAULT_GRACE, SweepDecision, decide

WIB, WITA, WIT = ZONES["WIB"], ZONES["WITA"], ZONES["WIT"]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def daily(at: str = "09:00", tz: str = WIB) -> ScheduleSpec:
    return ScheduleSpec(Frequency.DAILY, time.fromisoformat(at), tz)


def weekly(weekday: int, at: str = "09:00", tz: str = WIB) -> ScheduleSpec:
    return ScheduleSpec(Frequency.WEEKLY, time.fromisoformat(at), tz, weekday=weekday)


def monthly(day: int, at: str = "09:00", tz: str = WIB) -> ScheduleSpec:
    return ScheduleSpec(Frequency.MONTHLY, time.fromisoformat(at), tz, day_of_month=day)


# ----------------------------------------------------------------------------------
# ScheduleSpec validation and zones
# ----------------------------------------------------------------------------------


def test_spec_accepts_the_stored_string_frequency_and_keeps_the_enum() -> None:
    spec = ScheduleSpec("weekly", time(7, 30), WIT, weekday=4)  # type: ignore[arg-type]
    assert spec.frequency is Frequency.WEEKLY
    assert spec.zone == ZoneInfo(WIT)
    assert hash(spec) == hash(weekly(4, "07:30", WIT))  # usable as a cache/dict key


def test_spec_defaults_to_wib() -> None:
    assert ScheduleSpec(Frequency.DAILY, time(9, 0)).timezone == "Asia/Jakarta"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"frequency": "yearly", "at": time(9)}, "frequency must be one of"),
        ({"frequency": "daily", "at": "09:00"}, "datetime.time"),
        ({"frequency": "daily", "at": time(9, 0, 30)}, "minute precision"),
        ({"frequency": "daily", "at": time(9, tzinfo=UTC)}, "without tzinfo"),
        ({"frequency": "daily", "at": time(9), "timezone": "Asia/Bandung"}, "unknown timezone"),
        ({"frequency": "daily", "at": time(9), "timezone": ""}, "IANA"),
        ({"frequency": "daily", "at": time(9), "weekday": 1}, "only allowed for weekly"),
        ({"frequency": "daily", "at": time(9), "day_of_month": 1}, "only allowed for monthly"),
        ({"frequency": "weekly", "at": time(9)}, "need weekday"),
        ({"frequency": "weekly", "at": time(9), "weekday": 7}, "need weekday"),
        ({"frequency": "weekly", "at": time(9), "weekday": -1}, "need weekday"),
        ({"frequency": "weekly", "at": time(9), "weekday": True}, "need weekday"),
        ({"frequency": "weekly", "at": time(9), "weekday": 1, "day_of_month": 1}, "monthly"),
        ({"frequency": "monthly", "at": time(9)}, "need day_of_month"),
        ({"frequency": "monthly", "at": time(9), "day_of_month": 0}, "need day_of_month"),
        ({"frequency": "monthly", "at": time(9), "day_of_month": 32}, "need day_of_month"),
        ({"frequency": "monthly", "at": time(9), "day_of_month": 5, "weekday": 0}, "weekly"),
    ],
)
def test_spec_rejects_bad_values_with_a_clear_message(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ScheduleSpec(**kwargs)


def test_resolve_timezone_accepts_chat_labels_and_iana_names() -> None:
    assert resolve_timezone("WIB") == "Asia/Jakarta"
    assert resolve_timezone(" wita ") == "Asia/Makassar"
    assert resolve_timezone("Wit") == "Asia/Jayapura"
    assert resolve_timezone("Asia/Jayapura") == "Asia/Jayapura"
    with pytest.raises(ValueError, match="unknown timezone"):
        resolve_timezone("WITB")
    assert zone_label(WITA) == "WITA"
    assert zone_label("Europe/Berlin") == "Europe/Berlin"


# ----------------------------------------------------------------------------------
# Period keys
# ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "d_key", "w_key", "m_key"),
    [
        (date(2026, 11, 27), "D2026-11-27", "W2026-48", "M2026-11"),
        (date(2026, 12, 31), "D2026-12-31", "W2026-53", "M2026-12"),  # 2026 has 53 ISO weeks
        (date(2027, 1, 1), "D2027-01-01", "W2026-53", "M2027-01"),  # ...and 2027-01-01 is in it
        (date(2027, 1, 3), "D2027-01-03", "W2026-53", "M2027-01"),  # Sunday closes W53
        (date(2027, 1, 4), "D2027-01-04", "W2027-01", "M2027-01"),
        (date(2024, 12, 30), "D2024-12-30", "W2025-01", "M2024-12"),  # December in next ISO year
        (date(2021, 1, 3), "D2021-01-03", "W2020-53", "M2021-01"),
        (date(2024, 2, 29), "D2024-02-29", "W2024-09", "M2024-02"),
        (date(2026, 1, 5), "D2026-01-05", "W2026-02", "M2026-01"),
    ],
)
def test_period_key_formats(local: date, d_key: str, w_key: str, m_key: str) -> None:
    assert period_key(daily(), local) == d_key
    assert period_key(weekly(0), local) == w_key
    assert period_key(monthly(1), local) == m_key


def test_period_key_refuses_a_datetime() -> None:
    with pytest.raises(ValueError, match="period_of"):
        period_key(daily(), utc(2026, 11, 27, 12))


@pytest.mark.parametrize(
    ("instant", "wib", "wita", "wit"),
    [
        # 16:30 UTC: still the 26th in WIB, already the 27th in WITA and WIT.
        (utc(2026, 11, 26, 16, 30), "D2026-11-26", "D2026-11-27", "D2026-11-27"),
        # 15:30 UTC: only WIT has passed midnight.
        (utc(2026, 11, 26, 15, 30), "D2026-11-26", "D2026-11-26", "D2026-11-27"),
        # 06:00 WIB is 23:00 UTC the day before.
        (utc(2026, 11, 26, 23, 0), "D2026-11-27", "D2026-11-27", "D2026-11-27"),
        (utc(2026, 11, 26, 16, 59, 59), "D2026-11-26", "D2026-11-27", "D2026-11-27"),
        (utc(2026, 11, 26, 17, 0), "D2026-11-27", "D2026-11-27", "D2026-11-27"),
    ],
)
def test_period_of_uses_the_local_calendar(
    instant: datetime, wib: str, wita: str, wit: str
) -> None:
    assert period_of(daily(tz=WIB), instant) == wib
    assert period_of(daily(tz=WITA), instant) == wita
    assert period_of(daily(tz=WIT), instant) == wit


def test_period_of_at_year_month_and_week_boundaries() -> None:
    new_year_wib = utc(2026, 12, 31, 17, 0)  # 2027-01-01 00:00 WIB
    just_before = new_year_wib - timedelta(microseconds=1)
    assert period_of(monthly(1), new_year_wib) == "M2027-01"
    assert period_of(monthly(1), just_before) == "M2026-12"
    assert period_of(daily(), new_year_wib) == "D2027-01-01"
    assert period_of(weekly(0), new_year_wib) == "W2026-53"
    # Monday 2027-01-04 00:00 WIB is Sunday 17:00 UTC: a new ISO week (and ISO year) locally.
    assert period_of(weekly(0), utc(2027, 1, 3, 17, 0)) == "W2027-01"
    assert period_of(weekly(0), utc(2027, 1, 3, 16, 59)) == "W2026-53"
    # The same instant is already next month in WIT while still this month in WIB.
    assert period_of(monthly(1, tz=WIT), utc(2026, 11, 30, 15, 30)) == "M2026-12"
    assert period_of(monthly(1, tz=WIB), utc(2026, 11, 30, 15, 30)) == "M2026-11"


def test_period_of_accepts_any_aware_datetime_and_rejects_naive() -> None:
    plus7 = datetime(2026, 11, 27, 6, 0, tzinfo=timezone(timedelta(hours=7)))
    assert period_of(daily(tz=WIT), plus7) == "D2026-11-27"
    with pytest.raises(ValueError, match="timezone-aware"):
        period_of(daily(), datetime(2026, 11, 27, 6, 0))


@pytest.mark.parametrize(
    ("spec", "key", "before", "after"),
    [
        (daily(), "D2026-12-31", "D2026-12-30", "D2027-01-01"),
        (daily(), "D2024-03-01", "D2024-02-29", "D2024-03-02"),
        (daily(), "D2026-03-01", "D2026-02-28", "D2026-03-02"),
        (weekly(3), "W2026-53", "W2026-52", "W2027-01"),
        (weekly(3), "W2026-01", "W2025-52", "W2026-02"),
        (weekly(3), "W2021-01", "W2020-53", "W2021-02"),
        (monthly(31), "M2027-01", "M2026-12", "M2027-02"),
        (monthly(31), "M2026-12", "M2026-11", "M2027-01"),
    ],
)
def test_next_and_previous_key(spec: ScheduleSpec, key: str, before: str, after: str) -> None:
    assert previous_key(spec, key) == before
    assert next_key(spec, key) == after
    assert next_key(spec, before) == key
    assert previous_key(spec, after) == key


@pytest.mark.parametrize(
    ("spec", "key"),
    [
        (daily(), "W2026-48"),
        (weekly(0), "D2026-11-27"),
        (monthly(1), "M2026-1"),
        (daily(), "D2026-02-30"),
        (daily(), "d2026-11-27"),
        (weekly(0), "W2025-53"),  # 2025 has only 52 ISO weeks
        (weekly(0), "W2026-00"),
        (monthly(1), "M2026-13"),
        (monthly(1), " M2026-11"),
    ],
)
def test_bad_keys_are_rejected(spec: ScheduleSpec, key: str) -> None:
    with pytest.raises(ValueError, match="period key"):
        fire_time(spec, key)
    with pytest.raises(ValueError, match="period key"):
        next_key(spec, key)


# ----------------------------------------------------------------------------------
# Fire times
# ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "key", "expected"),
    [
        (daily("06:00", WIB), "D2026-11-27", utc(2026, 11, 26, 23, 0)),
        (daily("07:00", WIT), "D2026-11-27", utc(2026, 11, 26, 22, 0)),
        (daily("07:00", WITA), "D2026-11-27", utc(2026, 11, 26, 23, 0)),
        (daily("00:00", WIB), "D2026-11-27", utc(2026, 11, 26, 17, 0)),
        (daily("23:59", WIB), "D2026-11-27", utc(2026, 11, 27, 16, 59)),
        (daily("00:00", WIB), "D2027-01-01", utc(2026, 12, 31, 17, 0)),
        # Friday of W2026-53 is 2027-01-01; 07:00 WIT is still 2026 in UTC.
        (weekly(4, "07:00", WIT), "W2026-53", utc(2026, 12, 31, 22, 0)),
        (weekly(3, "12:00", WIB), "W2026-53", utc(2026, 12, 31, 5, 0)),
        (weekly(6, "23:59", WIB), "W2026-48", utc(2026, 11, 29, 16, 59)),
        (weekly(0, "00:00", WIB), "W2026-49", utc(2026, 11, 29, 17, 0)),
        (weekly(0, "09:00", WIB), "W2025-01", utc(2024, 12, 30, 2, 0)),
        (monthly(31, "09:00", WIB), "M2026-01", utc(2026, 1, 31, 2, 0)),
        (monthly(31, "09:00", WIB), "M2026-02", utc(2026, 2, 28, 2, 0)),
        (monthly(31, "09:00", WIB), "M2024-02", utc(2024, 2, 29, 2, 0)),  # leap year
        (monthly(30, "09:00", WIB), "M2028-02", utc(2028, 2, 29, 2, 0)),
        (monthly(29, "09:00", WIB), "M2025-02", utc(2025, 2, 28, 2, 0)),
        (monthly(29, "09:00", WIB), "M2024-02", utc(2024, 2, 29, 2, 0)),
        (monthly(31, "23:59", WITA), "M2026-04", utc(2026, 4, 30, 15, 59)),
        (monthly(31, "09:00", WIB), "M2026-12", utc(2026, 12, 31, 2, 0)),
        (monthly(1, "00:00", WIB), "M2027-01", utc(2026, 12, 31, 17, 0)),
        (monthly(1, "06:00", WIT), "M2026-03", utc(2026, 2, 28, 21, 0)),
    ],
)
def test_fire_time(spec: ScheduleSpec, key: str, expected: datetime) -> None:
    fired = fire_time(spec, key)
    assert fired == expected
    assert fired.tzinfo is UTC
    assert period_of(spec, fired) == key  # the round trip the sweeper relies on


def test_fire_time_in_zones_with_daylight_saving() -> None:
    """Indonesia has no DST, but wall-clock construction must still hold where it exists."""
    berlin = daily("02:30", "Europe/Berlin")
    # Spring forward: 02:30 does not exist on 2026-03-29; it fires just after the gap.
    assert fire_time(berlin, "D2026-03-29") == utc(2026, 3, 29, 1, 30)
    assert fire_time(berlin, "D2026-03-30") == utc(2026, 3, 30, 0, 30)  # CEST
    # Fall back: 02:30 happens twice on 2026-10-25; it fires once, at the first.
    assert fire_time(berlin, "D2026-10-25") == utc(2026, 10, 25, 0, 30)
    assert fire_time(berlin, "D2026-10-26") == utc(2026, 10, 26, 1, 30)  # CET
    new_york = weekly(6, "09:00", "America/New_York")
    assert fire_time(new_york, "W2026-10") == utc(2026, 3, 8, 13, 0)  # EDT from that Sunday
    assert fire_time(new_york, "W2026-09") == utc(2026, 3, 1, 14, 0)  # EST


ZONES_TO_TRY = [WIB, WITA, WIT, "Europe/Berlin", "America/New_York", "UTC"]


@st.composite
def specs(draw: st.DrawFn) -> ScheduleSpec:
    frequency = draw(st.sampled_from(list(Frequency)))
    return ScheduleSpec(
        frequency,
        time(draw(st.integers(0, 23)), draw(st.integers(0, 59))),
        draw(st.sampled_from(ZONES_TO_TRY)),
        weekday=draw(st.integers(0, 6)) if frequency is Frequency.WEEKLY else None,
        day_of_month=draw(st.integers(1, 31)) if frequency is Frequency.MONTHLY else None,
    )


SPECS = specs()
INSTANTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@settings(max_examples=200, deadline=None)
@given(spec=SPECS, day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_keys_round_trip_and_fire_times_are_ordered(spec: ScheduleSpec, day: date) -> None:
    key = period_key(spec, day)
    fired = fire_time(spec, key)
    assert period_of(spec, fired) == key
    assert next_key(spec, previous_key(spec, key)) == key
    assert fire_time(spec, previous_key(spec, key)) < fired < fire_time(spec, next_key(spec, key))
    assert previous_key(spec, key) < key < next_key(spec, key)  # keys sort as strings too


@settings(max_examples=200, deadline=None)
@given(spec=SPECS, now=INSTANTS)
def test_latest_due_and_next_fire_bracket_now(spec: ScheduleSpec, now: datetime) -> None:
    latest = latest_due(spec, now)
    assert latest is not None
    upcoming = next_fire(spec, now)
    assert fire_time(spec, latest) <= now < upcoming
    assert upcoming == fire_time(spec, next_key(spec, latest))
    assert first_due(spec, now) in (latest, next_key(spec, latest))
    assert fire_time(spec, first_due(spec, now)) >= now


# ----------------------------------------------------------------------------------
# latest_due / next_fire
# ----------------------------------------------------------------------------------


def test_latest_due_and_next_fire_daily_around_the_fire_time() -> None:
    spec = daily("09:00", WIB)  # 02:00 UTC
    at_fire = utc(2026, 11, 27, 2, 0)
    assert latest_due(spec, at_fire) == "D2026-11-27"  # due exactly at its time
    assert next_fire(spec, at_fire) == utc(2026, 11, 28, 2, 0)  # strictly after now
    one_second_early = at_fire - timedelta(seconds=1)
    assert latest_due(spec, one_second_early) == "D2026-11-26"
    assert next_fire(spec, one_second_early) == at_fire


def test_latest_due_when_the_utc_date_differs() -> None:
    spec = daily("06:00", WIB)  # 23:00 UTC the day before
    assert latest_due(spec, utc(2026, 11, 26, 23, 0)) == "D2026-11-27"
    assert latest_due(spec, utc(2026, 11, 26, 22, 59)) == "D2026-11-26"
    friday_wit = weekly(4, "07:00", WIT)  # Thursday 22:00 UTC
    assert latest_due(friday_wit, utc(2026, 11, 26, 21, 59)) == "W2026-47"
    assert next_fire(friday_wit, utc(2026, 11, 26, 21, 59)) == utc(2026, 11, 26, 22, 0)
    assert latest_due(friday_wit, utc(2026, 11, 26, 22, 0)) == "W2026-48"


def test_latest_due_and_next_fire_monthly_clamped() -> None:
    spec = monthly(31, "09:00", WIB)
    assert latest_due(spec, utc(2026, 3, 1)) == "M2026-02"  # fired on Feb 28
    assert next_fire(spec, utc(2026, 3, 1)) == utc(2026, 3, 31, 2, 0)
    assert next_fire(spec, utc(2026, 3, 31, 2, 0)) == utc(2026, 4, 30, 2, 0)
    assert latest_due(spec, utc(2026, 2, 28, 1, 59)) == "M2026-01"


def test_latest_due_respects_since() -> None:
    spec = daily("09:00", WIB)
    now = utc(2026, 11, 27, 5, 0)
    assert latest_due(spec, now, since=utc(2026, 11, 27, 2, 0)) == "D2026-11-27"
    assert latest_due(spec, now, since=utc(2026, 11, 27, 2, 1)) is None
    assert first_due(spec, utc(2026, 11, 27, 2, 1)) == "D2026-11-28"
    assert first_due(spec, utc(2026, 11, 27, 2, 0)) == "D2026-11-27"


# ----------------------------------------------------------------------------------
# decide()
# ----------------------------------------------------------------------------------

NOTHING = SweepDecision(send=None, late=False, covers_from=None, skipped=())


def test_decide_first_run_on_time() -> None:
    spec = daily("09:00", WIB)
    since = utc(2026, 11, 27, 1, 0)  # created at 08:00 WIB
    assert (
        decide(spec, utc(2026, 11, 27, 1, 59), last_key=None, last_fire=None, since=since)
        == NOTHING
    )
    decision = decide(spec, utc(2026, 11, 27, 2, 0, 10), last_key=None, last_fire=None, since=since)
    assert decision == SweepDecision("D2026-11-27", late=False, covers_from=since, skipped=())


def test_decide_on_time_covers_from_the_previous_summary() -> None:
    spec = daily("09:00", WIB)
    yesterday = fire_time(spec, "D2026-11-26")
    decision = decide(
        spec,
        utc(2026, 11, 27, 2, 0, 30),
        last_key="D2026-11-26",
        last_fire=yesterday,
        since=utc(2026, 1, 1),
    )
    assert decision == SweepDecision("D2026-11-27", late=False, covers_from=yesterday, skipped=())


def test_decide_nothing_due_when_already_recorded_or_before_the_fire_time() -> None:
    spec = daily("09:00", WIB)
    since = utc(2026, 1, 1)
    fire = fire_time(spec, "D2026-11-26")
    kwargs = {"last_fire": fire, "since": since}
    # Already recorded (sent, skipped or still `sending`): never again, even hours later.
    assert decide(spec, utc(2026, 11, 27, 2, 0), last_key="D2026-11-27", **kwargs) == NOTHING
    assert decide(spec, utc(2026, 11, 28, 1, 59), last_key="D2026-11-27", **kwargs) == NOTHING
    # Today's not yet due.
    assert decide(spec, utc(2026, 11, 27, 1, 59), last_key="D2026-11-26", **kwargs) == NOTHING
    # A recorded key newer than latest_due (the owner moved the time later): nothing.
    assert decide(spec, utc(2026, 11, 27, 1, 59), last_key="D2026-11-27", **kwargs) == NOTHING


def test_decide_grace_boundary() -> None:
    spec = daily("09:00", WIB)
    fire = fire_time(spec, "D2026-11-27")
    kwargs = {"last_key": "D2026-11-26", "last_fire": None, "since": utc(2026, 1, 1)}
    assert decide(spec, fire + DEFAULT_GRACE, **kwargs).late is False
    late = decide(spec, fire + DEFAULT_GRACE + timedelta(seconds=1), **kwargs)
    assert late.send == "D2026-11-27" and late.late is True and late.skipped == ()
    custom = decide(spec, fire + timedelta(minutes=2), grace=timedelta(minutes=1), **kwargs)
    assert custom.late is True


def test_decide_after_an_outage_sends_the_latest_late_and_skips_the_rest() -> None:
    spec = daily("06:00", WIB)
    last_fire = fire_time(spec, "D2026-11-22")
    now = utc(2026, 11, 27, 5, 0)  # 12:00 WIB, five days later
    decision = decide(
        spec, now, last_key="D2026-11-22", last_fire=last_fire, since=utc(2026, 11, 1)
    )
    assert decision.send == "D2026-11-27"
    assert decision.late is True
    assert decision.skipped == ("D2026-11-23", "D2026-11-24", "D2026-11-25", "D2026-11-26")
    assert decision.covers_from == last_fire  # the late summary covers the whole gap


def test_decide_outage_across_the_iso_year_boundary() -> None:
    spec = weekly(4, "07:00", WIT)
    last_fire = fire_time(spec, "W2026-52")
    decision = decide(
        spec, utc(2027, 1, 22), last_key="W2026-52", last_fire=last_fire, since=utc(2026, 1, 1)
    )
    assert decision.send == "W2027-03"
    assert decision.skipped == ("W2026-53", "W2027-01", "W2027-02")
    assert decision.late is True


def test_decide_monthly_outage() -> None:
    spec = monthly(31, "20:00", WITA)
    decision = decide(
        spec,
        utc(2026, 5, 1),
        last_key="M2026-01",
        last_fire=fire_time(spec, "M2026-01"),
        since=utc(2025, 6, 1),
    )
    assert decision.send == "M2026-04"
    assert decision.skipped == ("M2026-02", "M2026-03")


def test_decide_first_run_after_an_outage_skips_from_the_first_due_period() -> None:
    spec = daily("09:00", WIB)
    since = utc(2026, 11, 24, 3, 0)  # 10:00 WIB on the 24th: the 24th's summary was not owed
    decision = decide(spec, utc(2026, 11, 27, 6, 0), last_key=None, last_fire=None, since=since)
    assert decision.send == "D2026-11-27"
    assert decision.skipped == ("D2026-11-25", "D2026-11-26")
    assert decision.covers_from == since
    assert decision.late is True


def test_decide_schedule_created_after_todays_fire_time_waits_for_the_next_period() -> None:
    spec = daily("09:00", WIB)
    since = utc(2026, 11, 27, 3, 0)  # created at 10:00 WIB, an hour after today's 09:00
    for now in (since, since + timedelta(seconds=30), utc(2026, 11, 28, 1, 59, 59)):
        assert decide(spec, now, last_key=None, last_fire=None, since=since) == NOTHING
    decision = decide(spec, utc(2026, 11, 28, 2, 0), last_key=None, last_fire=None, since=since)
    assert decision == SweepDecision("D2026-11-28", late=False, covers_from=since, skipped=())
    assert next_fire(spec, since) == utc(2026, 11, 28, 2, 0)


def test_decide_weekly_created_midweek_after_the_chosen_day() -> None:
    spec = weekly(0, "09:00", WIB)  # Monday
    since = utc(2026, 11, 25, 3, 0)  # Wednesday
    assert decide(spec, utc(2026, 11, 29), last_key=None, last_fire=None, since=since) == NOTHING
    decision = decide(spec, utc(2026, 11, 30, 2, 0), last_key=None, last_fire=None, since=since)
    assert decision.send == "W2026-49" and decision.skipped == ()


def test_decide_does_not_resend_while_a_claim_is_in_progress() -> None:
    """last_key counts `sending` rows: a stale claim is retried by the sweeper, not re-decided."""
    spec = daily("09:00", WIB)
    decision = decide(
        spec,
        utc(2026, 11, 27, 9, 0),
        last_key="D2026-11-27",  # claimed, not yet marked sent
        last_fire=fire_time(spec, "D2026-11-26"),
        since=utc(2026, 1, 1),
    )
    assert decision == NOTHING


def test_decide_after_the_owner_changed_the_frequency() -> None:
    """A daily key does not order against weekly keys; last_fire bounds what is still owed."""
    old = daily("09:00", WIB)
    sent_today = fire_time(old, "D2026-11-27")  # Friday 09:00 WIB
    spec = weekly(4, "20:00", WIB)  # now weekly on Friday 20:00
    kwargs = {"last_key": "D2026-11-27", "last_fire": sent_today, "since": utc(2026, 1, 1)}
    assert decide(spec, utc(2026, 11, 27, 12, 59), **kwargs) == NOTHING
    decision = decide(spec, utc(2026, 11, 27, 13, 0), **kwargs)
    assert decision == SweepDecision("W2026-48", late=False, covers_from=sent_today, skipped=())
    # Had the weekly day already passed this week, last_fire keeps it from being sent late.
    tuesday = weekly(1, "09:00", WIB)
    assert decide(tuesday, utc(2026, 11, 27, 13, 0), **kwargs) == NOTHING


def test_decide_rejects_naive_datetimes_and_garbage_keys() -> None:
    spec = daily()
    with pytest.raises(ValueError, match="timezone-aware"):
        decide(spec, datetime(2026, 11, 27), last_key=None, last_fire=None, since=utc(2026, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        decide(spec, utc(2026, 11, 27), last_key=None, last_fire=None, since=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="period key"):
        decide(spec, utc(2026, 11, 27), last_key="yesterday", last_fire=None, since=utc(2026, 1, 1))
    with pytest.raises(ValueError, match="period key"):
        decide(
            spec, utc(2026, 11, 27), last_key="D2026-11-31", last_fire=None, since=utc(2026, 1, 1)
        )


def test_decide_with_the_real_clock() -> None:
    """What the sweeper does: datetime.now(UTC) in, a decision out."""
    spec = daily("06:00", WIB)
    since = utc(2026, 11, 1)
    with time_machine.travel(datetime(2026, 11, 27, 6, 0, 20, tzinfo=ZoneInfo(WIB)), tick=False):
        now = datetime.now(UTC)
        assert now == utc(2026, 11, 26, 23, 0, 20)
        decision = decide(spec, now, last_key="D2026-11-26", last_fire=None, since=since)
        assert decision.send == "D2026-11-27" and not decision.late
        assert next_fire(spec, now) == utc(2026, 11, 27, 23, 0)


# ----------------------------------------------------------------------------------
# Simulation: a sweeper every 30 s across restarts and outages
# ----------------------------------------------------------------------------------

TICK = timedelta(seconds=30)
FIXED_OFFSETS = {WIB: timedelta(hours=7), WITA: timedelta(hours=8), WIT: timedelta(hours=9)}


@dataclass(frozen=True)
class Row:
    """One row of the fake `summary_runs` table."""

    status: str  # "sent" | "skipped"
    at: datetime
    late: bool = False
    covers_from: datetime | None = None


class FakeStore:
    """The database: a unique (schedule, key) row each; survives restarts, unlike the sweeper."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Row] = {}
        self.newest: dict[str, str] = {}
        self.last_sent_fire: dict[str, datetime] = {}

    def insert(self, schedule: str, key: str, row: Row, fire: datetime | None = None) -> None:
        if (schedule, key) in self.rows:
            pytest.fail(f"{schedule}: {key} recorded twice ({self.rows[schedule, key]} then {row})")
        self.rows[schedule, key] = row
        if key > self.newest.get(schedule, ""):
            self.newest[schedule] = key
        if row.status == "sent":
            assert fire is not None
            self.last_sent_fire[schedule] = fire

    def of(self, schedule: str) -> dict[str, Row]:
        return {key: row for (name, key), row in self.rows.items() if name == schedule}


def sweep(
    store: FakeStore, schedules: dict[str, ScheduleSpec], since: datetime, now: datetime
) -> None:
    """One sweeper pass: ask decide(), record skips and the send, as the real one will."""
    for name, spec in schedules.items():
        decision = decide(
            spec,
            now,
            last_key=store.newest.get(name),
            last_fire=store.last_sent_fire.get(name),
            since=since,
        )
        if decision.send is None:
            continue
        fire = fire_time(spec, decision.send)
        assert fire <= now, f"{name}: {decision.send} sent before its fire time"
        for key in decision.skipped:
            store.insert(name, key, Row("skipped", now))
        store.insert(
            name, decision.send, Row("sent", now, decision.late, decision.covers_from), fire
        )


def simulate(
    schedules: dict[str, ScheduleSpec],
    start: datetime,
    end: datetime,
    downtimes: list[tuple[datetime, datetime]],
) -> tuple[FakeStore, list[datetime]]:
    """Run the bot from start to end; it is down in each (down, up) window, sweeping at start-up."""
    store = FakeStore()
    ticks: list[datetime] = []
    up_from = start
    for down, up in [*sorted(downtimes), (end, end)]:
        now = up_from
        while now < down:
            sweep(store, schedules, start, now)
            ticks.append(now)
            now += TICK
        up_from = up
    return store, ticks


def oracle_fires(spec: ScheduleSpec, start: datetime, end: datetime) -> list[tuple[str, datetime]]:
    """Every (key, fire) in [start, end], computed with fixed offsets instead of zoneinfo."""
    offset = FIXED_OFFSETS[spec.timezone]
    day = (start + offset).date() - timedelta(days=1)
    fires = []
    while day <= (end + offset).date() + timedelta(days=1):
        if spec.frequency is Frequency.DAILY:
            key, fires_today = f"D{day.isoformat()}", True
        elif spec.frequency is Frequency.WEEKLY:
            iso = day.isocalendar()
            key, fires_today = f"W{iso.year}-{iso.week:02d}", day.weekday() == spec.weekday
        else:
            assert spec.day_of_month is not None
            last = calendar.monthrange(day.year, day.month)[1]
            key = f"M{day.year}-{day.month:02d}"
            fires_today = day.day == min(spec.day_of_month, last)
        fire = datetime.combine(day, spec.at, tzinfo=UTC) - offset
        if fires_today and start <= fire <= end:
            fires.append((key, fire))
        day += timedelta(days=1)
    return fires


def oracle_rows(fires: list[tuple[str, datetime]], ticks: list[datetime]) -> dict[str, tuple]:
    """The first sweep at or after a fire time handles it; of those sharing a sweep, only the
    newest is sent (late if past the grace) and the older ones are skipped."""
    by_tick: dict[datetime, list[tuple[str, datetime]]] = {}
    for key, fire in fires:
        i = bisect.bisect_left(ticks, fire)
        if i < len(ticks):
            by_tick.setdefault(ticks[i], []).append((key, fire))
    expected: dict[str, tuple] = {}
    for tick, group in by_tick.items():
        *older, (newest, fire) = group
        expected.update({key: ("skipped", tick, False) for key, _ in older})
        expected[newest] = ("sent", tick, tick - fire > DEFAULT_GRACE)
    return expected


def check_against_oracle(
    store: FakeStore,
    schedules: dict[str, ScheduleSpec],
    start: datetime,
    ticks: list[datetime],
) -> dict[str, list[tuple[str, datetime]]]:
    fires_by_schedule = {}
    for name, spec in schedules.items():
        fires = oracle_fires(spec, start, ticks[-1])
        fires_by_schedule[name] = fires
        for key, fire in fires:
            assert fire_time(spec, key) == fire  # zoneinfo agrees with plain offsets
        rows = store.of(name)
        actual = {key: (row.status, row.at, row.late) for key, row in rows.items()}
        assert actual == oracle_rows(fires, ticks), name
        # Every period fired in the run is recorded exactly once (dict keys are unique and
        # insert() fails on a second insert), and each summary covers since the previous one.
        assert set(rows) == {key for key, _ in fires}
        previous = start
        for key, fire in fires:
            row = rows[key]
            assert row.at >= fire
            if row.status == "sent":
                assert row.covers_from == previous
                previous = fire
    return fires_by_schedule


def test_simulation_sixty_days_with_restarts_and_a_six_hour_outage() -> None:
    schedules = {
        "daily-wib": daily("06:00", WIB),  # 23:00 UTC the day before
        "weekly-wit": weekly(4, "07:00", WIT),  # Friday 07:00 WIT = Thursday 22:00 UTC
    }
    start = utc(2026, 11, 1, 0, 0)  # 07:00 WIB: today's 06:00 summary is not owed
    end = start + timedelta(days=60)
    outage = (utc(2026, 12, 10, 19, 30), utc(2026, 12, 11, 1, 30))  # Thursday night, 6 h
    restarts = [
        (utc(2026, 11, 5, 3, 10), utc(2026, 11, 5, 3, 13, 20)),
        (utc(2026, 11, 12, 22, 58, 45), utc(2026, 11, 12, 23, 2, 5)),  # over a daily fire
        (utc(2026, 11, 19, 21, 59, 30), utc(2026, 11, 19, 22, 4, 10)),  # over a weekly fire
        (utc(2026, 12, 24, 12, 0, 13), utc(2026, 12, 24, 12, 7)),
        (utc(2026, 12, 29, 22, 59, 50), utc(2026, 12, 29, 23, 0, 20)),  # 30 s around a fire
    ]
    store, ticks = simulate(schedules, start, end, [*restarts, outage])
    fires = check_against_oracle(store, schedules, start, ticks)

    assert len(fires["daily-wib"]) == 60 and len(fires["weekly-wit"]) == 8
    assert all(row.status == "sent" for row in store.rows.values())  # no gap held two periods

    in_outage = {
        (name, key)
        for name, periods in fires.items()
        for key, fire in periods
        if outage[0] <= fire < outage[1]
    }
    assert in_outage == {("daily-wib", "D2026-12-11"), ("weekly-wit", "W2026-50")}
    for name_key in in_outage:
        row = store.rows[name_key]
        assert row == Row("sent", outage[1], late=True, covers_from=row.covers_from)

    for (name, key), row in store.rows.items():
        fire = fire_time(schedules[name], key)
        if (name, key) in in_outage:
            continue
        assert row.late is False  # restarts of a few minutes stay within the grace
        if any(down <= fire < up for down, up in restarts):
            assert row.at in {up for _, up in restarts}  # sent by the first sweep after restart
        else:
            assert row.at - fire < TICK
    assert store.rows["daily-wib", "D2026-11-13"].at == utc(2026, 11, 12, 23, 2, 5)
    assert store.rows["weekly-wit", "W2026-47"].at == utc(2026, 11, 19, 22, 4, 10)


def test_simulation_long_outage_skips_all_but_the_latest() -> None:
    schedules = {
        "daily-wita": daily("23:59", WITA),  # 15:59 UTC
        "weekly-wib": weekly(0, "00:00", WIB),  # Monday 00:00 WIB = Sunday 17:00 UTC
        "monthly-wit": monthly(31, "07:00", WIT),  # Nov 30 (clamped), 22:00 UTC the day before
    }
    start = utc(2026, 11, 1, 12, 0)
    outage = (utc(2026, 11, 4, 10, 0), utc(2026, 11, 21, 10, 0))  # 17 days down
    store, ticks = simulate(schedules, start, start + timedelta(days=30), [outage])
    fires = check_against_oracle(store, schedules, start, ticks)

    daily_rows = store.of("daily-wita")
    missed = [key for key, fire in fires["daily-wita"] if outage[0] <= fire < outage[1]]
    assert len(missed) == 17
    assert [daily_rows[key].status for key in missed] == ["skipped"] * 16 + ["sent"]
    assert daily_rows[missed[-1]].late and daily_rows[missed[-1]].at == outage[1]
    # The late summary covers everything since the last one sent before the outage.
    assert daily_rows[missed[-1]].covers_from == fire_time(schedules["daily-wita"], "D2026-11-03")

    weekly_rows = store.of("weekly-wib")
    assert weekly_rows["W2026-46"].status == "skipped"
    assert weekly_rows["W2026-47"] == Row(
        "sent", outage[1], late=True, covers_from=fire_time(schedules["weekly-wib"], "W2026-45")
    )
    assert store.of("monthly-wit") == {
        "M2026-11": Row("sent", utc(2026, 11, 29, 22, 0), covers_from=start)
    }
    sent = [row for row in store.rows.values() if row.status == "sent"]
    assert sum(row.at == outage[1] for row in sent) == 2  # no flood after the outage
