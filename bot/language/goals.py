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
        "di kenal",
        "kenalkan",
        "perkenalkan",
        "memperkenalkan produk",
        "launching",
        "launch",
        "peluncuran",
        "rilis produk",
        "grand opening",
        "soft opening",
        "masuk fyp",
        "fyp",
        "views",
        "brand dikenal",
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
        "laris manis",
        "pelanggan",
        "pengunjung",
        "customer",
        "konsumen",
        "pembeli datang",
        "rame pembeli",
        "banyak pembeli",
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
        "pelanggan",
        "pengunjung",
        "customer",
        "konsumen",
        "fyp",
        "views",
        "launch",
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
        "penting",
    }
)
# "usaha penjualan keripik" describes the business, not a goal.
_BUSINESS_WORDS = frozenset({"usaha", "bisnis", "toko", "jasa", "tempat", "agen", "sistem"})

# Chat spellings folded to one form before matching, so each phrase is listed once.
_SPELLINGS: dict[str, str] = {
    "yg": "yang",
    "dtg": "datang",
    "dteng": "datang",
    "dateng": "datang",
    "dtang": "datang",
    "datengin": "datang",
    "org": "orang",
    "orng": "orang",
    "pd": "pada",
    "tahu": "tau",
    "taw": "tau",
    "bertambah": "nambah",
    "tambah": "nambah",
    "nambahin": "nambah",
    "naikin": "naik",
    "meningkat": "naik",
    "ningkat": "naik",
    "ningkatin": "naik",
    "tumbuh": "naik",
    "follower": "followers",
    "foll": "followers",
    "fol": "followers",
    "folls": "followers",
    "follow": "followers",
    "followernya": "followers",
    "pengikut": "followers",
    "ramai": "rame",
    "rmai": "rame",
    "rami": "rame",
    "cust": "customer",
    "costumer": "customer",
    "kustomer": "customer",
    "pelanggannya": "pelanggan",
    "kafe": "cafe",
    "caffe": "cafe",
    "coffeeshop": "cafe",
    "akunnya": "akun",
    "acc": "akun",
    "account": "akun",
    "dikenali": "dikenal",
    "lihat": "liat",
    "nonton": "liat",
}
# Misspellings one edit away from these words are read as the word ("folowers").
_FUZZY_WORDS = (
    "followers",
    "pengikut",
    "penjualan",
    "pembeli",
    "pelanggan",
    "awareness",
    "engagement",
    "interaksi",
    "dikenal",
    "launching",
    "customer",
    "komentar",
    "pengunjung",
    "konsumen",
)
# Real words one edit away from a fuzzy word, never to be "corrected".
_REAL_NEIGHBOURS = frozenset({"membeli", "pembela", "pelanggar", "pengikat", "dikenai", "follows"})


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


_FUZZY: dict[str, str] = {}
for _word in _FUZZY_WORDS:
    for _variant in {_word, *_deletions(_word)}:
        _FUZZY.setdefault(_variant, _word)


def _canonical(token: str) -> str:
    """One spelling per word: slang, "-nya", "dateng2" and one-edit typos folded."""
    if len(token) > 3 and token.endswith("2") and not token[:-1].isdigit():
        token = token[:-1]
    if token in _SPELLINGS:
        return _SPELLINGS[token]
    if token.endswith("nya") and len(token) > 5:
        base = _canonical(token[:-3])
        if base in _SCENE_WORDS:
            return base
    if len(token) >= 7 and token not in _REAL_NEIGHBOURS and not token.isdigit():
        for variant in (token, *_deletions(token)):
            word = _FUZZY.get(variant)
            if word is not None and abs(len(word) - len(token)) <= 1:
                return _SPELLINGS.get(word, word)
    return token


def _canonical_tokens(tokens: list[str]) -> list[str]:
    return [_canonical(token) for token in tokens]


# Word classes for goals stated as a small scene ("followers ig nambah", "rame yang
# datang ke warung") rather than a fixed phrase.
_PEOPLE = frozenset({"orang", "pada", "masyarakat", "warga", "semua", "publik", "khalayak"})
_KNOW = frozenset({"tau", "kenal", "dikenal", "ngeh", "aware", "notice", "liat", "denger"})
_BUYERS = frozenset(
    {"pembeli", "pelanggan", "customer", "konsumen", "pengunjung", "tamu", "pasien", "buyer"}
)
_BUY = frozenset({"beli", "belanja", "order", "pesan", "checkout", "datang", "mampir", "borong"})
_VISIT = frozenset({"datang", "mampir", "berkunjung", "kunjung", "visit", "nongkrong"})
_PLACES = frozenset(
    {
        "warung",
        "toko",
        "cafe",
        "kedai",
        "resto",
        "restoran",
        "salon",
        "klinik",
        "outlet",
        "gerai",
        "lapak",
        "tempat",
        "booth",
        "butik",
        "barbershop",
        "bengkel",
        "kios",
        "store",
        "studio",
    }
)
_FOLLOWERS = frozenset({"followers", "subscriber", "subscribers", "subs"})
_GROW = frozenset({"nambah", "naik", "gede", "besar", "meledak", "boost", "grow", "growth"})
_MANY = frozenset({"banyak"})
_ACCOUNT = frozenset({"akun", "ig", "instagram", "tiktok", "channel"})
_BUSY = frozenset({"rame", "laris", "penuh", "antri", "antre"})
_REACTIONS = frozenset({"komen", "komentar", "like", "likes", "share", "interaksi", "dm"})
# Words a scene may skip: "followers [ig saya] nambah", "rame [yang] datang".
_FILLER = frozenset(
    {
        "yang",
        "pada",
        "ke",
        "di",
        "nya",
        "jadi",
        "makin",
        "lebih",
        "bisa",
        "terus",
        "cepet",
        "cepat",
        "ig",
        "instagram",
        "tiktok",
        "tt",
        "yt",
        "youtube",
        "fb",
        "akun",
        "saya",
        "aku",
        "ku",
        "gue",
        "gw",
        "kita",
        "kami",
        "sy",
        "tuh",
        "dong",
        "sih",
        "kak",
    }
)
_NEGATIONS = frozenset({"ga", "gak", "nggak", "ngga", "enggak", "tidak", "tak", "belum", "blm"})
# "mau influencer yang followersnya banyak" describes the account to hire, not a goal.
_INFLUENCER_WORDS = frozenset(
    {"influencer", "influencernya", "selebgram", "kol", "artis", "seleb", "endorser", "creator"}
)

