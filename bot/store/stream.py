"""Reading an influencer CSV as a stream: rows in batches, every problem with its line.

The file is never held whole (a million rows is ~100 MB of text and would be several times
that as Python objects): lines are decoded as they are read, each row is validated on its
own (fast paths first, the contract's full parser for anything unusual), and valid rows
leave in batches for the writer. Duplicate keys are remembered as a compact key -> line map.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from bot.store import fast
from bot.store.importer import (
    _MAX_TEXT,
    _PLATFORMS,
    REQUIRED,
    InfluencerRow,
    ParsedFile,
    Reasons,
    RowError,
    _parse_row,
    canonical_place,
    parse_niche,
    sniff_delimiter,
)

BATCH = 2000
_READ = 1 << 20  # bytes decoded at a time
_OPTIONAL = ("city", "province", "engagement_rate", "avg_views", "audience_quality", "contact")
_HANDLE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


class NotText(ValueError):
    """The bytes are not UTF-8 text (or hold NUL characters)."""


@dataclass
class Outcome:
    """What a pass over the file found; rows themselves went to the writer in batches."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)


def parse_influencer_csv(data: bytes) -> ParsedFile:
    """Validate a whole small file in memory (tests, the sample store): rows and errors."""
    parsed = ParsedFile()
    outcome = read_influencers(io.BytesIO(data), parsed.rows.extend)
    parsed.errors = outcome.errors
    if parsed.errors:
        parsed.rows = []
    return parsed


def text_lines(source: BinaryIO) -> Iterator[str]:
    """Decoded lines (ends kept), UTF-8 with or without BOM; NotText on anything else."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    offset = 0
    pending = ""
    while True:
        chunk = source.read(_READ)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise NotText(f"the file is not UTF-8 text (byte {offset + exc.start})") from exc
        if "\x00" in text:
            raise NotText("the file is not UTF-8 text (it contains NUL characters)")
        offset += len(chunk)
        text = pending + text
        lines = text.splitlines(keepends=True)
        pending = lines.pop() if lines and chunk and not lines[-1].endswith("\n") else ""
        yield from lines
        if not chunk:
            if pending:
                yield pending
            return


def read_influencers(
    source: BinaryIO,
    sink: Callable[[list[InfluencerRow]], None],
    *,
    batch: int = BATCH,
) -> Outcome:
    """Validate the whole file, handing valid rows to `sink` in batches.

    Once a problem is found no further rows are handed over (the import will not happen),
    but the file is still read to the end so every bad line is reported.
    """
    outcome = Outcome()
    try:
        _read(text_lines(source), sink, batch, outcome)
    except NotText as exc:
        outcome.errors[:0] = [RowError(0, str(exc), (("not_utf8", ""),))]
    except csv.Error as exc:  # pragma: no cover - csv raises only on unterminated quotes
        outcome.errors.append(RowError(0, f"broken CSV: {exc}", (("broken", ""),)))
    outcome.errors.sort(key=lambda error: error.line)
    return outcome


def _read(
    lines: Iterator[str], sink: Callable[[list[InfluencerRow]], None], size: int, out: Outcome
) -> None:
    first = next(lines, None)
    if first is None or (not first.strip() and not _has_more(lines)):
        out.errors.append(RowError(0, "the file is empty", (("empty", ""),)))
        return
    delimiter = sniff_delimiter(first)
    reader = csv.reader(_chain(first, lines), delimiter=delimiter)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except (csv.Error, StopIteration) as exc:
        out.errors.append(RowError(1, f"unreadable header: {exc}", (("broken", ""),)))
        return
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        names = ", ".join(missing)
        out.errors.append(
            RowError(1, f"missing required column(s): {names}", (("missing_columns", names),))
        )
        return
    index = {name: header.index(name) for name in header if name}
    _rows(reader, index, sink, size, out)


def _rows(
    reader: Any,  # a csv reader (its type is private)
    index: dict[str, int],
    sink: Callable[[list[InfluencerRow]], None],
    size: int,
    out: Outcome,
) -> None:
    row_of = _fast_row(index)
    seen: dict[str, int] = {}
    pending: list[InfluencerRow] = []
    lines_read = 0
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            lines_read += 1
            row = row_of(line, cells)
            reasons: Reasons | None = None
            if row is None:
                named = {n: (cells[i].strip() if i < len(cells) else "") for n, i in index.items()}
                row, reasons = _parse_row(line, named)
            if row is not None:
                reasons = _duplicate(seen, row, reasons)
            if reasons:
                out.errors.append(RowError(line, "; ".join(reasons), tuple(reasons.problems)))
                pending.clear()
            elif row is not None:
                out.rows += 1
                if not out.errors:
                    pending.append(row)
                if len(pending) >= size:
                    sink(pending)
                    pending = []
    except csv.Error as exc:
        out.errors.append(RowError(reader.line_num, f"broken CSV: {exc}", (("broken", ""),)))
    if pending and not out.errors:
        sink(pending)
    if not lines_read and not out.errors:
        out.errors.append(RowError(0, "the file has a header but no rows"))


def _duplicate(seen: dict[str, int], row: InfluencerRow, reasons: Reasons | None) -> Reasons | None:
    """The row's reasons, with "duplicate of line N" when its key came before."""
    first_line = seen.setdefault(f"{row.platform} {row.handle}", row.line)
    if first_line == row.line:
        return reasons
    reasons = reasons if reasons is not None else Reasons()
    reasons.add(
        "duplicate",
        str(first_line),
        f"duplicate of line {first_line} ({row.platform} @{row.handle})",
    )
    return reasons


