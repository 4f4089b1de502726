"""The words owners use for a campaign goal: phrases, cues, spellings and scene vocabularies.

Pure data for `bot.language.goals`; every word is written in its canonical spelling.
"""

from __future__ import annotations

from bot.domain import Goal

GOAL_SYNONYMS: dict[Goal, tuple[str, ...]] = {
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
WEAK_GOAL_WORDS = frozenset(
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


GOAL_CUES = frozenset(
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
BUSINESS_WORDS = frozenset({"usaha", "bisnis", "toko", "jasa", "tempat", "agen", "sistem"})


# Chat spellings folded to one form before matching, so each phrase is listed once.
SPELLINGS: dict[str, str] = {
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
FUZZY_WORDS = (
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
REAL_NEIGHBOURS = frozenset({"membeli", "pembela", "pelanggar", "pengikat", "dikenai", "follows"})


# Word classes for goals stated as a small scene ("followers ig nambah", "rame yang
# datang ke warung") rather than a fixed phrase.
PEOPLE = frozenset({"orang", "pada", "masyarakat", "warga", "semua", "publik", "khalayak"})


KNOW = frozenset({"tau", "kenal", "dikenal", "ngeh", "aware", "notice", "liat", "denger"})


# Following an account: people getting to know it ("rame yang follow" is awareness).
FOLLOWS = frozenset({"follow", "ngefollow", "follower", "followers", "subscribe", "subscriber"})


BUYERS = frozenset(
    {"pembeli", "pelanggan", "customer", "konsumen", "pengunjung", "tamu", "pasien", "buyer"}
)


BUY = frozenset({"beli", "belanja", "order", "pesan", "checkout", "datang", "mampir", "borong"})


VISIT = frozenset({"datang", "mampir", "berkunjung", "kunjung", "visit", "nongkrong"})


# What a customer does at the business, after "rame yang ...": buying, by another name.
CUSTOMER_ACTS = frozenset(
    {"datang", "beli", "belanja", "order", "mampir", "pesan", "pesen", "servis", "service",
     "makan", "ngopi", "jajan", "booking", "book", "reservasi", "nginap", "nginep", "potong",
     "cukur", "berobat", "periksa", "cuci", "les", "daftar", "langganan", "transaksi",
     "checkout", "sewa", "nyewa", "rental"}
)  # fmt: skip


PLACES = frozenset(
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


FOLLOWERS = frozenset({"followers", "subscriber", "subscribers", "subs"})


GROW = frozenset({"nambah", "naik", "gede", "besar", "meledak", "boost", "grow", "growth"})


MANY = frozenset({"banyak"})


ACCOUNT = frozenset({"akun", "ig", "instagram", "tiktok", "channel"})


BUSY = frozenset({"rame", "laris", "penuh", "antri", "antre"})


REACTIONS = frozenset({"komen", "komentar", "like", "likes", "share", "interaksi", "dm"})


# After "rame yang ...", what an audience does online rather than a customer at the
# business: these never make "rame yang <act>" a sales goal ("rame yg nonton", "rame yg
# follow"); any other act does ("rame yg nyuci", "rame yang ngegym"), see bot.language.goals.
AUDIENCE_ACTS = frozenset(
    {"nonton", "liat", "lihat", "view", "views", "follow", "ngefollow", "subscribe", "subscriber",
     "followers", "kenal", "tau", "save", "repost", "ngelike", "ngomen", "mention", "tag",
     "live", "baca", "buka", "klik", "scroll", "posting", "post", "upload", "stream", "main"}
)  # fmt: skip


# Words a scene may skip: "followers [ig saya] nambah", "rame [yang] datang".
FILLER = frozenset(
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


NEGATIONS = frozenset({"ga", "gak", "nggak", "ngga", "enggak", "tidak", "tak", "belum", "blm"})


# "mau influencer yang followersnya banyak" describes the account to hire, not a goal.
INFLUENCER_WORDS = frozenset(
    {"influencer", "influencernya", "selebgram", "kol", "artis", "seleb", "endorser", "creator"}
)


# "gimana cara orang beli" asks a question; it states no goal.
QUESTION_WORDS = frozenset({"cara", "gimana", "gmn", "gmana", "bagaimana", "tanya", "nanya"})
