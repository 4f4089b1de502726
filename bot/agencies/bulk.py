"""Many clients at once: a pasted list or a CSV read into names, checked, then written together.

All or nothing: every bad line is reported with its number and reason and nothing is written,
so staff fix the list and send it again instead of untangling which half went in. A name the
agency already has is refused too (sending the same list twice would otherwise give every
client two records and two links).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from bot.agencies import service as agencies
from models.agencies import Client, InviteLink
from models.base import utcnow

MAX_BATCH = 500  # clients per message or file: a few link messages, one transaction
SHOWN = 40  # characters of a bad line quoted back so staff can find it

# "1. Warung", "2) Toko", "(3) Kopi", "- Sambal", "• Bakso": the marker goes, the name stays.
# A number only counts as a marker before a non-digit, so "2.0 Digital" keeps its name.
_MARKER = re.compile(r"^(?:\(?\d{1,3}\s*[.)]\s*(?!\d)|[-–—•*·▪◦●○►✓✔]+\s*)")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Header cells that name the client column, after lower-casing and "_"/"-" to spaces.
NAME_HEADERS = (
    "nama",
    "name",
    "nama klien",
    "nama usaha",
    "nama bisnis",
    "nama toko",
    "klien",
    "client",
    "client name",
    "business name",
)
_DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class Entry:
    line: int  # where it was in the message or file, counted from 1
    name: str  # cleaned: marker and extra spaces gone


@dataclass(frozen=True)
class Problem:
    """A bad line: `code` picks the Indonesian reason; `other` is the earlier line of a twin."""

    line: int
    text: str
    code: str  # empty | too_long | no_letters | title | duplicate | exists
    length: int = 0
    other: int = 0


@dataclass
class Batch:
    """What a list or file said; `refusal` is set when the whole input is unusable."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refusal: str | None = None  # empty | too_many | no_name_column | not_text
    count: int = 0  # non-blank lines or rows
    columns: tuple[str, ...] = ()  # the header seen, when no name column was found

    @property
    def ok(self) -> bool:
        return self.refusal is None and not self.problems


def key(name: str) -> str:
    """Two names are the same client when they differ only in case and spacing."""
    return " ".join(name.split()).casefold()


def clean(raw: str) -> str:
    return " ".join(raw.translate(_INVISIBLE).split())


