"""Parsers for how Indonesian owners write in chat.

Owners answer on a phone with one thumb: "budget 5jt", "jualan keripik pedas",
"mau naikin penjualan", "di Jogja aja". These functions turn such text into the shared
domain types (bot.domain) or say precisely why they could not, so the handlers can ask
again with a helpful example. Plain Python with no Telegram imports; every table and
regular expression is built once at import, so a call costs microseconds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, NamedTuple, TypeVar

from bot.domain import NICHES, Goal, Location, Platform
from bot.language.places import normalize, place_keys, resolve_place

# ======================================================================================
# Phrase lookup over folded tokens
# ======================================================================================

_V = TypeVar("_V")


class _Hit(NamedTuple, Generic[_V]):
    start: int  # index of the first token
    end: int  # index after the last token
    key: str  # the folded phrase that matched
    value: _V


class _PhraseIndex(Generic[_V]):
    """Folded phrase -> value, matched longest-first over a token list.

    A dictionary probe per (position, length) is far cheaper than a regex alternation
    of hundreds of phrases, and "longest phrase wins" falls out naturally.
    """

    def __init__(self, phrases: Mapping[str, _V]) -> None:
        self._table: dict[str, _V] = {}
        for phrase, value in phrases.items():
            key = normalize(phrase)
            if key:
                self._table[key] = value
        self._max_words = max((len(k.split()) for k in self._table), default=1)

    def get(self, key: str) -> _V | None:
        """Exact lookup of an already folded phrase."""
        return self._table.get(key)

    def _probe(self, tokens: list[str], start: int, length: int) -> tuple[str, _V] | None:
        key = " ".join(tokens[start : start + length])
        value = self._table.get(key)
        if value is not None:
            return key, value
        last = tokens[start + length - 1]
        # Chat attaches "-nya" freely ("tiktoknya", "bandungnya", "budgetnya").
        if last.endswith("nya") and len(last) > 5:
            key = " ".join([*tokens[start : start + length - 1], last[:-3]])
            value = self._table.get(key)
            if value is not None:
                return key, value
        return None

    def scan(self, tokens: list[str]) -> list[_Hit[_V]]:
        """Non-overlapping matches, left to right, the longest phrase at each position."""
        hits: list[_Hit[_V]] = []
        i, n = 0, len(tokens)
        while i < n:
            for length in range(min(self._max_words, n - i), 0, -1):
                found = self._probe(tokens, i, length)
                if found is not None:
                    hits.append(_Hit(i, i + length, found[0], found[1]))
                    i += length
                    break
            else:
                i += 1
        return hits


def _words(text: str) -> frozenset[str]:
    """A word set written as one whitespace-separated block (long vocabularies)."""
    return frozenset(text.split())


def _tokens(text: str) -> list[str]:
    return normalize(text).split()


def _previous(tokens: list[str], index: int, back: int = 1) -> str:
    """The token `back` places before `index`, or "" at the start."""
    j = index - back
    return tokens[j] if j >= 0 else ""


# ======================================================================================
# Money: budgets, prices, counts
# ======================================================================================

MIN_BUDGET = 10_000  # Rp10.000: below this nobody can be endorsed
MAX_BUDGET = 100_000_000_000  # Rp100 miliar: above this it is surely a typo

BUDGET_ERROR_CODES: tuple[str, ...] = (
    "empty",
    "not_a_number",
    "negative",
    "zero",
    "too_small",
    "too_large",
    "range",
    "foreign_currency",
    "malformed",
)


@dataclass(frozen=True)
class ParsedBudget:
    """Outcome of reading a budget answer.

    Exactly one of the three is set: `amount` (Rupiah) when understood and plausible,
    `ambiguous_juta` when a bare number under 1,000 may mean juta (the amount it would
    be, so the bot can ask "5 juta?"), or `error`, one of BUDGET_ERROR_CODES.
    """

    amount: int | None
    ambiguous_juta: int | None
    error: str | None


_DIGIT_WORDS: dict[str, int] = {
    "nol": 0,
    "kosong": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_SE_NUMBERS: dict[str, int] = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
_NUMBER_SUFFIXES = {"belas", "puluh", "ratus"}

_THOUSAND, _MILLION, _BILLION = 10**3, 10**6, 10**9
# Word scales; "M" is miliar (10^9) everywhere, as Indonesians write it.
_SCALES: dict[str, int] = {
    "ribu": _THOUSAND,
    "rb": _THOUSAND,
    "rbu": _THOUSAND,
    "rebu": _THOUSAND,
    "juta": _MILLION,
    "jt": _MILLION,
    "jta": _MILLION,
    "jeti": _MILLION,
    "million": _MILLION,
    "miliar": _BILLION,
    "milyar": _BILLION,
    "milliar": _BILLION,
    "billion": _BILLION,
    "triliun": 10**12,
    "trilyun": 10**12,
}
# One-letter scales count only right after a number ("500k", "1,2 M").
_SHORT_SCALES: dict[str, int] = {"k": _THOUSAND, "m": _BILLION, "b": _BILLION, "bn": _BILLION}
_SE_SCALES: dict[str, int] = {
    "seribu": _THOUSAND,
    "sejuta": _MILLION,
    "semiliar": _BILLION,
    "semilyar": _BILLION,
}
_CURRENCY = {"rp", "idr", "rupiah"}
_RANGE_WORDS = {"-", "sampai", "sampe", "hingga", "atau", "ato", "/", "~"}

_LONG_SCALE_WORDS = "|".join(sorted({*_SCALES, *_SE_SCALES}, key=len, reverse=True))
_SHORT_SCALE_WORDS = "|".join(sorted(_SHORT_SCALES, key=len, reverse=True))
_MONEY_TOKEN = re.compile(r"rp(?![a-z])|[0-9](?:[0-9.,]*[0-9])?|[a-z]+|[^\sa-z0-9]")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SAMPAI = re.compile(r"\bs\s*[/.]\s*d\b\.?")
_RP_DOT = re.compile(r"\brp\s*\.")
# "5jt-an", "jutaan", "500rb an": about that much. "k-an" only right after a number,
# so the particle "kan" is left alone.
_AN_SUFFIX = re.compile(
    rf"(?<![a-z])({_LONG_SCALE_WORDS})\s*-?\s*an\b"
    rf"|(?<=[0-9])(\s?(?:{_SHORT_SCALE_WORDS}))\s*-?\s*an\b"
)
_DOUBLE_SEPARATOR = re.compile(r"[.,]{2}")
_DASH_MARK = re.compile(r"[,.]\s*-+(?=\s|$)")  # the ",-" of "Rp 5.000.000,-"
_TRAILING_PUNCT = re.compile(r"[\s.!?,;]+$")
_FOREIGN = re.compile(
    r"[$€£¥₩฿₹]|\b(?:usd|dollar|dolar|dollars|sgd|myr|rm|eur|euro|euros|yen|jpy|"
    r"ringgit|aud|peso|won|baht|rupee|rupees|pound|gbp|cny|rmb|yuan)\b"
)
_FILLER = re.compile(
    r"\b(?:budget(?:nya|ku)?|bujet(?:nya|ku)?|budjet(?:nya)?|dana(?:nya)?|modal(?:nya)?|"
    r"anggaran(?:nya)?|biaya(?:nya)?|sekitar|sekitaran|kisaran|kira\s*-?\s*kira|kira2|"
    r"kurang\s+lebih|kurleb|krg\s+lbh|maks(?:imal|imum)?|max(?:imal|imum)?|"
    r"paling\s+banyak|mentok|cuma|cuman|hanya|sebesar|senilai|ada|punya|saya|aku|kami|"
    r"gue|gw|kak|ka|ya|yah|aja|saja|doang|deh|sih|kok|nih|lah|dong|total(?:nya)?|"
    r"untuk|buat|endorse|iklan|promosi|kampanye|campaign|per\s*bulan|sebulan|"
    r"bulan\s+ini|around|approx|kurang\s+lebihnya)\b"
)
_SYMBOLS = re.compile(r"\+\s*/?\s*-|[±≈:=]|^\s*~")


class _Money(NamedTuple):
    value: Decimal  # signed, in Rupiah
    has_scale: bool  # a multiplier word: rb, jt, M, ...
    has_currency: bool  # Rp, IDR or rupiah
    grouped: bool  # written with thousands separators (5.000.000)


def is_ascii_digits(text: str) -> bool:
    """str.isdigit() also accepts digits such as "𐹠" that int() and Decimal() refuse."""
    return text.isascii() and text.isdigit()


def _preclean(text: str) -> str:
    """Lower-case money text and drop the decorations that carry no number."""
    low = unicodedata.normalize("NFKC", text).lower()
    low = _DASHES.sub("-", low)
    low = _SAMPAI.sub(" sampai ", low)
    low = _RP_DOT.sub("rp ", low)
    low = _AN_SUFFIX.sub(lambda m: m.group(1) or m.group(2), low)
    low = _DASH_MARK.sub(" ", low)
    return " ".join(low.split())


def _literal_value(literal: str, before_scale: bool) -> tuple[Decimal, bool] | None:
    """Read a digit group with Indonesian or English separators: (value, grouped).

    Dots group thousands and a comma marks decimals (5.000.000,00; 7,5), but people
    also write 7.5 and 5,000,000: one separator followed by 1-2 digits is a decimal
    point, by exactly 3 digits a thousands separator, except that "1,500 jt" is 1.5 juta.
    None when the separators make no sense ("5..000", "1,2,3", "5.00.000").
    """
    if is_ascii_digits(literal):
        return Decimal(literal), False
    if _DOUBLE_SEPARATOR.search(literal):
        return None
    dots, commas = literal.count("."), literal.count(",")
    if dots and commas:
        decimal_sep = "." if literal.rfind(".") > literal.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        if literal.count(decimal_sep) != 1:
            return None
        whole, fraction = literal.split(decimal_sep)
        if not 1 <= len(fraction) <= 2 or not _is_grouped(whole, group_sep):
            return None
        return Decimal(whole.replace(group_sep, "") + "." + fraction), True
    sep = "." if dots else ","
    parts = literal.split(sep)
    if len(parts) == 2:
        whole, fraction = parts
        if len(fraction) in (1, 2) or (len(fraction) == 3 and sep == "," and before_scale):
            return Decimal(whole + "." + fraction), False
        if len(fraction) == 3 and _is_grouped(literal, sep):
            return Decimal(whole + fraction), True
        if len(fraction) == 3 and whole == "0":
            return Decimal("0." + fraction), False
        return None
    if _is_grouped(literal, sep):
        return Decimal(literal.replace(sep, "")), True
    return None


def _is_grouped(text: str, sep: str) -> bool:
    """True for 1-3 leading digits followed by groups of exactly three ("5.000.000")."""
    parts = text.split(sep)
    head = parts[0]
    return (
        len(parts) >= 2
        and 1 <= len(head) <= 3
        and not head.startswith("0")
        and all(len(p) == 3 for p in parts[1:])
    )


def _is_numeric_word(token: str) -> bool:
    return (
        token in _DIGIT_WORDS
        or token in _SE_NUMBERS
        or token in _SE_SCALES
        or token in ("setengah", "separuh")
    )


def _is_numeric(token: str) -> bool:
    return is_ascii_digits(token[0]) or _is_numeric_word(token)


class _Evaluator:
    """Reads a token list as an Indonesian number: "5", "5,5 jt", "dua setengah juta",
    "seratus lima puluh ribu", "5 juta 500 ribu".

    Groups are `value [scale]` with strictly falling scales; words build a value under
    1,000 the way they are spoken (dua ratus lima puluh), "setengah" adds a half and
    "koma" starts spoken decimals. Anything else is malformed.
    """

    def __init__(self) -> None:
        self.total = Decimal(0)
        self.group = Decimal(0)  # hundreds and tens built so far in this group
        self.pending: Decimal | None = None  # the last unit or literal not yet placed
        self.has_value = False  # whether the current group holds any number
        self.decimals: str | None = None  # digits spoken after "koma"
        self.half = False
        self.last_scale: int | None = None
        self.grouped = False

    def group_value(self) -> Decimal:
        value = self.group + (self.pending or 0)
        if self.decimals:
            value += Decimal("0." + self.decimals)
        return value

    def close_group(self, scale: int) -> bool:
        if self.last_scale is not None and scale >= self.last_scale:
            return False  # "5 jt 3 jt", "500 ribu 2 juta"
        if self.decimals == "":
            return False  # "satu koma juta"
        self.total += self.group_value() * scale
        self.group, self.pending, self.has_value = Decimal(0), None, False
        self.decimals, self.half, self.last_scale = None, False, scale
        return True

    def literal(self, token: str, next_token: str | None) -> bool:
        if self.decimals is not None:
            if not is_ascii_digits(token):
                return False
            self.decimals += token
            return True
        if self.has_value:
            return False  # "5 3", "seratus 5"
        before_scale = next_token in _SCALES or next_token in _SHORT_SCALES
        if self.last_scale is not None and not before_scale:
            return False  # "5 juta 500": 5.000.500 or 5.500.000? Ask instead.
        parsed = _literal_value(token, before_scale)
        if parsed is None:
            return False
        self.pending, grouped = parsed
        self.grouped = self.grouped or grouped
        self.has_value = True
        return True

    def word(self, token: str, previous: str | None) -> bool:
        if token in _DIGIT_WORDS:
            digit = _DIGIT_WORDS[token]
            if self.decimals is not None:
                self.decimals += str(digit)
                return True
            if self.pending is not None or self.half:
                return False
            self.pending, self.has_value = Decimal(digit), True
            return True
        if token in _SE_SCALES or token in _SCALES or token in _SHORT_SCALES:
            return self.scale(token, previous)
        if self.decimals is not None:
            return False  # only digits may follow "koma"
        if token in _SE_NUMBERS:
            if self.pending is not None or self.half or (token == "seratus" and self.group):
                return False
            self.group += _SE_NUMBERS[token]
            self.has_value = True
            return True
        if token in _NUMBER_SUFFIXES:
            pending = self.pending
            if pending is None or self.half or not (1 <= pending <= 9) or pending % 1:
                return False
            if token == "ratus":
                if self.group:
                    return False
                self.group = pending * 100
            elif self.group % 100:
                return False  # "dua puluh tiga puluh"
            elif token == "puluh":
                self.group += pending * 10
            else:  # belas
                self.group += 10 + pending
            self.pending = None
            return True
        if token in ("setengah", "separuh"):
            if self.half:
                return False
            self.pending = (self.pending or 0) + Decimal("0.5")
            self.half = self.has_value = True
            return True
        if token == "koma":
            if self.pending is None or self.half or self.pending % 1:
                return False
            self.decimals = ""
            return True
        return False

    def scale(self, token: str, previous: str | None) -> bool:
        if token in _SE_SCALES:  # "sejuta" is one juta
            if self.has_value:
                return False
            self.pending, self.has_value = Decimal(1), True
            return self.close_group(_SE_SCALES[token])
        scale = _SCALES.get(token)
        if scale is None and previous and is_ascii_digits(previous[0]):
            scale = _SHORT_SCALES[token]  # "500k", "1,2 M" but not a lone "k"
        if scale is None or not self.has_value:
            return False
        return self.close_group(scale)

    def finish(self) -> Decimal | None:
        if self.decimals == "":
            return None
        return self.total + self.group_value()


def _evaluate(tokens: list[str]) -> _Money | None:
    """Value of a cleaned token list, or None when it is not one well-formed amount."""
    toks = list(tokens)
    has_currency = negative = False
    while toks and (toks[0] in _CURRENCY or toks[0] in ("-", "minus")):
        if toks[0] in _CURRENCY:
            has_currency = True
        elif negative:
            return None
        else:
            negative = True
        toks.pop(0)
    while toks and toks[-1] in _CURRENCY:
        has_currency = True
        toks.pop()
    if not toks:
        return None
    reader = _Evaluator()
    for i, token in enumerate(toks):
        previous = toks[i - 1] if i else None
        following = toks[i + 1] if i + 1 < len(toks) else None
        ok = (
            reader.literal(token, following)
            if is_ascii_digits(token[0])
            else reader.word(token, previous)
        )
        if not ok:
            return None
    value = reader.finish()
    if value is None:
        return None
    return _Money(
        value=-value if negative else value,
        has_scale=reader.last_scale is not None,
        has_currency=has_currency,
        grouped=reader.grouped,
    )


def _is_range(tokens: list[str]) -> bool:
    """A connector between two numbers: "3-5jt", "3 sampai 5 juta", "antara 3 dan 5"."""
    connectors = _RANGE_WORDS | ({"dan"} if "antara" in tokens else set())
    numeric_seen = False
    for i, token in enumerate(tokens):
        if _is_numeric(token):
            numeric_seen = True
        elif numeric_seen and token in connectors and any(map(_is_numeric, tokens[i + 1 :])):
            return True
    return False


def _parse_money(text: str) -> _Money | str:
    """The amount a money text states, or a BUDGET_ERROR_CODES code."""
    if not text or not text.strip():
        return "empty"
    if len(text) > 160:
        return "malformed"
    low = _preclean(text)
    if _FOREIGN.search(low):
        return "foreign_currency"
    cleaned = _SYMBOLS.sub(" ", _FILLER.sub(" ", _TRAILING_PUNCT.sub("", low)))
    tokens = _MONEY_TOKEN.findall(cleaned)
    if not any(_is_numeric(t) for t in tokens):
        return "not_a_number"
    if _is_range(tokens):
        return "range"
    tokens = [t for t in tokens if t != "antara"]
    money = _evaluate(tokens)
    if money is not None:
        return money
    # "5 juta buat bulan depan": words around one clear amount. Read that amount.
    if any(t.isalpha() and t != "koma" and not _is_money_word(t, None) for t in tokens):
        spans = [s for s in _money_spans(low) if s.qualifies]
        if len(spans) == 1:
            inner = _FILLER.sub(" ", spans[0].text)
            money = _evaluate(_MONEY_TOKEN.findall(inner))
            if money is not None:
                return money
    return "malformed"


def _to_int(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def parse_budget(text: str) -> ParsedBudget:
    """Read a budget the way owners write it: "5jt", "Rp 5.000.000,-", "lima juta",
    "1,2 M" (miliar), "500rb-an", "budget sekitar 5 juta".

    A bare number under 1,000 ("5", "7,5") is not guessed: it comes back as
    `ambiguous_juta` so the bot can ask whether juta was meant.
    """
    money = _parse_money(text)
    if isinstance(money, str):
        return ParsedBudget(None, None, money)
    if money.value < 0:
        return ParsedBudget(None, None, "negative")
    if money.value == 0:
        return ParsedBudget(None, None, "zero")
    bare = not (money.has_scale or money.has_currency or money.grouped)
    if bare and money.value < 1000:
        return ParsedBudget(None, _to_int(money.value * _MILLION), None)
    amount = _to_int(money.value)
    if amount < MIN_BUDGET:
        return ParsedBudget(None, None, "too_small")
    if amount > MAX_BUDGET:
        return ParsedBudget(None, None, "too_large")
    return ParsedBudget(amount, None, None)


def parse_amount(text: str) -> int | None:
    """A Rupiah amount from a CSV price field: the budget forms, bare numbers literal.

    "750000", "Rp 2.500.000", "500rb", "1,5jt"; None when not understood or <= 0.
    """
    money = _parse_money(text)
    if isinstance(money, str) or money.value <= 0:
        return None
    amount = _to_int(money.value)
    return amount if amount > 0 else None


_COUNT_UNITS = re.compile(
    r"\b(?:followers?|pengikut|subscribers?|subs|subscriber|views?|viewers?|penonton|"
    r"tayangan|likes?|orang|akun)\b"
)


def parse_count(text: str) -> int | None:
    """A follower or view count: "12000", "12.000", "12rb", "12k", "1,2jt".

    As everywhere in the bot, "M" means miliar and "k" thousand. None when not
    understood, negative, fractional without a multiplier ("12,5"), or given in money.
    """
    if not text:
        return None
    money = _parse_money(_COUNT_UNITS.sub(" ", text.lower()))
    if isinstance(money, str) or money.has_currency or money.value < 0:
        return None
    if not money.has_scale and money.value % 1:
        return None
    return _to_int(money.value)


_PERCENT = re.compile(r"^\s*\+?\s*([0-9]+)(?:[.,]([0-9]+))?\s*(?:%|persen|percent)?\s*$")


def parse_percent(text: str) -> float | None:
    """A percentage like "3.2", "3,2", "3,2%" or " 3 % " (as 3.2); None if not 0-100.

    Dot and comma are both decimal marks here: an engagement rate never needs
    thousands separators.
    """
    if not text:
        return None
    match = _PERCENT.match(text.lower())
    if match is None:
        return None
    whole, fraction = match.groups()
    value = float(f"{whole}.{fraction or 0}")
    return value if 0 <= value <= 100 else None


# --- Amounts inside a sentence -----------------------------------------------------

_BUDGET_WORDS = _words(
    """
    budget budgetnya budgetku bujet bujetnya budjet dana dananya modal modalnya anggaran
    anggarannya biaya biayanya
    """
)
# Money that is not the campaign budget: turnover, prices, salaries.
_NOT_BUDGET_WORDS = _words(
    """
    omzet omset omzetnya omsetnya harga harganya gaji pendapatan penghasilan untung laba
    profit revenue hpp tarif ongkir
    """
)
# Words that may sit between a budget word and its amount.
_LOOKBACK_SKIP = _words(
    """
    saya aku kami gue gw kita sekitar sekitaran kisaran kira kira2 kurang lebih maks max
    maksimal cuma cuman hanya ada sebesar senilai untuk buat endorse iklan promosi total
    nya di ya kak itu adalah yaitu sih : = ~ - , ±
    """
)
# A number followed by these counts things, not Rupiah.
_UNIT_WORDS = _words(
    """
    followers follower pengikut subscriber subscribers subs views view viewers penonton
    tayangan likes like orang org pcs produk item botol bungkus pack porsi cabang outlet
    toko akun influencer kali x tahun thn hari minggu jam menit km kg gram gr liter ml
    cm meter persen % unit buah varian jenis karyawan pegawai reseller member anggota
    pelanggan customer pembeli transaksi order pesanan postingan post konten video usd
    dollar dolar $
    """
)
_PER_WORDS = {"per", "/"}
_PERIOD_WORDS = {"bulan", "bln", "minggu", "tahun", "kampanye", "campaign"}
_PER_UNIT_SE = {
    "sebungkus",
    "sebotol",
    "seporsi",
    "sepotong",
    "sebiji",
    "sekotak",
    "sepack",
    "sepcs",
}


def _is_grouped_literal(token: str) -> bool:
    """True for a number written with thousands separators ("5.000.000")."""
    if not is_ascii_digits(token[0]):
        return False
    parsed = _literal_value(token, before_scale=False)
    return parsed is not None and parsed[1]


class _Span(NamedTuple):
    text: str
    start: int  # token index
    after_budget_word: bool
    qualifies: bool  # reads as a budget amount in context


def _is_money_word(token: str, previous: str | None) -> bool:
    """Tokens that can be part of a written amount."""
    return (
        is_ascii_digits(token[0])
        or _is_numeric_word(token)
        or token in _SCALES
        or token in _CURRENCY
        or token in _NUMBER_SUFFIXES
        or (token in _SHORT_SCALES and bool(previous) and is_ascii_digits(previous[0]))
    )


def _budget_context(words: list[str], start: int) -> tuple[bool, bool]:
    """(after a budget word, after a not-budget word) looking back from `start`."""
    k = start - 1
    while k >= 0 and start - k <= 5:
        word = words[k]
        if word in _BUDGET_WORDS:
            return True, False
        if word in _NOT_BUDGET_WORDS:
            return False, True
        if word not in _LOOKBACK_SKIP:
            break
        k -= 1
    return False, False


def _counts_things(words: list[str], end: int) -> bool:
    """Whether the words after a number make it a count or a unit price."""
    following = words[end] if end < len(words) else ""
    if following in _UNIT_WORDS or following in _PER_UNIT_SE:
        return True
    if following in _PER_WORDS:
        unit = words[end + 1] if end + 1 < len(words) else ""
        return unit not in _PERIOD_WORDS
    return False


def _money_spans(low: str) -> list[_Span]:
    """Runs of money tokens in a pre-cleaned sentence, with whether each is a budget.

    A run counts when it has a multiplier (jt, rb, M), an Rp/IDR mark or a grouped
    number, or directly follows a budget word; never "2" in "2 produk" or "3 cabang".
    """
    matches = list(_MONEY_TOKEN.finditer(low))
    words = [m.group() for m in matches]
    spans: list[_Span] = []
    i, n = 0, len(words)
    while i < n:
        if (
            not _is_money_word(words[i], words[i - 1] if i else None)
            or words[i] in _NUMBER_SUFFIXES
        ):
            i += 1
            continue
        j = i + 1
        while j < n:
            if (
                _is_money_word(words[j], words[j - 1])
                or (words[j] in _RANGE_WORDS or words[j] == "koma")
                and j + 1 < n
                and _is_money_word(words[j + 1], words[j])
            ):
                j += 1
            else:
                break
        run = words[i:j]
        after_budget, not_budget = _budget_context(words, i)
        marked = any(
            t in _SCALES or t in _CURRENCY or t in _SE_SCALES or t in _SHORT_SCALES for t in run
        ) or any(_is_grouped_literal(t) for t in run)
        has_number = any(_is_numeric(t) for t in run)
        qualifies = (
            has_number
            and (marked or after_budget)
            and not not_budget
            and not _counts_things(words, j)
        )
        text = low[matches[i].start() : matches[j - 1].end()]
        spans.append(_Span(text, i, after_budget, qualifies))
        i = j
    return spans


def _budget_in_sentence(text: str) -> tuple[int | None, int | None]:
    """(amount, ambiguous_juta) of the budget a sentence states, if any."""
    low = _preclean(text)
    if not any(is_ascii_digits(ch) for ch in low) and not any(
        w in low for w in ("juta", "ribu", "ratus", "miliar", "milyar", "setengah")
    ):
        return None, None
    spans = sorted(
        (s for s in _money_spans(low) if s.qualifies),
        key=lambda s: (not s.after_budget_word, s.start),
    )
    for span in spans:
        parsed = parse_budget(span.text)
        if parsed.amount is not None or parsed.ambiguous_juta is not None:
            return parsed.amount, parsed.ambiguous_juta
    return None, None


# ======================================================================================
# Niches
# ======================================================================================

_NICHE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Kuliner": (
        "kuliner",
        "makanan",
        "minuman",
        "makanan ringan",
        "jajanan",
        "jajan",
        "camilan",
        "cemilan",
        "snack",
        "keripik",
        "kripik",
        "sambal",
        "sambel",
        "sambal botolan",
        "kue",
        "kue kering",
        "bakery",
        "roti",
        "kopi",
        "coffee",
        "coffee shop",
        "kedai kopi",
        "cafe",
        "kafe",
        "katering",
        "catering",
        "frozen food",
        "frozenfood",
        "warung",
        "warteg",
        "resto",
        "restoran",
        "restaurant",
        "rumah makan",
        "food",
        "bakso",
        "mie",
        "mi ayam",
        "mie ayam",
        "seblak",
        "nasi",
        "nasi kotak",
        "ayam geprek",
        "martabak",
        "dimsum",
        "boba",
        "es teh",
        "minuman kekinian",
        "angkringan",
        "rendang",
        "dessert",
        "brownies",
        "cookies",
        "donat",
        "pempek",
        "siomay",
        "basreng",
        "oleh oleh",
        "jus",
        "kedai",
        "makanan rumahan",
        "masakan rumahan",
        "masakan",
        "hampers makanan",
        "cokelat",
        "coklat",
        "es krim",
        "pizza",
        "burger",
        "salad",
        "sate",
        "soto",
        "bakmi",
        "cilok",
        "daging",
        "daging sapi",
        "ayam",
        "ayam goreng",
        "ayam bakar",
        "lauk",
        "frozen",
        "lumpia",
        "gudeg",
        "pecel",
        "rawon",
        "bakpia",
        "bika ambon",
        "dodol",
        "bolu",
        "wingko",
        "kerupuk",
        "krupuk",
        "tahu",
        "tempe",
        "sushi",
        "ramen",
        "takjil",
        "kolak",
        "rujak",
        "lontong",
        "ketoprak",
        "bubur",
        "empek empek",
        "otak otak",
        "es kopi",
        "kopi susu",
        "susu",
        "es teh",
        "teh botol",
        "jajanan pasar",
        "nasi padang",
        "nasi goreng",
        "nasi uduk",
        "sayur matang",
    ),
    "Fashion": (
        "fashion",
        "baju",
        "pakaian",
        "busana",
        "hijab",
        "jilbab",
        "kerudung",
        "olshop hijab",
        "gamis",
        "kaos",
        "kaos kaki",
        "t shirt",
        "kemeja",
        "celana",
        "jaket",
        "hoodie",
        "sepatu",
        "sandal",
        "sneakers",
        "tas",
        "dompet",
        "batik",
        "distro",
        "dress",
        "outfit",
        "konveksi",
        "sablon",
        "perhiasan",
        "jam tangan",
        "aksesoris fashion",
        "thrift",
        "thrifting",
        "preloved",
        "tenun",
        "songket",
        "mukena",
        "baju koko",
        "sarung",
        "pakaian muslim",
        "busana muslim",
        "fashion muslim",
        "baju anak muda",
        "clothing",
        "apparel",
        "butik",
        "boutique",
        "lingerie",
        "piyama",
    ),
    "Kecantikan": (
        "kecantikan",
        "beauty",
        "skincare",
        "skin care",
        "kosmetik",
        "makeup",
        "make up",
        "perawatan wajah",
        "perawatan kulit",
        "serum",
        "parfum",
        "perfume",
        "salon",
        "nail art",
        "eyelash",
        "bulu mata",
        "lipstik",
        "lipstick",
        "sunscreen",
        "sabun wajah",
        "facial",
        "klinik kecantikan",
        "body care",
        "bodycare",
        "barbershop",
        "pangkas rambut",
        "spa",
        "perawatan rambut",
        "bedak",
        "masker wajah",
        "toner",
        "mua",
    ),
    "Kesehatan & Kebugaran": (
        "kesehatan dan kebugaran",
        "kesehatan",
        "kebugaran",
        "herbal",
        "jamu",
        "suplemen",
        "vitamin",
        "gym",
        "fitness",
        "fitnes",
        "klinik",
        "diet",
        "apotek",
        "apotik",
        "obat",
        "madu",
        "yoga",
        "pilates",
        "senam",
        "fisioterapi",
        "dokter",
        "alat kesehatan",
        "pijat",
        "massage",
        "bekam",
        "makanan sehat",
        "healthy food",
        "gizi",
        "nutrisi",
        "personal trainer",
        "zumba",
        "klinik gigi",
        "dokter gigi",
    ),
    "Teknologi & Gadget": (
        "teknologi dan gadget",
        "teknologi",
        "tech",
        "gadget",
        "hp",
        "handphone",
        "smartphone",
        "ponsel",
        "elektronik",
        "laptop",
        "komputer",
        "aksesoris hp",
        "casing hp",
        "case hp",
        "software",
        "aplikasi",
        "servis hp",
        "service hp",
        "konter hp",
        "counter hp",
        "kamera",
        "printer",
        "gawai",
        "iphone",
        "android",
        "aksesoris gadget",
        "web developer",
        "jasa website",
        "startup",
        "saas",
    ),
    "Parenting & Keluarga": (
        "parenting dan keluarga",
        "parenting",
        "keluarga",
        "mainan anak",
        "mainan",
        "perlengkapan bayi",
        "perlengkapan anak",
        "baby",
        "bayi",
        "ibu dan anak",
        "ibu hamil",
        "mpasi",
        "popok",
        "baju anak",
        "baju bayi",
        "daycare",
        "anak",
        "mom and baby",
        "ibu menyusui",
        "asi",
        "stroller",
        "kids",
        "susu bayi",
        "susu formula",
        "susu anak",
    ),
    "Travel": (
        "travel",
        "wisata",
        "tour",
        "tur",
        "hotel",
        "homestay",
        "villa",
        "vila",
        "penginapan",
        "traveling",
        "travelling",
        "liburan",
        "open trip",
        "tiket pesawat",
        "agen travel",
        "biro perjalanan",
        "umroh",
        "umrah",
        "haji",
        "rental mobil",
        "sewa mobil",
        "glamping",
        "camping",
        "resort",
        "guest house",
        "guesthouse",
        "tour guide",
        "pariwisata",
        "staycation",
        "trip",
    ),
    "Otomotif": (
        "otomotif",
        "bengkel",
        "motor",
        "mobil",
        "sparepart",
        "spare part",
        "suku cadang",
        "cuci mobil",
        "cuci motor",
        "car wash",
        "variasi mobil",
        "aksesoris motor",
        "aksesoris mobil",
        "helm",
        "oli",
        "ban motor",
        "ban mobil",
        "modifikasi",
        "dealer",
        "showroom",
        "sepeda motor",
        "jual beli mobil",
        "mobil bekas",
        "motor bekas",
        "detailing",
        "salon mobil",
        "automotive",
    ),
    "Edukasi": (
        "edukasi",
        "pendidikan",
        "kursus",
        "les",
        "les privat",
        "bimbel",
        "bimbingan belajar",
        "buku",
        "sekolah",
        "kampus",
        "universitas",
        "pelatihan",
        "training",
        "kelas online",
        "kursus online",
        "bahasa inggris",
        "tutor",
        "guru",
        "belajar",
        "webinar",
        "education",
        "kursus bahasa",
        "kursus masak",
        "kursus menjahit",
        "toko buku",
        "penerbit",
        "ebook",
        "pesantren",
        "paud",
        "tk",
    ),
    "Gaya Hidup": (
        "gaya hidup",
        "lifestyle",
        "dekorasi",
        "wedding",
        "pernikahan",
        "wedding organizer",
        "florist",
        "bunga",
        "buket",
        "hampers",
        "kado",
        "laundry",
        "fotografer",
        "jasa foto",
        "self care",
        "selfcare",
        "aksesoris",
        "lilin aromaterapi",
    ),
    "Gaming": (
        "gaming",
        "game",
        "games",
        "top up",
        "topup",
        "top up game",
        "esports",
        "e sports",
        "esport",
        "voucher game",
        "joki",
        "joki game",
        "mobile legends",
        "free fire",
        "pubg",
        "konsol",
        "playstation",
        "ps5",
        "nintendo",
        "gamer",
        "diamond ml",
        "steam",
    ),
    "Keuangan": (
        "keuangan",
        "finance",
        "finansial",
        "investasi",
        "asuransi",
        "koperasi",
        "pinjaman",
        "pinjol",
        "saham",
        "reksadana",
        "reksa dana",
        "kripto",
        "crypto",
        "bank",
        "perbankan",
        "fintech",
        "pajak",
        "kredit",
        "trading",
        "forex",
        "emas batangan",
        "tabungan",
        "gadai",
        "leasing",
        "perencana keuangan",
    ),
    "Hiburan": (
        "hiburan",
        "entertainment",
        "musik",
        "music",
        "film",
        "event",
        "konser",
        "band",
        "karaoke",
        "bioskop",
        "stand up comedy",
        "komedi",
        "podcast",
        "event organizer",
        "eo",
        "dj",
        "teater",
        "pertunjukan",
        "festival",
        "hiburan anak",
        "organ tunggal",
        "sound system",
    ),
    "Olahraga": (
        "olahraga",
        "sport",
        "sports",
        "sepak bola",
        "sepakbola",
        "futsal",
        "badminton",
        "bulu tangkis",
        "bulutangkis",
        "sepeda",
        "gowes",
        "lari",
        "running",
        "renang",
        "basket",
        "voli",
        "tenis",
        "golf",
        "peralatan olahraga",
        "alat olahraga",
        "jersey",
        "bela diri",
        "silat",
        "martial arts",
        "padel",
        "mini soccer",
        "lapangan futsal",
        "sepatu olahraga",
        "sepatu lari",
        "raket",
        "pingpong",
        "tenis meja",
    ),
    "Hobi & Kerajinan": (
        "hobi dan kerajinan",
        "hobi",
        "hobby",
        "kerajinan",
        "kerajinan tangan",
        "handmade",
        "craft",
        "crafting",
        "rajutan",
        "rajut",
        "tanaman hias",
        "tanaman",
        "anyaman",
        "souvenir",
        "suvenir",
        "lukisan",
        "seni",
        "art",
        "ikan hias",
        "burung",
        "kucing",
        "pet shop",
        "petshop",
        "hewan peliharaan",
        "koleksi",
        "diecast",
        "lego",
        "action figure",
        "fotografi",
        "mancing",
        "pancing",
        "memancing",
        "alat pancing",
        "aquascape",
        "bonsai",
        "gerabah",
        "keramik",
        "ukiran",
        "makrame",
        "pet",
        "anabul",
        "aksesoris handmade",
        "manik manik",
        "lilin",
    ),
    "Properti & Rumah": (
        "properti dan rumah",
        "properti",
        "property",
        "rumah",
        "perumahan",
        "furniture",
        "furnitur",
        "mebel",
        "meubel",
        "interior",
        "desain interior",
        "kontraktor",
        "renovasi",
        "bangunan",
        "bahan bangunan",
        "material bangunan",
        "toko bangunan",
        "tukang",
        "kos",
        "kost",
        "kosan",
        "kontrakan",
        "apartemen",
        "perabot",
        "perabotan",
        "peralatan rumah tangga",
        "alat rumah tangga",
        "dekorasi rumah",
        "home decor",
        "home living",
        "kasur",
        "sprei",
        "agen properti",
        "tanah kavling",
        "kavling",
        "jual rumah",
        "sewa rumah",
        "real estate",
        "arsitek",
        "cat tembok",
        "keramik lantai",
    ),
    "Pertanian": (
        "pertanian",
        "tani",
        "petani",
        "hasil tani",
        "bibit",
        "benih",
        "pupuk",
        "peternakan",
        "ternak",
        "perikanan",
        "budidaya",
        "kebun",
        "perkebunan",
        "hidroponik",
        "sayur",
        "sayuran",
        "sayur mayur",
        "pakan ternak",
        "pakan ikan",
        "alat pertanian",
        "agribisnis",
        "agrikultur",
        "lele",
        "kambing",
        "sapi",
        "ayam petelur",
        "telur ayam",
        "ikan segar",
        "tambak",
        "beras",
        "gabah",
        "kopi petani",
        "hasil kebun",
        "buah segar",
        "pestisida",
    ),
    "Bisnis & B2B": (
        "bisnis dan b2b",
        "bisnis",
        "b2b",
        "jasa bisnis",
        "supplier",
        "konsultan",
        "software bisnis",
        "grosir",
        "distributor",
        "agen",
        "reseller",
        "pabrik",
        "manufaktur",
        "logistik",
        "ekspedisi",
        "percetakan",
        "jasa pembukuan",
        "akuntansi",
        "konsultan pajak",
        "digital marketing",
        "agensi",
        "agency",
        "jasa desain",
        "packaging",
        "kemasan",
        "printing",
        "vendor",
        "wholesale",
        "jasa kirim",
        "maklon",
        "coworking",
        "jasa legalitas",
        "pendirian pt",
        "hr",
        "rekrutmen",
        "outsourcing",
        "sistem kasir",
        "aplikasi kasir",
        "pos",
        "erp",
        "crm",
    ),
}
# Chat words that also appear around other niches ("kue dari rumah", "bisnis kopi"):
# they decide only when nothing more specific is in the text.
_WEAK_NICHE_WORDS = frozenset(
    {
        "rumah",
        "bisnis",
        "keluarga",
        "hobi",
        "anak",
        "agen",
        "reseller",
        "tanaman",
        "art",
        "seni",
        "pet",
        "trip",
        "kids",
        "mainan",
        "aksesoris",
        "kedai",
        "pos",
        "hr",
        "tk",
        "eo",
        "dj",
        "ayam",
    }
)


def _niche_phrases() -> dict[str, tuple[str, bool]]:
    """Phrase -> (niche, weak), including each niche name and its halves."""
    phrases: dict[str, tuple[str, bool]] = {}
    for niche in NICHES:
        phrases[niche] = (niche, False)
        for part in niche.split("&"):
            phrases.setdefault(part.strip(), (niche, False))
    for niche, words in _NICHE_SYNONYMS.items():
        if niche not in NICHES:
            raise ValueError(f"synonyms for unknown niche {niche!r}")
        for word in words:
            phrases[word] = (niche, normalize(word) in _WEAK_NICHE_WORDS)
    return phrases


_NICHE_INDEX: _PhraseIndex[tuple[str, bool]] = _PhraseIndex(_niche_phrases())


def _niche_in(tokens: list[str]) -> str | None:
    """The most specific niche named: strong words beat weak ones, then the longest."""
    hits = _NICHE_INDEX.scan(tokens)
    if not hits:
        return None
    strong = [h for h in hits if not h.value[1]]
    pool = strong or hits
    best = max(pool, key=lambda h: (len(h.key), -h.start))
    return best.value[0]


def parse_niche(text: str) -> str | None:
    """Canonical niche (bot.domain.NICHES) from its name or a chat synonym.

    "makanan", "sambal botolan", "olshop hijab", "skincare" -> Kuliner, Fashion, ...
    None when nothing maps (the bot shows the buttons again).
    """
    if not text:
        return None
    key = normalize(text)
    exact = _NICHE_INDEX.get(key)
    if exact is not None:
        return exact[0]
    return _niche_in(key.split())


# ======================================================================================
# Goals
# ======================================================================================

_GOAL_SYNONYMS: dict[Goal, tuple[str, ...]] = {
    Goal.AWARENESS: (
        "awareness",
        "brand awareness",
        "kesadaran merek",
        "kesadaran merk",
        "kesadaran brand",
        "kesadaran",
        "dikenal",
        "biar dikenal",
        "makin dikenal",
        "lebih dikenal",
        "dikenal orang",
        "terkenal",
        "branding",
        "viral",
        "jangkauan",
        "jangkauan luas",
        "reach",
        "exposure",
        "eksposur",
        "visibility",
        "visibilitas",
        "memperkenalkan",
        "mengenalkan",
        "kenalin",
        "ngenalin",
        "perkenalan",
        "popularitas",
        "populer",
        "biar orang tahu",
        "biar orang tau",
        "banyak yang tahu",
        "banyak yang tau",
        "nambah followers",
        "tambah followers",
        "followers naik",
        "impresi",
        "impression",
        "impressions",
    ),
    Goal.ENGAGEMENT: (
        "engagement",
        "engage",
        "interaksi",
        "banyak interaksi",
        "interaktif",
        "interaction",
        "komen",
        "komentar",
        "like",
        "likes",
        "komunitas",
        "keterlibatan",
        "partisipasi",
        "biar rame",
        "biar ramai",
        "rame",
        "ramai",
        "share",
        "loyalitas",
        "loyal",
        "engagement rate",
    ),
    Goal.SALES: (
        "sales",
        "penjualan",
        "naikin penjualan",
        "menaikkan penjualan",
        "meningkatkan penjualan",
        "tingkatkan penjualan",
        "ningkatin penjualan",
        "penjualan naik",
        "jualan naik",
        "jualan laris",
        "jualan meningkat",
        "omzet",
        "omset",
        "naikin omzet",
        "naikin omset",
        "laris",
        "biar laris",
        "closing",
        "order",
        "orderan",
        "pesanan",
        "konversi",
        "conversion",
        "laku",
        "biar laku",
        "dagangan laku",
        "banyak yang beli",
        "pembeli",
        "pembelian",
        "transaksi",
        "cuan",
        "profit",
        "untung",
        "repeat order",
        "beli",
        "penjualan online",
    ),
}
# Words that name a goal only when something frames them as one ("biar banyak order").
_WEAK_GOAL_WORDS = frozenset(
    {
        "like",
        "likes",
        "komen",
        "komentar",
        "share",
        "order",
        "orderan",
        "pesanan",
        "laku",
        "beli",
        "pembeli",
        "pembelian",
        "rame",
        "ramai",
        "untung",
        "cuan",
        "profit",
        "populer",
        "loyal",
        "transaksi",
        "kesadaran",
        "komunitas",
        "omzet",
        "omset",
    }
)
_GOAL_CUES = frozenset(
    {
        "biar",
        "supaya",
        "agar",
        "mau",
        "ingin",
        "pengen",
        "pengin",
        "pingin",
        "pgn",
        "banyak",
        "tambah",
        "nambah",
        "naik",
        "naikin",
        "ningkatin",
        "meningkatkan",
        "tingkatkan",
        "lebih",
        "makin",
        "untuk",
        "buat",
        "tujuan",
        "tujuannya",
        "target",
        "fokus",
        "dapat",
        "dapet",
        "cari",
        "nyari",
        "bangun",
        "membangun",
        "bikin",
    }
)
# "usaha penjualan keripik" describes the business, not a goal.
_BUSINESS_WORDS = frozenset({"usaha", "bisnis", "toko", "jasa", "tempat", "agen", "sistem"})

_GOAL_INDEX: _PhraseIndex[Goal] = _PhraseIndex(
    {phrase: goal for goal, phrases in _GOAL_SYNONYMS.items() for phrase in phrases}
)


def _goal_in(tokens: list[str], strict: bool) -> Goal | None:
    """The goal named in tokens; `strict` ignores weak words without a framing cue."""
    candidates: list[_Hit[Goal]] = []
    for hit in _GOAL_INDEX.scan(tokens):
        if hit.key == "penjualan" and _previous(tokens, hit.start) in _BUSINESS_WORDS:
            continue
        if strict and hit.key in _WEAK_GOAL_WORDS:
            cues = {_previous(tokens, hit.start), _previous(tokens, hit.start, 2)}
            if not cues & _GOAL_CUES:
                continue
        candidates.append(hit)
    if not candidates:
        return None
    return max(candidates, key=lambda h: (len(h.key), -h.start)).value


def parse_goal(text: str) -> Goal | None:
    """Goal from its label, the enum value or chat words ("biar dikenal", "biar laris")."""
    if not text:
        return None
    key = normalize(text)
    exact = _GOAL_INDEX.get(key)
    if exact is not None:
        return exact
    return _goal_in(key.split(), strict=False)


# ======================================================================================
# Platforms
# ======================================================================================

_PLATFORM_SYNONYMS: dict[Platform, tuple[str, ...]] = {
    Platform.INSTAGRAM: (
        "instagram",
        "ig",
        "insta",
        "instagram reels",
        "ig reels",
        "reels",
        "reel",
        "igtv",
        "ig story",
        "instastory",
        "insta story",
        "instagram story",
        "instgram",
        "instagaram",
        "intagram",
        "instragram",
        "instagramnya",
        "instagrammer",
    ),
    Platform.TIKTOK: (
        "tiktok",
        "tik tok",
        "tt",
        "tiktok shop",
        "tiktokan",
        "tiktoker",
        "tiktokers",
        "tiktod",
        "tik tok shop",
    ),
    Platform.YOUTUBE: (
        "youtube",
        "yt",
        "you tube",
        "youtube shorts",
        "yt shorts",
        "shorts",
        "youtuber",
        "yutub",
        "yutup",
    ),
    Platform.FACEBOOK: (
        "facebook",
        "fb",
        "facebook reels",
        "fb reels",
        "fesbuk",
        "facebook pro",
        "fb pro",
        "facebook page",
        "fanpage",
    ),
    Platform.X: ("twitter", "tweet", "twit", "x twitter", "twitter x", "x com", "tweeter"),
}
# Platform words that name something else after these words ("celana shorts").
_PLATFORM_FALSE_FRIENDS: dict[str, frozenset[str]] = {
    "shorts": frozenset({"celana", "hot", "board"}),
    "reels": frozenset({"fishing", "pancing"}),
    "tt": frozenset({"ttd"}),
}
_PLATFORM_INDEX: _PhraseIndex[Platform] = _PhraseIndex(
    {phrase: platform for platform, phrases in _PLATFORM_SYNONYMS.items() for phrase in phrases}
)
# A lone "x" is the platform only where a platform is expected: "di x", "lewat x".
_X_CUES = frozenset(
    {
        "di",
        "lewat",
        "via",
        "pakai",
        "pake",
        "platform",
        "aplikasi",
        "app",
        "medsos",
        "sosmed",
        "ke",
        "akun",
        "media",
    }
)


def _platform_in(tokens: list[str]) -> Platform | None:
    """The first platform named in tokens."""
    first: tuple[int, Platform] | None = None
    hits = [
        hit
        for hit in _PLATFORM_INDEX.scan(tokens)
        if _previous(tokens, hit.start) not in _PLATFORM_FALSE_FRIENDS.get(hit.key, ())
    ]
    if hits:
        first = (hits[0].start, hits[0].value)
    for i, token in enumerate(tokens):
        if first is not None and i >= first[0]:
            break
        if token == "x" and _previous(tokens, i) in _X_CUES:
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if not is_ascii_digits(following):
                first = (i, Platform.X)
                break
    return first[1] if first else None


def parse_platform(text: str) -> Platform | None:
    """Platform from its name or chat shorthand ("ig", "tt", "yt", "fb", "di x")."""
    if not text:
        return None
    key = normalize(text)
    if key == "x":
        return Platform.X
    exact = _PLATFORM_INDEX.get(key)
    if exact is not None:
        return exact
    return _platform_in(key.split())


# ======================================================================================
# Locations
# ======================================================================================

# Whole-answer words for "anywhere" that mean something else inside a sentence
# ("bebas gluten", "semua produk").
_ANSWER_ONLY_PLACES = frozenset(
    normalize(p)
    for p in (
        "bebas",
        "semua",
        "seluruh",
        "semuanya",
        "terserah",
        "all",
        "mana saja",
        "mana aja",
        "manapun",
    )
)
# Place names that are also ordinary words or rare abbreviations: inside a sentence
# they count only after a place word ("di Batu", "kota Palu").
_WEAK_PLACES = frozenset(
    {
        "batu",
        "metro",
        "palu",
        "serang",
        "banjar",
        "tegal",
        "pati",
        "kudus",
        "bima",
        "sorong",
        "kuningan",
        "tual",
        "kendal",
        "padang",
        "indonesia",
        "nasional",
        "nusantara",
        "java",
        "borneo",
        "celebes",
    }
)
_STRONG_SHORT_PLACES = frozenset(
    {
        "jkt",
        "sby",
        "bdg",
        "smg",
        "mks",
        "plg",
        "mlg",
        "bpn",
        "pku",
        "ntb",
        "ntt",
        "diy",
        "dki",
        "bsd",
    }
)
# A place name right after these is a dish, product or language, not a market:
# "nasi padang", "bakso malang", "lumpia semarang", "batik solo", "bahasa jawa".
_PRODUCT_WORDS = frozenset(
    {
        "nasi",
        "bakso",
        "lumpia",
        "loenpia",
        "soto",
        "sate",
        "mie",
        "mi",
        "bakmi",
        "gudeg",
        "bakpia",
        "coto",
        "konro",
        "pempek",
        "empek",
        "rendang",
        "dodol",
        "bolu",
        "brownies",
        "brem",
        "wingko",
        "lapis",
        "martabak",
        "ayam",
        "bebek",
        "keripik",
        "kripik",
        "kopi",
        "roti",
        "kue",
        "es",
        "teh",
        "tahu",
        "tempe",
        "getuk",
        "gethuk",
        "jenang",
        "wajik",
        "jeruk",
        "apel",
        "salak",
        "markisa",
        "durian",
        "duren",
        "madu",
        "pisang",
        "otak",
        "pecel",
        "rawon",
        "rujak",
        "lontong",
        "ketoprak",
        "kerak",
        "seblak",
        "cilok",
        "serabi",
        "surabi",
        "bandeng",
        "bika",
        "bubur",
        "timlo",
        "selat",
        "tengkleng",
        "gulai",
        "kari",
        "sambal",
        "sambel",
        "oleh",
        "makanan",
        "masakan",
        "makan",
        "khas",
        "batik",
        "tenun",
        "songket",
        "kain",
        "ukiran",
        "mebel",
        "logat",
        "bahasa",
        "suku",
        "jl",
        "jln",
        "jalan",
        "gg",
        "gang",
        "warung",
        "kedai",
        "resto",
        "restoran",
        "rm",
        "kuliner",
        "ala",
        "gaya",
        "tari",
        "lagu",
        "adat",
        "rasa",
        "cita",
    }
)
# "Solo traveling" is a way to travel, not the city.
_NOT_A_PLACE_BEFORE = frozenset(
    {"traveler", "traveller", "traveling", "travelling", "trip", "karir", "career", "player"}
)
# Words that put a place name in place: the higher the score, the likelier the target.
_PLACE_CUES: dict[str, int] = {
    **dict.fromkeys(
        ("target", "targetnya", "pasar", "market", "sasaran", "menyasar", "fokus", "khusus"), 3
    ),
    **dict.fromkeys(
        (
            "di",
            "kota",
            "daerah",
            "area",
            "wilayah",
            "kabupaten",
            "kab",
            "provinsi",
            "prov",
            "sekitar",
            "sekitaran",
            "seluruh",
            "se",
            "pulau",
            "ke",
            "lokasi",
            "lokasinya",
            "kawasan",
            "warga",
            "orang",
            "regional",
        ),
        2,
    ),
    **dict.fromkeys(("dari", "domisili", "asal", "tinggal", "berbasis", "basis"), 1),
}
# Leading and trailing words to peel off a location answer ("di Bandung aja kak").
_LOCATION_PREFIXES = frozenset(
    {
        "di",
        "ke",
        "dari",
        "kota",
        "kabupaten",
        "kab",
        "daerah",
        "area",
        "wilayah",
        "sekitar",
        "sekitaran",
        "domisili",
        "provinsi",
        "prov",
        "lokasi",
        "lokasinya",
        "target",
        "targetnya",
        "pasar",
        "yang",
        "buat",
        "untuk",
        "orang",
        "warga",
        "mau",
        "pengen",
        "maunya",
        "pengennya",
        "aku",
        "saya",
        "cuma",
        "hanya",
        "khusus",
        "fokus",
        "kawasan",
        "wilayahnya",
        "daerahnya",
        "areanya",
        "kotanya",
        "seputar",
        "in",
        "around",
    }
)
_LOCATION_SUFFIXES = frozenset(
    {
        "aja",
        "saja",
        "doang",
        "kak",
        "ka",
        "ya",
        "sih",
        "deh",
        "dong",
        "kok",
        "sekitarnya",
        "dsk",
        "only",
        "dan",
        "dll",
        "nya",
        "kakak",
        "min",
    }
)


def _location_phrases() -> dict[str, Location]:
    return {key: loc for key, loc in place_keys().items() if key not in _ANSWER_ONLY_PLACES}


_LOCATION_INDEX: _PhraseIndex[Location] = _PhraseIndex(_location_phrases())


def _is_weak_place(key: str) -> bool:
    return key in _WEAK_PLACES or (len(key) <= 3 and key not in _STRONG_SHORT_PLACES)


def _location_candidates(tokens: list[str]) -> list[tuple[int, int, Location]]:
    """(cue score, -position, location) for each place named in a sentence."""
    found: list[tuple[int, int, Location]] = []
    for hit in _LOCATION_INDEX.scan(tokens):
        previous = _previous(tokens, hit.start)
        following = tokens[hit.end] if hit.end < len(tokens) else ""
        if previous in _PRODUCT_WORDS or following in _NOT_A_PLACE_BEFORE:
            continue
        score = _PLACE_CUES.get(previous, 0)
        if hit.value.is_national and " " in hit.key:
            score = max(score, 2)  # "seluruh indonesia", "semua kota"
        if score == 0 and _is_weak_place(hit.key):
            continue
        found.append((score, -hit.start, hit.value))
    return found


def _location_in(tokens: list[str]) -> Location | None:
    """The place a sentence targets: the best-cued mention, the earliest on ties."""
    candidates = _location_candidates(tokens)
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def _strip_location_words(tokens: list[str]) -> list[str]:
    start, end = 0, len(tokens)
    while start < end and tokens[start] in _LOCATION_PREFIXES:
        start += 1
    while end > start and tokens[end - 1] in _LOCATION_SUFFIXES:
        end -= 1
    return tokens[start:end]


def parse_location(text: str) -> Location | None:
    """Target area from an answer: "Bandung", "di Jogja aja", "kota Batu",
    "area Jabodetabek", "Jawa Barat", "seluruh Indonesia".

    The whole answer is read as a place first (places.resolve_place), then without the
    words around it, and finally a single place mentioned in a longer answer is taken.
    """
    if not text:
        return None
    direct = resolve_place(text)
    if direct is not None:
        return direct
    tokens = _tokens(text)
    core = _strip_location_words(tokens)
    if core and core != tokens:
        peeled = resolve_place(" ".join(core))
        if peeled is not None:
            return peeled
    candidates = _location_candidates(tokens)
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c[0], c[1]))
    rivals = {loc for score, _, loc in candidates if score == best[0]}
    return best[2] if len(rivals) == 1 else None


# ======================================================================================
# One-message briefs
# ======================================================================================


@dataclass(frozen=True)
class BriefDraft:
    """What one free-text message already says about the brief; None where silent."""

    niche: str | None = None
    goal: Goal | None = None
    budget: int | None = None
    budget_ambiguous_juta: int | None = None
    platform: Platform | None = None
    location: Location | None = None

    def found(self) -> list[str]:
        """Names of the filled fields, in the order niche, goal, budget, platform, location.

        `budget` is listed only for a clear amount; an ambiguous bare number shows in
        `budget_ambiguous_juta` and still needs the owner's confirmation.
        """
        names: Iterable[str] = ("niche", "goal", "budget", "platform", "location")
        return [name for name in names if getattr(self, name) is not None]


def extract_brief(text: str) -> BriefDraft:
    """Read everything one message says: "jualan keripik pedas di Bandung, budget 5jt,
    mau naikin penjualan lewat instagram" fills all five fields.

    Inside a sentence the readers are stricter than for a direct answer: "jualan X"
    is the niche, not a sales goal; a number is a budget only with jt/rb/M, Rp/IDR,
    thousands separators or a budget word before it; a place right after a dish
    ("nasi padang") is not the target location.
    """
    if not text or not text.strip():
        return BriefDraft()
    tokens = _tokens(text)
    amount, ambiguous = _budget_in_sentence(text)
    return BriefDraft(
        niche=_niche_in(tokens),
        goal=_goal_in(tokens, strict=True),
        budget=amount,
        budget_ambiguous_juta=ambiguous,
        platform=_platform_in(tokens),
        location=_location_in(tokens),
    )
