"""The kind of business from chat words: "warung" is walk-in, "olshop" online, "villa" a destination.

Whose audience counts depends on where the customers are, and owners say it in passing
("org dateng beli", "jualannya online", "tamu dari luar kota"), so every message is read for
it. A denied word ("bukan online", "ga ada toko offline") says nothing.
"""

from __future__ import annotations

from bot.data.business_words import (
    BUSINESS_ANSWERS,
    BUSINESS_NEGATIONS,
    BUSINESS_PHRASES,
    COMING_WORDS,
    NICHE_KINDS,
)
from bot.domain import BusinessKind, Location
from bot.language.text import Hit, PhraseIndex, normalize, token_before

_INDEX: PhraseIndex[BusinessKind] = PhraseIndex(
    {phrase: kind for kind, phrases in BUSINESS_PHRASES.items() for phrase in phrases}
)
_ANSWERS: PhraseIndex[BusinessKind] = PhraseIndex(
    {phrase: kind for kind, phrases in BUSINESS_ANSWERS.items() for phrase in phrases}
)

#: Button-friendly words for the kinds, also accepted on the command line.
KIND_WORDS: dict[str, BusinessKind] = {
    "walk_in": BusinessKind.WALK_IN,
    "walkin": BusinessKind.WALK_IN,
    "walk-in": BusinessKind.WALK_IN,
    "offline": BusinessKind.WALK_IN,
    "toko": BusinessKind.WALK_IN,
    "datang": BusinessKind.WALK_IN,
    "online": BusinessKind.ONLINE,
    "olshop": BusinessKind.ONLINE,
    "destination": BusinessKind.DESTINATION,
    "destinasi": BusinessKind.DESTINATION,
    "wisata": BusinessKind.DESTINATION,
    "penginapan": BusinessKind.DESTINATION,
}


def _counts(tokens: list[str], hit: Hit[BusinessKind]) -> bool:
    before = {token_before(tokens, hit.start), token_before(tokens, hit.start, 2)}
    if before & BUSINESS_NEGATIONS:
        return False
    following = tokens[hit.end] if hit.end < len(tokens) else ""
    return not (hit.key in COMING_WORDS and following == "dari")  # "datang dari luar kota"


def find_business(tokens: list[str]) -> BusinessKind | None:
    """The kind of business a sentence tells: the longest phrase, the earliest on ties."""
    hits = [hit for hit in _INDEX.scan(tokens) if _counts(tokens, hit)]
    if not hits:
        return None
    return max(hits, key=lambda h: (len(h.key), -h.start)).value


def parse_business(text: str) -> BusinessKind | None:
    """The answer to "where are your customers?": a button word, a phrase or a sentence."""
    key = normalize(text)
    if not key:
        return None
    if (kind := KIND_WORDS.get(key.replace(" ", "_"))) is not None:
        return kind
    tokens = key.split()
    if (kind := _ANSWERS.get(key)) is not None:
        return kind
    if (kind := find_business(tokens)) is not None:
        return kind
    hits = [hit for hit in _ANSWERS.scan(tokens) if _counts(tokens, hit)]
    return hits[0].value if len({h.value for h in hits}) == 1 else None


def business_of_niche(niche: str | None) -> BusinessKind | None:
    """The kind a niche almost always is (Travel: guests come in), else None."""
    return NICHE_KINDS.get(niche or "")


def default_business(niche: str | None, location: Location | None) -> BusinessKind | None:
    """The kind when the owner has not said it: the niche's own, else online nationwide."""
    if (kind := business_of_niche(niche)) is not None:
        return kind
    if location is not None and location.is_national:
        return BusinessKind.ONLINE
    return None
