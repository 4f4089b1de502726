"""The influencer CSV contract: one row's validation, its problems, its search entries.

The contract (columns, formats, line numbers) is README "Influencer CSV"; the command line
and documents sent in the chat share it. `bot.store.stream` reads whole files with it and
`bot.store.bulk` writes them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from bot.advisor.engine.estimates import estimate
from bot.advisor.engine.values import RANKING_VERSION, fit_value
from bot.domain import INFLUENCER_CSV_COLUMNS, Candidate, Goal, Platform, strategy_of
from bot.language import money
from bot.language.niches import parse_niche as _parse_niche
from bot.language.places import canonical_place as _canonical_place
from bot.language.text import is_ascii_digits

COLUMNS = INFLUENCER_CSV_COLUMNS
REQUIRED = ("platform", "handle", "name", "niches", "followers", "price_idr")

_PLATFORMS = {
    "instagram": Platform.INSTAGRAM,
    "ig": Platform.INSTAGRAM,
    "tiktok": Platform.TIKTOK,
    "tik tok": Platform.TIKTOK,
    "youtube": Platform.YOUTUBE,
    "yt": Platform.YOUTUBE,
    "facebook": Platform.FACEBOOK,
    "fb": Platform.FACEBOOK,
    "x": Platform.X,
    "twitter": Platform.X,
}
_HANDLE = re.compile(r"^[a-z0-9._-]{1,64}$")
_PLAIN_DECIMAL = re.compile(r"^\d{1,3}(?:\.\d{1,4})?$")


# Big files repeat the same few niche and place spellings, and most figures are plain
# digits: answer those without the full chat-language parsers.
parse_niche = lru_cache(maxsize=4096)(_parse_niche)
canonical_place = lru_cache(maxsize=16384)(_canonical_place)


def parse_count(raw: str) -> int | None:
    return int(raw) if is_ascii_digits(raw) else money.parse_count(raw)


def parse_amount(raw: str) -> int | None:
    if is_ascii_digits(raw):
        return int(raw) or None
    return money.parse_amount(raw)


def parse_percent(raw: str) -> float | None:
    if _PLAIN_DECIMAL.match(raw):
        value = float(raw)
        return value if value <= 100 else None
    return money.parse_percent(raw)


_MAX_TEXT = 200


class InfluencerRow(NamedTuple):
    """A validated row (a named tuple: a million of them are built per big import)."""

    line: int
    platform: str
    handle: str
    name: str
    niches: tuple[str, ...]
    city: str | None
    province: str | None
    followers: int
    engagement_rate: float | None
    avg_views: int | None
    price_idr: int
    audience_quality: int | None
    contact: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.platform, self.handle)


@dataclass(frozen=True)
class RowError:
    line: int  # line in the file, header = 1; 0 for problems with the file as a whole
    reason: str  # English, for the command line
    # Machine-readable problems for chat replies in Indonesian: (code, detail) pairs.
    problems: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


@dataclass
class ParsedFile:
    rows: list[InfluencerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM; anything else is refused rather than guessed.

    NUL characters are refused too: no text file has them (a UTF-16 or binary file does),
    and PostgreSQL cannot store them in a text column.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the file is not UTF-8 text (byte {exc.start})") from exc
    if "\x00" in text:
        raise ValueError(f"the file is not UTF-8 text (NUL at character {text.index(chr(0))})")
    return text


def sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_table(
    data: bytes, required: Sequence[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """Rows keyed by lower-case column name with their file line numbers; shared by every CSV contract."""
    try:
        text = decode(data)
    except ValueError as exc:
        return [], [RowError(0, str(exc), (("not_utf8", ""),))]
    if not text.strip():
        return [], [RowError(0, "the file is empty", (("empty", ""),))]
    first_line = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except (csv.Error, StopIteration) as exc:
        return [], [RowError(1, f"unreadable header: {exc}", (("broken", ""),))]
    missing = [name for name in required if name not in header]
    if missing:
        names = ", ".join(missing)
        return [], [
            RowError(1, f"missing required column(s): {names}", (("missing_columns", names),))
        ]
    index = {name: header.index(name) for name in header if name}
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            rows.append(
                (
                    line,
                    {
                        name: (cells[i].strip() if i < len(cells) else "")
                        for name, i in index.items()
                    },
                )
            )
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, f"broken CSV: {exc}", (("broken", ""),)))
    return rows, errors


class Reasons(list):
    """A row's problems: English text for the command line, (code, detail) for the chat."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[tuple[str, str]] = []

    def add(self, code: str, detail: str, english: str) -> None:
        self.append(english)
        self.problems.append((code, detail))


