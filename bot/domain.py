"""Shared domain vocabulary: niches, goals, platforms, tiers, briefs and candidates.

Plain Python with no Telegram or database imports, so every layer (parsers, the
recommendation engine, the command line, handlers) speaks the same types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

# The closed niche list from PRODUCT.md, in display order. These strings are the
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

# The influencer CSV contract (PRODUCT.md): the importer reads it, the sample store and the
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


@dataclass(frozen=True)
class Location:
    """A target area. `cities`/`provinces` hold canonical names (see bot.language.places)."""

    kind: LocationKind
    name: str
    cities: frozenset[str] = field(default_factory=frozenset)
    provinces: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_national(self) -> bool:
        return self.kind == "national"

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,
            "cities": sorted(self.cities),
            "provinces": sorted(self.provinces),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Location:
        return cls(
            kind=data["kind"],
            name=data["name"],
            cities=frozenset(data.get("cities", ())),
            provinces=frozenset(data.get("provinces", ())),
        )


NATIONWIDE = Location(kind="national", name="Seluruh Indonesia")


@dataclass(frozen=True)
class Brief:
    """What the owner wants: everything the engine needs to recommend."""

    niche: str
    goal: Goal
    budget: int  # Rupiah
    platform: Platform
    location: Location

    def to_dict(self) -> dict:
        return {
            "niche": self.niche,
            "goal": self.goal.value,
            "budget": self.budget,
            "platform": self.platform.value,
            "location": self.location.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Brief:
        return cls(
            niche=data["niche"],
            goal=Goal(data["goal"]),
            budget=int(data["budget"]),
            platform=Platform(data["platform"]),
            location=Location.from_dict(data["location"]),
        )


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

    @property
    def tier(self) -> Tier:
        return tier_of(self.followers, self.platform)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "platform": self.platform.value,
            "handle": self.handle,
            "name": self.name,
            "niches": list(self.niches),
            "city": self.city,
            "province": self.province,
            "followers": self.followers,
            "engagement_rate": self.engagement_rate,
            "avg_views": self.avg_views,
            "price_idr": self.price_idr,
            "audience_quality": self.audience_quality,
            "contact": self.contact,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Candidate:
        return cls(
            id=int(data["id"]),
            platform=Platform(data["platform"]),
            handle=data["handle"],
            name=data["name"],
            niches=tuple(data["niches"]),
            city=data.get("city"),
            province=data.get("province"),
            followers=int(data["followers"]),
            engagement_rate=data.get("engagement_rate"),
            avg_views=data.get("avg_views"),
            price_idr=int(data["price_idr"]),
            audience_quality=data.get("audience_quality"),
            contact=data.get("contact"),
        )
