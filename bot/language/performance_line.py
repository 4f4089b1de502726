"""Reading one chat line of post performance.

Owners type what their app shows, in the order it shows it, in Indonesian or English:
`@handle reach 12000 like 800 komen 45 share 30 simpan 12 klik 90 order 7 omzet 1,2jt`,
`@kopi.senja 12rb views, 800 likes`, `https://www.tiktok.com/@rina/video/1 ditonton 1,2jt`.
This module turns such a line into Figures or says precisely what it could not read, so
the chat can answer with the word or number at fault. Plain Python, no Telegram.

Pairing rule: after filler words are dropped, the line must be a run of (word, number)
or (number, word) pairs, each pair adjacent. The split into pairs is then unique
("reach 12rb 800 like" is reach=12rb and like=800), so nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal, NamedTuple

from bot.language.money import parse_amount, parse_count
from bot.language.post_urls import POST_HOSTS, handle_from_url, post_key_of
from bot.reports.kpi.figures import Figures

LINE_ERROR_CODES: tuple[str, ...] = (
    "empty",
    "no_handle",
    "no_figures",
    "unknown_word",
    "bad_number",
    "duplicate_field",
    "negative",
    "missing_number",
    "missing_word",
)


@dataclass(frozen=True)
class PerformanceLine:
    """An understood line: whose post, which figures, and the post's URL if given."""

    handle: str  # without "@", lower case
    figures: Figures
    post_url: str | None = None

    @property
    def post_key(self) -> str:
        """The key that tells this member's posts apart (see post_key_of)."""
        return post_key_of(self.post_url)


@dataclass(frozen=True)
class LineError:
    """Why a line was not understood; `detail` names the culprit for the reply.

    code -> detail:
      empty: ""; no_handle: the post URL when one was given (so the caller can look the
      post up), else ""; no_figures: ""; unknown_word: the word as written;
      bad_number: the number as written; duplicate_field: the field name ("likes",
      "handle", "post_url"); negative: the field name; missing_number: the figure word
      that has no number; missing_word: the number that has no figure word.
    """

    code: str
    detail: str = ""


# ======================================================================================
# Vocabulary
# ======================================================================================

_FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "reach": ("reach", "reached", "jangkauan", "jangkau", "menjangkau", "terjangkau"),
    "impressions": (
        "views",
        "view",
        "viewers",
        "tayangan",
        "ditonton",
        "tontonan",
        "impresi",
        "impressions",
        "impression",
        "tayang",
        "plays",
        "play",
        "diputar",
        "penayangan",
    ),
    "likes": ("like", "likes", "suka", "love", "loves", "disukai", "hearts", "heart"),
    "comments": ("komen", "komentar", "comment", "comments", "komenan", "kmn"),
    "shares": ("share", "shares", "bagikan", "dibagikan", "repost", "reposts", "dishare", "sebar"),
    "saves": ("simpan", "save", "saves", "saved", "disimpan", "bookmark", "bookmarks"),
    "clicks": ("klik", "click", "clicks", "tap", "taps", "diklik", "klikan"),
    "conversions": (
        "order",
        "orders",
        "orderan",
        "pesanan",
        "beli",
        "pembelian",
        "checkout",
        "konversi",
        "conversion",
        "conversions",
        "closing",
        "sales",
        "transaksi",
        "terjual",
        "pembeli",
    ),
    "revenue_idr": ("omzet", "omset", "revenue", "pendapatan", "penjualan", "income"),
}
WORD_FIELDS: dict[str, str] = {w: f for f, words in _FIELD_WORDS.items() for w in words}

