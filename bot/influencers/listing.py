"""Influencers listing themselves (/daftar): reading each answer, the sanity bounds, saving.

Decisions:
- A listing is a row of the global store with source "self" and no `verified_at` until the
  operator verifies it (`python -m bot claims verify`); every save by the influencer voids
  an earlier verification, since the figures changed.
- Engagement rate, average views and audience quality are not asked (they cannot be
  checked in a chat): a new row leaves them unknown, a row the operator imported keeps
  the measured ones.
- The row's `price_idr` is the platform's main format (Instagram reels, TikTok video, ...),
  so the ranking and budget fit use a price comparable with imported rows.
- Bounds on a price (per post): at least Rp10.000 (below that "ribuan" was surely meant), at
  most Rp2 miliar, and at most max(Rp1 jt, Rp1.000 per follower). PRODUCT.md's survey puts
  the top of the market at about Rp500 per follower for nano accounts (Rp500rb for under
  10k) and far less for bigger ones, so twice that is generous while a 2.000-follower
  account asking Rp50 jt is refused as a typo.
- A story priced above reels or feed is allowed (some accounts sell stories as bundles);
  the recap points it out so a swapped pair is caught before saving.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlmodel import Session

from bot.advisor.contacts import whatsapp_number
from bot.campaigns.members import DEFAULT_CONTENT, MAX_FOLLOWERS
from bot.domain import Platform
from bot.language import money
from bot.language.niches import parse_niche
from bot.language.places import canonical_city, city_province
from bot.store.importer import InfluencerRow, search_entries
from models import listings
from models.influencers import Influencer

#: the content formats each platform sells, its main format first
PLATFORM_FORMATS: dict[Platform, tuple[str, ...]] = {
    Platform.INSTAGRAM: ("reels", "feed", "story"),
    Platform.TIKTOK: ("video", "story"),
    Platform.YOUTUBE: ("video",),
    Platform.FACEBOOK: ("feed", "reels", "story", "video"),
    Platform.X: ("feed", "video"),
}
assert all(PLATFORM_FORMATS[p][0] == DEFAULT_CONTENT[p] for p in Platform)

MAX_NICHES = 3
MIN_PRICE = 10_000
MAX_PRICE = 2_000_000_000
MAX_PER_FOLLOWER = 1_000  # Rupiah per follower per post; see the module's decisions
PRICE_FLOOR_CAP = 1_000_000  # any account may ask up to this
_HANDLE = re.compile(r"[a-z0-9._-]{1,64}")  # the store's handle form (bot.store.importer)
_PROFILE_HOSTS = {
    "instagram.com": Platform.INSTAGRAM,
    "instagr.am": Platform.INSTAGRAM,
    "tiktok.com": Platform.TIKTOK,
    "youtube.com": Platform.YOUTUBE,
    "facebook.com": Platform.FACEBOOK,
    "fb.com": Platform.FACEBOOK,
    "x.com": Platform.X,
    "twitter.com": Platform.X,
}
#: first path segments of profile hosts that are not an account (posts, pages, share links)
_NOT_ACCOUNTS = frozenset(
    {
        "p",
        "reel",
        "reels",
        "tv",
        "watch",
        "video",
        "videos",
        "shorts",
        "explore",
        "channel",
        "profile.php",
        "share",
        "hashtag",
        "tag",
        "tags",
        "i",
        "home",
        "search",
        "playlist",
    }
)
#: "kuliner, travel", "makanan sm jalan2", "fashion & beauty", "masak dan review"
_NICHE_SPLIT = re.compile(r"\s*(?:[,;/\n+&]|\b(?:dan|sama|sm|serta|and|n)\b)\s*", re.IGNORECASE)
SKIP_WORDS = frozenset({"lewati", "skip", "-", "tidak", "tidak ada", "ga ada", "gak ada", "nggak"})


class ListingError(ValueError):
    """Bad input or a refused request; `code` picks the Indonesian explanation."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def main_format(platform: Platform) -> str:
    return DEFAULT_CONTENT[platform]


