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

import numpy as np

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

#: rows per batch: each batch is one write transaction, so other writers (an owner's
#: /start) wait for at most one: ~1,000 rows keep that wait well under 100 ms
BATCH = 1000
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
    keys = KeyLog()
    pending: list[InfluencerRow] = []
    fresh_errors: dict[int, int] = {}  # line -> index in out.errors, since the last flush
    batch: dict[int, InfluencerRow] = {}  # valid rows since the last flush
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
                first = keys.add(hash((row.platform, row.handle)), line)
                if first != line:
                    reasons = _add_duplicate(reasons or Reasons(), first, row)
            if reasons:
                fresh_errors[line] = len(out.errors)
                out.errors.append(RowError(line, "; ".join(reasons), tuple(reasons.problems)))
                pending.clear()
            elif row is not None:
                out.rows += 1
                batch[line] = row
                if not out.errors:
                    pending.append(row)
            if keys.recent_count >= size:
                pending = _flush(keys, pending, batch, fresh_errors, sink, out)
    except csv.Error as exc:
        out.errors.append(RowError(reader.line_num, f"broken CSV: {exc}", (("broken", ""),)))
    _flush(keys, pending, batch, fresh_errors, sink, out)
    if not lines_read and not out.errors:
        out.errors.append(RowError(0, "the file has a header but no rows"))


def _flush(
    keys: KeyLog,
    pending: list[InfluencerRow],
    batch: dict[int, InfluencerRow],
    fresh_errors: dict[int, int],
    sink: Callable[[list[InfluencerRow]], None],
    out: Outcome,
) -> list[InfluencerRow]:
    """Duplicates of keys from earlier batches become errors; then the batch goes out."""
    repeated = dict(keys.flush())
    if repeated:
        for line, first in sorted(repeated.items()):
            row = batch.get(line)
            if line in fresh_errors:  # already bad: one entry per line, all its reasons
                old = out.errors[fresh_errors[line]]
                out.errors[fresh_errors[line]] = RowError(
                    line,
                    f"{old.reason}; duplicate of line {first}",
                    (*old.problems, ("duplicate", str(first))),
                )
            elif row is not None:
                reasons = _add_duplicate(Reasons(), first, row)
                out.errors.append(RowError(line, "; ".join(reasons), tuple(reasons.problems)))
                out.rows -= 1
        pending = [row for row in pending if row.line not in repeated]
    fresh_errors.clear()
    batch.clear()
    if pending and not out.errors:
        sink(pending)
    return []


def _add_duplicate(reasons: Reasons, first: int, row: InfluencerRow) -> Reasons:
    reasons.add(
        "duplicate", str(first), f"duplicate of line {first} ({row.platform} @{row.handle})"
    )
    return reasons


class KeyLog:
    """The keys read so far and the line each first came on, in 12 bytes a key.

    A million (platform, handle) keys as Python strings in a dict take ~140 MB; here the
    current batch's keys sit in a small dict and earlier ones in sorted numpy runs of
    64-bit hashes (merged as they grow, so lookups stay a few binary searches). Two
    different keys share a hash with a chance of about 3 in 100 million per million-row
    file; that would be reported as a duplicate the owner can see is not one.
    """

    def __init__(self) -> None:
        self.recent: dict[int, int] = {}
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted hashes, their lines)

    @property
    def recent_count(self) -> int:
        return len(self.recent)

    def add(self, key: int, line: int) -> int:
        """The line the key first came on, as far as this batch knows (earlier batches
        are checked by `flush`)."""
        return self.recent.setdefault(key, line)

    def flush(self) -> list[tuple[int, int]]:
        """(line, first line) of this batch's keys that earlier batches had; then the
        batch's keys join the runs."""
        if not self.recent:
            return []
        hashes = np.fromiter(self.recent.keys(), np.int64, len(self.recent))
        lines = np.fromiter(self.recent.values(), np.int32, len(self.recent))
        self.recent = {}
        known = np.zeros(len(hashes), dtype=bool)
        found: list[tuple[int, int]] = []
        for run_hashes, run_lines in self.runs:
            at = np.minimum(np.searchsorted(run_hashes, hashes), len(run_hashes) - 1)
            hit = run_hashes[at] == hashes
            for i in np.nonzero(hit & ~known)[0]:
                found.append((int(lines[i]), int(run_lines[at[i]])))
            known |= hit
        order = np.argsort(hashes[~known], kind="stable")
        self.runs.append((hashes[~known][order], lines[~known][order]))
        # Merge like a binary counter (equal sizes): each key is re-sorted about
        # log2(rows / batch) times and there are never more than that many runs.
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= len(self.runs[-1][0]):
            (h1, l1), (h2, l2) = self.runs.pop(), self.runs.pop()
            merged_h, merged_l = np.concatenate((h2, h1)), np.concatenate((l2, l1))
            order = np.argsort(merged_h, kind="stable")
            self.runs.append((merged_h[order], merged_l[order]))
        return found


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