_BAD: Any = object()  # an optional field the fast path cannot read


def _optional(cells: list[str], at: int, parse: Callable[[str], Any]) -> Any:
    """None when absent or empty, the value when read, _BAD when not in a fast form."""
    raw = cells[at].strip() if at >= 0 else ""
    if not raw:
        return None
    value = parse(raw)
    return _BAD if value is None else value


def _has_more(lines: Iterator[str]) -> bool:
    return any(line.strip() for line in lines)


def _chain(first: str, rest: Iterable[str]) -> Iterator[str]:
    yield first
    yield from rest


def _fast_row(index: dict[str, int]) -> Callable[[int, list[str]], InfluencerRow | None]:
    """The row when every field is in a common form; None sends it to the full parser."""
    i_platform, i_handle, i_name = index["platform"], index["handle"], index["name"]
    i_niches, i_followers, i_price = index["niches"], index["followers"], index["price_idr"]
    i_city, i_province, i_er, i_views, i_quality, i_contact = (
        index.get(name, -1) for name in _OPTIONAL
    )
    width = max(index.values()) + 1
    niche_cache: dict[str, tuple[str, ...] | None] = {}

    def niches_of(raw: str) -> tuple[str, ...] | None:
        parts = [part.strip() for part in raw.split("|") if part.strip()]
        found = [parse_niche(part) for part in parts]
        if not found or None in found:
            return None
        return tuple(dict.fromkeys(n for n in found if n is not None))

    def row(line: int, cells: list[str]) -> InfluencerRow | None:
        if len(cells) < width:
            return None
        platform = _PLATFORMS.get(cells[i_platform].strip().lower())
        handle = cells[i_handle].strip().lower()
        if platform is None or not handle or len(handle) > 64:
            return None
        if handle[0] == "@":
            handle = handle.lstrip("@").strip()
        if not handle or not _HANDLE_CHARS.issuperset(handle):
            return None
        name = " ".join(cells[i_name].split())
        if not name or len(name) > _MAX_TEXT:
            return None
        raw_niches = cells[i_niches]
        niches = niche_cache.get(raw_niches)
        if niches is None:
            if raw_niches in niche_cache or len(niche_cache) > 4096:
                return None
            niches = niche_cache[raw_niches] = niches_of(raw_niches)
            if niches is None:
                return None
        followers = fast.fast_count(cells[i_followers].strip())
        price = fast.fast_amount(cells[i_price].strip())
        if not followers or price is None:
            return None
        engagement_rate = _optional(cells, i_er, fast.fast_percent)
        avg_views = _optional(cells, i_views, fast.fast_count)
        quality = _optional(cells, i_quality, fast.fast_quality)
        if _BAD in (engagement_rate, avg_views, quality):
            return None
        contact = cells[i_contact].strip() if i_contact >= 0 else ""
        if len(contact) > _MAX_TEXT:
            return None
        city, province = canonical_place(
            (cells[i_city].strip() if i_city >= 0 else "") or None,
            (cells[i_province].strip() if i_province >= 0 else "") or None,
        )
        return InfluencerRow(
            line,
            platform.value,
            handle,
            name,
            niches,
            city,
            province,
            followers,
            engagement_rate,
            avg_views,
            price,
            quality,
            contact or None,
        )

    return row