def read_handle(text: str, platform: Platform) -> str:
    """ "@rina.kuliner", "instagram.com/rina.kuliner" or "tiktok.com/@rina" as the store's
    handle ("rina.kuliner"); a profile link of another platform is refused."""
    raw = text.strip()
    if re.search(r"[a-z0-9-]+\.[a-z]{2,}/", raw.lower()) or raw.lower().startswith("http"):
        parts = urlsplit(raw if "://" in raw else "https://" + raw)
        host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
        named = _PROFILE_HOSTS.get(host)
        if named is None:
            raise ListingError("handle_link", text=raw[:60])
        if named != platform:
            raise ListingError("handle_other_platform", named=named.value, chosen=platform.value)
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) > 1 and segments[0].lower() in ("c", "user", "stories"):
            segments = segments[1:]  # youtube.com/c/<name>, instagram.com/stories/<name>/...
        if not segments or segments[0].lower() in _NOT_ACCOUNTS:
            raise ListingError("handle_link", text=raw[:60])
        raw = segments[0]
    handle = raw.removeprefix("@").strip().lower()
    if not handle:
        raise ListingError("handle_empty")
    if not _HANDLE.fullmatch(handle):
        raise ListingError("handle_invalid", text=raw[:40])
    return handle


def read_niches(text: str) -> list[str]:
    """One to three niches from the closed list, by name or everyday word ("skincare")."""
    found: list[str] = []
    for part in _NICHE_SPLIT.split(text.strip()):
        if not part:
            continue
        niche = parse_niche(part)
        if niche is None:
            raise ListingError("niche_unknown", text=part[:40])
        if niche not in found:
            found.append(niche)
    if not found:
        raise ListingError("niche_unknown", text=text.strip()[:40])
    if len(found) > MAX_NICHES:
        raise ListingError("niches_many", count=len(found))
    return found


def read_city(text: str) -> tuple[str, str | None]:
    """A known city (or a province's capital) and its province; anything else is asked again."""
    city = canonical_city(text.strip()[:80])
    if city is None:
        raise ListingError("city_unknown", text=text.strip()[:40])
    return city, city_province(city)


def read_followers(text: str) -> int:
    """ "12rb", "12.500", "1,2 jt", "12k followers"; zero, negative or over a billion refused."""
    clean = text.strip()[:60]
    if clean.startswith("-"):
        raise ListingError("followers_negative")
    count = money.parse_count(clean)
    if count is None:
        raise ListingError("followers_unreadable", text=clean[:40])
    if count <= 0:
        raise ListingError("followers_zero")
    if count > MAX_FOLLOWERS:
        raise ListingError("followers_absurd", count=count)
    return count


def price_cap(followers: int) -> int:
    return min(MAX_PRICE, max(PRICE_FLOOR_CAP, followers * MAX_PER_FOLLOWER))


def read_price(text: str, *, followers: int, fmt: str) -> int:
    """A price per post in the budget forms ("750rb", "1,5jt", "Rp 1.500.000")."""
    clean = text.strip()[:60]
    if clean.startswith("-"):
        raise ListingError("price_unreadable", text=clean[:40], fmt=fmt)
    price = money.parse_amount(clean)
    if price is None:
        raise ListingError("price_unreadable", text=clean[:40], fmt=fmt)
    if price < MIN_PRICE:
        raise ListingError("price_small", price=price, fmt=fmt, thousands=price * 1000)
    if price > MAX_PRICE:
        raise ListingError("price_large", price=price, fmt=fmt)
    if price > price_cap(followers):
        raise ListingError(
            "price_for_followers",
            price=price,
            fmt=fmt,
            followers=followers,
            cap=price_cap(followers),
        )
    return price


def is_skip(text: str) -> bool:
    return text.strip().lower().rstrip(".!") in SKIP_WORDS


