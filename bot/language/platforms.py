"""Platforms from names and chat shorthand: "ig", "tt", "yt", "fb", "di x".

Short forms collide with ordinary words ("celana shorts", a lone "x" as "times"), so
they count only where a platform can be meant.
"""

from __future__ import annotations

from bot.domain import Platform
from bot.language.text import PhraseIndex, is_ascii_digits, normalize, token_before

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
_PLATFORM_INDEX: PhraseIndex[Platform] = PhraseIndex(
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


def platforms_named(text: str) -> list[Platform]:
    """Every platform a message names, in order, once each ("ig sm tiktok": both)."""
    tokens = normalize(text).split()
    named: list[Platform] = []
    for hit in _PLATFORM_INDEX.scan(tokens):
        if token_before(tokens, hit.start) in _PLATFORM_FALSE_FRIENDS.get(hit.key, ()):
            continue
        if hit.value not in named:
            named.append(hit.value)
    return named


def find_platform(tokens: list[str]) -> Platform | None:
    """The first platform named in tokens."""
    first: tuple[int, Platform] | None = None
    hits = [
        hit
        for hit in _PLATFORM_INDEX.scan(tokens)
        if token_before(tokens, hit.start) not in _PLATFORM_FALSE_FRIENDS.get(hit.key, ())
    ]
    if hits:
        first = (hits[0].start, hits[0].value)
    for i, token in enumerate(tokens):
        if first is not None and i >= first[0]:
            break
        if token == "x" and token_before(tokens, i) in _X_CUES:
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
    return find_platform(key.split())
