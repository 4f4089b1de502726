"""Indonesian gazetteer: provinces, the cities people name, regions, and lookups.

Plain data plus small lookup functions. Owners type places the way they say them
("Jogja", "Jaksel", "Jabar", "se-Indonesia"), and the influencer CSV holds free-text
cities and provinces; both must land on the same canonical names so that candidates
can be matched city first, then province, then nationwide. All lookup tables are
built once at import, so a lookup is a few dictionary hits.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TypeVar

from bot.domain import NATIONWIDE, Location

# --- Text folding -------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Fold text for lookups: lower case, accents and punctuation dropped, one space.

    "D.I. Yogyakarta" -> "d i yogyakarta", "Se-Indonesia" -> "se indonesia",
    "Café" -> "cafe". Every lookup key is built with this same function, so any
    spelling that folds to the same string matches.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", ascii_only.lower()).strip()


# A capitalised "DI"/"D.I." before a name is "Daerah Istimewa" (DI Yogyakarta, DI Aceh),
# while a lower-case "di" is the preposition "in" ("di Yogyakarta" means the city).
_DAERAH_ISTIMEWA = re.compile(r"^\s*D\.?\s?I\.?(?=\s)")


def _fold_place(text: str) -> str:
    """Fold a place name, reading a capitalised "DI"/"D.I." as Daerah Istimewa."""
    return normalize(_DAERAH_ISTIMEWA.sub("Daerah Istimewa", text))


# --- Provinces ----------------------------------------------------------------------

# The 38 provinces (since 2022), canonical names with the aliases people write.
# Aliases are folded with `normalize`; "Sumatera" names also get the "Sumatra" spelling.
_PROVINCE_DATA: tuple[tuple[str, tuple[str, ...]], ...] = (
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

PROVINCES: tuple[str, ...] = tuple(name for name, _ in _PROVINCE_DATA)

# --- Cities -------------------------------------------------------------------------

# Canonical city (or regency people name like a city) -> (province, aliases).
# Districts and satellite names people use for the city they belong to are aliases
# ("Jaksel" -> Jakarta, "Cikarang" -> Bekasi, "Ubud" -> Gianyar).
_CITY_DATA: tuple[tuple[str, str, tuple[str, ...]], ...] = (
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

CITIES: dict[str, str] = {city: province for city, province, _ in _CITY_DATA}

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

_REGION_DATA: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
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
    for name, _, cities, provs in _REGION_DATA
}

# --- Nationwide ---------------------------------------------------------------------

# Whole-answer phrases meaning "anywhere in Indonesia".
_NATIONWIDE_PHRASES: tuple[str, ...] = (
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

# --- Lookup tables (built once) -------------------------------------------------------


def _province_location(name: str) -> Location:
    return Location(kind="province", name=name, provinces=frozenset({name}))


def _city_location(city: str) -> Location:
    return Location(
        kind="city", name=city, cities=frozenset({city}), provinces=frozenset({CITIES[city]})
    )


def _spellings(name: str) -> tuple[str, ...]:
    """A name plus the "Sumatra" spelling of "Sumatera" names."""
    if "Sumatera" in name:
        return name, name.replace("Sumatera", "Sumatra")
    return (name,)


def _build_tables() -> tuple[dict[str, str], dict[str, str], dict[str, Location]]:
    """Folded key -> canonical city, -> canonical province, -> Location (for resolve_place)."""
    city_keys: dict[str, str] = {}
    for city, _, aliases in _CITY_DATA:
        for spelling in (city, *aliases):
            city_keys[_fold_place(spelling)] = city
    province_keys: dict[str, str] = {}
    for province, aliases in _PROVINCE_DATA:
        for spelling in (province, *aliases):
            for variant in _spellings(spelling):
                province_keys[_fold_place(variant)] = province
    province_keys[_fold_place("Provinsi Papua")] = "Papua"

    # Priority for resolve_place: nationwide, city, region, province. "Jogja" is a
    # city, "Papua" the whole island, "Provinsi Papua" and "Bali" provinces.
    places: dict[str, Location] = {
        key: _province_location(province) for key, province in province_keys.items()
    }
    for name, aliases, _, _ in _REGION_DATA:
        for spelling in (name, *aliases):
            places[_fold_place(spelling)] = REGIONS[name]
    for key, city in city_keys.items():
        places[key] = _city_location(city)
    for phrase in _NATIONWIDE_PHRASES:
        places[normalize(phrase)] = NATIONWIDE
    return city_keys, province_keys, places


_CITY_KEYS, _PROVINCE_KEYS, _PLACE_KEYS = _build_tables()

_T = TypeVar("_T")

# Provinces named after their capital: written in a city column, they mean the city.
_CAPITAL_PROVINCES: dict[str, str] = {"DKI Jakarta": "Jakarta", "DI Yogyakarta": "Yogyakarta"}

# Administrative prefixes that are part of how a place is written, not of its name.
_ADMIN_PREFIX = re.compile(
    r"^(?:kota madya|kotamadya|kota|kabupaten|kab|provinsi|propinsi|prov|pulau) (?=\S)"
)


def _lookup(table: dict[str, _T], key: str) -> _T | None:
    """Look a folded key up, then again without an administrative prefix."""
    if key in table:
        return table[key]
    stripped = _ADMIN_PREFIX.sub("", key)
    return table.get(stripped) if stripped != key else None


# --- Public API -------------------------------------------------------------------------


def resolve_place(text: str) -> Location | None:
    """The Location the whole text names, or None.

    City names give a city Location (with its province for the fallback), province
    names a province, metro areas and islands a region, and "seluruh Indonesia" and
    friends NATIONWIDE. Case, spacing and punctuation do not matter.
    """
    if not text:
        return None
    key = _fold_place(text)
    if not key:
        return None
    return _lookup(_PLACE_KEYS, key)


def canonical_city(text: str) -> str | None:
    """Canonical city name for a free-text city, or None when it is not known."""
    if not text:
        return None
    key = _fold_place(text)
    city = _lookup(_CITY_KEYS, key)
    if city is None:
        city = _CAPITAL_PROVINCES.get(_lookup(_PROVINCE_KEYS, key) or "")
    return city


def canonical_province(text: str) -> str | None:
    """Canonical province name for a free-text province, or None when it is not known.

    In a province column a lower-case "di" cannot be the preposition, so "di yogyakarta"
    is read as DI Yogyakarta here (unlike in chat).
    """
    if not text:
        return None
    key = _fold_place(text)
    province = _lookup(_PROVINCE_KEYS, key)
    if province is None and key.startswith("di "):
        province = _PROVINCE_KEYS.get("daerah istimewa " + key[3:])
    return province


def _clean(value: str | None) -> str | None:
    """Strip and collapse whitespace; empty becomes None."""
    if value is None:
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


def canonical_place(city: str | None, province: str | None) -> tuple[str | None, str | None]:
    """Normalise a (city, province) pair from the influencer CSV.

    Known names become canonical ("jogja" -> "Yogyakarta", "Jabar" -> "Jawa Barat");
    an empty province is filled from a known city (or from a "city" that is really a
    province, like "Bali"); unknown names are kept as written (tidied) rather than
    dropped, so no information is lost; empty strings become None.
    """
    city_text, province_text = _clean(city), _clean(province)
    canon_city = canonical_city(city_text) if city_text else None
    canon_province = canonical_province(province_text) if province_text else None

    out_city = canon_city or city_text
    out_province = canon_province or province_text
    if out_province is None and city_text:
        # A known city gives its province; a "city" that is a province names it.
        out_province = CITIES[canon_city] if canon_city else canonical_province(city_text)
    return out_city, out_province


def city_province(city: str) -> str | None:
    """The province of a canonical city, or None for an unknown city."""
    return CITIES.get(city)


def place_keys() -> dict[str, Location]:
    """Every folded place key and the Location it names (for in-sentence scanning)."""
    return dict(_PLACE_KEYS)