# Words that carry nothing and may sit anywhere: connectives, platform and content
# names, and units written after a number ("12rb orang", "ditonton 3rb kali").
FILLER_WORDS: frozenset[str] = frozenset(
    (
        "dan",
        "and",
        "n",
        "serta",
        "sama",
        "plus",
        "with",
        "total",
        "totalnya",
        "jumlah",
        "sebanyak",
        "ada",
        "sekitar",
        "post",
        "posting",
        "postingan",
        "konten",
        "content",
        "di",
        "ig",
        "instagram",
        "insta",
        "tiktok",
        "tt",
        "youtube",
        "yt",
        "facebook",
        "fb",
        "reels",
        "reel",
        "video",
        "vidio",
        "story",
        "stories",
        "feed",
        "feeds",
        "shorts",
        "orang",
        "akun",
        "kali",
        "x",
        "pcs",
        "link",
        "bio",
        "update",
        "data",
        "hasil",
        "performa",
        "stats",
        "statistik",
        "insight",
        "insights",
        "rp",
        "idr",
        "rupiah",
    )
)

# "penjualan" is turnover in Rupiah, but "penjualan 7" means seven sales: a bare
# number under this is read as conversions.
_PENJUALAN_MONEY_FROM = 10_000
_MONEY_HINT = re.compile(r"[a-z]", re.IGNORECASE)  # Rp or a scale word (rb, jt) in the number

# ======================================================================================
# Tokens
# ======================================================================================

