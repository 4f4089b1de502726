"""Deterministic generator of SAMPLE influencer rows for demos, tests and load checks.

Every row is invented: names come from lists of common Indonesian first names, surnames
and niche words, handles are derived from those names, and contacts use the reserved
``example.com`` / ``example.org`` / ``example.net`` domains. The bot labels this data as a
sample (``sample_data`` in ``recommend --json``); nothing here describes a real person.

The shares (platforms, tiers, cities) and the figures (engagement rate, views, price per
post) follow public Indonesian benchmarks so that the recommender's trade-offs look like
the real market; they and the name lists live in bot.data.sample_tables. Each row's views
and engagement rate are drawn together (views as a share of followers, interactions per
view), so the two agree the way a real account's do, and its price grows slower than its
views, so the price per 1,000 views falls with size. A guaranteed base grid makes sure that
a small file (the bundled 720 rows) still finds city-level candidates for a typical brief
such as Kuliner / Instagram / Bandung, and every niche has every tier.

Usage: ``python -m bot.store.sample OUT.csv --count N --seed S``.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from bot.data.price_benchmarks import PRICE_ANCHORS, PRICE_BANDS, PRICE_PLATFORM
from bot.data.sample_tables import (
    CITIES,
    CITY_BY_NAME,
    CITYLESS_SHARE,
    EMPTY_SHARES,
    GRID_CITIES,
    GRID_MACRO_CITIES,
    INTERACTIONS_PER_VIEW,
    INTERACTIONS_SPREAD,
    LOW_QUALITY_SHARE,
    MAX_VIEW_SHARE,
    NATIONWIDE_SHARE,
    NICHE_NEIGHBOURS,
    NICHE_WEIGHTS,
    PLATFORM_SHARES,
    PRICE_SPREAD,
    PRICE_STEPS,
    PRICE_VIEW_ELASTICITY,
    QUALITY_MODE,
    QUALITY_RANGE,
    TIER_SHARES,
    VIEW_SHARE,
    VIEW_SPREAD,
    YOUTUBE_PRICE_HEADROOM,
)
from bot.domain import INFLUENCER_CSV_COLUMNS, NICHES
from bot.store.sample_names import Identities, Picker

CSV_COLUMNS = INFLUENCER_CSV_COLUMNS

# The grid may take at most this share of a generated set, so big sets keep natural shares.
_GRID_MAX_SHARE = 0.65


class _Spec(NamedTuple):
    """What a row must be before its figures are drawn (None: draw freely)."""

    platform: str
    tier: str
    niche: str | None
    city: str | None


# ------------------------------------------------------------------------ helpers


def _quota(total: int, shares: dict[str, float], already: Counter) -> list[str]:
    """Exactly `total` labels that bring `already` + them closest to the target shares.

    Largest-remainder rounding of (target - already), so the bundled file's counts are
    exact and don't wobble with the seed.
    """
    grand = total + sum(already.values())
    want = {k: max(0.0, share * grand - already[k]) for k, share in shares.items()}
    scale = total / sum(want.values()) if sum(want.values()) else 0.0
    exact = {k: v * scale for k, v in want.items()}
    counts = {k: int(v) for k, v in exact.items()}
    leftover = total - sum(counts.values())
    for k in sorted(exact, key=lambda k: (counts[k] - exact[k], k))[:leftover]:
        counts[k] += 1
    return [k for k, n in counts.items() for _ in range(n)]


def _follower_range(tier: str, platform: str) -> tuple[int, int]:
    """Follower bounds [low, high) of a tier, with the 250k macro line on YouTube/Facebook."""
    macro_line = 250_000 if platform in ("youtube", "facebook") else 100_000
    return {
        "nano": (1_000, 10_000),
        "micro": (10_000, macro_line),
        "macro": (macro_line, 1_000_000),
        "mega": (1_000_000, 15_000_000),
    }[tier]


def _round_sig(value: float, digits: int) -> int:
    """Round to `digits` significant figures: counts people quote look like 24.300, not 24.317."""
    if value <= 0:
        return 0
    step = 10 ** max(0, int(math.floor(math.log10(value))) - digits + 1)
    return int(round(value / step) * step)


def _round_followers(value: float, low: int, high: int) -> int:
    """Plausible precision: exact for nano, 10s for micro, 100s for macro, 10,000s for mega."""
    step = 1 if value < 10_000 else 10 if value < 100_000 else 100 if value < 1_000_000 else 10_000
    rounded = int(round(value / step) * step)
    return min(max(rounded, low), high - step)


def _price_step(price: float) -> int:
    """The rounding step of a rate card at this price."""
    return next(step for below, step in PRICE_STEPS if price < below)


def _rate_card(value: float, low: int, high: int) -> int:
    """A round price inside [low, high]: Rp350.000, Rp1.250.000, Rp7.500.000, Rp27.500.000."""
    value = min(max(value, low), high)
    step = _price_step(value)
    price = max(step, int(round(value / step)) * step)
    if price > high:
        price -= step
    elif price < low:
        price += step
    return price


def price_band(followers: int, platform: str) -> tuple[int, int]:
    """The benchmark price band (low, high) for an account of this size, as generated."""
    for upper, low, high in PRICE_BANDS:
        if followers < upper:
            if platform == "youtube":
                high = int(high * YOUTUBE_PRICE_HEADROOM)
            return low, high
    raise AssertionError("unreachable: the last band is unbounded")


class _Curve:
    """A median that is linear in log(followers) between (followers, value) points.

    Linear in log space on both axes, so a curve through shares or prices never goes
    negative; flat before the first point, extended along the last segment after it.
    """

    def __init__(self, points: Sequence[tuple[int, float]], *, extend: bool = True) -> None:
        self.points = [(math.log(x), math.log(y)) for x, y in points]
        self.extend = extend

    def at(self, log_followers: float) -> float:
        points = self.points
        if log_followers <= points[0][0] or len(points) == 1:
            return math.exp(points[0][1])
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            if log_followers <= x1:
                return math.exp(y0 + (log_followers - x0) * (y1 - y0) / (x1 - x0))
        (x0, y0), (x1, y1) = points[-2:]
        if not self.extend:
            return math.exp(y1)
        return math.exp(y1 + (log_followers - x1) * (y1 - y0) / (x1 - x0))


_PRICE = _Curve(PRICE_ANCHORS)
_VIEWS = {p: _Curve(points, extend=False) for p, points in VIEW_SHARE.items()}
_INTERACTIONS = {p: _Curve(points, extend=False) for p, points in INTERACTIONS_PER_VIEW.items()}


# ---------------------------------------------------------------------- generator


class _Generator:
    """Holds the random stream and the per-platform registries of one generated set."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.identities = Identities(self.rng, PLATFORM_SHARES)
        self.niche_pick = Picker(NICHE_WEIGHTS)
        self.city_pick = Picker({c.name: c.weight for c in CITIES})
        self.big_city_pick = Picker({c.name: c.big_weight for c in CITIES})
        # grid rows always have a city; free rows blank theirs more often to keep the totals
        self.blank_scale = 1.0

    # -- the plan: which platform/tier/niche/city each row must have

    def plan(self, count: int) -> list[_Spec]:
        rng = self.rng
        grid = self._grid(count)
        platforms = Counter(spec.platform for spec in grid)
        tiers = Counter(spec.tier for spec in grid)
        fill = count - len(grid)
        fill_platforms = _quota(fill, PLATFORM_SHARES, platforms)
        fill_tiers = _quota(fill, TIER_SHARES, tiers)
        rng.shuffle(fill_platforms)
        rng.shuffle(fill_tiers)
        self.blank_scale = count / fill if fill else 1.0
        specs = grid + [
            _Spec(p, t, None, None) for p, t in zip(fill_platforms, fill_tiers, strict=True)
        ]
        rng.shuffle(specs)
        return specs

    def _grid(self, count: int) -> list[_Spec]:
        """Guaranteed coverage, in layers of falling priority, as far as the count allows."""
        rng = self.rng
        layers: list[list[_Spec]] = [
            # one Instagram micro per niche and grid city: the typical brief
            [_Spec("instagram", "micro", n, c) for n in NICHES for c in GRID_CITIES],
            # one macro per niche in the three biggest cities, mostly Instagram
            [
                _Spec("instagram" if rng.random() < 0.7 else "tiktok", "macro", n, c)
                for n in NICHES
                for c in GRID_MACRO_CITIES
            ],
            # one TikTok small account per niche and grid city
            [
                _Spec("tiktok", "micro" if rng.random() < 0.5 else "nano", n, c)
                for n in NICHES
                for c in GRID_CITIES
            ],
            # a second Instagram micro per niche and grid city
            [_Spec("instagram", "micro", n, c) for n in NICHES for c in GRID_CITIES],
            # a mega account per niche, for the reach of big budgets
            [
                _Spec(
                    "instagram" if rng.random() < 0.6 else "tiktok",
                    "mega",
                    n,
                    self.big_city_pick(rng),
                )
                for n in NICHES
            ],
            # an Instagram nano per niche in the three biggest cities, for small budgets
            [_Spec("instagram", "nano", n, c) for n in NICHES for c in GRID_MACRO_CITIES],
        ]
        grid: list[_Spec] = []
        for layer in layers:
            if len(grid) + len(layer) > count * _GRID_MAX_SHARE:
                break
            grid.extend(layer)
        return grid

    # -- one row

    def row(self, spec: _Spec) -> dict[str, str]:
        rng = self.rng
        random_ = rng.random
        platform, tier = spec.platform, spec.tier

        low, high = _follower_range(tier, platform)
        log_low, log_high = math.log(low), math.log(high)
        followers = _round_followers(
            math.exp(log_low + random_() * (log_high - log_low)), low, high
        )
        log_followers = math.log(followers)

        primary = spec.niche or self.niche_pick(rng)
        extra = random_()
        if extra < 0.50:
            niches_text = primary
        else:
            neighbours = NICHE_NEIGHBOURS[primary]
            wanted = 1 if extra < 0.85 else 2
            niches_text = "|".join([primary, *rng.sample(neighbours, min(wanted, len(neighbours)))])

        city, province = self._place(spec, tier)

        quality, real_share = self._quality()
        view_median = _VIEWS[platform].at(log_followers)
        view_share = view_median * math.exp(rng.gauss(0, VIEW_SPREAD[platform]))
        # bought followers neither watch nor interact: fewer views, the same rate per view
        view_share = min(view_share * real_share, MAX_VIEW_SHARE[platform])
        per_view = _INTERACTIONS[platform].at(log_followers)
        per_view *= math.exp(rng.gauss(0, INTERACTIONS_SPREAD))
        er = min(max(100 * view_share * per_view, 0.1), 15.0)
        ceiling = int(followers * MAX_VIEW_SHARE[platform])
        views = max(50, min(_round_sig(followers * view_share, 3), ceiling))

        price = (
            PRICE_PLATFORM[platform]
            * _PRICE.at(log_followers)
            * (view_share / view_median) ** PRICE_VIEW_ELASTICITY
            * math.exp(rng.gauss(0, PRICE_SPREAD))
        )
        price_idr = _rate_card(price, *price_band(followers, platform))

        name, first, surname = self.identities.name(platform, primary, city)
        handle = self.identities.handle(platform, name, city)

        empties = EMPTY_SHARES
        return {
            "platform": platform,
            "handle": handle,
            "name": name,
            "niches": niches_text,
            "city": city,
            "province": province,
            "followers": str(followers),
            "engagement_rate": ""
            if random_() < empties["engagement_rate"]
            # people write "2.5" or "2.47"; under 1% one decimal would blur the rate
            else (f"{er:.1f}" if random_() < 0.4 and er >= 1 else f"{er:.2f}"),
            "avg_views": "" if random_() < empties["avg_views"] else str(views),
            "price_idr": str(price_idr),
            "audience_quality": "" if random_() < empties["audience_quality"] else str(quality),
            "contact": ""
            if random_() < empties["contact"]
            else self.identities.contact(handle, first, surname),
        }

    def _quality(self) -> tuple[int, float]:
        """audience_quality, and the share of followers that are real people who watch."""
        rng = self.rng
        if rng.random() < LOW_QUALITY_SHARE:
            return 15 + int(rng.random() * 35), 0.3 + 0.3 * rng.random()  # 15..49
        low, high = QUALITY_RANGE
        return min(98, max(50, int(rng.triangular(low, high, QUALITY_MODE)))), 1.0

    def _place(self, spec: _Spec, tier: str) -> tuple[str, str]:
        rng = self.rng
        if spec.city is not None:
            return spec.city, CITY_BY_NAME[spec.city].province
        pick = self.big_city_pick if tier in ("macro", "mega") else self.city_pick
        city = CITY_BY_NAME[pick(rng)]
        draw = rng.random()
        if draw < NATIONWIDE_SHARE * self.blank_scale:
            return "", ""
        if draw < (NATIONWIDE_SHARE + CITYLESS_SHARE) * self.blank_scale:
            return "", city.province
        return city.name, city.province


def generate_influencers(count: int, *, seed: int = 2024) -> Iterator[dict[str, str]]:
    """Yield `count` sample rows (CSV strings keyed by CSV_COLUMNS); same count+seed, same rows."""
    if count < 0:
        raise ValueError("count must not be negative")
    generator = _Generator(seed)
    for spec in generator.plan(count):
        yield generator.row(spec)


def write_csv(path: Path | str, count: int, *, seed: int = 2024) -> None:
    """Write a canonical influencer CSV (UTF-8, comma, header) that the importer accepts."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(generate_influencers(count, seed=seed))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.store.sample",
        description="Write a deterministic SAMPLE influencer CSV (invented accounts, not real people).",
    )
    parser.add_argument("out", type=Path, help="output CSV file")
    parser.add_argument("--count", type=int, default=720, help="number of rows (default 720)")
    parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must not be negative")
    write_csv(args.out, args.count, seed=args.seed)
    print(f"wrote {args.count} sample rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
