"""Where a destination's guests come from: destination city or province -> origin cities.

Pure data for the engine's DESTINATION briefs (a villa in Bali, a tourist spot in Batu): the
accounts whose audience lives in these cities are the ones that bring guests. Names are
the gazetteer's canonical names (bot/data/places.py); a test checks that every name exists.
Sources: domestic tourism flows as reported by BPS and the provinces' tourism offices
(Greater Jakarta and the big Javanese metros send most weekend and holiday guests; Sumatran
destinations draw from Medan, Pekanbaru and Batam). A destination not listed uses
DEFAULT_ORIGINS plus its own province.
"""

from __future__ import annotations

_JABODETABEK = ("Jakarta", "Tangerang", "Bekasi", "Depok", "Bogor")
_BIG_JAVA = ("Surabaya", "Bandung", "Semarang", "Yogyakarta", "Malang", "Solo")

# The big metro areas most domestic guests travel from.
DEFAULT_ORIGINS: tuple[str, ...] = (
    *_JABODETABEK,
    "Surabaya",
    "Bandung",
    "Semarang",
    "Medan",
    "Makassar",
)

# Destination (canonical city or province) -> the cities its guests mostly come from.
DESTINATION_ORIGINS: dict[str, tuple[str, ...]] = {
    # Bali: the whole island is one destination
    "Bali": (*_JABODETABEK, *_BIG_JAVA, "Sidoarjo", "Medan", "Makassar", "Denpasar"),
    "Denpasar": (*_JABODETABEK, *_BIG_JAVA, "Sidoarjo", "Medan", "Makassar", "Denpasar"),
    "Badung": (*_JABODETABEK, *_BIG_JAVA, "Sidoarjo", "Medan", "Makassar", "Denpasar"),
    "Gianyar": (*_JABODETABEK, *_BIG_JAVA, "Sidoarjo", "Medan", "Makassar", "Denpasar"),
    "Tabanan": (*_JABODETABEK, "Surabaya", "Bandung", "Malang", "Denpasar"),
    "Buleleng": (*_JABODETABEK, "Surabaya", "Bandung", "Malang", "Denpasar"),
    # Yogyakarta and Central Java
    "DI Yogyakarta": (*_JABODETABEK, "Bandung", "Surabaya", "Semarang", "Solo", "Malang"),
    "Yogyakarta": (*_JABODETABEK, "Bandung", "Surabaya", "Semarang", "Solo", "Malang"),
    "Sleman": (*_JABODETABEK, "Bandung", "Surabaya", "Semarang", "Solo", "Yogyakarta"),
    "Bantul": (*_JABODETABEK, "Bandung", "Surabaya", "Semarang", "Solo", "Yogyakarta"),
    "Gunungkidul": (*_JABODETABEK, "Bandung", "Semarang", "Solo", "Yogyakarta"),
    "Kulon Progo": (*_JABODETABEK, "Bandung", "Semarang", "Solo", "Yogyakarta"),
    "Magelang": (*_JABODETABEK, "Yogyakarta", "Semarang", "Solo", "Surabaya", "Bandung"),
    "Wonosobo": ("Jakarta", "Semarang", "Yogyakarta", "Purwokerto", "Solo", "Magelang"),
    "Solo": ("Jakarta", "Semarang", "Yogyakarta", "Surabaya", "Bandung"),
    "Semarang": ("Jakarta", "Solo", "Yogyakarta", "Surabaya", "Kudus", "Pekalongan"),
    # West Java: Bandung / Lembang, Puncak / Bogor, the south coast
    "Bandung": (*_JABODETABEK, "Cirebon", "Karawang", "Cimahi", "Bandung"),
    "Bogor": ("Jakarta", "Tangerang", "Bekasi", "Depok", "Bandung", "Karawang"),
    "Cianjur": ("Jakarta", "Tangerang", "Bekasi", "Depok", "Bogor", "Bandung"),
    "Sukabumi": ("Jakarta", "Tangerang", "Bekasi", "Depok", "Bogor", "Bandung"),
    "Garut": (*_JABODETABEK, "Bandung", "Cimahi", "Tasikmalaya"),
    # East Java: Malang / Batu, Bromo, Banyuwangi
    "Malang": ("Surabaya", "Sidoarjo", "Gresik", "Pasuruan", "Mojokerto", "Kediri", "Jakarta"),
    "Batu": ("Surabaya", "Sidoarjo", "Gresik", "Pasuruan", "Mojokerto", "Malang", "Jakarta"),
    "Probolinggo": ("Surabaya", "Malang", "Sidoarjo", "Jakarta", "Jember"),
    "Banyuwangi": ("Surabaya", "Denpasar", "Malang", "Jember", "Jakarta"),
    # Nusa Tenggara: Lombok, Labuan Bajo
    "Nusa Tenggara Barat": (*_JABODETABEK, "Surabaya", "Denpasar", "Bandung", "Makassar"),
    "Mataram": (*_JABODETABEK, "Surabaya", "Denpasar", "Bandung", "Makassar"),
    "Labuan Bajo": (*_JABODETABEK, "Surabaya", "Denpasar", "Bandung", "Makassar", "Medan"),
    # Sumatera: Danau Toba, Bukittinggi, Belitung, Batam
    "Sumatera Utara": ("Medan", "Binjai", "Deli Serdang", "Pekanbaru", "Batam", "Jakarta"),
    "Pematangsiantar": ("Medan", "Binjai", "Deli Serdang", "Pekanbaru", "Batam", "Jakarta"),
    "Bukittinggi": ("Padang", "Pekanbaru", "Medan", "Jakarta", "Batam"),
    "Sumatera Barat": ("Padang", "Pekanbaru", "Medan", "Jakarta", "Batam"),
    "Belitung": ("Jakarta", "Palembang", "Pangkalpinang", "Bandung", "Tangerang"),
    "Batam": ("Jakarta", "Pekanbaru", "Medan", "Palembang", "Tanjungpinang"),
    # Sulawesi and the east
    "Manado": ("Jakarta", "Makassar", "Surabaya", "Bitung", "Tomohon", "Gorontalo"),
    "Sorong": ("Jakarta", "Makassar", "Surabaya", "Manado", "Jayapura"),
}
