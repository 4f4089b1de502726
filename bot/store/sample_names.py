"""Who a sample account is: display name, handle and contact, unique per platform.

Names mix common first names, surnames and brand-like templates per niche, weighted by the
name groups common in the account's city; handles follow real creators' habits; contacts
use reserved example domains, so none is anybody's inbox.
"""

from __future__ import annotations

import random
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from itertools import accumulate
from typing import Any

from bot.data.sample_tables import (
    BRAND_SHARE,
    BRAND_TEMPLATES,
    CITY_BY_NAME,
    CONTACT_DOMAINS,
    CONTACT_PREFIXES,
    GROUP_BIAS,
    GROUP_WEIGHTS,
    HANDLE_DECORATIONS,
    NAME_GROUPS,
)


class Picker:
    """Weighted choice with precomputed cumulative weights: much faster than rng.choices."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, weights: Mapping[Any, float]) -> None:
        self.items = list(weights)
        self.cum = list(accumulate(weights.values()))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:  # items of any type
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


def one(rng: random.Random, items: Sequence[str]) -> str:
    """rng.choice without its overhead (the generator draws ~10 of these per row)."""
    return items[int(rng.random() * len(items))]


# Templates whose words fix the gender ("Bunda" is a mother, "Ayah" a father).
_TEMPLATE_GENDER: dict[str, bool] = {
    template: not template.startswith("Ayah")
    for templates in BRAND_TEMPLATES.values()
    for template in templates
    if template.startswith(("Bunda", "Mama", "Catatan Bunda", "Hijab", "Ayah"))
}

_HANDLE_BAD = re.compile(r"[^a-z0-9]+")
_HANDLE_MAX = 30
_DOTS = re.compile(r"\.{2,}")


class Identities:
    """Names, handles and contacts drawn from the generator's random stream (same seed, same people)."""

    def __init__(self, rng: random.Random, platforms: Iterable[str]) -> None:
        self.rng = rng
        self.taken: dict[str, set[str]] = {p: set() for p in platforms}
        self.names: dict[str, set[str]] = {p: set() for p in self.taken}
        self.next_number: dict[tuple[str, str], int] = {}
        self.group_pick = Picker(GROUP_WEIGHTS)

    def name(self, platform: str, niche: str, city: str) -> tuple[str, str, str]:
        """A display name not yet used on the platform (a few tries), with its first name and surname."""
        used = self.names[platform]
        for _ in range(2):
            name, first, surname = self._draw_name(niche, city)
            if name not in used:
                break
        used.add(name)
        return name, first, surname

    def _draw_name(self, niche: str, city: str) -> tuple[str, str, str]:
        rng = self.rng
        bias = GROUP_BIAS.get(city)
        group = bias if bias and rng.random() < 0.45 else self.group_pick(rng)
        females, males, hon_f, hon_m, surnames = NAME_GROUPS[group]
        template = one(rng, BRAND_TEMPLATES[niche]) if rng.random() < BRAND_SHARE else None
        gendered = _TEMPLATE_GENDER.get(template) if template else None
        female = rng.random() < 0.55 if gendered is None else gendered
        firsts = females if female else males
        first = one(rng, firsts)
        surname = one(rng, surnames)
        if template is not None:
            honorific = one(rng, hon_f if female else hon_m)
            name = template.format(f=first, h=honorific, c=city or "Indonesia")
        else:
            style = rng.random()
            if style < 0.70:
                name = f"{first} {surname}"
            elif style < 0.82:
                name = first
            elif style < 0.92:
                name = f"{first} {one(rng, firsts)}"
            else:
                name = f"{first} {surname[0]}."
            if name.split()[-1] == first and " " in name:  # "Andi Andi"
                name = f"{first} {surname}"
        return name, first, surname

    def handle(self, platform: str, name: str, city: str) -> str:
        """A lowercase [a-z0-9._] handle from the name, unique per platform."""
        rng = self.rng
        words = _handle_words(name)
        if city:
            city_words = _handle_words(city)
            if (
                len(words) > len(city_words)
                and words[-len(city_words) :] == city_words
                and rng.random() < 0.7
            ):
                words = words[: -len(city_words)] + [CITY_BY_NAME[city].short]
        style = rng.random()
        if len(words) == 1:
            # a bare first name is too generic: creators decorate it
            tail = (
                CITY_BY_NAME[city].short
                if city and style < 0.4
                else one(rng, ("id", "official", "daily", "story"))
            )
            base = words[0] + one(rng, ("", ".", "_")) + tail
        elif style < 0.30:
            base = "".join(words)
        elif style < 0.55:
            base = ".".join(words)
        elif style < 0.75:
            base = words[0] + "_" + "".join(words[1:])
        elif style < 0.90:
            base = "_".join(words)
        else:
            base = "".join(words[:-1]) + "." + words[-1]
        base = _trim(base, _HANDLE_MAX)
        if len(base) < 3:
            base = (base + "idn")[:3]
        taken = self.taken[platform]
        handle = base
        if handle in taken:
            for decoration in rng.sample(HANDLE_DECORATIONS, 2):
                handle = _trim(base, _HANDLE_MAX - len(decoration)) + decoration
                if handle not in taken:
                    break
        if handle in taken:
            # numbered like real latecomers ("rina.kusuma2"); the counter keeps this O(1)
            # even when a popular name comes up thousands of times in a big set
            key = (platform, base)
            number = self.next_number.get(key, 2)
            while handle in taken:
                suffix = str(number)
                handle = _trim(base, _HANDLE_MAX - len(suffix)) + suffix
                number += 1
            self.next_number[key] = number
        taken.add(handle)
        return handle

    def contact(self, handle: str, first: str, surname: str) -> str:
        """An address at a reserved example domain: plausible, never anybody's inbox."""
        rng = self.rng
        if rng.random() < 0.5:
            local = _DOTS.sub(".", handle.replace("_", ".")).strip(".")
        else:
            local = ".".join(_handle_words(f"{first} {surname}"))
        return f"{one(rng, CONTACT_PREFIXES)}{local}@{one(rng, CONTACT_DOMAINS)}"


def _handle_words(text: str) -> list[str]:
    return [w for w in _HANDLE_BAD.split(text.lower()) if w]


def _trim(base: str, limit: int) -> str:
    """Cut to `limit` and drop a dangling separator (Instagram rejects a trailing dot)."""
    return base[:limit].rstrip("._")