def _parse_row(line: int, cells: dict[str, str]) -> tuple[InfluencerRow | None, Reasons]:
    reasons = Reasons()
    platform = _PLATFORMS.get(cells.get("platform", "").lower())
    if platform is None:
        reasons.add(
            "platform",
            cells.get("platform", ""),
            f"unknown platform {cells.get('platform', '')!r} (use instagram, tiktok, youtube, facebook or x)",
        )
    handle = cells.get("handle", "").lstrip("@").strip().lower()
    if not handle:
        reasons.add("handle_empty", "", "handle is empty")
    elif not _HANDLE.match(handle):
        reasons.add(
            "handle",
            handle,
            f"handle {handle!r} has characters other than letters, digits, '.', '_' or '-'",
        )
    name = " ".join(cells.get("name", "").split())
    if not name:
        reasons.add("name_empty", "", "name is empty")
    elif len(name) > _MAX_TEXT:
        reasons.add("name_long", str(_MAX_TEXT), f"name is longer than {_MAX_TEXT} characters")
    niches: list[str] = []
    raw_niches = [part.strip() for part in cells.get("niches", "").split("|") if part.strip()]
    if not raw_niches:
        reasons.add("niches_empty", "", "niches is empty")
    for raw in raw_niches:
        niche = parse_niche(raw)
        if niche is None:
            reasons.add("niche", raw, f"unknown niche {raw!r}")
        elif niche not in niches:
            niches.append(niche)
    followers = _required_int(cells, "followers", parse_count, reasons)
    if followers is not None and followers <= 0:
        reasons.add("followers_zero", "", "followers must be above 0")
    price = _required_int(cells, "price_idr", parse_amount, reasons)
    engagement_rate = _optional(
        cells, "engagement_rate", parse_percent, reasons, "a percentage from 0 to 100"
    )
    avg_views = _optional(cells, "avg_views", parse_count, reasons, "a whole number")
    quality = _optional(
        cells, "audience_quality", _parse_quality, reasons, "a whole number from 0 to 100"
    )
    contact = cells.get("contact", "").strip() or None
    if contact and len(contact) > _MAX_TEXT:
        reasons.add(
            "contact_long", str(_MAX_TEXT), f"contact is longer than {_MAX_TEXT} characters"
        )
    city, province = canonical_place(cells.get("city") or None, cells.get("province") or None)
    if reasons or platform is None or followers is None or price is None:
        return None if platform is None or not handle else _partial(line, platform, handle), reasons
    return (
        InfluencerRow(
            line=line,
            platform=platform.value,
            handle=handle,
            name=name,
            niches=tuple(niches),
            city=city,
            province=province,
            followers=followers,
            engagement_rate=engagement_rate,
            avg_views=avg_views,
            price_idr=price,
            audience_quality=quality,
            contact=contact,
        ),
        reasons,
    )


def _partial(line: int, platform: Platform, handle: str) -> InfluencerRow:
    """A row that failed validation but still has a key, so duplicates are reported too."""
    return InfluencerRow(
        line, platform.value, handle, "", (), None, None, 0, None, None, 0, None, None
    )


def _required_int(
    cells: dict[str, str], column: str, parse: Callable[[str], int | None], reasons: Reasons
) -> int | None:
    raw = cells.get(column, "")
    if not raw:
        reasons.add("required_empty", column, f"{column} is empty")
        return None
    value = parse(raw)
    if value is None:
        reasons.add("not_amount", f"{column} {raw}", f"{column} {raw!r} is not an amount")
    return value


def _optional(cells, column, parse, reasons, expected):
    raw = cells.get(column, "")
    if not raw:
        return None
    value = parse(raw)
    if value is None:
        reasons.add("not_valid", f"{column} {raw}", f"{column} {raw!r} is not {expected}")
    return value


def _parse_quality(raw: str) -> int | None:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        return None
    if not 0 <= value <= 100 or value != int(value):
        return None
    return int(value)


def search_entries(row: InfluencerRow) -> list[dict]:
    """The row's entries in the store's search table: one per niche, with ranking figures."""
    return search_entries_of(
        Candidate(
            id=0,
            platform=Platform(row.platform),
            handle=row.handle,
            name=row.name,
            niches=row.niches,
            city=row.city,
            province=row.province,
            followers=row.followers,
            engagement_rate=row.engagement_rate,
            avg_views=row.avg_views,
            price_idr=row.price_idr,
            audience_quality=row.audience_quality,
        )
    )


def search_entries_of(candidate: Candidate) -> list[dict]:
    """A candidate's search entries, ranked by the engine's current value formula."""
    est = estimate(candidate)
    side = strategy_of(candidate.tier).value
    entries = []
    for position, niche in enumerate(candidate.niches):
        primary = position == 0
        entries.append(
            {
                "niche": niche,
                "position": position,
                "side": side,
                "price_idr": candidate.price_idr,
                "city": candidate.city,
                "province": candidate.province,
                "value_awareness": fit_value(Goal.AWARENESS, est, candidate, primary=primary),
                "value_engagement": fit_value(Goal.ENGAGEMENT, est, candidate, primary=primary),
                "value_sales": fit_value(Goal.SALES, est, candidate, primary=primary),
                "ranking_version": RANKING_VERSION,
            }
        )
    return entries
