"""Campaign goals from chat words: "biar dikenal" is awareness, "biar laris" sales.

Owners state a goal as a wish, not a marketing term. Inside a longer message a weak word
("order", "like") counts as a goal only when a cue frames it ("biar banyak order"),
and "usaha penjualan keripik" describes the business, not what it wants.
"""

from __future__ import annotations

from bot.domain import Goal
from bot.language.text import Hit, PhraseIndex, normalize, token_before

_GOAL_SYNONYMS: dict[Goal, tuple[str, ...]] = {
    Goal.AWARENESS: (
        "awareness",
        "brand awareness",
        "kesadaran merek",
        "kesadaran merk",
        "kesadaran brand",
        "kesadaran",
        "dikenal",
        "biar dikenal",
        "makin dikenal",
        "lebih dikenal",
        "dikenal orang",
        "terkenal",
        "branding",
        "viral",
        "jangkauan",
        "jangkauan luas",
        "reach",
        "exposure",
        "eksposur",
        "visibility",
        "visibilitas",
        "memperkenalkan",
        "mengenalkan",
        "kenalin",
        "ngenalin",
        "perkenalan",
        "popularitas",
        "populer",
        "biar orang tahu",
        "biar orang tau",
        "banyak yang tahu",
        "banyak yang tau",
        "nambah followers",
        "tambah followers",
        "followers naik",
        "impresi",
        "impression",
        "impressions",
    ),
    Goal.ENGAGEMENT: (
        "engagement",
        "engage",
        "interaksi",
        "banyak interaksi",
        "interaktif",
        "interaction",
        "komen",
        "komentar",
        "like",
        "likes",
        "komunitas",
        "keterlibatan",
        "partisipasi",
        "biar rame",
        "biar ramai",
        "rame",
        "ramai",
        "share",
        "loyalitas",
        "loyal",
        "engagement rate",
    ),
    Goal.SALES: (
        "sales",
        "penjualan",
        "naikin penjualan",
        "menaikkan penjualan",
        "meningkatkan penjualan",
        "tingkatkan penjualan",
        "ningkatin penjualan",
        "penjualan naik",
        "jualan naik",
        "jualan laris",
        "jualan meningkat",
        "omzet",
        "omset",
        "naikin omzet",
        "naikin omset",
        "laris",
        "biar laris",
        "closing",
        "order",
        "orderan",
        "pesanan",
        "konversi",
        "conversion",
        "laku",
        "biar laku",
        "dagangan laku",
        "banyak yang beli",
        "pembeli",
        "pembelian",
        "transaksi",
        "cuan",
        "profit",
        "untung",
        "repeat order",
        "beli",
        "penjualan online",
    ),
}
# Words that name a goal only when something frames them as one ("biar banyak order").
_WEAK_GOAL_WORDS = frozenset(
    {
        "like",
        "likes",
        "komen",
        "komentar",
        "share",
        "order",
        "orderan",
        "pesanan",
        "laku",
        "beli",
        "pembeli",
        "pembelian",
        "rame",
        "ramai",
        "untung",
        "cuan",
        "profit",
        "populer",
        "loyal",
        "transaksi",
        "kesadaran",
        "komunitas",
        "omzet",
        "omset",
    }
)
_GOAL_CUES = frozenset(
    {
        "biar",
        "supaya",
        "agar",
        "mau",
        "ingin",
        "pengen",
        "pengin",
        "pingin",
        "pgn",
        "banyak",
        "tambah",
        "nambah",
        "naik",
        "naikin",
        "ningkatin",
        "meningkatkan",
        "tingkatkan",
        "lebih",
        "makin",
        "untuk",
        "buat",
        "tujuan",
        "tujuannya",
        "target",
        "fokus",
        "dapat",
        "dapet",
        "cari",
        "nyari",
        "bangun",
        "membangun",
        "bikin",
    }
)
# "usaha penjualan keripik" describes the business, not a goal.
_BUSINESS_WORDS = frozenset({"usaha", "bisnis", "toko", "jasa", "tempat", "agen", "sistem"})

_GOAL_INDEX: PhraseIndex[Goal] = PhraseIndex(
    {phrase: goal for goal, phrases in _GOAL_SYNONYMS.items() for phrase in phrases}
)


def find_goal(tokens: list[str], strict: bool) -> Goal | None:
    """The goal named in tokens; `strict` ignores weak words without a framing cue."""
    candidates: list[Hit[Goal]] = []
    for hit in _GOAL_INDEX.scan(tokens):
        if hit.key == "penjualan" and token_before(tokens, hit.start) in _BUSINESS_WORDS:
            continue
        if strict and hit.key in _WEAK_GOAL_WORDS:
            cues = {token_before(tokens, hit.start), token_before(tokens, hit.start, 2)}
            if not cues & _GOAL_CUES:
                continue
        candidates.append(hit)
    if not candidates:
        return None
    return max(candidates, key=lambda h: (len(h.key), -h.start)).value


def parse_goal(text: str) -> Goal | None:
    """Goal from its label, the enum value or chat words ("biar dikenal", "biar laris")."""
    if not text:
        return None
    key = normalize(text)
    exact = _GOAL_INDEX.get(key)
    if exact is not None:
        return exact
    return find_goal(key.split(), strict=False)
