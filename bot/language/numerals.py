"""Indonesian numbers as owners write them: digit groups, number words and scales.

"5.000.000", "5,000,000", "7,5", "dua setengah juta", "seratus lima puluh ribu",
"5 juta 500 ribu", "1,2 M" (miliar). Both separator conventions are in daily use, and
words mix with digits, so a token list is read group by group with strictly falling
scales; anything that could mean two different amounts is refused rather than guessed.
Budgets, prices and follower counts are all read through `evaluate`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from bot.language.text import is_ascii_digits

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
NUMBER_SUFFIXES = {"belas", "puluh", "ratus"}

_THOUSAND, MILLION, _BILLION = 10**3, 10**6, 10**9
# Word scales; "M" is miliar (10^9) everywhere, as Indonesians write it.
SCALES: dict[str, int] = {
    "ribu": _THOUSAND,
    "rb": _THOUSAND,
    "rbu": _THOUSAND,
    "rebu": _THOUSAND,
    "juta": MILLION,
    "jt": MILLION,
    "jta": MILLION,
    "jeti": MILLION,
    "million": MILLION,
    "miliar": _BILLION,
    "milyar": _BILLION,
    "milliar": _BILLION,
    "billion": _BILLION,
    "triliun": 10**12,
    "trilyun": 10**12,
}
# One-letter scales count only right after a number ("500k", "1,2 M").
SHORT_SCALES: dict[str, int] = {"k": _THOUSAND, "m": _BILLION, "b": _BILLION, "bn": _BILLION}
SE_SCALES: dict[str, int] = {
    "seribu": _THOUSAND,
    "sejuta": MILLION,
    "semiliar": _BILLION,
    "semilyar": _BILLION,
}
CURRENCY = {"rp", "idr", "rupiah"}
RANGE_WORDS = {"-", "sampai", "sampe", "hingga", "atau", "ato", "/", "~"}

LONG_SCALE_WORDS = "|".join(sorted({*SCALES, *SE_SCALES}, key=len, reverse=True))
SHORT_SCALE_WORDS = "|".join(sorted(SHORT_SCALES, key=len, reverse=True))
MONEY_TOKEN = re.compile(r"rp(?![a-z])|[0-9](?:[0-9.,]*[0-9])?|[a-z]+|[^\sa-z0-9]")
_DOUBLE_SEPARATOR = re.compile(r"[.,]{2}")


class Money(NamedTuple):
    """One written amount and the marks that show it is money, not a count."""

    value: Decimal  # signed, in Rupiah
    has_scale: bool  # a multiplier word: rb, jt, M, ...
    has_currency: bool  # Rp, IDR or rupiah
    grouped: bool  # written with thousands separators (5.000.000)


def literal_value(literal: str, before_scale: bool) -> tuple[Decimal, bool] | None:
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
        or token in SE_SCALES
        or token in ("setengah", "separuh")
    )


def is_numeric(token: str) -> bool:
    return is_ascii_digits(token[0]) or _is_numeric_word(token)


def is_grouped_literal(token: str) -> bool:
    """True for a number written with thousands separators ("5.000.000")."""
    if not is_ascii_digits(token[0]):
        return False
    parsed = literal_value(token, before_scale=False)
    return parsed is not None and parsed[1]


def is_money_word(token: str, previous: str | None) -> bool:
    """Tokens that can be part of a written amount."""
    return (
        is_ascii_digits(token[0])
        or _is_numeric_word(token)
        or token in SCALES
        or token in CURRENCY
        or token in NUMBER_SUFFIXES
        or (token in SHORT_SCALES and previous is not None and is_ascii_digits(previous[:1]))
    )


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
        self.last_group = Decimal(0)  # the value the last scale multiplied
        self.sealed = False  # "dua juta setengah" is complete: nothing may follow
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
        self.last_group = self.group_value()
        self.total += self.last_group * scale
        self.group, self.pending, self.has_value = Decimal(0), None, False
        self.decimals, self.half, self.last_scale = None, False, scale
        return True

    def literal(self, token: str, next_token: str | None) -> bool:
        if self.sealed:
            return False
        if self.decimals is not None:
            if not is_ascii_digits(token):
                return False
            self.decimals += token
            return True
        if self.has_value:
            return False  # "5 3", "seratus 5"
        before_scale = next_token in SCALES or next_token in SHORT_SCALES
        if self.last_scale is not None and not before_scale:
            return False  # "5 juta 500": 5.000.500 or 5.500.000? Ask instead.
        parsed = literal_value(token, before_scale)
        if parsed is None:
            return False
        self.pending, grouped = parsed
        self.grouped = self.grouped or grouped
        self.has_value = True
        return True

    def word(self, token: str, previous: str | None) -> bool:
        if self.sealed:
            return False
        if token in _DIGIT_WORDS:
            return self.digit(_DIGIT_WORDS[token])
        if token in SE_SCALES or token in SCALES or token in SHORT_SCALES:
            return self.scale(token, previous)
        if self.decimals is not None:
            return False  # only digits may follow "koma"
        if token in _SE_NUMBERS:
            return self.se_number(token)
        if token in NUMBER_SUFFIXES:
            return self.suffix(token)
        if token in ("setengah", "separuh"):
            return self.add_half()
        if token == "koma":
            return self.start_decimals()
        return False

    def digit(self, digit: int) -> bool:
        """A digit word: a spoken decimal after "koma", else the unit of this group."""
        if self.decimals is not None:
            self.decimals += str(digit)
            return True
        if self.pending is not None or self.half:
            return False
        self.pending, self.has_value = Decimal(digit), True
        return True

    def se_number(self, token: str) -> bool:
        """Ten, eleven or a hundred in one word (sepuluh, sebelas, seratus)."""
        if self.pending is not None or self.half or (token == "seratus" and self.group):
            return False
        self.group += _SE_NUMBERS[token]
        self.has_value = True
        return True

    def suffix(self, token: str) -> bool:
        """Ratus, puluh or belas: places the unit before it as hundreds, tens or teens."""
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

    def add_half(self) -> bool:
        """Setengah or separuh: a half, added to the unit before it ("dua setengah").

        Right after a scale it is half of that scale, as people say it: "dua juta
        setengah" is 2,5 juta, "sejuta setengah" 1,5 juta. Only after a whole number
        under a hundred: "seratus juta setengah" may mean 100,5 or 150 juta, so it is
        refused, and so is anything after the half.
        """
        if self.half:
            return False
        if not self.has_value and self.last_scale is not None:
            if self.last_group % 1 or not 1 <= self.last_group < 100:
                return False
            self.total += Decimal(self.last_scale) / 2
            self.sealed = True
            return True
        self.pending = (self.pending or 0) + Decimal("0.5")
        self.half = self.has_value = True
        return True

    def start_decimals(self) -> bool:
        """Koma after a whole unit: the digit words that follow are its decimals."""
        if self.pending is None or self.half or self.pending % 1:
            return False
        self.decimals = ""
        return True

    def scale(self, token: str, previous: str | None) -> bool:
        if token in SE_SCALES:  # "sejuta" is one juta
            if self.has_value:
                return False
            self.pending, self.has_value = Decimal(1), True
            return self.close_group(SE_SCALES[token])
        scale = SCALES.get(token)
        if scale is None and previous and is_ascii_digits(previous[0]):
            scale = SHORT_SCALES[token]  # "500k", "1,2 M" but not a lone "k"
        if scale is None or not self.has_value:
            return False
        return self.close_group(scale)

    def finish(self) -> Decimal | None:
        if self.decimals == "":
            return None
        return self.total + self.group_value()


def evaluate(tokens: list[str]) -> Money | None:
    """Value of a cleaned token list, or None when it is not one well-formed amount."""
    toks = list(tokens)
    has_currency = negative = False
    while toks and (toks[0] in CURRENCY or toks[0] in ("-", "minus")):
        if toks[0] in CURRENCY:
            has_currency = True
        elif negative:
            return None
        else:
            negative = True
        toks.pop(0)
    while toks and toks[-1] in CURRENCY:
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
    return Money(
        value=-value if negative else value,
        has_scale=reader.last_scale is not None,
        has_currency=has_currency,
        grouped=reader.grouped,
    )
