"""What Indonesian influencers charge per post: the public endorse price benchmarks.

The sample store draws its prices from these (bot.store.sample) and the advisor quotes them
to an owner who does not know what to budget (bot.advisor.unsure); the advisor imports only
this, not the sample store's name and city tables.
"""

from __future__ import annotations

import math

# Price per post (Rupiah) at follower anchors; log-log interpolation between them gives a
# smooth curve through the Indonesian endorse price benchmarks. Prices grow slower than
# views, so the price per 1,000 views falls with size (as the Mediakix seed found).
PRICE_ANCHORS: tuple[tuple[int, int], ...] = (
    (1_000, 90_000),
    (10_000, 550_000),
    (30_000, 1_000_000),
    (100_000, 3_000_000),
    (300_000, 5_000_000),
    (1_000_000, 12_000_000),
    (15_000_000, 45_000_000),
)
PRICE_PLATFORM = {"instagram": 1.0, "tiktok": 0.9, "youtube": 1.4, "facebook": 0.6}

# The benchmark bands by followers (upper follower bound, lowest price, highest price).
# The highest price stretches the benchmark's "and more" for big accounts.
PRICE_BANDS: tuple[tuple[float, int, int], ...] = (
    (10_000, 50_000, 500_000),
    (100_000, 500_000, 5_000_000),
    (1_000_000, 2_500_000, 20_000_000),
    (math.inf, 10_000_000, 150_000_000),
)
