"""Deterministic generator of SAMPLE influencer rows for demos, tests and load checks.

Every row is invented: names come from lists of common Indonesian first names, surnames
and niche words, handles are derived from those names, and contacts use the reserved
``example.com`` / ``example.org`` / ``example.net`` domains. The bot labels this data as a
sample (``sample_data`` in ``recommend --json``); nothing here describes a real person.

The shares (platforms, tiers, cities) and the figures (engagement rate, views, price per
post) follow the benchmarks in PRODUCT.md so that the recommender's trade-offs look like
the real market. A guaranteed base grid makes sure that a small file (the bundled 720
rows) still finds city-level candidates for a typical brief such as Kuliner / Instagram /
Bandung, and every niche, platform and tier has enough accounts.

Usage: ``python -m bot.store.sample OUT.csv --count N --seed S``.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import re
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from bot.domain import INFLUENCER_CSV_COLUMNS, NICHES, Platform, Tier

CSV_COLUMNS = INFLUENCER_CSV_COLUMNS

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
_CITY_BY_NAME = {city.name: city for city in CITIES}

# The base grid: cities where every niche gets guaranteed Instagram/TikTok small accounts,
# and the subset where every niche gets a guaranteed macro account.
GRID_CITIES: tuple[str, ...] = ("Jakarta", "Surabaya", "Bandung", "Medan", "Yogyakarta", "Semarang")
GRID_MACRO_CITIES: tuple[str, ...] = ("Jakarta", "Surabaya", "Bandung")
# The grid may take at most this share of a generated set, so big sets keep natural shares.
_GRID_MAX_SHARE = 0.6

CITYLESS_SHARE = 0.03  # province known, city not
NATIONWIDE_SHARE = 0.02  # neither: creators who speak to the whole country

# ------------------------------------------------------------------------ figures

# Engagement rate per follower (percent) at the bottom and the top of each tier, around
# the HypeAuditor bands in PRODUCT.md; noise spreads rows across the bands.
_ER_RANGE: dict[str, tuple[float, float]] = {
    Tier.NANO.value: (6.0, 3.6),
    Tier.MICRO.value: (3.8, 1.9),
    Tier.MACRO.value: (2.5, 1.3),
    Tier.MEGA.value: (2.1, 1.0),
}
_ER_PLATFORM = {"instagram": 1.0, "tiktok": 1.3, "youtube": 0.9, "facebook": 0.75}

# Average views as a share of followers at 1k followers and at 10M followers (log-lerp).
_VIEW_SHARE: dict[str, tuple[float, float]] = {
    "instagram": (0.18, 0.035),
    "tiktok": (0.70, 0.15),
    "youtube": (0.35, 0.06),
    "facebook": (0.10, 0.02),
}

# Price per post (Rupiah) at follower anchors; log-log interpolation between them gives a
# smooth curve through the Indonesian endorse benchmarks in PRODUCT.md.
_PRICE_ANCHORS: tuple[tuple[int, int], ...] = (
    (1_000, 80_000),
    (10_000, 550_000),
    (30_000, 1_000_000),
    (100_000, 3_000_000),
    (300_000, 5_000_000),
    (1_000_000, 12_000_000),
    (15_000_000, 45_000_000),
)
_PRICE_PLATFORM = {"instagram": 1.0, "tiktok": 0.9, "youtube": 1.4, "facebook": 0.75}

# The benchmark bands by followers (upper follower bound, lowest price, highest price).
# The highest price stretches the benchmark's "and more" for big accounts.
PRICE_BANDS: tuple[tuple[float, int, int], ...] = (
    (10_000, 50_000, 500_000),
    (100_000, 500_000, 5_000_000),
    (1_000_000, 2_500_000, 20_000_000),
    (math.inf, 10_000_000, 150_000_000),
)
# YouTube videos cost more to make: its ceilings are this much higher.
YOUTUBE_PRICE_HEADROOM = 1.25

LOW_QUALITY_SHARE = 0.06  # audience_quality under 50: bought followers
EMPTY_SHARES = {
    "engagement_rate": 0.08,
    "avg_views": 0.15,
    "audience_quality": 0.10,
    "contact": 0.40,
}

# -------------------------------------------------------------------------- names

# (female first names, male first names, female honorifics, male honorifics, surnames)
_GROUPS: dict[str, tuple[tuple[str, ...], ...]] = {
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
_GROUP_WEIGHTS_DEFAULT = {
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
_GROUP_BIAS: dict[str, str] = {
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
_BRAND_TEMPLATES: dict[str, tuple[str, ...]] = {
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
_BRAND_SHARE = 0.45
# Templates whose words fix the gender ("Bunda" is a mother, "Ayah" a father).
_TEMPLATE_GENDER: dict[str, bool] = {
    template: not template.startswith("Ayah")
    for templates in _BRAND_TEMPLATES.values()
    for template in templates
    if template.startswith(("Bunda", "Mama", "Catatan Bunda", "Hijab", "Ayah"))
}

_CONTACT_DOMAINS = ("example.com", "example.org", "example.net")
_CONTACT_PREFIXES = ("", "", "collab.", "endorse.", "hello.")

_HANDLE_BAD = re.compile(r"[^a-z0-9]+")
_HANDLE_MAX = 30
_HANDLE_DECORATIONS = ("official", "_id", ".id", "real", "_")
_DOTS = re.compile(r"\.{2,}")


class _Spec(NamedTuple):
    """What a row must be before its figures are drawn (None: draw freely)."""

    platform: str
    tier: str
    niche: str | None
    city: str | None


# ------------------------------------------------------------------------ helpers


class _Picker:
    """Weighted choice with precomputed cumulative weights: much faster than rng.choices."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, weights: dict) -> None:
        self.items = list(weights)
        self.cum = list(accumulate(weights.values()))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):  # items of any type
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


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


