"""Place lookups: free text to canonical city, province, region or nationwide.

Owners type places the way they say them ("Jogja", "Jaksel", "Jabar", "se-Indonesia"),
and the influencer CSV holds free-text cities and provinces; both must land on the same
canonical names so that candidates can be matched city first, then province, then
nationwide. The names themselves are in bot.data.places; the lookup tables built from
them here are made once at import, so a lookup is a few dictionary hits.
"""

from __future__ import annotations

import re
from typing import TypeVar

from bot.data.places import (
    CITIES,
    CITY_ROWS,
    NATIONWIDE_PHRASES,
    PROVINCE_ROWS,
    REGION_ROWS,
    REGIONS,
)
from bot.domain import NATIONWIDE, Location
from bot.language.text import normalize

# --- Text folding -------------------------------------------------------------------

# A capitalised "DI"/"D.I." before a name is "Daerah Istimewa" (DI Yogyakarta, DI Aceh),
# while a lower-case "di" is the preposition "in" ("di Yogyakarta" means the city).
_DAERAH_ISTIMEWA = re.compile(r"^\s*D\.?\s?I\.?(?=\s)")


def _fold_place(text: str) -> str:
    """Fold a place name, reading a capitalised "DI"/"D.I." as Daerah Istimewa."""
    return normalize(_DAERAH_ISTIMEWA.sub("Daerah Istimewa", text))


# --- Lookup tables (built once) -------------------------------------------------------


def _province_location(name: str) -> Location:
    return Location(kind="province", name=name, provinces=frozenset({name}))


def _city_location(city: str) -> Location:
    return Location(
        kind="city", name=city, cities=frozenset({city}), provinces=frozenset({CITIES[city]})
    )


def _spellings(name: str) -> tuple[str, ...]:
    """A name plus the "Sumatra" spelling of "Sumatera" names."""
    if "Sumatera" in name:
        return name, name.replace("Sumatera", "Sumatra")
    return (name,)


def _build_tables() -> tuple[dict[str, str], dict[str, str], dict[str, Location]]:
    """Folded key -> canonical city, -> canonical province, -> Location (for resolve_place)."""
    city_keys: dict[str, str] = {}
    for city, _, aliases in CITY_ROWS:
        for spelling in (city, *aliases):
            city_keys[_fold_place(spelling)] = city
    province_keys: dict[str, str] = {}
    for province, aliases in PROVINCE_ROWS:
        for spelling in (province, *aliases):
            for variant in _spellings(spelling):
                province_keys[_fold_place(variant)] = province
    province_keys[_fold_place("Provinsi Papua")] = "Papua"

    # Priority for resolve_place: nationwide, city, region, province. "Jogja" is a
    # city, "Papua" the whole island, "Provinsi Papua" and "Bali" provinces.
    places: dict[str, Location] = {
        key: _province_location(province) for key, province in province_keys.items()
    }
    for name, aliases, _, _ in REGION_ROWS:
        for spelling in (name, *aliases):
            places[_fold_place(spelling)] = REGIONS[name]
    for key, city in city_keys.items():
        places[key] = _city_location(city)
    for phrase in NATIONWIDE_PHRASES:
        places[normalize(phrase)] = NATIONWIDE
    return city_keys, province_keys, places


_CITY_KEYS, _PROVINCE_KEYS, _PLACE_KEYS = _build_tables()

_T = TypeVar("_T")

# Provinces named after their capital: written in a city column, they mean the city.
_CAPITAL_PROVINCES: dict[str, str] = {"DKI Jakarta": "Jakarta", "DI Yogyakarta": "Yogyakarta"}

# Administrative prefixes that are part of how a place is written, not of its name.
_ADMIN_PREFIX = re.compile(
    r"^(?:kota madya|kotamadya|kota|kabupaten|kab|provinsi|propinsi|prov|pulau) (?=\S)"
)


def _lookup(table: dict[str, _T], key: str) -> _T | None:
    """Look a folded key up, then again without an administrative prefix."""
    if key in table:
        return table[key]
    stripped = _ADMIN_PREFIX.sub("", key)
    return table.get(stripped) if stripped != key else None


# --- Public API -------------------------------------------------------------------------


def resolve_place(text: str) -> Location | None:
    """The Location the whole text names, or None.

    City names give a city Location (with its province for the fallback), province
    names a province, metro areas and islands a region, and "seluruh Indonesia" and
    friends NATIONWIDE. Case, spacing and punctuation do not matter.
    """
    if not text:
        return None
    key = _fold_place(text)
    if not key:
        return None
    return _lookup(_PLACE_KEYS, key)


def canonical_city(text: str) -> str | None:
    """Canonical city name for a free-text city, or None when it is not known."""
    if not text:
        return None
    key = _fold_place(text)
    city = _lookup(_CITY_KEYS, key)
    if city is None:
        city = _CAPITAL_PROVINCES.get(_lookup(_PROVINCE_KEYS, key) or "")
    return city


def canonical_province(text: str) -> str | None:
    """Canonical province name for a free-text province, or None when it is not known.

    In a province column a lower-case "di" cannot be the preposition, so "di yogyakarta"
    is read as DI Yogyakarta here (unlike in chat).
    """
    if not text:
        return None
    key = _fold_place(text)
    province = _lookup(_PROVINCE_KEYS, key)
    if province is None and key.startswith("di "):
        province = _PROVINCE_KEYS.get("daerah istimewa " + key[3:])
    return province


def _clean(value: str | None) -> str | None:
    """Strip and collapse whitespace; empty becomes None."""
    if value is None:
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


def canonical_place(city: str | None, province: str | None) -> tuple[str | None, str | None]:
    """Normalise a (city, province) pair from the influencer CSV.

    Known names become canonical ("jogja" -> "Yogyakarta", "Jabar" -> "Jawa Barat");
    an empty province is filled from a known city (or from a "city" that is really a
    province, like "Bali"); unknown names are kept as written (tidied) rather than
    dropped, so no information is lost; empty strings become None.
    """
    city_text, province_text = _clean(city), _clean(province)
    canon_city = canonical_city(city_text) if city_text else None
    canon_province = canonical_province(province_text) if province_text else None

    out_city = canon_city or city_text
    out_province = canon_province or province_text
    if out_province is None and city_text:
        # A known city gives its province; a "city" that is a province names it.
        out_province = CITIES[canon_city] if canon_city else canonical_province(city_text)
    return out_city, out_province


def city_province(city: str) -> str | None:
    """The province of a canonical city, or None for an unknown city."""
    return CITIES.get(city)


def place_keys() -> dict[str, Location]:
    """Every folded place key and the Location it names (for in-sentence scanning)."""
    return dict(_PLACE_KEYS)
