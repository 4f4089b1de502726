"""Text helpers every Indonesian parser shares: folding, digit tests, phrase lookup.

Owners and CSV files spell the same word many ways ("Café", "cafe", "CAFE!"), so every
parser and every lookup table folds text with the one `normalize` below; anything that
folds to the same string matches. The phrase index finds known phrases inside a
sentence with a few dictionary probes instead of a regular expression over hundreds of
alternatives.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Generic, NamedTuple, TypeVar

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Fold text for lookups: lower case, accents and punctuation dropped, one space.

    "D.I. Yogyakarta" -> "d i yogyakarta", "Se-Indonesia" -> "se indonesia",
    "Café" -> "cafe". Every lookup key is built with this same function, so any
    spelling that folds to the same string matches.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", ascii_only.lower()).strip()


def is_ascii_digits(text: str) -> bool:
    """str.isdigit() also accepts digits such as "𐹠" that int() and Decimal() refuse."""
    return text.isascii() and text.isdigit()


_V = TypeVar("_V")


class Hit(NamedTuple, Generic[_V]):
    start: int  # index of the first token
    end: int  # index after the last token
    key: str  # the folded phrase that matched
    value: _V


class PhraseIndex(Generic[_V]):
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

    def scan(self, tokens: list[str]) -> list[Hit[_V]]:
        """Non-overlapping matches, left to right, the longest phrase at each position."""
        hits: list[Hit[_V]] = []
        i, n = 0, len(tokens)
        while i < n:
            for length in range(min(self._max_words, n - i), 0, -1):
                found = self._probe(tokens, i, length)
                if found is not None:
                    hits.append(Hit(i, i + length, found[0], found[1]))
                    i += length
                    break
            else:
                i += 1
        return hits


def word_set(text: str) -> frozenset[str]:
    """A word set written as one whitespace-separated block (long vocabularies)."""
    return frozenset(text.split())


def fold_tokens(text: str) -> list[str]:
    """The folded words of a text, ready for PhraseIndex.scan."""
    return normalize(text).split()


def token_before(tokens: list[str], index: int, back: int = 1) -> str:
    """The token `back` places before `index`, or "" at the start."""
    j = index - back
    return tokens[j] if j >= 0 else ""