def _round_price(value: float) -> int:
    """Nice Rupiah: multiples of 25.000 under 1 jt, 50.000 under 10 jt, 250.000 above."""
    step = 25_000 if value < 1_000_000 else 50_000 if value < 10_000_000 else 250_000
    return max(step, int(round(value / step)) * step)


def price_band(followers: int, platform: str) -> tuple[int, int]:
    """The benchmark price band (low, high) for an account of this size, as generated."""
    for upper, low, high in PRICE_BANDS:
        if followers < upper:
            if platform == "youtube":
                high = int(high * YOUTUBE_PRICE_HEADROOM)
            return low, high
    raise AssertionError("unreachable: the last band is unbounded")


# The price anchors in log space, for a cheap piecewise-linear interpolation per row.
_LOG_PRICE_ANCHORS: tuple[tuple[float, float], ...] = tuple(
    (math.log(followers), math.log(price)) for followers, price in _PRICE_ANCHORS
)


def _log_price_center(log_followers: float) -> float:
    """log(price) on the log-log curve through the anchors (flat below the first one)."""
    anchors = _LOG_PRICE_ANCHORS
    if log_followers <= anchors[0][0]:
        return anchors[0][1]
    for (x0, y0), (x1, y1) in zip(anchors, anchors[1:], strict=False):
        if log_followers <= x1:
            return y0 + (log_followers - x0) * (y1 - y0) / (x1 - x0)
    (x0, y0), (x1, y1) = anchors[-2:]
    return y1 + (log_followers - x1) * (y1 - y0) / (x1 - x0)


def _handle_words(text: str) -> list[str]:
    return [w for w in _HANDLE_BAD.split(text.lower()) if w]


# ---------------------------------------------------------------------- generator


def _one(rng: random.Random, items: Sequence[str]) -> str:
    """rng.choice without its overhead (the generator draws ~10 of these per row)."""
    return items[int(rng.random() * len(items))]


# Precomputed per platform: (log share at 1k followers, slope per log-follower) for views.
_VIEW_LOG: dict[str, tuple[float, float]] = {
    p: (
        math.log(small),
        (math.log(big) - math.log(small)) / (math.log(10_000_000) - math.log(1_000)),
    )
    for p, (small, big) in _VIEW_SHARE.items()
}
_LOG_1K = math.log(1_000)


