"""What the chart shows, worked out before anything is drawn: values, scales, ticks, labels.

No Matplotlib or Pillow here: cleaned series, 0-based scales with nice steps shared by
both value axes, time ticks on the owner's midnights, and the Indonesian number and date
labels (cached: the same few recur in almost every chart).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from babel.dates import format_date

from bot.chat.formatting import LOCALE, compact, rupiah

Y_INTERVALS = 4  # both value scales get 4 equal steps so they share the gridlines.
_MAX_X_TICKS = 4  # "29 Nov" is ~60 px at 16 px; four leave clear gaps
_DAY_STEPS = (1, 2, 3, 4, 5, 7, 10, 14, 21, 30, 45, 61, 91, 122, 182, 365, 730, 1461)
_EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class ChartPoint:
    """One snapshot of the campaign; `at` must be timezone-aware, None means not measured."""

    at: datetime
    reach_or_views: float | None
    engagements: float | None


@dataclass(frozen=True)
class ChartLabels:
    """Every word drawn on the chart, supplied by the caller (Indonesian UI texts)."""

    title: str
    trend_title: str
    reach_label: str
    engagements_label: str
    cpe_title: str
    micro_label: str
    macro_label: str
    unknown: str
    no_data: str


@lru_cache(maxsize=4096)
def compact_label(value: float) -> str:
    return compact(value)


@lru_cache(maxsize=4096)
def money_label(value: float) -> str:
    return rupiah(value)


@lru_cache(maxsize=4096)
def _day_label(day: datetime) -> str:
    """Day as "27 Nov"; cached because Babel is slow and the same days recur across charts."""
    return format_date(day, "d MMM", locale=LOCALE)


@lru_cache(maxsize=512)
def _month_label(day: datetime) -> str:
    """Month as "Nov 2026", for campaigns longer than most of a year."""
    return format_date(day, "MMM y", locale=LOCALE)


def clean(value: float | None) -> float:
    """None, NaN and infinities become NaN (a gap); negatives are clipped to 0 (counts)."""
    if value is None:
        return math.nan
    value = float(value)
    return max(value, 0.0) if math.isfinite(value) else math.nan


def _nice_step(raw: float) -> float:
    """Smallest 1/2/2.5/5 x 10^k step >= raw, never below 1 (counts are whole numbers)."""
    if raw <= 1:
        return 1.0
    exponent = math.floor(math.log10(raw))
    base = 10.0**exponent
    for mult in (1, 2, 5) if exponent == 0 else (1, 2, 2.5, 5):
        if mult * base >= raw * (1 - 1e-9):
            return mult * base
    return 10 * base


def value_top(values: list[float]) -> float | None:
    """Top of a 0-based scale with Y_INTERVALS nice steps, or None when there is no data."""
    finite = [v for v in values if not math.isnan(v)]
    if not finite:
        return None
    return _nice_step(max(finite) * 1.04 / Y_INTERVALS) * Y_INTERVALS


def to_days(local: datetime) -> float:
    """Local wall-clock time as float days, so ticks fall on the owner's midnights."""
    return (local.replace(tzinfo=None) - _EPOCH) / timedelta(days=1)


def _moment(days: float) -> datetime:
    """Back from float days to a local wall-clock datetime (half a second absorbs float error)."""
    return _EPOCH + timedelta(days=days, seconds=0.5)


def _clock(moment: datetime) -> str:
    return f"{moment.hour:02d}.{moment.minute:02d}"


Ticks = list[tuple[float, tuple[str, ...]]]  # position in days, label lines


def time_ticks(first: float, last: float) -> Ticks:
    """At most _MAX_X_TICKS ticks on local midnights, or on round hours below two days."""
    span = last - first
    if span <= 0:
        return [(first, (_day_label(_moment(first)),))]
    if span >= 2:
        return _day_ticks(first, last, span)
    return _hour_ticks(first, last)


def _day_ticks(first: float, last: float, span: float) -> Ticks:
    start = math.ceil(first - 1e-9)
    step = next((s for s in _DAY_STEPS if (last - start) // s + 1 <= _MAX_X_TICKS), _DAY_STEPS[-1])
    label = _day_label if span < 300 else _month_label  # "27 Nov" would repeat yearly
    count = int((last - start) // step) + 1
    return [(t, (label(_moment(t)),)) for t in (float(start + i * step) for i in range(count))]


def _hour_ticks(first: float, last: float) -> Ticks:
    for hours in (1, 2, 3, 4, 6, 8, 12, 24):
        step = hours / 24
        start = math.ceil(first / step - 1e-9) * step
        count = math.floor((last - start) / step + 1e-9) + 1
        if count <= _MAX_X_TICKS:
            break
    result: Ticks = []
    previous_day = None
    for tick in (start + i * step for i in range(count)):
        moment = _moment(tick)
        # The date goes under the first tick and under each midnight crossing.
        same_day = moment.date() == previous_day
        result.append(
            (tick, (_clock(moment),) if same_day else (_clock(moment), _day_label(moment)))
        )
        previous_day = moment.date()
    if not result:  # a span of minutes holds no round hour: label the first point itself
        result.append((first, (_clock(_moment(first)), _day_label(_moment(first)))))
    return result


def isolated(values: list[float]) -> list[int]:
    """Indices of points with no drawn neighbour (single points, islands between gaps)."""
    last = len(values) - 1
    return [
        i
        for i, v in enumerate(values)
        if not math.isnan(v)
        and (i == 0 or math.isnan(values[i - 1]))
        and (i == last or math.isnan(values[i + 1]))
    ]