# "gimana cara orang beli" asks a question; it states no goal.
_QUESTION_WORDS = frozenset({"cara", "gimana", "gmn", "gmana", "bagaimana", "tanya", "nanya"})

# (first word class, second word class, goal, needs a cue in a sentence)
_SCENES: tuple[tuple[frozenset[str], frozenset[str], Goal, bool], ...] = (
    (_FOLLOWERS, _GROW, Goal.AWARENESS, False),
    (_GROW, _FOLLOWERS, Goal.AWARENESS, False),
    (_MANY, _FOLLOWERS, Goal.AWARENESS, True),
    (_FOLLOWERS, _MANY, Goal.AWARENESS, True),
    (frozenset({"akun"}), _GROW, Goal.AWARENESS, True),
    (_GROW, frozenset({"akun"}), Goal.AWARENESS, True),
    (_PEOPLE, _KNOW, Goal.AWARENESS, False),
    (_BUYERS, _BUY | _BUSY, Goal.SALES, False),
    (_BUSY | _MANY, _BUYERS, Goal.SALES, False),
    (_BUSY, frozenset({"datang", "beli", "belanja", "order", "mampir"}), Goal.SALES, False),
    (_PEOPLE, _BUY, Goal.SALES, True),
    (_VISIT, _PLACES, Goal.SALES, False),
    (_PLACES, _BUSY, Goal.SALES, True),
    (_BUSY, _PLACES, Goal.SALES, True),
    (_BUSY, _REACTIONS, Goal.ENGAGEMENT, False),
    (_REACTIONS, _BUSY, Goal.ENGAGEMENT, False),
)
_SCENE_GAP = 3
_SCENE_WORDS = frozenset().union(*(head | tail for head, tail, _, _ in _SCENES))


def _scene_hits(tokens: list[str], strict: bool) -> list[Hit[Goal]]:
    """Goals told as two related words with at most a few filler words between."""
    hits: list[Hit[Goal]] = []
    for i, first in enumerate(tokens):
        for head, tail, goal, weak in _SCENES:
            if first not in head:
                continue
            for j in range(i + 1, min(len(tokens), i + 2 + _SCENE_GAP)):
                if tokens[j] in tail:
                    if _scene_allowed(tokens, i, strict and weak):
                        hits.append(Hit(i, j + 1, " ".join(tokens[i : j + 1]), goal))
                    break
                if tokens[j] not in _FILLER or tokens[j] in _NEGATIONS:
                    break
    return hits


def _scene_allowed(tokens: list[str], start: int, needs_cue: bool) -> bool:
    before = {token_before(tokens, start), token_before(tokens, start, 2)}
    if before & (_INFLUENCER_WORDS | _NEGATIONS | _QUESTION_WORDS):
        return False
    return not needs_cue or bool(before & _CUE_KEYS)


def _canonical_phrase(phrase: str) -> str:
    return " ".join(_canonical_tokens(normalize(phrase).split()))


_GOAL_INDEX: PhraseIndex[Goal] = PhraseIndex(
    {
        _canonical_phrase(phrase): goal
        for goal, phrases in _GOAL_SYNONYMS.items()
        for phrase in phrases
    }
)
_WEAK_KEYS = frozenset(_canonical_phrase(word) for word in _WEAK_GOAL_WORDS)
_CUE_KEYS = _GOAL_CUES | frozenset(_canonical(cue) for cue in _GOAL_CUES)


def find_goal(tokens: list[str], strict: bool) -> Goal | None:
    """The goal named in tokens; `strict` ignores weak words without a framing cue.

    A scene ("followers ig nambah") outranks a single word inside it ("rame" in "rame
    yang datang ke warung" is about buyers, not comments).
    """
    tokens = _canonical_tokens(tokens)
    candidates: list[Hit[Goal]] = []
    for hit in _GOAL_INDEX.scan(tokens):
        if hit.key == "penjualan" and token_before(tokens, hit.start) in _BUSINESS_WORDS:
            continue
        if strict and hit.key in _WEAK_KEYS:
            cues = {token_before(tokens, hit.start), token_before(tokens, hit.start, 2)}
            if not cues & _CUE_KEYS:
                continue
        candidates.append(hit)
    candidates.extend(_scene_hits(tokens, strict))
    if not candidates:
        return None
    return max(candidates, key=lambda h: (len(h.key), -h.start)).value


def parse_goal(text: str) -> Goal | None:
    """Goal from its label, the enum value or chat words ("biar dikenal", "biar laris")."""
    if not text:
        return None
    key = normalize(text)
    exact = _GOAL_INDEX.get(" ".join(_canonical_tokens(key.split())))
    if exact is not None:
        return exact
    return find_goal(key.split(), strict=False)
