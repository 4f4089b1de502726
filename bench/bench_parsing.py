"""Time the chat parsers on owners' messages: the four parses a free-text message can get.

Not a unit test: timings depend on the machine. Run: .venv/bin/python bench/bench_parsing.py
A chat message should parse well under a millisecond; the limit the unit tests once asserted
was 5 ms for the four parses together, generous for a slow CI machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.language.brief import extract_brief
from bot.language.locations import parse_location
from bot.language.money import parse_budget
from bot.language.niches import parse_niche

MESSAGES = [
    "jualan keripik pedas di Bandung, budget 5jt, mau naikin penjualan lewat instagram",
    "halo kak, saya punya usaha sambal botolan di Jogja, dana 2,5 juta buat tiktok",
    "mau promosi kedai kopi di Jakarta Selatan, budget Rp 10.000.000,- biar makin dikenal",
    "jual hijab di Surabaya",
    "Rp 5.000.000,-",
    "di Jogja aja kak",
    "jualan sambal botolan",
    "usaha skincare lokal, target seluruh indonesia, budget 50jt, youtube",
]
ROUNDS = 200


def main() -> None:
    for message in MESSAGES:  # warm-up (compiled patterns, caches)
        extract_brief(message)
    per_message: list[float] = []
    for _ in range(ROUNDS):
        for message in MESSAGES:
            started = time.perf_counter()
            extract_brief(message)
            parse_budget(message)
            parse_location(message)
            parse_niche(message)
            per_message.append((time.perf_counter() - started) * 1000)
    per_message.sort()
    p50 = statistics.median(per_message)
    p95 = per_message[int(0.95 * len(per_message)) - 1]
    print(
        f"four parses per message, {len(per_message)} messages: p50 {p50:.3f} ms, "
        f"p95 {p95:.3f} ms, max {per_message[-1]:.3f} ms"
    )


if __name__ == "__main__":
    main()
