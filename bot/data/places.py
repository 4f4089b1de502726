"""Indonesian gazetteer: the 38 provinces, the cities people name, regions, nationwide words.

Pure data with the aliases owners and CSV files use ("Jogja", "Jaksel", "Jabar",
"se-Indonesia"). The lookups that fold spellings and resolve a text to a Location live
in bot.language.places; add a city or an alias here and every parser knows it.
"""

from __future__ import annotations

from bot.domain import Location

# --- Provinces ----------------------------------------------------------------------

# The 38 provinces (since 2022), canonical names with the aliases people write.
# Aliases are folded by bot.language.places; "Sumatera" names also get the "Sumatra"
# spelling there.
PROVINCE_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Aceh", ("NAD", "Nanggroe Aceh Darussalam", "Daerah Istimewa Aceh")),
    ("Sumatera Utara", ("Sumut", "North Sumatra")),
    ("Sumatera Barat", ("Sumbar", "West Sumatra")),
    ("Riau", ()),
    ("Kepulauan Riau", ("Kepri", "Kep. Riau", "Kep Riau")),
    ("Jambi", ()),
    ("Sumatera Selatan", ("Sumsel", "South Sumatra")),
    ("Kepulauan Bangka Belitung", ("Babel", "Bangka Belitung", "Kep. Bangka Belitung", "Bangka")),
    ("Bengkulu", ()),
    ("Lampung", ()),
    (
        "DKI Jakarta",
        ("DKI", "Jakarta", "Daerah Khusus Ibukota Jakarta", "Daerah Khusus Jakarta", "DKJ"),
    ),
    ("Jawa Barat", ("Jabar", "West Java", "Jawabarat")),
    ("Banten", ()),
    ("Jawa Tengah", ("Jateng", "Central Java", "Jawatengah")),
    (
        "DI Yogyakarta",
        (
            "DIY",
            "D.I.Y.",
            "D.I. Yogyakarta",
            "Daerah Istimewa Yogyakarta",
            "Yogyakarta",
            "Jogja",
            "Jogjakarta",
            "Yogya",
            "Djogja",
            "Jogya",
        ),
    ),
    ("Jawa Timur", ("Jatim", "East Java", "Jawatimur")),
    ("Bali", ()),
    ("Nusa Tenggara Barat", ("NTB", "West Nusa Tenggara")),
    ("Nusa Tenggara Timur", ("NTT", "East Nusa Tenggara")),
    ("Kalimantan Barat", ("Kalbar", "West Kalimantan")),
    ("Kalimantan Tengah", ("Kalteng", "Central Kalimantan")),
    ("Kalimantan Selatan", ("Kalsel", "South Kalimantan")),
    ("Kalimantan Timur", ("Kaltim", "East Kalimantan")),
    ("Kalimantan Utara", ("Kaltara", "North Kalimantan")),
    ("Sulawesi Utara", ("Sulut", "North Sulawesi")),
    ("Gorontalo", ()),
    ("Sulawesi Tengah", ("Sulteng", "Central Sulawesi")),
    ("Sulawesi Barat", ("Sulbar", "West Sulawesi")),
    ("Sulawesi Selatan", ("Sulsel", "South Sulawesi")),
    ("Sulawesi Tenggara", ("Sultra", "Southeast Sulawesi")),
    ("Maluku", ()),
    ("Maluku Utara", ("Malut", "North Maluku")),
    ("Papua", ()),
    ("Papua Barat", ("Pabar", "West Papua")),
    ("Papua Barat Daya", ("PBD", "Southwest Papua")),
    ("Papua Tengah", ("Papteng", "Central Papua")),
    ("Papua Pegunungan", ("Papeg", "Highland Papua")),
    ("Papua Selatan", ("South Papua",)),
)

PROVINCES: tuple[str, ...] = tuple(name for name, _ in PROVINCE_ROWS)

# --- Cities -------------------------------------------------------------------------

