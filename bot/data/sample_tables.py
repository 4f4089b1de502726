"""Tables behind the sample influencer store: market shares, cities, benchmark figures, names.

Pure data, read by bot.store.sample. The shares and figures follow public Indonesian
benchmarks (see bot.advisor.engine.estimates); the names are common Indonesian first names, surnames and niche words, so
every generated account is plausible and none is a real person. Changing any value here
changes the bundled sample CSV (tests/unit/test_sample_store.py says how to regenerate it).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from bot.domain import Platform, Tier

# --------------------------------------------------------------------------- shares

PLATFORM_SHARES: dict[str, float] = {
    Platform.INSTAGRAM.value: 0.50,
    Platform.TIKTOK.value: 0.30,
    Platform.YOUTUBE.value: 0.15,
    Platform.FACEBOOK.value: 0.05,
}
TIER_SHARES: dict[str, float] = {
    Tier.NANO.value: 0.20,
    Tier.MICRO.value: 0.48,
    Tier.MACRO.value: 0.24,
    Tier.MEGA.value: 0.08,
}

# Primary-niche weights: food, fashion and beauty dominate Indonesian endorsements;
# farming and B2B are thin but must still be present.
NICHE_WEIGHTS: dict[str, float] = {
    "Kuliner": 12,
    "Fashion": 9,
    "Kecantikan": 9,
    "Kesehatan & Kebugaran": 5,
    "Teknologi & Gadget": 6,
    "Parenting & Keluarga": 6,
    "Travel": 5,
    "Otomotif": 4,
    "Edukasi": 5,
    "Gaya Hidup": 8,
    "Gaming": 5,
    "Keuangan": 3.5,
    "Hiburan": 7,
    "Olahraga": 3.5,
    "Hobi & Kerajinan": 3,
    "Properti & Rumah": 3,
    "Pertanian": 2.5,
    "Bisnis & B2B": 3,
}

# Secondary niches are neighbours an audience plausibly shares with the primary one.
NICHE_NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "Kuliner": ("Gaya Hidup", "Travel", "Parenting & Keluarga", "Hiburan"),
    "Fashion": ("Kecantikan", "Gaya Hidup"),
    "Kecantikan": ("Fashion", "Gaya Hidup", "Kesehatan & Kebugaran"),
    "Kesehatan & Kebugaran": ("Olahraga", "Kuliner", "Gaya Hidup"),
    "Teknologi & Gadget": ("Gaming", "Edukasi", "Bisnis & B2B"),
    "Parenting & Keluarga": ("Edukasi", "Kuliner", "Kesehatan & Kebugaran", "Gaya Hidup"),
    "Travel": ("Kuliner", "Gaya Hidup", "Hiburan"),
    "Otomotif": ("Teknologi & Gadget", "Travel", "Hobi & Kerajinan"),
    "Edukasi": ("Parenting & Keluarga", "Teknologi & Gadget", "Keuangan"),
    "Gaya Hidup": ("Fashion", "Kuliner", "Travel", "Hiburan"),
    "Gaming": ("Teknologi & Gadget", "Hiburan"),
    "Keuangan": ("Bisnis & B2B", "Edukasi", "Properti & Rumah"),
    "Hiburan": ("Gaya Hidup", "Gaming"),
    "Olahraga": ("Kesehatan & Kebugaran", "Gaya Hidup"),
    "Hobi & Kerajinan": ("Properti & Rumah", "Gaya Hidup", "Edukasi"),
    "Properti & Rumah": ("Keuangan", "Gaya Hidup", "Hobi & Kerajinan"),
    "Pertanian": ("Bisnis & B2B", "Kuliner", "Edukasi"),
    "Bisnis & B2B": ("Keuangan", "Teknologi & Gadget", "Edukasi"),
}


class City(NamedTuple):
    name: str
    province: str
    short: str  # used in handles ("masgadget.sby")
    weight: float  # share of all creators
    big_weight: float  # share of macro and mega creators


CITIES: tuple[City, ...] = (
    City("Jakarta", "DKI Jakarta", "jkt", 18.0, 40.0),
    City("Surabaya", "Jawa Timur", "sby", 9.0, 10.0),
    City("Bandung", "Jawa Barat", "bdg", 8.5, 10.0),
    City("Medan", "Sumatera Utara", "mdn", 6.0, 3.0),
    City("Yogyakarta", "DI Yogyakarta", "jogja", 5.5, 6.0),
    City("Semarang", "Jawa Tengah", "smg", 4.5, 2.0),
    City("Tangerang", "Banten", "tng", 4.5, 8.0),
    City("Bekasi", "Jawa Barat", "bks", 4.0, 2.0),
    City("Depok", "Jawa Barat", "dpk", 3.5, 2.0),
    City("Makassar", "Sulawesi Selatan", "mks", 3.5, 2.0),
    City("Malang", "Jawa Timur", "mlg", 3.2, 1.5),
    City("Denpasar", "Bali", "bali", 3.0, 6.0),
    City("Palembang", "Sumatera Selatan", "plg", 2.8, 1.0),
    City("Bogor", "Jawa Barat", "bgr", 2.8, 1.0),
    City("Solo", "Jawa Tengah", "solo", 2.0, 0.8),
    City("Batam", "Kepulauan Riau", "btm", 2.0, 0.6),
    City("Pekanbaru", "Riau", "pku", 1.8, 0.5),
    City("Balikpapan", "Kalimantan Timur", "bpn", 1.6, 0.5),
    City("Padang", "Sumatera Barat", "pdg", 1.6, 0.5),
    City("Bandar Lampung", "Lampung", "lampung", 1.5, 0.4),
    City("Manado", "Sulawesi Utara", "mdo", 1.4, 0.5),
    City("Pontianak", "Kalimantan Barat", "ptk", 1.3, 0.3),
    City("Banjarmasin", "Kalimantan Selatan", "bjm", 1.3, 0.3),
    City("Sidoarjo", "Jawa Timur", "sda", 1.3, 0.3),
    City("Samarinda", "Kalimantan Timur", "smd", 1.2, 0.3),
    City("Cirebon", "Jawa Barat", "crb", 1.1, 0.2),
    City("Mataram", "Nusa Tenggara Barat", "lombok", 0.9, 0.3),
    City("Kupang", "Nusa Tenggara Timur", "kpg", 0.7, 0.1),
    City("Jayapura", "Papua", "jpr", 0.6, 0.1),
    City("Ambon", "Maluku", "ambon", 0.6, 0.1),
)
CITY_BY_NAME: dict[str, City] = {city.name: city for city in CITIES}

# The base grid: cities where every niche gets guaranteed Instagram/TikTok small accounts,
# and the subset where every niche gets a guaranteed macro account.
GRID_CITIES: tuple[str, ...] = ("Jakarta", "Surabaya", "Bandung", "Medan", "Yogyakarta", "Semarang")
GRID_MACRO_CITIES: tuple[str, ...] = ("Jakarta", "Surabaya", "Bandung")

CITYLESS_SHARE = 0.03  # province known, city not
NATIONWIDE_SHARE = 0.02  # neither: creators who speak to the whole country

# ------------------------------------------------------------------------ figures

# Views and interactions are drawn together so every row is internally consistent:
# avg_views = followers * view share, and engagement_rate = view share * interactions per
# view. Both shares are (followers, median) points, log-linear in followers between them and
# flat outside; each row spreads around the median (log-normal, sigma per platform).
#
# Instagram follows PRODUCT.md "Benchmarks for estimates": views ~15-16% of followers at
# 10k-50k, falling with size, and interactions per view near 11-13%, which puts the median
# ER on the HypeAuditor bands (4.3% small, 2.3% at 5k-20k, 1.6% at 20k-100k). Views do not
# fall to the benchmark's ~3% at 500k-1M: next to an ER of ~1.3-1.5% that would mean half of
# all viewers interact; they fall to ~10% and the ER of big accounts sits a little under the
# HypeAuditor means (medians of a skewed spread). TikTok views run far higher and spread
# wider with fewer interactions per view; YouTube is per video, with likes and comments on
# a few % of views; Facebook pages reach few of their followers.
VIEW_SHARE: dict[str, tuple[tuple[int, float], ...]] = {
    "instagram": (
        (1_000, 0.34),
        (5_000, 0.23),
        (10_000, 0.175),
        (50_000, 0.15),
        (100_000, 0.135),
        (500_000, 0.105),
        (1_000_000, 0.095),
        (10_000_000, 0.08),
    ),
    "tiktok": (
        (1_000, 0.60),
        (10_000, 0.40),
        (100_000, 0.27),
        (1_000_000, 0.19),
        (10_000_000, 0.14),
    ),
    "youtube": (
        (1_000, 0.45),
        (10_000, 0.30),
        (100_000, 0.19),
        (1_000_000, 0.13),
        (10_000_000, 0.10),
    ),
    "facebook": (
        (1_000, 0.14),
        (10_000, 0.10),
        (100_000, 0.07),
        (1_000_000, 0.05),
        (10_000_000, 0.04),
    ),
}
VIEW_SPREAD = {"instagram": 0.30, "tiktok": 0.60, "youtube": 0.50, "facebook": 0.40}
# Views as a share of followers no real account averages above (a viral TikTok can).
MAX_VIEW_SHARE = {"instagram": 0.60, "tiktok": 2.50, "youtube": 1.20, "facebook": 0.50}

# Likes and comments per view.
INTERACTIONS_PER_VIEW: dict[str, tuple[tuple[int, float], ...]] = {
    "instagram": (
        (1_000, 0.145),
        (5_000, 0.14),
        (10_000, 0.13),
        (50_000, 0.11),
        (100_000, 0.12),
        (1_000_000, 0.14),
    ),
    "tiktok": (
        (1_000, 0.10),
        (10_000, 0.085),
        (100_000, 0.075),
        (1_000_000, 0.07),
        (10_000_000, 0.065),
    ),
    "youtube": ((1_000, 0.06), (100_000, 0.05), (10_000_000, 0.04)),
    "facebook": ((1_000, 0.09), (100_000, 0.08), (10_000_000, 0.07)),
}
INTERACTIONS_SPREAD = 0.30

# The price benchmarks (PRICE_ANCHORS, PRICE_PLATFORM, PRICE_BANDS) live in
# bot.data.price_benchmarks: the advisor reads them too, without these sample tables.
PRICE_SPREAD = 0.22
# Accounts whose posts are watched more than their size suggests ask more for them.
PRICE_VIEW_ELASTICITY = 0.5

# YouTube videos cost more to make: its ceilings are this much higher.
YOUTUBE_PRICE_HEADROOM = 1.25
# Rate cards quote round figures: (below this price, step), e.g. Rp350.000, Rp1.250.000.
PRICE_STEPS: tuple[tuple[float, int], ...] = (
    (200_000, 25_000),
    (1_000_000, 50_000),
    (5_000_000, 250_000),
    (20_000_000, 500_000),
    (math.inf, 2_500_000),
)

# audience_quality under 50 (bought followers, who neither watch nor interact); the rest
# mostly 60-95.
LOW_QUALITY_SHARE = 0.08
QUALITY_MODE = 82
QUALITY_RANGE = (58, 97)
EMPTY_SHARES = {
    "engagement_rate": 0.08,
    "avg_views": 0.15,
    "audience_quality": 0.10,
    "contact": 0.40,
}

# -------------------------------------------------------------------------- names

# (female first names, male first names, female honorifics, male honorifics, surnames)
NAME_GROUPS: dict[str, tuple[tuple[str, ...], ...]] = {
    "jawa": (
        (
            "Rina",
            "Wati",
            "Sri",
            "Dewi",
            "Ayu",
            "Sari",
            "Endah",
            "Yanti",
            "Lestari",
            "Wulan",
            "Ningsih",
            "Retno",
            "Tutik",
            "Rahayu",
        ),
        (
            "Budi",
            "Joko",
            "Agus",
            "Eko",
            "Wahyu",
            "Bambang",
            "Rudi",
            "Slamet",
            "Teguh",
            "Bayu",
            "Hadi",
            "Yudi",
            "Dwi",
            "Heru",
        ),
        ("Mbak", "Bu", "Mbak", "Bude"),
        ("Mas", "Pak", "Mas", "Pakde"),
        (
            "Santoso",
            "Wibowo",
            "Susanto",
            "Pratama",
            "Kusuma",
            "Setiawan",
            "Wijayanti",
            "Purnomo",
            "Rahayu",
            "Suryadi",
            "Handayani",
            "Prasetyo",
        ),
    ),
    "sunda": (
        ("Euis", "Neng", "Iis", "Nining", "Entin", "Rina", "Yati", "Ratna", "Ai", "Siti", "Rika"),
        (
            "Dedi",
            "Asep",
            "Ujang",
            "Cecep",
            "Dadang",
            "Yayan",
            "Ade",
            "Ujang",
            "Dede",
            "Acep",
            "Jajang",
        ),
        ("Teh", "Teh", "Ceu"),
        ("Kang", "Kang", "Mang"),
        (
            "Permana",
            "Nugraha",
            "Hidayat",
            "Sutisna",
            "Gumilar",
            "Ramdani",
            "Suherman",
            "Kurniawan",
            "Rustandi",
            "Sopandi",
        ),
    ),
    "batak": (
        (
            "Rotua",
            "Sondang",
            "Tiurma",
            "Uli",
            "Rumondang",
            "Lasma",
            "Roma",
            "Friska",
            "Debora",
            "Nova",
        ),
        (
            "Togar",
            "Maruli",
            "Binsar",
            "Poltak",
            "Lamhot",
            "Parulian",
            "Jonris",
            "Hotman",
            "Saut",
            "Tigor",
        ),
        ("Kak", "Inang", "Kak"),
        ("Bang", "Lae", "Bang"),
        (
            "Siregar",
            "Simanjuntak",
            "Nasution",
            "Hutapea",
            "Harahap",
            "Lubis",
            "Sitompul",
            "Pangaribuan",
            "Sinaga",
            "Situmorang",
            "Manurung",
        ),
    ),
    "bugis": (
        ("Besse", "Tenri", "Irma", "Nurul", "Andi", "Haslinda", "Rosmini", "Fitriani", "Nurhaeda"),
        (
            "Baso",
            "Andi",
            "Syamsul",
            "Ramli",
            "Sulfikar",
            "Ilham",
            "Akbar",
            "Fadli",
            "Rusdi",
            "Aswar",
        ),
        ("Kak", "Puang", "Kak"),
        ("Daeng", "Kak", "Daeng"),
        ("Rahman", "Amir", "Sultan", "Mappasessu", "Latif", "Pawallangi", "Arifin", "Mansyur"),
    ),
    "minang": (
        ("Fitri", "Rahmi", "Yeni", "Desi", "Rosa", "Mardiah", "Silvia", "Yulia", "Elvira"),
        (
            "Rizal",
            "Yusri",
            "Hendra",
            "Nofri",
            "Efrizal",
            "Zulkifli",
            "Afdal",
            "Rahmat",
            "Irfan",
            "Fauzan",
        ),
        ("Uni", "Uni", "Amak"),
        ("Uda", "Uda", "Mak"),
        ("Tanjung", "Chaniago", "Piliang", "Koto", "Sikumbang", "Caniago", "Jambak", "Syafri"),
    ),
    "tionghoa": (
        (
            "Liana",
            "Felicia",
            "Michelle",
            "Vanessa",
            "Cindy",
            "Meilani",
            "Susanti",
            "Lili",
            "Clarissa",
            "Jessica",
            "Stella",
            "Angeline",
        ),
        (
            "Kevin",
            "Steven",
            "Yohanes",
            "Wilson",
            "Ivan",
            "Hartono",
            "Jonathan",
            "Ricky",
            "Edward",
            "Hendrik",
            "Aldo",
            "Vincent",
        ),
        ("Ci", "Cici", "Ci"),
        ("Koh", "Koko", "Koh"),
        (
            "Halim",
            "Gunawan",
            "Chandra",
            "Wijaya",
            "Tanuwijaya",
            "Setiadi",
            "Kurnia",
            "Lim",
            "Tan",
            "Oei",
            "Salim",
            "Hartanto",
        ),
    ),
    "bali": (
        ("Ayu", "Putu", "Komang", "Kadek", "Luh", "Made", "Nyoman", "Ketut", "Sekar", "Sri"),
        ("Wayan", "Made", "Ketut", "Nyoman", "Putu", "Gede", "Komang", "Kadek", "Agung", "Dewa"),
        ("Mbok", "Gek", "Mbok"),
        ("Bli", "Bli", "Gus"),
        (
            "Astawa",
            "Suardana",
            "Wirawan",
            "Sudiarta",
            "Artawan",
            "Mahendra",
            "Pradnyani",
            "Antari",
            "Sanjaya",
        ),
    ),
    "timur": (
        ("Grace", "Meity", "Yohana", "Fransiska", "Jessy", "Marlin", "Novi", "Olivia", "Ester"),
        ("Marthen", "Stevano", "Rio", "Yance", "Frengky", "Ronald", "Alfons", "Jefry", "Yoseph"),
        ("Kaka", "Nona", "Usi"),
        ("Bung", "Kaka", "Nyong"),
        (
            "Wenas",
            "Rumengan",
            "Tuwo",
            "Pattinama",
            "Latuconsina",
            "Sopacua",
            "Kambu",
            "Lomboan",
            "Mandagi",
        ),
    ),
    "umum": (
        (
            "Nisa",
            "Dinda",
            "Tasya",
            "Putri",
            "Bella",
            "Nadia",
            "Salsa",
            "Indah",
            "Siska",
            "Tiara",
            "Anisa",
            "Citra",
            "Aulia",
            "Nabila",
            "Kirana",
            "Laras",
            "Zahra",
            "Intan",
        ),
        (
            "Aldi",
            "Raka",
            "Fajar",
            "Rizky",
            "Dimas",
            "Galih",
            "Arif",
            "Yoga",
            "Reza",
            "Farhan",
            "Bima",
            "Ilham",
            "Naufal",
            "Rangga",
            "Dafa",
            "Yusuf",
            "Rafi",
            "Gilang",
        ),
        ("Kak", "Mbak", "Kak"),
        ("Kak", "Mas", "Bang"),
        (
            "Putri",
            "Maharani",
            "Saputra",
            "Ramadhan",
            "Firmansyah",
            "Anggraini",
            "Kurniasih",
            "Hakim",
            "Fadhilah",
            "Syahputra",
            "Wulandari",
            "Rahmawati",
        ),
    ),
}
# Which name groups are common where: Sundanese names around Bandung, Batak in Medan ...
GROUP_WEIGHTS = {
    "jawa": 30,
    "sunda": 12,
    "batak": 6,
    "bugis": 5,
    "minang": 6,
    "tionghoa": 9,
    "bali": 3,
    "timur": 3,
    "umum": 40,
}
GROUP_BIAS: dict[str, str] = {
    "Bandung": "sunda",
    "Bogor": "sunda",
    "Depok": "sunda",
    "Bekasi": "sunda",
    "Cirebon": "sunda",
    "Medan": "batak",
    "Makassar": "bugis",
    "Padang": "minang",
    "Pekanbaru": "minang",
    "Denpasar": "bali",
    "Mataram": "bali",
    "Manado": "timur",
    "Kupang": "timur",
    "Jayapura": "timur",
    "Ambon": "timur",
    "Surabaya": "jawa",
    "Semarang": "jawa",
    "Yogyakarta": "jawa",
    "Solo": "jawa",
    "Malang": "jawa",
    "Sidoarjo": "jawa",
    "Pontianak": "tionghoa",
    "Batam": "tionghoa",
}

# Brand-like names per niche: {f} first name, {h} honorific (matches the gender), {c} city.
BRAND_TEMPLATES: dict[str, tuple[str, ...]] = {
    "Kuliner": (
        "Dapur {h} {f}",
        "Kulineran {h} {f}",
        "Jajan Bareng {f}",
        "{f} Makan Terus",
        "Dapur & Rasa {h} {f}",
        "Resep {h} {f}",
        "Kuliner {c} by {f}",
        "Ngemil Bareng {f}",
        "Sambal {h} {f}",
        "Jelajah Rasa {c} by {f}",
    ),
    "Fashion": (
        "Hijab Cantik by {f}",
        "OOTD {f}",
        "{f} Style",
        "Lemari {f}",
        "Gaya {h} {f}",
        "Outfit {c} by {f}",
        "Batik & Kain {f}",
        "Thrift Bareng {f}",
    ),
    "Kecantikan": (
        "Skincare {h} {f}",
        "Glowing Bareng {f}",
        "{f} Beauty",
        "Makeup by {f}",
        "Cantik Alami {f}",
        "Review Skincare {f}",
        "Beauty {c} by {f}",
    ),
    "Kesehatan & Kebugaran": (
        "Sehat Bareng {f}",
        "Coach {f} Fit",
        "Hidup Sehat {h} {f}",
        "{f} Fitness",
        "Diet Santai {f}",
        "Senam Bareng {h} {f}",
    ),
    "Teknologi & Gadget": (
        "{h} Gadget {c}",
        "{f} Tekno",
        "Gadget Review {f}",
        "Tekno {h} {f}",
        "Unboxing {f}",
        "Ngoprek Bareng {f}",
    ),
    "Parenting & Keluarga": (
        "Bunda {f} & Kids",
        "Mama {f} Cerita",
        "Keluarga {f}",
        "Ayah {f} Bercerita",
        "Catatan Bunda {f}",
        "Main Bareng Anak {f}",
    ),
    "Travel": (
        "Jalan-Jalan {f}",
        "{f} Explore {c}",
        "Traveling Bareng {f}",
        "Kelana {f}",
        "Piknik {h} {f}",
        "Dolan {c} {f}",
    ),
    "Otomotif": (
        "Otomotif {h} {f}",
        "Garasi {f}",
        "{f} Modif",
        "Bengkel {h} {f}",
        "Motoran {c} {f}",
        "Review Mobil {f}",
    ),
    "Edukasi": (
        "Belajar Bareng {h} {f}",
        "Kelas {f}",
        "Guru {f}",
        "English with {f}",
        "Pintar Bareng {f}",
        "Ruang Belajar {f}",
    ),
    "Gaya Hidup": (
        "{f} Daily",
        "Cerita {f}",
        "Hari-Hari {f}",
        "{f} & Kopi",
        "Nongkrong {c} {f}",
        "Slow Living {f}",
    ),
    "Gaming": (
        "{f} Gaming",
        "Mabar Bareng {f}",
        "{h} {f} Gaming",
        "{f} Plays",
        "Main Game {f}",
        "Push Rank {f}",
    ),
    "Keuangan": (
        "Cuan Bareng {f}",
        "Melek Finansial {f}",
        "{f} Investasi",
        "Dompet Aman {f}",
        "Atur Uang {h} {f}",
        "Nabung {f}",
    ),
    "Hiburan": (
        "{f} Ngakak",
        "Komedi {f}",
        "Receh {f}",
        "Ngobrol Santai {f}",
        "Lucu-Lucuan {f}",
        "Cerita Lucu {f}",
    ),
    "Olahraga": (
        "{f} Lari",
        "Bola Bareng {f}",
        "Gowes {f}",
        "Futsal {c} {f}",
        "Badminton {h} {f}",
        "Olahraga {h} {f}",
    ),
    "Hobi & Kerajinan": (
        "Rajut {h} {f}",
        "Kreasi {f}",
        "Tanaman Hias {f}",
        "{f} Handmade",
        "Batik & Kriya {f}",
        "Kerajinan {c} {f}",
    ),
    "Properti & Rumah": (
        "Rumah {f}",
        "Dekor Rumah {f}",
        "Properti {c} by {f}",
        "Rumah Minimalis {f}",
        "Renovasi {h} {f}",
        "Tata Rumah {f}",
    ),
    "Pertanian": (
        "Tani Muda {f}",
        "Kebun {h} {f}",
        "Petani Milenial {c}",
        "Hidroponik {f}",
        "Sawah & Ladang {f}",
        "Bertani {h} {f}",
    ),
    "Bisnis & B2B": (
        "{f} Bisnis",
        "Ngobrol UMKM {f}",
        "Bisnis Bareng {f}",
        "Strategi Usaha {f}",
        "Jualan Online {h} {f}",
        "Cerita Usaha {f}",
    ),
}
BRAND_SHARE = 0.45

# -------------------------------------------------------------------------- contacts

CONTACT_DOMAINS = ("example.com", "example.org", "example.net")
CONTACT_PREFIXES = ("", "", "collab.", "endorse.", "hello.")

HANDLE_DECORATIONS = ("official", "_id", ".id", "real", "_")
