"""Shared domain vocabulary: niches, goals, platforms, tiers, briefs and candidates.

Plain Python with no Telegram or database imports, so every layer (parsers, the
recommendation engine, the command line, handlers) speaks the same types. `JsonShape`
is how these dataclasses (and the results built from them) are stored as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import PlainSerializer, TypeAdapter

T = TypeVar("T")


class JsonShape(Generic[T]):
    """A dataclass as the database stores it: JSON-safe dicts, read back by pydantic.

    Enums become their values, tuples and sets lists, dict keys strings; loading converts
    them back and checks the types. Rows written earlier must keep loading, so a stored
    type only gains fields with defaults. The adapter is built on first use because
    building it walks the whole nested type.
    """

    def __init__(self, cls: type[T]) -> None:
        self._cls = cls
        self._adapter: TypeAdapter[T] | None = None

    def _get(self) -> TypeAdapter[T]:
        if self._adapter is None:
            self._adapter = TypeAdapter(self._cls)
        return self._adapter

    def dump(self, value: T) -> dict[str, Any]:
        return self._get().dump_python(value, mode="json")

    def load(self, data: Any) -> T:
        return self._get().validate_python(data)


# The closed niche list, in display order. These strings are the
# canonical names stored in the database and shown to users.
NICHES: tuple[str, ...] = (
    "Kuliner",
    "Fashion",
    "Kecantikan",
    "Kesehatan & Kebugaran",
    "Teknologi & Gadget",
    "Parenting & Keluarga",
    "Travel",
    "Otomotif",
    "Edukasi",
    "Gaya Hidup",
    "Gaming",
    "Keuangan",
    "Hiburan",
    "Olahraga",
    "Hobi & Kerajinan",
    "Properti & Rumah",
    "Pertanian",
    "Bisnis & B2B",
)

# The influencer CSV contract: the importer reads it, the sample store and the
# candidates download write it, so the three can never drift apart.
INFLUENCER_CSV_COLUMNS: tuple[str, ...] = (
    "platform",
    "handle",
    "name",
    "niches",
    "city",
    "province",
    "followers",
    "engagement_rate",
    "avg_views",
    "price_idr",
    "audience_quality",
    "contact",
)

# Niches whose products need BPOM / PIRT registration before they are advertised.
REGULATED_NICHES: frozenset[str] = frozenset({"Kuliner", "Kecantikan", "Kesehatan & Kebugaran"})


class Goal(StrEnum):
    AWARENESS = "awareness"
    ENGAGEMENT = "engagement"
    SALES = "sales"


class Platform(StrEnum):
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    FACEBOOK = "facebook"
    X = "x"


PLATFORM_LABELS: dict[Platform, str] = {
    Platform.INSTAGRAM: "Instagram",
    Platform.TIKTOK: "TikTok",
    Platform.YOUTUBE: "YouTube",
    Platform.FACEBOOK: "Facebook",
    Platform.X: "X",
}


class Tier(StrEnum):
    NANO = "nano"
    MICRO = "micro"
    MACRO = "macro"
    MEGA = "mega"


class Strategy(StrEnum):
    MICRO = "micro"
    MACRO = "macro"
    MIX = "mix"


class BusinessKind(StrEnum):
    """Where the customers are, which decides whose audience counts.

    WALK_IN: customers come to the place (warung, kafe, salon, klinik, bimbel), so the
    audience must live in the target city. ONLINE: the product ships anywhere in the
    market. DESTINATION: guests travel in (villa, wisata), so the audience that matters
    lives in the cities the guests come from.
    """

    WALK_IN = "walk_in"
    ONLINE = "online"
    DESTINATION = "destination"


# On YouTube and Facebook the seed article puts the macro line at 250k subscribers/likes.
_MACRO_LINE = {Platform.YOUTUBE: 250_000, Platform.FACEBOOK: 250_000}


def tier_of(followers: int, platform: Platform | str) -> Tier:
    """Tier by follower count, with the higher macro line on YouTube and Facebook."""
    macro_line = _MACRO_LINE.get(Platform(platform), 100_000)
    if followers >= 1_000_000:
        return Tier.MEGA
    if followers >= macro_line:
        return Tier.MACRO
    if followers >= 10_000:
        return Tier.MICRO
    return Tier.NANO


def strategy_of(tier: Tier) -> Strategy:
    """The single-tier strategy a tier belongs to (micro: nano+micro, macro: macro+mega)."""
    return Strategy.MICRO if tier in (Tier.NANO, Tier.MICRO) else Strategy.MACRO


LocationKind = Literal["city", "province", "region", "national"]
# Sorted when stored, so one place always gives the same JSON.
PlaceNames = Annotated[
    frozenset[str], PlainSerializer(sorted, return_type=list[str], when_used="json")
]


@dataclass(frozen=True)
class Location:
    """A target area. `cities`/`provinces` hold canonical names (see bot.language.places)."""

    kind: LocationKind
    name: str
    cities: PlaceNames = field(default_factory=frozenset)
    provinces: PlaceNames = field(default_factory=frozenset)

    @property
    def is_national(self) -> bool:
        return self.kind == "national"


NATIONWIDE = Location(kind="national", name="Seluruh Indonesia")


@dataclass(frozen=True)
class Brief:
    """What the owner wants: everything the engine needs to recommend."""

    niche: str
    goal: Goal
    budget: int  # Rupiah
    platform: Platform
    location: Location
    #: None = not known (briefs stored before it was asked; the engine then ranks city,
    #: province, nationwide as it always did)
    business: BusinessKind | None = None


@dataclass(frozen=True)
class Candidate:
    """One influencer from the store, as the engine sees it."""

    id: int
    platform: Platform
    handle: str  # stored without "@", lower case
    name: str
    niches: tuple[str, ...]  # canonical niche names, primary first
    city: str | None
    province: str | None
    followers: int
    engagement_rate: float | None  # percent per follower, e.g. 3.2 means 3.2%
    avg_views: int | None
    price_idr: int
    audience_quality: int | None  # 0-100
    contact: str | None = None
    sample: bool = False  # an invented account of the bundled sample store
    #: listed by the influencer (/daftar) and not yet verified by the operator
    self_reported: bool = False
    #: the rate card, (content format, price) pairs; `price_idr` is the platform's main format
    formats: tuple[tuple[str, int], ...] = ()
    #: the format `price_idr` pays for when the engine chose one from the rate card
    content_format: str | None = None

    @property
    def tier(self) -> Tier:
        return tier_of(self.followers, self.platform)


LOCATION_JSON = JsonShape(Location)
BRIEF_JSON = JsonShape(Brief)