_SCALES = r"ribu|rbu|rebu|rb|juta|jta|jt|miliar|milyar|k|m|bn|b"
_TOKEN = re.compile(
    rf"""
    (?P<url>(?:https?://|www\.)\S+|(?<![\w.@/]){POST_HOSTS}/\S*)
    |(?<![\w@])@(?P<handle>[a-z0-9_.\-]*[a-z0-9_])
    |(?P<number>
        (?:(?<![a-z])rp\.?\s*)?
        (?P<sign>(?<![\w.,])-(?=\d))?
        \d(?:[\d.,]*\d)?(?:-\d(?:[\d.,]*\d)?)?
        (?:\s?(?:{_SCALES})(?![a-z]))?
        (?:,-)?
    )
    |(?P<word>[^\W\d_]+)
    |(?P<other>\S)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_URL_TRAILING = ".,;:!?)]}>'\""
# Characters that change a number's meaning and so may not be skipped like punctuation.
_MEANINGFUL_SYMBOLS = frozenset("$€£¥%₹₩฿")
# Count suffixes that are ambiguous: "1.2M" is miliar in Indonesian, million on TikTok.
_AMBIGUOUS_COUNT_SCALE = re.compile(r"\d\s?(?:m|b|bn)$", re.IGNORECASE)

Kind = Literal["word", "number"]


class _Item(NamedTuple):
    kind: Kind
    text: str  # as written
    field: str | None = None  # for figure words
    negative: bool = False  # for numbers


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _clean_url(url: str) -> str:
    url = url.rstrip(_URL_TRAILING)
    return url if re.match(r"https?://", url, re.IGNORECASE) else "https://" + url


class _Scan(NamedTuple):
    handles: list[str]
    urls: list[str]
    items: list[_Item]
    unknown: list[str]


def _scan(text: str) -> _Scan:
    """Split a line into handles, URLs, figure words, numbers and unknown words."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text))
    handles: list[str] = []
    urls: list[str] = []
    items: list[_Item] = []
    unknown: list[str] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "url":
            urls.append(_clean_url(match.group("url")))
        elif kind == "handle":
            handles.append(match.group("handle").rstrip(".").lower())
        elif kind == "number":
            items.append(_Item("number", match.group("number"), negative=bool(match.group("sign"))))
        elif kind == "word":
            word = _fold(match.group("word"))
            if word in WORD_FIELDS:
                items.append(_Item("word", match.group("word"), field=WORD_FIELDS[word]))
            elif word not in FILLER_WORDS:
                unknown.append(match.group("word"))
        elif match.group("other") in _MEANINGFUL_SYMBOLS:
            unknown.append(match.group("other"))
    return _Scan(handles, urls, items, unknown)


# ======================================================================================
# Parsing
# ======================================================================================


def _value(field: str, text: str) -> int | None:
    """A number for a field: money for revenue, a count otherwise; None if unreadable."""
    bare = text.strip().removesuffix(",-")
    if re.fullmatch(r"(?:rp\.?\s*)?0+(?:[.,]0+)?", bare, re.IGNORECASE):
        return 0  # "omzet 0", "order 0": known and zero (the money parsers refuse 0)
    if field == "revenue_idr":
        return parse_amount(text)
    if _AMBIGUOUS_COUNT_SCALE.search(bare):
        return None  # write 1,2jt: "M" would be a thousand times off one way or the other
    return parse_count(text)


def _resolve_penjualan(word: _Item, number: _Item) -> str:
    """ "penjualan Rp 1,2jt" is turnover; "penjualan 7" is seven sales."""
    if word.text.lower() != "penjualan" or _MONEY_HINT.search(number.text):
        return word.field or ""
    value = parse_count(number.text)
    if value is not None and value < _PENJUALAN_MONEY_FROM:
        return "conversions"
    return word.field or ""


def _pairs(items: list[_Item]) -> list[tuple[_Item, _Item]] | LineError:
    """Adjacent (word, number) pairs in either order, or what breaks the pattern."""
    pairs: list[tuple[_Item, _Item]] = []
    for i in range(0, len(items), 2):
        first = items[i]
        second = items[i + 1] if i + 1 < len(items) else None
        if second is None or first.kind == second.kind:
            # The split into adjacent pairs is forced, so `first` is the one left alone.
            if first.kind == "word":
                return LineError("missing_number", first.text)
            return LineError("missing_word", first.text.strip())
        word, number = (first, second) if first.kind == "word" else (second, first)
        pairs.append((word, number))
    return pairs


def parse_performance_line(text: str) -> PerformanceLine | LineError:
    """Read `@handle reach 12000 like 800 komen 45 ...` into figures, or the first problem.

    Checks, in this order: empty; no handle (neither @handle nor a post URL that names
    the account); two different handles or URLs (duplicate_field "handle"/"post_url");
    nothing that looks like a figure (no_figures); an unknown word; a word without a
    number or a number without a word; an unreadable number; a negative one; a field
    given twice. Impossible figures (likes over views, ...) are bot.reports.kpi.validate_figures'
    job, because they need the follower count and the post's earlier totals.
    """
    if not text or not text.strip():
        return LineError("empty")
    scan = _scan(text)
    if len(set(scan.urls)) > 1:
        return LineError("duplicate_field", "post_url")
    post_url = scan.urls[0] if scan.urls else None
    handles = list(dict.fromkeys(scan.handles))
    if len(handles) > 1:
        return LineError("duplicate_field", "handle")
    handle = handles[0] if handles else handle_from_url(post_url)
    if not handle:
        return LineError("no_handle", post_url or "")
    if not scan.items:
        return LineError("no_figures")
    if scan.unknown:
        return LineError("unknown_word", scan.unknown[0])
    pairs = _pairs(scan.items)
    if isinstance(pairs, LineError):
        return pairs
    values: dict[str, int] = {}
    for word, number in pairs:
        name = _resolve_penjualan(word, number)
        if number.negative:
            return LineError("negative", name)
        value = _value(name, number.text)
        if value is None:
            return LineError("bad_number", number.text.strip())
        if name in values:
            return LineError("duplicate_field", name)
        values[name] = value
    return PerformanceLine(handle=handle, figures=Figures(**values), post_url=post_url)


_STARTS_WITH_HANDLE = re.compile(r"\s*@[a-z0-9_]", re.IGNORECASE)
_STARTS_WITH_POST_URL = re.compile(rf"\s*(?:https?://)?{POST_HOSTS}/", re.IGNORECASE)


def looks_like_performance_line(text: str) -> bool:
    """Cheap routing check: a line that starts with @handle (or a post URL) and has at
    least one figure word right next to a number (fillers aside).

    True does not promise the line parses: it promises the owner meant one, so a
    parse error deserves a specific answer rather than the advisor's.
    """
    if not text or len(text) > 2000:
        return False
    if not (_STARTS_WITH_HANDLE.match(text) or _STARTS_WITH_POST_URL.match(text)):
        return False
    items = _scan(text).items
    return any(
        a.kind != b.kind and "word" in (a.kind, b.kind)
        for a, b in zip(items, items[1:], strict=False)
    )
