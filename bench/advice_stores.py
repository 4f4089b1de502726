"""The stores the advice evaluation runs on, loaded the way the bot loads them.

Three kinds: the bundled sample store (through the `seed-demo` command's own loader), a store
priced ten times below the Indonesian endorse bands with many cheap small accounts (where
choosing by score per Rupiah buys a handful of micro accounts with a large budget), and a
store whose target cities hold only two fitting accounts each while other cities hold
plenty (where a walk-in business's budget drifts to accounts far from its customers).

The generated accounts are invented; their figures follow the public benchmarks of
PRODUCT.md (ER by size, reach as a share of followers falling with size, price bands), so
only the prices of the cheap store are off, and deliberately so.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import random
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import Engine

from bot.domain import INFLUENCER_CSV_COLUMNS, Platform, Tier
from bot.store.bulk import import_rows
from bot.store.stream import parse_influencer_csv
from models.db import session_scope

# Cities with their provinces (canonical names of bot.data.places).
CITY_PROVINCE: dict[str, str] = {
    "Jakarta": "DKI Jakarta",
    "Surabaya": "Jawa Timur",
    "Malang": "Jawa Timur",
    "Bandung": "Jawa Barat",
    "Bekasi": "Jawa Barat",
    "Bogor": "Jawa Barat",
    "Depok": "Jawa Barat",
    "Yogyakarta": "DI Yogyakarta",
    "Semarang": "Jawa Tengah",
    "Tangerang": "Banten",
    "Medan": "Sumatera Utara",
    "Makassar": "Sulawesi Selatan",
    "Denpasar": "Bali",
    "Palembang": "Sumatera Selatan",
}
# Where generated accounts live, weighted like the market (Jakarta first).
_CITY_WEIGHTS: dict[str, float] = {
    "Jakarta": 10,
    "Surabaya": 5,
    "Bandung": 5,
    "Yogyakarta": 3,
    "Semarang": 3,
    "Tangerang": 3,
    "Medan": 3,
    "Makassar": 2,
    "Denpasar": 2,
    "Malang": 2,
    "Bekasi": 2,
    "Palembang": 1.5,
}

# Followers per tier [low, high); YouTube and Facebook draw the macro line at 250k.
_FOLLOWERS: dict[Tier, tuple[int, int]] = {
    Tier.NANO: (2_000, 10_000),
    Tier.MICRO: (10_000, 100_000),
    Tier.MACRO: (100_000, 1_000_000),
    Tier.MEGA: (1_000_000, 8_000_000),
}
# Price per post at the bottom and top of each tier (Indonesian surveys 2024-2025).
_PRICE: dict[Tier, tuple[int, int]] = {
    Tier.NANO: (75_000, 450_000),
    Tier.MICRO: (500_000, 4_000_000),
    Tier.MACRO: (2_500_000, 12_000_000),
    Tier.MEGA: (12_000_000, 50_000_000),
}
# Engagement rate (%) at the bottom and top of each tier (HypeAuditor 2024, Instagram).
_ER: dict[Tier, tuple[float, float]] = {
    Tier.NANO: (4.3, 2.4),
    Tier.MICRO: (2.3, 1.6),
    Tier.MACRO: (1.6, 1.5),
    Tier.MEGA: (1.5, 1.3),
}
# Views of a post as a share of followers at the bottom and top of each tier.
_VIEWS: dict[Tier, tuple[float, float]] = {
    Tier.NANO: (0.20, 0.16),
    Tier.MICRO: (0.16, 0.08),
    Tier.MACRO: (0.08, 0.03),
    Tier.MEGA: (0.03, 0.015),
}
_PLATFORM_ER = {Platform.INSTAGRAM: 1.0, Platform.TIKTOK: 1.8, Platform.YOUTUBE: 0.8}
_PLATFORM_VIEWS = {Platform.INSTAGRAM: 1.0, Platform.TIKTOK: 2.0, Platform.YOUTUBE: 0.7}
_PLATFORM_PRICE = {Platform.INSTAGRAM: 1.0, Platform.TIKTOK: 0.9, Platform.YOUTUBE: 1.6}


@dataclass(frozen=True)
class Spec:
    """What one generated account must be; the figures are drawn."""

    platform: Platform
    tier: Tier
    niches: tuple[str, ...]
    city: str | None  # None: a nationwide creator with no city or province
    sound: bool = False  # True: a real audience for sure (no sign of bought followers)


class _Accounts:
    """Draws accounts with consistent figures; handles are unique within one store."""

    def __init__(self, seed: int, *, price_scale: dict[Tier, float] | None = None) -> None:
        self.rng = random.Random(seed)
        self.price_scale = price_scale or {}
        self.count = 0

    def row(self, spec: Spec) -> dict[str, str]:
        rng = self.rng
        self.count += 1
        low, high = _FOLLOWERS[spec.tier]
        if spec.platform is Platform.YOUTUBE and spec.tier is Tier.MICRO:
            high = 250_000
        elif spec.platform is Platform.YOUTUBE and spec.tier is Tier.MACRO:
            low = 250_000
        pos = rng.random()  # where the account sits inside its tier, in log space
        followers = int(math.exp(math.log(low) + pos * (math.log(high) - math.log(low))))
        followers = max(low, min(high - 1, round(followers, -1 if followers < 100_000 else -2)))

        def along(bounds: tuple[float, float]) -> float:
            a, b = bounds
            return a + (b - a) * pos

        bought = not spec.sound and rng.random() < 0.12
        quality = rng.randint(15, 49) if bought else rng.randint(55, 95)
        er = along(_ER[spec.tier]) * _PLATFORM_ER[spec.platform] * math.exp(rng.gauss(0, 0.25))
        if quality < 50:
            er *= 0.5
        views = followers * along(_VIEWS[spec.tier]) * _PLATFORM_VIEWS[spec.platform]
        views *= math.exp(rng.gauss(0, 0.3))
        p_low, p_high = _PRICE[spec.tier]
        price = math.exp(math.log(p_low) + pos * (math.log(p_high) - math.log(p_low)))
        price *= (
            _PLATFORM_PRICE[spec.platform]
            * math.exp(rng.gauss(0, 0.2))
            * self.price_scale.get(spec.tier, 1.0)
        )
        step = 5_000 if price < 1_000_000 else 50_000
        handle = f"{spec.niches[0].split()[0].lower()}_{spec.platform.value[:2]}_{self.count}"
        return {
            "platform": spec.platform.value,
            "handle": handle,
            "name": f"{spec.niches[0].split()[0]} {spec.city or 'Nusantara'} {self.count}",
            "niches": "|".join(spec.niches),
            "city": spec.city or "",
            "province": CITY_PROVINCE[spec.city] if spec.city else "",
            "followers": str(followers),
            "engagement_rate": "" if rng.random() < 0.15 else f"{min(er, 15.0):.2f}",
            "avg_views": "" if rng.random() < 0.25 else str(max(100, int(views))),
            "price_idr": str(max(step, round(price / step) * step)),
            "audience_quality": "" if rng.random() < 0.15 else str(quality),
            "contact": "",
        }


def to_csv(rows: Iterable[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=INFLUENCER_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _draw_specs(
    rng: random.Random,
    count: int,
    niches: tuple[str, ...],
    platforms: dict[Platform, float],
    tiers: dict[Tier, float],
    *,
    avoid: Collection[tuple[str, Platform, str | None]] = (),
    cities: dict[str, float] | None = None,
) -> list[Spec]:
    """`count` specs with the given shares; (niche, platform, city) in `avoid` never drawn."""
    weights = cities or _CITY_WEIGHTS
    specs: list[Spec] = []
    while len(specs) < count:
        platform = rng.choices(list(platforms), list(platforms.values()))[0]
        tier = rng.choices(list(tiers), list(tiers.values()))[0]
        primary = rng.choice(niches)
        extra = [n for n in niches if n != primary]
        own = (primary, *rng.sample(extra, 1)) if rng.random() < 0.4 else (primary,)
        city: str | None = rng.choices(list(weights), list(weights.values()))[0]
        if rng.random() < 0.04:
            city = None
        if any((n, platform, city) in avoid for n in own):
            continue
        specs.append(Spec(platform, tier, own, city))
    return specs


CHEAP_NICHES = ("Kuliner", "Fashion", "Kecantikan", "Gaya Hidup", "Teknologi & Gadget")
#: price as a share of the market band: small accounts at a tenth, big ones at a quarter
CHEAP_SCALE = {Tier.NANO: 0.1, Tier.MICRO: 0.1, Tier.MACRO: 0.25, Tier.MEGA: 0.25}


def cheap_store(count: int = 900, *, seed: int = 11) -> bytes:
    """Accounts priced far below the market bands (CHEAP_SCALE), most of them nano and micro."""
    rng = random.Random(seed)
    specs = _draw_specs(
        rng,
        count,
        CHEAP_NICHES,
        {Platform.INSTAGRAM: 0.55, Platform.TIKTOK: 0.3, Platform.YOUTUBE: 0.15},
        {Tier.NANO: 0.3, Tier.MICRO: 0.5, Tier.MACRO: 0.15, Tier.MEGA: 0.05},
    )
    accounts = _Accounts(seed, price_scale=CHEAP_SCALE)
    return to_csv(accounts.row(spec) for spec in specs)


#: (niche, platform, city) where the thin store holds exactly two fitting accounts
THIN_TARGETS: tuple[tuple[str, Platform, str], ...] = (
    ("Kecantikan", Platform.INSTAGRAM, "Medan"),
    ("Edukasi", Platform.INSTAGRAM, "Makassar"),
    ("Kuliner", Platform.TIKTOK, "Bandung"),
)
THIN_NICHES = ("Kecantikan", "Edukasi", "Kuliner", "Fashion", "Kesehatan & Kebugaran")


def thin_city_store(count: int = 700, *, seed: int = 23) -> bytes:
    """Market prices; each THIN_TARGETS city holds two fitting accounts, other cities plenty.

    The target cities still hold accounts of other niches and platforms, and Bandung's
    province (Jawa Barat) holds plenty of fitting ones, so the province level is tried too.
    """
    rng = random.Random(seed)
    platforms = {Platform.INSTAGRAM: 0.55, Platform.TIKTOK: 0.35, Platform.YOUTUBE: 0.1}
    tiers = {Tier.NANO: 0.2, Tier.MICRO: 0.5, Tier.MACRO: 0.22, Tier.MEGA: 0.08}
    specs = _draw_specs(rng, count, THIN_NICHES, platforms, tiers, avoid=set(THIN_TARGETS))
    for niche, platform, city in THIN_TARGETS:
        # the two local ones: a nano and a micro, the size a local business can afford
        specs.append(Spec(platform, Tier.NANO, (niche,), city, sound=True))
        specs.append(Spec(platform, Tier.MICRO, (niche, "Gaya Hidup"), city, sound=True))
        # the same city in other niches, so the city is not simply empty
        others = [n for n in THIN_NICHES if n != niche]
        specs += [Spec(platform, Tier.MICRO, (rng.choice(others),), city) for _ in range(6)]
    rng.shuffle(specs)
    accounts = _Accounts(seed)
    return to_csv(accounts.row(spec) for spec in specs)


def load_csv(engine: Engine, data: bytes, *, source: str) -> int:
    """Import a CSV as `python -m bot import-influencers` does; it must parse cleanly."""
    parsed = parse_influencer_csv(data)
    assert not parsed.errors, parsed.errors[:3]
    with session_scope(engine) as session:
        import_rows(session, parsed.rows, source=source)
    return len(parsed.rows)


def load_sample(engine: Engine) -> None:
    """The bundled SAMPLE store, through the `seed-demo` command's own loader."""
    from bot.cli import commands

    with contextlib.redirect_stdout(io.StringIO()):
        commands.seed(engine, if_empty=False)
