"""Where the customers are, for one brief: how much an account's place counts, and where.

An account's place is matched against the brief as three bits (CITY: its city is one of
the brief's cities; PROVINCE: its province is one of the brief's provinces; ORIGIN: its
city is one the guests of a destination come from). The database computes the same bits
for the shortlist (models.search_rows.scan_search_rows), so the two always agree. Per kind of
business the bits give:
- `fit`: the location factor of the account's value;
- `level`: the location level (0 city, 1 province, 2 national) used to widen the search
  from `start` until the budget can buy enough accounts (see choice._level_for);
- `outside`: the account's audience is not where the customers are (`Pick.outside_area`).

Kinds of business:
- None (not known): city 1.0, province 0.85, elsewhere 0.6, nothing marked outside: the
  behaviour of briefs stored before the kind was asked.
- WALK_IN: customers come to the place, so only the target area really counts: the target
  city 1.0 (the target province when the brief names no city), the rest of its province
  0.3 (a neighbouring town), elsewhere 0.003 ("near nothing": an account from another
  island reaches a few of the city's people at most, so it must be hundreds of times
  bigger than a local one to matter). Everything outside the area is marked.
- ONLINE: the product ships anywhere in the market: the whole store is searched at once
  with a mild preference (city 1.0, province 0.9, elsewhere 0.8); nothing is outside.
- DESTINATION: guests travel in from other cities (bot/data/destinations.py): accounts in
  those cities count fully, accounts around the destination itself 0.8, elsewhere 0.15
  (marked outside). The origins and the destination's surroundings form the first level.
A nationwide brief counts every place fully (1.0) and marks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.advisor.engine.results import LocationMatch
from bot.data.destinations import DEFAULT_ORIGINS, DESTINATION_ORIGINS
from bot.domain import BusinessKind, Candidate, Location

PROVINCE, CITY, ORIGIN = 1, 2, 4  # match bits; a place's code is their sum (0-7)
CODES = range(8)

LOCATION_FIT_DEFAULT = {"city": 1.0, "province": 0.85, "national": 0.6}
WALK_IN_FIT = {"area": 1.0, "province": 0.3, "elsewhere": 0.003}
ONLINE_FIT = {"city": 1.0, "province": 0.9, "national": 0.8}
DESTINATION_FIT = {"origin": 1.0, "local": 0.8, "elsewhere": 0.15}


@dataclass(frozen=True)
class Area:
    """Per match code (0-7): location fit, location level and whether outside the area."""

    fit: tuple[float, ...]
    level: tuple[int, ...]
    outside: tuple[bool, ...]
    start: int  # the narrowest level the search starts from
    national: bool
    cities: frozenset[str]  # case-folded, as are the two below
    provinces: frozenset[str]
    origins: frozenset[str]

    def code(self, city: str | None, province: str | None) -> int:
        """The match bits of a place (names are compared case-insensitively)."""
        c = city.casefold() if city else ""
        p = province.casefold() if province else ""
        return (
            (CITY if c and c in self.cities else 0)
            + (PROVINCE if p and p in self.provinces else 0)
            + (ORIGIN if c and c in self.origins else 0)
        )

    def code_of(self, candidate: Candidate) -> int:
        return self.code(candidate.city, candidate.province)


def location_match(code: int, national: bool) -> LocationMatch:
    """The account's place relative to the brief's target (not to a destination's origins)."""
    if national:
        return "national"
    if code & CITY:
        return "city"
    if code & PROVINCE:
        return "province"
    return "national"


def origins_of(location: Location) -> tuple[str, ...]:
    """The cities a destination's guests come from (the default metros when not listed)."""
    found: list[str] = []
    for name in sorted(location.cities) + sorted(location.provinces):
        found += DESTINATION_ORIGINS.get(name, ())
    return tuple(dict.fromkeys(found)) if found else DEFAULT_ORIGINS


@lru_cache(maxsize=512)
def area_of(location: Location, business: BusinessKind | None) -> Area:
    """The place rules for a brief's target and kind of business (cached: briefs repeat)."""
    cities = frozenset(x.casefold() for x in location.cities)
    provinces = frozenset(x.casefold() for x in location.provinces)
    national = location.is_national
    origins: frozenset[str] = frozenset()
    if business is BusinessKind.DESTINATION and not national:
        origins = frozenset(x.casefold() for x in origins_of(location))
    start = 2 if national else (0 if cities else 1)
    if business is BusinessKind.ONLINE:
        start = 2
    fits, levels, outside = [], [], []
    for code in CODES:
        fit, level, out = _rule(code, business, national, bool(cities))
        fits.append(fit)
        levels.append(level)
        outside.append(out)
    if business is BusinessKind.DESTINATION and not national:
        start = 0
    return Area(
        tuple(fits), tuple(levels), tuple(outside), start, national, cities, provinces, origins
    )


def _rule(
    code: int, business: BusinessKind | None, national: bool, has_cities: bool
) -> tuple[float, int, bool]:
    """(fit, level, outside) of one match code."""
    in_city, in_province = bool(code & CITY), bool(code & PROVINCE)
    level = 0 if in_city else (1 if in_province else 2)
    if national:
        return 1.0, 2, False
    if business is BusinessKind.WALK_IN:
        in_area = in_city if has_cities else in_province
        if in_area:
            return WALK_IN_FIT["area"], level, False
        if in_province:
            return WALK_IN_FIT["province"], level, True
        return WALK_IN_FIT["elsewhere"], level, True
    if business is BusinessKind.DESTINATION:
        if code & ORIGIN:
            return DESTINATION_FIT["origin"], 0, False
        if in_city or in_province:
            return DESTINATION_FIT["local"], 0, False
        return DESTINATION_FIT["elsewhere"], 2, True
    table = ONLINE_FIT if business is BusinessKind.ONLINE else LOCATION_FIT_DEFAULT
    return table[location_match(code, national)], level, False