class _Generator:
    """Holds the random stream and the per-platform registries of one generated set."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.taken: dict[str, set[str]] = {p: set() for p in PLATFORM_SHARES}
        self.names: dict[str, set[str]] = {p: set() for p in PLATFORM_SHARES}
        self.next_number: dict[tuple[str, str], int] = {}
        self.niche_pick = _Picker(NICHE_WEIGHTS)
        self.city_pick = _Picker({c.name: c.weight for c in CITIES})
        self.big_city_pick = _Picker({c.name: c.big_weight for c in CITIES})
        self.group_pick = _Picker(_GROUP_WEIGHTS_DEFAULT)
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
            # a second Instagram micro per niche and grid city (nano comes with the fill)
            [_Spec("instagram", "micro", n, c) for n in NICHES for c in GRID_CITIES],
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
        # where the account sits inside its tier, 0 (bottom) .. 1 (top)
        position = (log_followers - log_low) / (log_high - log_low)

        primary = spec.niche or self.niche_pick(rng)
        extra = random_()
        if extra < 0.50:
            niches_text = primary
        else:
            neighbours = NICHE_NEIGHBOURS[primary]
            wanted = 1 if extra < 0.85 else 2
            niches_text = "|".join([primary, *rng.sample(neighbours, min(wanted, len(neighbours)))])

        city, province = self._place(spec, tier)

        low_quality = random_() < LOW_QUALITY_SHARE
        if low_quality:
            quality = 15 + int(random_() * 35)  # 15..49
        else:
            quality = min(98, max(50, int(rng.triangular(55, 98, 84))))

        er_top, er_bottom = _ER_RANGE[tier]
        er_platform = _ER_PLATFORM[platform]
        er = (er_top + (er_bottom - er_top) * position) * er_platform * math.exp(rng.gauss(0, 0.28))
        if low_quality:
            er *= 0.3 + 0.3 * random_()  # bought followers don't engage
        er = min(max(er, 0.1), 15.0)

        log_share, slope = _VIEW_LOG[platform]
        views = followers * math.exp(
            log_share + slope * (log_followers - _LOG_1K) + rng.gauss(0, 0.35)
        )
        views *= (er / (er_top * er_platform)) ** 0.3  # engaged audiences also watch more

        price = _PRICE_PLATFORM[platform] * math.exp(
            _log_price_center(log_followers) + rng.gauss(0, 0.25)
        )
        band_low, band_high = price_band(followers, platform)
        price_idr = min(max(_round_price(price), band_low), band_high)

        name, first, surname = self._name(platform, primary, city)
        handle = self._handle(platform, name, city)

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
            else (f"{er:.1f}" if random_() < 0.4 else f"{er:.2f}"),
            "avg_views": ""
            if random_() < empties["avg_views"]
            else str(max(50, _round_sig(views, 3))),
            "price_idr": str(price_idr),
            "audience_quality": "" if random_() < empties["audience_quality"] else str(quality),
            "contact": ""
            if random_() < empties["contact"]
            else self._contact(handle, first, surname),
        }

    def _place(self, spec: _Spec, tier: str) -> tuple[str, str]:
        rng = self.rng
        if spec.city is not None:
            return spec.city, _CITY_BY_NAME[spec.city].province
        pick = self.big_city_pick if tier in ("macro", "mega") else self.city_pick
        city = _CITY_BY_NAME[pick(rng)]
        draw = rng.random()
        if draw < NATIONWIDE_SHARE * self.blank_scale:
            return "", ""
        if draw < (NATIONWIDE_SHARE + CITYLESS_SHARE) * self.blank_scale:
            return "", city.province
        return city.name, city.province

    def _name(self, platform: str, niche: str, city: str) -> tuple[str, str, str]:
        """A display name not yet used on the platform (a few tries), with its first name and surname."""
        used = self.names[platform]
        for _ in range(2):
            name, first, surname = self._draw_name(niche, city)
            if name not in used:
                break
        used.add(name)
        return name, first, surname

    def _draw_name(self, niche: str, city: str) -> tuple[str, str, str]:
        rng = self.rng
        bias = _GROUP_BIAS.get(city)
        group = bias if bias and rng.random() < 0.45 else self.group_pick(rng)
        females, males, hon_f, hon_m, surnames = _GROUPS[group]
        template = _one(rng, _BRAND_TEMPLATES[niche]) if rng.random() < _BRAND_SHARE else None
        gendered = _TEMPLATE_GENDER.get(template) if template else None
        female = rng.random() < 0.55 if gendered is None else gendered
        firsts = females if female else males
        first = _one(rng, firsts)
        surname = _one(rng, surnames)
        if template is not None:
            honorific = _one(rng, hon_f if female else hon_m)
            name = template.format(f=first, h=honorific, c=city or "Indonesia")
        else:
            style = rng.random()
            if style < 0.70:
                name = f"{first} {surname}"
            elif style < 0.82:
                name = first
            elif style < 0.92:
                name = f"{first} {_one(rng, firsts)}"
            else:
                name = f"{first} {surname[0]}."
            if name.split()[-1] == first and " " in name:  # "Andi Andi"
                name = f"{first} {surname}"
        return name, first, surname

    def _handle(self, platform: str, name: str, city: str) -> str:
        """A lowercase [a-z0-9._] handle from the name, unique per platform."""
        rng = self.rng
        words = _handle_words(name)
        if city:
            city_words = _handle_words(city)
            if (
                len(words) > len(city_words)
                and words[-len(city_words) :] == city_words
                and rng.random() < 0.7
            ):
                words = words[: -len(city_words)] + [_CITY_BY_NAME[city].short]
        style = rng.random()
        if len(words) == 1:
            # a bare first name is too generic: creators decorate it
            tail = (
                _CITY_BY_NAME[city].short
                if city and style < 0.4
                else _one(rng, ("id", "official", "daily", "story"))
            )
            base = words[0] + _one(rng, ("", ".", "_")) + tail
        elif style < 0.30:
            base = "".join(words)
        elif style < 0.55:
            base = ".".join(words)
        elif style < 0.75:
            base = words[0] + "_" + "".join(words[1:])
        elif style < 0.90:
            base = "_".join(words)
        else:
            base = "".join(words[:-1]) + "." + words[-1]
        base = _trim(base, _HANDLE_MAX)
        if len(base) < 3:
            base = (base + "idn")[:3]
        taken = self.taken[platform]
        handle = base
        if handle in taken:
            for decoration in rng.sample(_HANDLE_DECORATIONS, 2):
                handle = _trim(base, _HANDLE_MAX - len(decoration)) + decoration
                if handle not in taken:
                    break
        if handle in taken:
            # numbered like real latecomers ("rina.kusuma2"); the counter keeps this O(1)
            # even when a popular name comes up thousands of times in a big set
            key = (platform, base)
            number = self.next_number.get(key, 2)
            while handle in taken:
                suffix = str(number)
                handle = _trim(base, _HANDLE_MAX - len(suffix)) + suffix
                number += 1
            self.next_number[key] = number
        taken.add(handle)
        return handle

    def _contact(self, handle: str, first: str, surname: str) -> str:
        """An address at a reserved example domain: plausible, never anybody's inbox."""
        rng = self.rng
        if rng.random() < 0.5:
            local = _DOTS.sub(".", handle.replace("_", ".")).strip(".")
        else:
            local = ".".join(_handle_words(f"{first} {surname}"))
        return f"{_one(rng, _CONTACT_PREFIXES)}{local}@{_one(rng, _CONTACT_DOMAINS)}"


def _trim(base: str, limit: int) -> str:
    """Cut to `limit` and drop a dangling separator (Instagram rejects a trailing dot)."""
    return base[:limit].rstrip("._")


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