# Canonical city (or regency people name like a city) -> (province, aliases).
# Districts and satellite names people use for the city they belong to are aliases
# ("Jaksel" -> Jakarta, "Cikarang" -> Bekasi, "Ubud" -> Gianyar).
CITY_ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # DKI Jakarta
    (
        "Jakarta",
        "DKI Jakarta",
        (
            "Jkt",
            "Jakarta Raya",
            "Jakarta Selatan",
            "Jaksel",
            "Jakarta Barat",
            "Jakbar",
            "Jakarta Timur",
            "Jaktim",
            "Jakarta Utara",
            "Jakut",
            "Jakarta Pusat",
            "Jakpus",
            "Kepulauan Seribu",
        ),
    ),
    # Banten
    (
        "Tangerang",
        "Banten",
        (
            "Tangsel",
            "Tangerang Selatan",
            "Tangerang Kota",
            "Tng",
            "BSD",
            "Serpong",
            "Bintaro",
            "Karawaci",
            "Ciledug",
            "Pamulang",
            "Ciputat",
        ),
    ),
    ("Serang", "Banten", ()),
    ("Cilegon", "Banten", ()),
    # Jawa Barat
    ("Bandung", "Jawa Barat", ("Bdg", "Bandung Barat", "KBB", "Bandoeng", "Lembang")),
    ("Bekasi", "Jawa Barat", ("Bks", "Cikarang", "Bekasi Kota")),
    ("Bogor", "Jawa Barat", ("Bgr", "Cibinong")),
    ("Depok", "Jawa Barat", ("Dpk",)),
    ("Cirebon", "Jawa Barat", ("Crb",)),
    ("Cimahi", "Jawa Barat", ()),
    ("Sukabumi", "Jawa Barat", ()),
    ("Tasikmalaya", "Jawa Barat", ("Tasik",)),
    ("Karawang", "Jawa Barat", ("Krawang",)),
    ("Garut", "Jawa Barat", ()),
    ("Cianjur", "Jawa Barat", ()),
    ("Purwakarta", "Jawa Barat", ()),
    ("Subang", "Jawa Barat", ()),
    ("Sumedang", "Jawa Barat", ()),
    ("Indramayu", "Jawa Barat", ()),
    ("Kuningan", "Jawa Barat", ()),
    ("Majalengka", "Jawa Barat", ()),
    ("Banjar", "Jawa Barat", ()),
    # Jawa Tengah
    ("Semarang", "Jawa Tengah", ("Smg", "Ungaran")),
    ("Solo", "Jawa Tengah", ("Surakarta",)),
    ("Magelang", "Jawa Tengah", ()),
    ("Salatiga", "Jawa Tengah", ()),
    ("Pekalongan", "Jawa Tengah", ()),
    ("Tegal", "Jawa Tengah", ()),
    ("Purwokerto", "Jawa Tengah", ("Banyumas",)),
    ("Kudus", "Jawa Tengah", ()),
    ("Klaten", "Jawa Tengah", ()),
    ("Sukoharjo", "Jawa Tengah", ()),
    ("Karanganyar", "Jawa Tengah", ()),
    ("Boyolali", "Jawa Tengah", ()),
    ("Sragen", "Jawa Tengah", ()),
    ("Wonogiri", "Jawa Tengah", ()),
    ("Cilacap", "Jawa Tengah", ()),
    ("Jepara", "Jawa Tengah", ()),
    ("Pati", "Jawa Tengah", ()),
    ("Kebumen", "Jawa Tengah", ()),
    ("Brebes", "Jawa Tengah", ()),
    ("Demak", "Jawa Tengah", ()),
    ("Kendal", "Jawa Tengah", ()),
    ("Wonosobo", "Jawa Tengah", ()),
    ("Purbalingga", "Jawa Tengah", ()),
    # DI Yogyakarta
    (
        "Yogyakarta",
        "DI Yogyakarta",
        (
            "Jogja",
            "Jogjakarta",
            "Yogya",
            "Djogja",
            "Djokja",
            "Djogjakarta",
            "Jogya",
            "Yogja",
            "Jogjes",
            "Ngayogyakarta",
            "YK",
        ),
    ),
    ("Sleman", "DI Yogyakarta", ()),
    ("Bantul", "DI Yogyakarta", ()),
    ("Gunungkidul", "DI Yogyakarta", ("Gunung Kidul",)),
    ("Kulon Progo", "DI Yogyakarta", ("Kulonprogo",)),
    # Jawa Timur
    ("Surabaya", "Jawa Timur", ("Sby", "Suroboyo", "Surabaja")),
    ("Malang", "Jawa Timur", ("Mlg", "Ngalam")),
    ("Sidoarjo", "Jawa Timur", ("Sda",)),
    ("Gresik", "Jawa Timur", ()),
    ("Kediri", "Jawa Timur", ()),
    ("Madiun", "Jawa Timur", ()),
    ("Mojokerto", "Jawa Timur", ()),
    ("Pasuruan", "Jawa Timur", ()),
    ("Probolinggo", "Jawa Timur", ()),
    ("Blitar", "Jawa Timur", ()),
    ("Jember", "Jawa Timur", ()),
    ("Banyuwangi", "Jawa Timur", ()),
    ("Batu", "Jawa Timur", ()),
    ("Lamongan", "Jawa Timur", ()),
    ("Tuban", "Jawa Timur", ()),
    ("Bojonegoro", "Jawa Timur", ()),
    ("Jombang", "Jawa Timur", ()),
    ("Bangkalan", "Jawa Timur", ()),
    ("Pamekasan", "Jawa Timur", ()),
    ("Sumenep", "Jawa Timur", ()),
    ("Ponorogo", "Jawa Timur", ()),
    ("Tulungagung", "Jawa Timur", ()),
    ("Lumajang", "Jawa Timur", ()),
    # Bali
    ("Denpasar", "Bali", ("Dps",)),
    ("Badung", "Bali", ("Kuta", "Seminyak", "Canggu", "Nusa Dua", "Jimbaran")),
    ("Gianyar", "Bali", ("Ubud",)),
    ("Tabanan", "Bali", ()),
    ("Buleleng", "Bali", ("Singaraja",)),
    # Sumatera
    ("Medan", "Sumatera Utara", ("Mdn",)),
    ("Binjai", "Sumatera Utara", ()),
    ("Pematangsiantar", "Sumatera Utara", ("Pematang Siantar", "Siantar")),
    ("Deli Serdang", "Sumatera Utara", ("Lubuk Pakam",)),
    ("Tebing Tinggi", "Sumatera Utara", ()),
    ("Padang", "Sumatera Barat", ("Pdg",)),
    ("Bukittinggi", "Sumatera Barat", ("Bukit Tinggi",)),
    ("Payakumbuh", "Sumatera Barat", ()),
    ("Palembang", "Sumatera Selatan", ("Plg",)),
    ("Prabumulih", "Sumatera Selatan", ()),
    ("Lubuklinggau", "Sumatera Selatan", ("Lubuk Linggau",)),
    ("Pekanbaru", "Riau", ("Pku", "Pekan Baru")),
    ("Dumai", "Riau", ()),
    ("Batam", "Kepulauan Riau", ("Btm",)),
    ("Tanjungpinang", "Kepulauan Riau", ("Tanjung Pinang",)),
    ("Jambi", "Jambi", ()),
    ("Bengkulu", "Bengkulu", ()),
    ("Bandar Lampung", "Lampung", ("Bandarlampung", "Balam")),
    ("Metro", "Lampung", ()),
    ("Pangkalpinang", "Kepulauan Bangka Belitung", ("Pangkal Pinang",)),
    ("Belitung", "Kepulauan Bangka Belitung", ("Tanjung Pandan", "Tanjungpandan")),
    ("Banda Aceh", "Aceh", ("Bna",)),
    ("Lhokseumawe", "Aceh", ()),
    # Kalimantan
    ("Balikpapan", "Kalimantan Timur", ("Bpn",)),
    ("Samarinda", "Kalimantan Timur", ("Smd",)),
    ("Bontang", "Kalimantan Timur", ()),
    ("Pontianak", "Kalimantan Barat", ("Ptk",)),
    ("Singkawang", "Kalimantan Barat", ()),
    ("Banjarmasin", "Kalimantan Selatan", ("Bjm",)),
    ("Banjarbaru", "Kalimantan Selatan", ("Banjar Baru",)),
    ("Palangka Raya", "Kalimantan Tengah", ("Palangkaraya",)),
    ("Sampit", "Kalimantan Tengah", ()),
    ("Tarakan", "Kalimantan Utara", ()),
    # Sulawesi
    ("Makassar", "Sulawesi Selatan", ("Mks", "Makasar", "Mksr", "Ujung Pandang", "Ujungpandang")),
    ("Parepare", "Sulawesi Selatan", ("Pare Pare", "Pare-pare")),
    ("Palopo", "Sulawesi Selatan", ()),
    ("Gowa", "Sulawesi Selatan", ("Sungguminasa",)),
    ("Maros", "Sulawesi Selatan", ()),
    ("Manado", "Sulawesi Utara", ("Menado", "Mdo")),
    ("Bitung", "Sulawesi Utara", ()),
    ("Tomohon", "Sulawesi Utara", ()),
    ("Palu", "Sulawesi Tengah", ()),
    ("Kendari", "Sulawesi Tenggara", ()),
    ("Baubau", "Sulawesi Tenggara", ("Bau Bau", "Bau-bau")),
    ("Mamuju", "Sulawesi Barat", ()),
    ("Gorontalo", "Gorontalo", ()),
    # Nusa Tenggara
    ("Mataram", "Nusa Tenggara Barat", ()),
    ("Bima", "Nusa Tenggara Barat", ()),
    ("Kupang", "Nusa Tenggara Timur", ()),
    ("Labuan Bajo", "Nusa Tenggara Timur", ("Labuhan Bajo", "Labuanbajo")),
    ("Maumere", "Nusa Tenggara Timur", ()),
    # Maluku and Papua
    ("Ambon", "Maluku", ()),
    ("Tual", "Maluku", ()),
    ("Ternate", "Maluku Utara", ()),
    ("Jayapura", "Papua", ()),
    ("Manokwari", "Papua Barat", ()),
    ("Sorong", "Papua Barat Daya", ()),
    ("Nabire", "Papua Tengah", ()),
    ("Timika", "Papua Tengah", ("Mimika",)),
    ("Merauke", "Papua Selatan", ()),
    ("Wamena", "Papua Pegunungan", ()),
)

