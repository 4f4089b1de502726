"""Niches from chat words: "jualan keripik" is Kuliner, "olshop hijab" Fashion.

Owners describe what they sell, not the category, so a few hundred everyday words
(bot.data.niches) map onto the fixed niche list. Generic words ("rumah", "bisnis")
decide only when nothing more specific is named. Everyday phrases that contain a niche word
("di rumah aja", "anak muda", "biar orang pada tahu") name no niche at all.
"""

from __future__ import annotations

from bot.data.business_words import EVERYDAY_PHRASES, KNOW_BEFORE
from bot.data.niches import NICHE_SYNONYMS, WEAK_NICHE_WORDS
from bot.domain import NICHES
from bot.language.text import PhraseIndex, normalize


def _niche_phrases() -> dict[str, tuple[str, bool]]:
    """Phrase -> (niche, weak), including each niche name and its halves."""
    phrases: dict[str, tuple[str, bool]] = {}
    for niche in NICHES:
        phrases[niche] = (niche, False)
        for part in niche.split("&"):
            phrases.setdefault(part.strip(), (niche, False))
    for niche, words in NICHE_SYNONYMS.items():
        if niche not in NICHES:
            raise ValueError(f"synonyms for unknown niche {niche!r}")
        for word in words:
            phrases[word] = (niche, normalize(word) in WEAK_NICHE_WORDS)
    # Read longest-first, these hide the niche word inside them; "" is no niche.
    for phrase in (*EVERYDAY_PHRASES, *(f"{word} tahu" for word in KNOW_BEFORE)):
        phrases[phrase] = ("", True)
    return phrases


_NICHE_INDEX: PhraseIndex[tuple[str, bool]] = PhraseIndex(_niche_phrases())


def niche_mention(tokens: list[str]) -> tuple[str, bool] | None:
    """(niche, weak) for the most specific niche named: strong words beat weak ones."""
    hits = [hit for hit in _NICHE_INDEX.scan(tokens) if hit.value[0]]
    if not hits:
        return None
    strong = [h for h in hits if not h.value[1]]
    pool = strong or hits
    best = max(pool, key=lambda h: (len(h.key), -h.start))
    return best.value


def find_niche(tokens: list[str]) -> str | None:
    """The most specific niche named: strong words beat weak ones, then the longest."""
    mention = niche_mention(tokens)
    return mention[0] if mention is not None else None


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
        return exact[0] or None
    return find_niche(key.split())