def from_text(text: str) -> Batch:
    """One client per line; numbers and bullets in front are dropped, blank lines skipped."""
    raw: list[tuple[int, str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = clean(line)
        if line:
            raw.append((number, line, clean(_MARKER.sub("", line, count=1))))
    return _check(raw)


def from_csv(data: bytes) -> Batch:
    """A CSV with a `nama` (or `name`) column; `;`, `,` or tab; UTF-8 (BOM or not) or Excel's
    Windows encoding. Other columns are ignored."""
    if b"\x00" in data or data.startswith(b"PK\x03\x04"):  # UTF-16, or an .xlsx renamed
        return Batch(refusal="not_text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # "CSV (Comma delimited)" from Excel on Windows
        except UnicodeDecodeError:
            return Batch(refusal="not_text")
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return Batch(refusal="empty")
    header, skip = lines[first], first + 1
    forced = re.fullmatch(r"\s*\"?sep=(.)\"?\s*", header)  # Excel's "sep=;" hint line
    if forced is not None:
        if skip >= len(lines):
            return Batch(refusal="empty")
        header, skip = lines[skip], skip + 1
    delimiter, column, cells = _name_column(header, forced[1] if forced else None)
    if column is None:
        return Batch(refusal="no_name_column", columns=tuple(c for c in cells if c)[:6])
    reader = csv.reader(io.StringIO("\n".join(lines[skip:])), delimiter=delimiter)
    raw: list[tuple[int, str, str]] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            number = skip + reader.line_num
            name = clean(row[column]) if column < len(row) else ""
            raw.append((number, name or clean(delimiter.join(row)), name))
    except csv.Error:
        return Batch(refusal="not_text")
    return _check(raw)


def _name_column(header: str, forced: str | None) -> tuple[str, int | None, list[str]]:
    """The delimiter and index of the client-name column (most frequent delimiter first)."""
    candidates = (forced,) if forced else sorted(_DELIMITERS, key=lambda d: -header.count(d))
    first_cells: list[str] = []
    for delimiter in candidates:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        first_cells = first_cells or cells
        names = [" ".join(c.replace("_", " ").replace("-", " ").split()).casefold() for c in cells]
        for wanted in NAME_HEADERS:
            if wanted in names:
                return delimiter, names.index(wanted), cells
    return candidates[0], None, [clean(c) for c in first_cells]


def _check(raw: list[tuple[int, str, str]]) -> Batch:
    """(line number, line as sent, name) into entries, or every problem with its reason."""
    batch = Batch(count=len(raw))
    if not raw:
        batch.refusal = "empty"
        return batch
    if len(raw) > MAX_BATCH:
        batch.refusal = "too_many"
        return batch
    seen: dict[str, int] = {}
    for number, line, name in raw:
        shown = line if len(line) <= SHOWN else line[: SHOWN - 1] + "…"
        problem = _problem(name)
        if problem is None and key(name) in seen:
            batch.problems.append(Problem(number, shown, "duplicate", other=seen[key(name)]))
        elif problem is not None:
            batch.problems.append(Problem(number, shown, problem, length=len(name)))
        else:
            seen[key(name)] = number
            batch.entries.append(Entry(number, name))
    return batch


def _problem(name: str) -> str | None:
    if not name:
        return "empty"
    if len(name) > agencies.MAX_NAME:
        return "too_long"
    if not any(ch.isalnum() for ch in name):
        return "no_letters"
    if name.endswith(":"):  # "Daftar klien:" above the list
        return "title"
    return None


def refuse_existing(session: Session, agency_id: int, batch: Batch) -> Batch:
    """Mark names the agency already has as problems (the batch then writes nothing)."""
    existing = {
        key(name)
        for name in session.exec(
            select(col(Client.business_name)).where(col(Client.agency_id) == agency_id)
        )
    }
    clashes = [e for e in batch.entries if key(e.name) in existing]
    if clashes:
        batch.problems += [
            Problem(e.line, e.name if len(e.name) <= SHOWN else e.name[: SHOWN - 1] + "…", "exists")
            for e in clashes
        ]
        batch.problems.sort(key=lambda p: p.line)
    return batch


@dataclass(frozen=True)
class Added:
    client: Client
    link: InviteLink


def add_clients(
    session: Session,
    *,
    user_id: int,
    agency_id: int,
    batch: Batch,
    now: datetime | None = None,
) -> list[Added]:
    """Every client of a checked batch with its join link, in the order given (staff only)."""
    agencies.require_staff(session, user_id=user_id, agency_id=agency_id)
    if not refuse_existing(session, agency_id, batch).ok:
        raise agencies.AgencyError("batch_refused")
    now = now or utcnow()
    clients = [Client(agency_id=agency_id, business_name=e.name) for e in batch.entries]
    session.add_all(clients)
    session.flush()
    links = [
        agencies.new_link(
            agency_id=agency_id, kind="client", client_id=c.id, created_by=user_id, now=now
        )
        for c in clients
    ]
    session.add_all(links)
    session.flush()
    return [Added(c, link) for c, link in zip(clients, links, strict=True)]


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def links_csv(rows: list[tuple[str, str]]) -> bytes:
    """`nama;link` with a BOM: opens in a spreadsheet set to Indonesian as two columns.

    A name that a spreadsheet would read as a formula gets a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(("nama", "link"))
    for name, url in rows:
        writer.writerow((f"'{name}" if name.startswith(_FORMULA) else name, url))
    return out.getvalue().encode("utf-8-sig")
