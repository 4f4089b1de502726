"""Real-looking influencer stores for engine tests: tiers priced as Indonesian endorse rates."""

from __future__ import annotations

import random
from collections.abc import Sequence
from itertools import count

from bot.domain import Candidate, Platform

_ids = count(1_000_000)

# (followers low, high, price low, high): nano, micro, macro, mega
TIERS = {
    "nano": (3_000, 10_000, 150_000, 500_000),
    "micro": (10_000, 100_000, 500_000, 3_000_000),
    "macro": (100_000, 1_000_000, 3_000_000, 15_000_000),
    "mega": (1_000_000, 5_000_000, 15_000_000, 60_000_000),
}
PROVINCE = {
    "Jakarta": "DKI Jakarta",
    "Bandung": "Jawa Barat",
    "Bekasi": "Jawa Barat",
    "Surabaya": "Jawa Timur",
    "Malang": "Jawa Timur",
    "Yogyakarta": "DI Yogyakarta",
    "Semarang": "Jawa Tengah",
    "Medan": "Sumatera Utara",
    "Binjai": "Sumatera Utara",
    "Makassar": "Sulawesi Selatan",
    "Denpasar": "Bali",
    "Tangerang": "Banten",
}


def account(
    tier: str,
    city: str,
    rng: random.Random,
    *,
    niches: tuple[str, ...] = ("Kuliner",),
    quality: int | None = None,
    platform: Platform = Platform.INSTAGRAM,
    price_scale: float = 1.0,
) -> Candidate:
    """One account whose views, ER and price real accounts of its size could have."""
    f_lo, f_hi, p_lo, p_hi = TIERS[tier]
    followers = int(rng.uniform(f_lo, f_hi))
    views_share = {"nano": 0.2, "micro": 0.12, "macro": 0.08, "mega": 0.05}[tier]
    views = int(followers * views_share * rng.uniform(0.6, 1.4))
    er = round(views / followers * 100 * rng.uniform(0.05, 0.15), 2)  # 5-15% of viewers
    price = int(rng.uniform(p_lo, p_hi) * price_scale) // 25_000 * 25_000 or 25_000
    i = next(_ids)
    return Candidate(
        id=i,
        platform=platform,
        handle=f"{tier}_{city.lower()}_{i}",
        name=f"{city} {tier} {i}",
        niches=niches,
        city=city,
        province=PROVINCE[city],
        followers=followers,
        engagement_rate=er,
        avg_views=views,
        price_idr=price,
        audience_quality=quality if quality is not None else rng.randint(60, 92),
    )


def store(
    spec: dict[str, dict[str, int]],
    *,
    seed: int = 1,
    niches: tuple[str, ...] = ("Kuliner",),
    price_scale: float = 1.0,
) -> list[Candidate]:
    """{city: {tier: how many}} -> accounts, reproducibly."""
    rng = random.Random(seed)
    return [
        account(tier, city, rng, niches=niches, price_scale=price_scale)
        for city, tiers in spec.items()
        for tier, n in tiers.items()
        for _ in range(n)
    ]


def cities(picks: Sequence) -> set[str | None]:
    return {p.candidate.city for p in picks}
