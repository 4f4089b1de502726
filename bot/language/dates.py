"""Dates as Indonesians type them: 1/12, 01-12-2026, 1 Des 2026, 2026-12-01, "hari ini", "besok"."""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    "jan": 1, "januari": 1, "january": 1,
    "feb": 2, "februari": 2, "pebruari": 2, "february": 2,
    "mar": 3, "maret": 3, "march": 3,
    "apr": 4, "april": 4,
    "mei": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7,
    "agu": 8, "agt": 8, "ags": 8, "agustus": 8, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "nopember": 11, "november": 11,
    "des": 12, "desember": 12, "dec": 12, "december": 12,
}  # fmt: skip
_RELATIVE = {"hari ini": 0, "sekarang": 0, "today": 0, "besok": 1, "lusa": 2, "tomorrow": 1}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?$")
_RANGE_SPLIT = re.compile(
    r"\s*(?:\bs\.?\s*/\s*d\.?|\bsampai(?:\s+dengan)?\b|\bhingga\b|\bto\b|–|—|\s-\s)\s*"
)
_DURATION = re.compile(r"^(\d{1,3})\s*(hari|minggu|pekan|bulan|days?|weeks?|months?)$")


def parse_date(text: str, *, today: date) -> date | None:
    """One date; without a year, the next such date from today (a campaign lies ahead)."""
    text = " ".join(text.strip().lower().replace(",", " ").split())
    if text in _RELATIVE:
        return today + timedelta(days=_RELATIVE[text])
    try:
        if match := _ISO.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.match(text):
            return _with_year(int(match[1]), int(match[2]), match[3], today)
        if match := _WORDS.match(text):
            month = MONTHS.get(match[2])
            return None if month is None else _with_year(int(match[1]), month, match[3], today)
    except ValueError:
        return None
    return None


def _with_year(day: int, month: int, year: str | None, today: date) -> date:
    if year is not None:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return date(full, month, day)
    candidate = date(today.year, month, day)
    if candidate < today - timedelta(days=60):  # "5/1" typed in December means next January
        candidate = date(today.year + 1, month, day)
    return candidate


def parse_date_range(text: str, *, today: date) -> tuple[date, date] | None:
    """ "1/12 - 31/12", "1 Des sampai 31 Des 2026", "hari ini s/d 30/12", "30 hari" (from today)."""
    cleaned = " ".join(text.strip().lower().split())
    if match := _DURATION.match(cleaned):
        count = int(match[1])
        unit = match[2]
        days = count * (
            30
            if unit.startswith(("bulan", "month"))
            else 7
            if unit.startswith(("minggu", "pekan", "week"))
            else 1
        )
        return (today, today + timedelta(days=max(days - 1, 0))) if days else None
    parts = _RANGE_SPLIT.split(cleaned)
    if len(parts) != 2:
        return None
    start = parse_date(parts[0], today=today)
    end_text = parts[1]
    end = parse_date(end_text, today=today)
    if start is None or end is None:
        return None
    if re.fullmatch(r"\d{1,2}\s+[a-z]+\.?", parts[0]) and re.search(r"\d{4}$", end_text):
        start = start.replace(year=end.year) if start.replace(year=end.year) <= end else start
    return start, end
