"""Money as owners type it: budgets, CSV prices, follower counts and percentages.

"budget 5jt", "Rp 5.000.000,-", "lima juta", "1,2 M", "500rb-an": the decorations
around a number (Rp, fillers, "-an", ",-") are peeled off here and the number itself
is read by `bot.language.numerals`. Failures come back as a code so the chat can ask
again with an example that fits the mistake.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bot.language.money_spans import money_spans
from bot.language.numerals import (
    LONG_SCALE_WORDS,
    MILLION,
    MONEY_TOKEN,
    RANGE_WORDS,
    SHORT_SCALE_WORDS,
    Money,
    evaluate,
    is_money_word,
    is_numeric,
)
from bot.language.text import is_ascii_digits

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
    `ambiguous_juta` when a bare number under 1,000 may mean ribu or juta (its juta
    reading, so the bot can ask "Rp500.000 or Rp500.000.000?"), or `error`, one of
    BUDGET_ERROR_CODES.
    """

    amount: int | None
    ambiguous_juta: int | None
    error: str | None


_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SAMPAI = re.compile(r"\bs\s*[/.]\s*d\b\.?")
_RP_DOT = re.compile(r"\brp\s*\.")
# "5jt-an", "jutaan", "500rb an": about that much. "k-an" only right after a number,
# so the particle "kan" is left alone.
_AN_SUFFIX = re.compile(
    rf"(?<![a-z])({LONG_SCALE_WORDS})\s*-?\s*an\b"
    rf"|(?<=[0-9])(\s?(?:{SHORT_SCALE_WORDS}))\s*-?\s*an\b"
)
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


def _preclean(text: str) -> str:
    """Lower-case money text and drop the decorations that carry no number."""
    low = unicodedata.normalize("NFKC", text).lower()
    low = _DASHES.sub("-", low)
    low = _SAMPAI.sub(" sampai ", low)
    low = _RP_DOT.sub("rp ", low)
    low = _AN_SUFFIX.sub(lambda m: m.group(1) or m.group(2), low)
    low = _DASH_MARK.sub(" ", low)
    return " ".join(low.split())


def _is_range(tokens: list[str]) -> bool:
    """A connector between two numbers: "3-5jt", "3 sampai 5 juta", "antara 3 dan 5"."""
    connectors = RANGE_WORDS | ({"dan"} if "antara" in tokens else set())
    numeric_seen = False
    for i, token in enumerate(tokens):
        if is_numeric(token):
            numeric_seen = True
        elif numeric_seen and token in connectors and any(map(is_numeric, tokens[i + 1 :])):
            return True
    return False


def _parse_money(text: str) -> Money | str:
    """The amount a money text states, or a BUDGET_ERROR_CODES code."""
    if not text or not text.strip():
        return "empty"
    if len(text) > 160:
        return "malformed"
    low = _preclean(text)
    if _FOREIGN.search(low):
        return "foreign_currency"
    cleaned = _SYMBOLS.sub(" ", _FILLER.sub(" ", _TRAILING_PUNCT.sub("", low)))
    tokens = MONEY_TOKEN.findall(cleaned)
    if not any(is_numeric(t) for t in tokens):
        return "not_a_number"
    if _is_range(tokens):
        return "range"
    tokens = [t for t in tokens if t != "antara"]
    money = evaluate(tokens)
    if money is not None:
        return money
    # "5 juta buat bulan depan": words around one clear amount. Read that amount.
    if any(t.isalpha() and t != "koma" and not is_money_word(t, None) for t in tokens):
        spans = [s for s in money_spans(low) if s.qualifies]
        if len(spans) == 1:
            inner = _FILLER.sub(" ", spans[0].text)
            money = evaluate(MONEY_TOKEN.findall(inner))
            if money is not None:
                return money
    return "malformed"


def _to_int(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def parse_budget(text: str) -> ParsedBudget:
    """Read a budget the way owners write it: "5jt", "Rp 5.000.000,-", "lima juta",
    "1,2 M" (miliar), "500rb-an", "budget sekitar 5 juta".

    A bare number under 1,000 ("5", "7,5") is not guessed: it comes back as
    `ambiguous_juta` so the bot can ask whether ribu or juta was meant.
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
        return ParsedBudget(None, _to_int(money.value * MILLION), None)
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


# --- The budget inside a sentence ---------------------------------------------------


def find_budget(text: str) -> tuple[int | None, int | None]:
    """(amount, ambiguous_juta) of the budget a sentence states, if any."""
    low = _preclean(text)
    if not any(is_ascii_digits(ch) for ch in low) and not any(
        w in low for w in ("juta", "ribu", "ratus", "miliar", "milyar", "setengah")
    ):
        return None, None
    spans = sorted(
        (s for s in money_spans(low) if s.qualifies),
        key=lambda s: (not s.after_budget_word, s.start),
    )
    for span in spans:
        parsed = parse_budget(span.text)
        if parsed.amount is not None or parsed.ambiguous_juta is not None:
            return parsed.amount, parsed.ambiguous_juta
    return None, None