CITIES: dict[str, str] = {city: province for city, province, _ in CITY_ROWS}

# --- Regions ------------------------------------------------------------------------

# name, aliases, cities, provinces. A region with no cities is matched at province
# level; a metro area lists its cities and the provinces they lie in.
_JAVA = ("DKI Jakarta", "Jawa Barat", "Banten", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur")
_SUMATRA = (
    "Aceh",
    "Sumatera Utara",
    "Sumatera Barat",
    "Riau",
    "Kepulauan Riau",
    "Jambi",
    "Sumatera Selatan",
    "Kepulauan Bangka Belitung",
    "Bengkulu",
    "Lampung",
)
_KALIMANTAN = tuple(p for p in PROVINCES if p.startswith("Kalimantan"))
_SULAWESI = tuple(p for p in PROVINCES if p.startswith("Sulawesi")) + ("Gorontalo",)
_PAPUA = tuple(p for p in PROVINCES if p.startswith("Papua"))

REGION_ROWS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Jabodetabek",
        ("Jabotabek", "Jabodetabekjur", "Jabodetabekpunjur", "Jakarta dan sekitarnya"),
        ("Jakarta", "Bogor", "Depok", "Tangerang", "Bekasi"),
        ("DKI Jakarta", "Jawa Barat", "Banten"),
    ),
    (
        "Surabaya Raya",
        ("Gerbangkertosusila",),
        ("Surabaya", "Gresik", "Bangkalan", "Mojokerto", "Sidoarjo", "Lamongan"),
        ("Jawa Timur",),
    ),
    ("Bandung Raya", ("Bandung Metropolitan",), ("Bandung", "Cimahi", "Sumedang"), ("Jawa Barat",)),
    (
        "Solo Raya",
        ("Subosukawonosraten", "Soloraya"),
        ("Solo", "Sukoharjo", "Boyolali", "Klaten", "Karanganyar", "Wonogiri", "Sragen"),
        ("Jawa Tengah",),
    ),
    ("Pulau Jawa", ("Jawa", "Java"), (), _JAVA),
    ("Pulau Sumatera", ("Sumatera", "Sumatra", "Pulau Sumatra"), (), _SUMATRA),
    ("Pulau Kalimantan", ("Kalimantan", "Borneo"), (), _KALIMANTAN),
    ("Pulau Sulawesi", ("Sulawesi", "Celebes"), (), _SULAWESI),
    ("Tanah Papua", ("Papua", "Pulau Papua"), (), _PAPUA),
    (
        "Nusa Tenggara",
        ("Nusra", "Kepulauan Nusa Tenggara"),
        (),
        ("Nusa Tenggara Barat", "Nusa Tenggara Timur"),
    ),
    ("Kepulauan Maluku", ("Maluku Raya",), (), ("Maluku", "Maluku Utara")),
    ("Pulau Lombok", ("Lombok",), ("Mataram",), ("Nusa Tenggara Barat",)),
    (
        "Pulau Madura",
        ("Madura",),
        ("Bangkalan", "Pamekasan", "Sumenep"),
        ("Jawa Timur",),
    ),
)

REGIONS: dict[str, Location] = {
    name: Location(kind="region", name=name, cities=frozenset(cities), provinces=frozenset(provs))
    for name, _, cities, provs in REGION_ROWS
}

# --- Nationwide ---------------------------------------------------------------------

# Whole-answer phrases meaning "anywhere in Indonesia".
NATIONWIDE_PHRASES: tuple[str, ...] = (
    "seluruh indonesia",
    "se-indonesia",
    "seindonesia",
    "indonesia",
    "seluruh nusantara",
    "se-nusantara",
    "nusantara",
    "nasional",
    "skala nasional",
    "tingkat nasional",
    "semua kota",
    "semua daerah",
    "semua wilayah",
    "semua provinsi",
    "seluruh kota",
    "seluruh daerah",
    "seluruh wilayah",
    "di mana saja",
    "dimana saja",
    "di mana aja",
    "dimana aja",
    "mana saja",
    "mana aja",
    "di manapun",
    "dimanapun",
    "di mana pun",
    "manapun",
    "bebas",
    "semua",
    "seluruh",
    "semuanya",
    "terserah",
    "all",
    "nationwide",
)