def read_whatsapp(text: str) -> str:
    """A WhatsApp number as a wa.me link the contact view understands."""
    number = whatsapp_number(text.strip()[:60])
    if number is None:
        raise ListingError("contact_unreadable", text=text.strip()[:40])
    return f"wa.me/{number}"


def telegram_contact(username: str) -> str:
    return f"t.me/{username}"


def story_above(rates: dict[str, int]) -> bool:
    """A story priced above the feed or reels post of the same account (pointed out, allowed)."""
    story = rates.get("story")
    posts = [rates[f] for f in ("reels", "feed") if f in rates]
    return story is not None and bool(posts) and story > min(posts)


@dataclass(frozen=True)
class Draft:
    """A complete listing as the form collected it."""

    platform: Platform
    handle: str
    name: str
    niches: tuple[str, ...]
    city: str
    province: str | None
    followers: int
    rates: dict[str, int]
    contact: str

    def check(self) -> None:
        """The whole draft again, as a forged or outdated form could skip a step."""
        allowed = PLATFORM_FORMATS[self.platform]
        for fmt, price in self.rates.items():
            if fmt not in allowed:
                raise ListingError("format_not_on_platform", fmt=fmt, platform=self.platform.value)
            read_price(str(price), followers=self.followers, fmt=fmt)
        if main_format(self.platform) not in self.rates:
            raise ListingError("main_price_missing", fmt=main_format(self.platform))
        if not 1 <= len(self.niches) <= MAX_NICHES:
            raise ListingError("niches_many", count=len(self.niches))


@dataclass(frozen=True)
class Saved:
    influencer: Influencer
    new: bool


def save(session: Session, draft: Draft, *, user_id: int, chat_id: int) -> Saved:
    """Write the listing in the caller's transaction, or refuse with only the request kept.

    A handle another Telegram account holds is refused: the attempt is recorded once for the
    operator (`claims list`) and nothing else is written.
    """
    draft.check()
    platform, handle = draft.platform.value, draft.handle
    claim = listings.take_claim(
        session, platform=platform, handle=handle, user_id=user_id, chat_id=chat_id
    )
    if claim is None:
        listings.record_request(
            session, platform=platform, handle=handle, user_id=user_id, chat_id=chat_id
        )
        raise ListingError("claimed", handle=handle, platform=platform)
    old = listings.global_row(session, platform=platform, handle=handle)
    price = draft.rates[main_format(draft.platform)]
    row = InfluencerRow(
        line=0,
        platform=platform,
        handle=handle,
        name=draft.name,
        niches=draft.niches,
        city=draft.city,
        province=draft.province,
        followers=draft.followers,
        engagement_rate=old.engagement_rate if old else None,
        avg_views=old.avg_views if old else None,
        price_idr=price,
        audience_quality=old.audience_quality if old else None,
        contact=draft.contact or None,
    )
    values = {
        "platform": platform,
        "handle": handle,
        "name": row.name,
        "niches": "|".join(row.niches),
        "city": row.city,
        "province": row.province,
        "followers": row.followers,
        "engagement_rate": row.engagement_rate,
        "avg_views": row.avg_views,
        "price_idr": price,
        "audience_quality": row.audience_quality,
        "contact": row.contact,
    }
    saved = listings.upsert_listing(
        session, values=values, entries=search_entries(row), rates=dict(draft.rates)
    )
    listings.bind_claim(session, claim, influencer_id=saved.id)
    listings.drop_requests(session, platform=platform, handle=handle, user_id=user_id)
    return Saved(saved, new=old is None)


def my_listing(session: Session, *, user_id: int, influencer_id: int) -> listings.Listing:
    """A listing this account holds the claim of; anyone else's reads as missing."""
    for listing in listings.listings_of_user(session, user_id=user_id):
        if listing.claim.influencer_id == influencer_id and listing.influencer is not None:
            return listing
    raise ListingError("listing_not_found")
