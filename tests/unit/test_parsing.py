"""Unit tests for the bot.language parsers and places: how Indonesian owners write in chat."""

from __future__ import annotations

import pytest

from bot.data.places import CITIES, PROVINCES, REGIONS
from bot.domain import NATIONWIDE, NICHES, Goal, Location, Platform
from bot.language.brief import BriefDraft, extract_brief
from bot.language.goals import parse_goal
from bot.language.locations import parse_location
from bot.language.money import (
    BUDGET_ERROR_CODES,
    ParsedBudget,
    parse_amount,
    parse_budget,
    parse_count,
    parse_percent,
)
from bot.language.niches import parse_niche
from bot.language.places import canonical_place, resolve_place
from bot.language.platforms import parse_platform

JT = 1_000_000

# ----------------------------------------------------------------------------------
# Budgets
# ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("5000000", 5 * JT),
        ("5.000.000", 5 * JT),
        ("Rp 5.000.000,-", 5 * JT),
        ("Rp5.000.000", 5 * JT),
        ("Rp. 5.000.000", 5 * JT),
        ("RP 5.000.000", 5 * JT),
        ("5 juta", 5 * JT),
        ("5 JUTA", 5 * JT),
        ("5jt", 5 * JT),
        ("5,5 jt", 5_500_000),
        ("7.5 juta", 7_500_000),
        ("1.5jt", 1_500_000),
        ("500rb", 500_000),
        ("500 ribu", 500_000),
        ("500k", 500_000),
        ("500K", 500_000),
        ("lima juta", 5 * JT),
        ("dua setengah juta", 2_500_000),
        ("satu setengah juta", 1_500_000),
        ("setengah juta", 500_000),
        ("satu koma lima juta", 1_500_000),
        ("seratus ribu", 100_000),
        ("dua ratus lima puluh ribu", 250_000),
        ("lima belas juta", 15 * JT),
        ("sejuta", JT),
        ("1,2 M", 1_200_000_000),
        ("1,2M", 1_200_000_000),
        ("1,2 miliar", 1_200_000_000),
        ("1 milyar", 1_000_000_000),
        ("Rp 5 jt", 5 * JT),
        ("5 juta rupiah", 5 * JT),
        ("IDR 5.000.000", 5 * JT),
        ("5.000.000 IDR", 5 * JT),
        ("budget 5jt", 5 * JT),
        ("budgetnya 5 juta", 5 * JT),
        ("sekitar 5 juta", 5 * JT),
        ("kira-kira 5 juta", 5 * JT),
        ("maks 5jt", 5 * JT),
        ("max 5jt", 5 * JT),
        ("5jt-an", 5 * JT),
        ("5 jutaan", 5 * JT),
        ("500rb an", 500_000),
        ("5.000.000,00", 5 * JT),
        ("5,000,000", 5 * JT),
        ("250,000", 250_000),
        ("5 juta 500 ribu", 5_500_000),
        ("Rp 5.000.000,- aja kak", 5 * JT),
        ("budget saya sekitar 5jt", 5 * JT),
        ("±5jt", 5 * JT),
        ("5jt.", 5 * JT),
        ("5jt/bulan", 5 * JT),
        ("kira-kira 5 juta untuk bulan depan", 5 * JT),
        ("10.000", 10_000),
        ("100 M", 100_000 * JT),
    ],
)
def test_budget_forms(text: str, amount: int) -> None:
    assert parse_budget(text) == ParsedBudget(amount=amount, ambiguous_juta=None, error=None)


@pytest.mark.parametrize(
    ("text", "juta"),
    [
        ("5", 5 * JT),
        ("7,5", 7_500_000),
        ("7.5", 7_500_000),
        ("0,5", 500_000),
        ("999", 999 * JT),
        ("lima", 5 * JT),
        (" 5 ", 5 * JT),
    ],
)
def test_bare_number_under_1000_is_ambiguous(text: str, juta: int) -> None:
    assert parse_budget(text) == ParsedBudget(amount=None, ambiguous_juta=juta, error=None)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("dua juta setengah", 2_500_000),
        ("2 juta setengah", 2_500_000),
        ("sejuta setengah", 1_500_000),
        ("budget dua juta setengah kak", 2_500_000),
        ("sepuluh juta separuh", 10_500_000),
        ("lima puluh ribu setengah", 50_500),
        ("dua setengah juta", 2_500_000),
    ],
)
def test_setengah_after_a_scale_is_half_of_that_scale(text: str, amount: int) -> None:
    assert parse_budget(text) == ParsedBudget(amount=amount, ambiguous_juta=None, error=None)


@pytest.mark.parametrize(
    "text",
    [
        "seratus juta setengah",  # 100,5 or 150 juta
        "lima ratus ribu setengah",
        "2,5 juta setengah",
        "dua juta setengah ribu",
        "dua juta setengah 500",
        "dua juta setengah setengah",
    ],
)
def test_setengah_that_could_mean_two_amounts_is_refused(text: str) -> None:
    assert parse_budget(text).error == "malformed"


def test_setengah_in_a_sentence() -> None:
    draft = extract_brief("jualan sambal di bandung, budget dua juta setengah, lewat ig")
    assert draft.budget == 2_500_000 and draft.budget_ambiguous_juta is None


def test_bare_500_is_asked_not_guessed() -> None:
    assert parse_budget("500") == ParsedBudget(amount=None, ambiguous_juta=500 * JT, error=None)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "not_a_number"),
        ("banyak", "not_a_number"),
        ("belum tahu", "not_a_number"),
        ("puluhan juta", "not_a_number"),
        ("juta", "not_a_number"),
        ("-5jt", "negative"),
        ("minus 5 juta", "negative"),
        ("Rp -500.000", "negative"),
        ("0", "zero"),
        ("0 jt", "zero"),
        ("Rp 0", "zero"),
        ("5000", "too_small"),
        ("Rp 500", "too_small"),
        ("5 rb", "too_small"),
        ("500 rupiah", "too_small"),
        ("9.999", "too_small"),
        ("200 M", "too_large"),
        ("1 triliun", "too_large"),
        ("999999999999", "too_large"),
        ("3-5jt", "range"),
        ("3 - 5 jt", "range"),
        ("3jt - 5jt", "range"),
        ("3 sampai 5 juta", "range"),
        ("3 s/d 5 juta", "range"),
        ("antara 3 dan 5 juta", "range"),
        ("tiga sampai lima juta", "range"),
        ("3 atau 5 juta", "range"),
        ("$500", "foreign_currency"),
        ("500 dollar", "foreign_currency"),
        ("usd 100", "foreign_currency"),
        ("100 USD", "foreign_currency"),
        ("RM 50", "foreign_currency"),
        ("€20", "foreign_currency"),
        ("5..000", "malformed"),
        ("1,2,3 jt", "malformed"),
        ("5 jt 3 jt", "malformed"),
        ("5.00.000", "malformed"),
        ("5.0000", "malformed"),
        ("5jt5", "malformed"),
        ("lima lima juta", "malformed"),
        ("5 juta 500", "malformed"),
        ("12a", "malformed"),
        ("5jt untuk ig dan 3jt untuk tiktok", "malformed"),
    ],
)
def test_bad_budgets(text: str, error: str) -> None:
    assert error in BUDGET_ERROR_CODES
    assert parse_budget(text) == ParsedBudget(amount=None, ambiguous_juta=None, error=error)


def test_budget_limits_are_inclusive() -> None:
    assert parse_budget("Rp 10.000").amount == 10_000
    assert parse_budget("Rp 9.999").error == "too_small"
    assert parse_budget("100 miliar").amount == 100_000_000_000
    assert parse_budget("100.000.000.001").error == "too_large"


# ----------------------------------------------------------------------------------
# Amounts, counts, percentages (CSV fields)
# ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("750000", 750_000),
        ("Rp 2.500.000", 2_500_000),
        ("500rb", 500_000),
        ("1,5jt", 1_500_000),
        ("5", 5),  # bare numbers are taken literally in CSV price fields
        ("Rp 2.500.000,-", 2_500_000),
        ("0", None),
        ("-5", None),
        ("abc", None),
        ("", None),
        ("$5", None),
        ("3-5jt", None),
    ],
)
def test_parse_amount(text: str, amount: int | None) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("12000", 12_000),
        ("12.000", 12_000),
        ("12,000", 12_000),
        ("1.234.567", 1_234_567),
        ("12rb", 12_000),
        ("12k", 12_000),
        ("12K", 12_000),
        ("1,2jt", 1_200_000),
        ("1,2 juta", 1_200_000),
        ("12 ribu followers", 12_000),
        ("0", 0),
        ("1.2M", 1_200_000_000),  # M is miliar everywhere in this bot
        ("12,5", None),
        ("-5", None),
        ("abc", None),
        ("", None),
        ("Rp 12.000", None),
    ],
)
def test_parse_count(text: str, count: int | None) -> None:
    assert parse_count(text) == count


@pytest.mark.parametrize(
    ("text", "percent"),
    [
        ("3.2", 3.2),
        ("3,2", 3.2),
        ("3,2%", 3.2),
        (" 3 % ", 3.0),
        ("3.2 persen", 3.2),
        ("0", 0.0),
        ("100", 100.0),
        ("100.5", None),
        ("-1", None),
        ("abc", None),
        ("", None),
        ("3,2,1", None),
    ],
)
def test_parse_percent(text: str, percent: float | None) -> None:
    assert parse_percent(text) == percent


# ----------------------------------------------------------------------------------
# Niches, goals, platforms
# ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "niche"),
    [
        ("makanan", "Kuliner"),
        ("minuman", "Kuliner"),
        ("jajanan", "Kuliner"),
        ("camilan", "Kuliner"),
        ("snack", "Kuliner"),
        ("keripik", "Kuliner"),
        ("jualan sambal botolan", "Kuliner"),
        ("kue", "Kuliner"),
        ("bakery", "Kuliner"),
        ("kopi", "Kuliner"),
        ("Café", "Kuliner"),
        ("katering", "Kuliner"),
        ("frozen food", "Kuliner"),
        ("warung", "Kuliner"),
        ("resto", "Kuliner"),
        ("baju", "Fashion"),
        ("pakaian", "Fashion"),
        ("hijab", "Fashion"),
        ("olshop hijab", "Fashion"),
        ("gamis", "Fashion"),
        ("sepatu", "Fashion"),
        ("batik", "Fashion"),
        ("distro", "Fashion"),
        ("skincare", "Kecantikan"),
        ("kosmetik", "Kecantikan"),
        ("make up", "Kecantikan"),
        ("perawatan   wajah", "Kecantikan"),
        ("parfum", "Kecantikan"),
        ("salon", "Kecantikan"),
        ("herbal", "Kesehatan & Kebugaran"),
        ("jamu", "Kesehatan & Kebugaran"),
        ("gym", "Kesehatan & Kebugaran"),
        ("klinik", "Kesehatan & Kebugaran"),
        ("klinik kecantikan", "Kecantikan"),
        ("hp", "Teknologi & Gadget"),
        ("HP & aksesoris", "Teknologi & Gadget"),
        ("laptop", "Teknologi & Gadget"),
        ("aplikasi", "Teknologi & Gadget"),
        ("mainan anak", "Parenting & Keluarga"),
        ("perlengkapan bayi", "Parenting & Keluarga"),
        ("ibu dan anak", "Parenting & Keluarga"),
        ("wisata", "Travel"),
        ("homestay", "Travel"),
        ("villa", "Travel"),
        ("bengkel", "Otomotif"),
        ("cuci mobil", "Otomotif"),
        ("sparepart", "Otomotif"),
        ("bimbel", "Edukasi"),
        ("kursus", "Edukasi"),
        ("buku", "Edukasi"),
        ("lifestyle", "Gaya Hidup"),
        ("gaya hidup", "Gaya Hidup"),
        ("top up", "Gaming"),
        ("top-up game", "Gaming"),
        ("esports", "Gaming"),
        ("investasi", "Keuangan"),
        ("koperasi", "Keuangan"),
        ("musik", "Hiburan"),
        ("event", "Hiburan"),
        ("badminton", "Olahraga"),
        ("sepak bola", "Olahraga"),
        ("handmade", "Hobi & Kerajinan"),
        ("tanaman hias", "Hobi & Kerajinan"),
        ("rajutan", "Hobi & Kerajinan"),
        ("furniture", "Properti & Rumah"),
        ("mebel", "Properti & Rumah"),
        ("kontraktor", "Properti & Rumah"),
        ("pupuk", "Pertanian"),
        ("bibit", "Pertanian"),
        ("peternakan", "Pertanian"),
        ("b2b", "Bisnis & B2B"),
        ("supplier", "Bisnis & B2B"),
        ("grosir", "Bisnis & B2B"),
        ("konsultan", "Bisnis & B2B"),
        ("software bisnis", "Bisnis & B2B"),  # longer than "software"
        ("software", "Teknologi & Gadget"),
        ("kesehatan", "Kesehatan & Kebugaran"),
        ("teknologi", "Teknologi & Gadget"),
        ("parenting", "Parenting & Keluarga"),
        ("properti", "Properti & Rumah"),
        ("bisnis", "Bisnis & B2B"),
        ("KULINER!!", "Kuliner"),
        ("Kesehatan dan Kebugaran", "Kesehatan & Kebugaran"),
        ("bisnis kopi", "Kuliner"),  # "bisnis" is too generic to win
        ("jualan kue dari rumah", "Kuliner"),
        ("rumah makan padang", "Kuliner"),
        # how a product comes is not what the shop sells; the service itself is B2B
        ("usaha sambal roa kemasan di manado", "Kuliner"),
        ("air minum kemasan", "Kuliner"),
        ("kopi sachet, aku vendor buat kantor", "Kuliner"),
        ("kaos printing", "Fashion"),
        ("makanan kemasan", "Kuliner"),
        ("jual kemasan makanan", "Bisnis & B2B"),
        ("supplier kemasan plastik", "Bisnis & B2B"),
        ("jasa printing", "Bisnis & B2B"),
        ("kemasan", "Bisnis & B2B"),
        ("kak aku pnya usaha laundri kiloan di depok", "Gaya Hidup"),  # as typed
        ("londri", "Gaya Hidup"),
    ],
)
def test_niche_synonyms(text: str, niche: str) -> None:
    assert parse_niche(text) == niche


@pytest.mark.parametrize("niche", NICHES)
def test_every_niche_name_maps_to_itself(niche: str) -> None:
    assert parse_niche(niche) == niche
    assert parse_niche(niche.lower()) == niche


@pytest.mark.parametrize("text", ["", "lainnya", "xyz", "123", "halo kak"])
def test_unknown_niche(text: str) -> None:
    assert parse_niche(text) is None


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("awareness", Goal.AWARENESS),
        ("Kesadaran merek", Goal.AWARENESS),
        ("biar dikenal", Goal.AWARENESS),
        ("Biar makin dikenal", Goal.AWARENESS),
        ("terkenal", Goal.AWARENESS),
        ("branding", Goal.AWARENESS),
        ("brand awareness", Goal.AWARENESS),
        ("viral", Goal.AWARENESS),
        ("jangkauan", Goal.AWARENESS),
        ("reach", Goal.AWARENESS),
        ("exposure", Goal.AWARENESS),
        ("interaksi", Goal.ENGAGEMENT),
        ("Biar banyak interaksi", Goal.ENGAGEMENT),
        ("engagement", Goal.ENGAGEMENT),
        ("engage", Goal.ENGAGEMENT),
        ("komen", Goal.ENGAGEMENT),
        ("like", Goal.ENGAGEMENT),
        ("komunitas", Goal.ENGAGEMENT),
        ("penjualan", Goal.SALES),
        ("naikin penjualan", Goal.SALES),
        ("Biar penjualan naik", Goal.SALES),
        ("jualan naik", Goal.SALES),
        ("sales", Goal.SALES),
        ("omzet", Goal.SALES),
        ("omset", Goal.SALES),
        ("biar laris", Goal.SALES),
        ("closing", Goal.SALES),
        ("order", Goal.SALES),
        ("konversi", Goal.SALES),
        ("biar laku", Goal.SALES),
    ],
)
def test_goals(text: str, goal: Goal) -> None:
    assert parse_goal(text) is goal


@pytest.mark.parametrize("text", ["", "jualan keripik", "usaha penjualan keripik", "xyz"])
def test_not_a_goal(text: str) -> None:
    assert parse_goal(text) is None


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("instagram", Platform.INSTAGRAM),
        ("Instagram", Platform.INSTAGRAM),
        ("IG", Platform.INSTAGRAM),
        ("insta", Platform.INSTAGRAM),
        ("reels", Platform.INSTAGRAM),
        ("instagramnya", Platform.INSTAGRAM),
        ("tiktok", Platform.TIKTOK),
        ("TikTok", Platform.TIKTOK),
        ("tik tok", Platform.TIKTOK),
        ("tt", Platform.TIKTOK),
        ("youtube", Platform.YOUTUBE),
        ("yt", Platform.YOUTUBE),
        ("shorts", Platform.YOUTUBE),
        ("facebook", Platform.FACEBOOK),
        ("FB", Platform.FACEBOOK),
        ("fb reels", Platform.FACEBOOK),
        ("twitter", Platform.X),
        ("X", Platform.X),
        ("di x", Platform.X),
        ("lewat x aja", Platform.X),
        ("pakai ig aja kak", Platform.INSTAGRAM),
    ],
)
def test_platforms(text: str, platform: Platform) -> None:
    assert parse_platform(text) is platform


@pytest.mark.parametrize("text", ["", "snapchat", "2x", "x2", "naik 3 x lipat", "linkedin"])
def test_not_a_platform(text: str) -> None:
    assert parse_platform(text) is None


# ----------------------------------------------------------------------------------
# Places and locations
# ----------------------------------------------------------------------------------


def city(name: str) -> Location:
    return Location(
        kind="city", name=name, cities=frozenset({name}), provinces=frozenset({CITIES[name]})
    )


def province(name: str) -> Location:
    return Location(kind="province", name=name, provinces=frozenset({name}))


def test_gazetteer_shape() -> None:
    assert len(PROVINCES) == 38
    assert len(set(PROVINCES)) == 38
    assert len(CITIES) >= 60
    assert set(CITIES.values()) <= set(PROVINCES)
    for region in REGIONS.values():
        assert region.kind == "region"
        assert region.provinces <= set(PROVINCES)
        assert region.cities <= set(CITIES)


@pytest.mark.parametrize(
    "name",
    [
        "Jakarta",
        "Surabaya",
        "Bandung",
        "Medan",
        "Semarang",
        "Makassar",
        "Palembang",
        "Tangerang",
        "Depok",
        "Bekasi",
        "Bogor",
        "Yogyakarta",
        "Malang",
        "Denpasar",
        "Balikpapan",
        "Samarinda",
        "Pekanbaru",
        "Padang",
        "Manado",
        "Pontianak",
        "Banjarmasin",
        "Solo",
        "Batam",
        "Bandar Lampung",
        "Cirebon",
        "Sidoarjo",
        "Mataram",
        "Kupang",
        "Jayapura",
        "Ambon",
    ],
)
def test_required_canonical_cities(name: str) -> None:
    assert name in CITIES
    assert resolve_place(name) == city(name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jogja", city("Yogyakarta")),
        ("jogjakarta", city("Yogyakarta")),
        ("Yogya", city("Yogyakarta")),
        ("Djogja", city("Yogyakarta")),
        ("Solo", city("Solo")),
        ("Surakarta", city("Solo")),
        ("Jaksel", city("Jakarta")),
        ("Jakarta Selatan", city("Jakarta")),
        ("Jakbar", city("Jakarta")),
        ("Jakarta Pusat", city("Jakarta")),
        ("Tangsel", city("Tangerang")),
        ("Tangerang Selatan", city("Tangerang")),
        ("Sby", city("Surabaya")),
        ("Bdg", city("Bandung")),
        ("Smg", city("Semarang")),
        ("Mks", city("Makassar")),
        ("Makasar", city("Makassar")),
        ("Plg", city("Palembang")),
        ("Bandar Lampung", city("Bandar Lampung")),
        ("  BANDUNG. ", city("Bandung")),
        ("Kota Bandung", city("Bandung")),
        ("Kab. Sleman", city("Sleman")),
        ("DIY", province("DI Yogyakarta")),
        ("DI Yogyakarta", province("DI Yogyakarta")),
        ("D.I. Yogyakarta", province("DI Yogyakarta")),
        ("Jabar", province("Jawa Barat")),
        ("Jateng", province("Jawa Tengah")),
        ("Jatim", province("Jawa Timur")),
        ("Sumut", province("Sumatera Utara")),
        ("Sumbar", province("Sumatera Barat")),
        ("Sumsel", province("Sumatera Selatan")),
        ("Kaltim", province("Kalimantan Timur")),
        ("Sulsel", province("Sulawesi Selatan")),
        ("NTB", province("Nusa Tenggara Barat")),
        ("NTT", province("Nusa Tenggara Timur")),
        ("Kepri", province("Kepulauan Riau")),
        ("DKI", province("DKI Jakarta")),
        ("DKI Jakarta", province("DKI Jakarta")),
        ("Bali", province("Bali")),
        ("Lampung", province("Lampung")),
        ("Sumatra Utara", province("Sumatera Utara")),
        ("Provinsi Papua", province("Papua")),
        ("seluruh Indonesia", NATIONWIDE),
        ("se-Indonesia", NATIONWIDE),
        ("Indonesia", NATIONWIDE),
        ("nasional", NATIONWIDE),
        ("semua kota", NATIONWIDE),
        ("semua daerah", NATIONWIDE),
        ("di mana saja", NATIONWIDE),
        ("bebas", NATIONWIDE),
        ("Atlantis", None),
        ("", None),
        ("di Jogja", None),  # resolve_place takes the whole text; parse_location peels "di"
    ],
)
def test_resolve_place(text: str, expected: Location | None) -> None:
    assert resolve_place(text) == expected


def test_regions() -> None:
    jabodetabek = resolve_place("Jabodetabek")
    assert jabodetabek is not None and jabodetabek.kind == "region"
    assert jabodetabek.cities == {"Jakarta", "Bogor", "Depok", "Tangerang", "Bekasi"}
    assert jabodetabek.provinces == {"DKI Jakarta", "Jawa Barat", "Banten"}
    assert resolve_place("Jabotabek") == jabodetabek
    java = resolve_place("Jawa")
    assert java is not None and java.kind == "region" and not java.cities
    assert "Jawa Tengah" in java.provinces and "Bali" not in java.provinces
    assert resolve_place("Sumatra") == resolve_place("Sumatera")
    papua = resolve_place("Papua")
    assert papua is not None and papua.kind == "region" and len(papua.provinces) == 6
    kalimantan = resolve_place("Kalimantan")
    assert kalimantan is not None and len(kalimantan.provinces) == 5
    assert resolve_place("Sulawesi") is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jogja", city("Yogyakarta")),
        ("di Jogja", city("Yogyakarta")),
        ("di yogyakarta", city("Yogyakarta")),
        ("kota Bandung", city("Bandung")),
        ("daerah Jogja", city("Yogyakarta")),
        ("di Bandung aja kak", city("Bandung")),
        ("pengennya yang di bandung aja", city("Bandung")),
        ("sekitar Surabaya", city("Surabaya")),
        ("kota Batu", city("Batu")),
        ("Surakarta", city("Solo")),
        ("Jaksel", city("Jakarta")),
        ("DIY", province("DI Yogyakarta")),
        ("Jabar", province("Jawa Barat")),
        ("provinsi Jawa Timur", province("Jawa Timur")),
        ("area Jabodetabek", REGIONS["Jabodetabek"]),
        ("Jakarta dan sekitarnya", REGIONS["Jabodetabek"]),
        ("seluruh Indonesia", NATIONWIDE),
        ("di seluruh indonesia", NATIONWIDE),
        ("se-Indonesia aja", NATIONWIDE),
        ("target saya orang Bandung", city("Bandung")),
        ("Atlantis", None),
        ("Jakarta atau Bandung", None),  # two places: ask again
        ("", None),
        ("terserah kak", NATIONWIDE),
        ("belum tahu", None),
    ],
)
def test_parse_location(text: str, expected: Location | None) -> None:
    assert parse_location(text) == expected


@pytest.mark.parametrize(
    ("city_in", "province_in", "expected"),
    [
        ("jogja", "", ("Yogyakarta", "DI Yogyakarta")),
        ("Jogjakarta", None, ("Yogyakarta", "DI Yogyakarta")),
        ("  Kota  Bandung ", None, ("Bandung", "Jawa Barat")),
        ("Bandung", "Jabar", ("Bandung", "Jawa Barat")),
        ("Surakarta", "jateng", ("Solo", "Jawa Tengah")),
        ("Jakarta Selatan", "DKI", ("Jakarta", "DKI Jakarta")),
        ("Sleman", "D.I. Yogyakarta", ("Sleman", "DI Yogyakarta")),
        ("Sleman", "di yogyakarta", ("Sleman", "DI Yogyakarta")),
        ("DKI Jakarta", None, ("Jakarta", "DKI Jakarta")),
        (None, "Jakarta", (None, "DKI Jakarta")),
        ("", "jabar", (None, "Jawa Barat")),
        ("Bali", "", ("Bali", "Bali")),
        ("Atlantis  Baru", "  ", ("Atlantis Baru", None)),
        ("Atlantis", "Provinsi  Khayalan", ("Atlantis", "Provinsi Khayalan")),
        ("Atlantis", "sumut", ("Atlantis", "Sumatera Utara")),
        ("", "", (None, None)),
        (None, None, (None, None)),
    ],
)
def test_canonical_place(
    city_in: str | None, province_in: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert canonical_place(city_in, province_in) == expected


# ----------------------------------------------------------------------------------
# One-message briefs
# ----------------------------------------------------------------------------------


def test_brief_with_everything() -> None:
    draft = extract_brief(
        "jualan keripik pedas di Bandung, budget 5jt, mau naikin penjualan lewat instagram"
    )
    assert draft == BriefDraft(
        niche="Kuliner",
        goal=Goal.SALES,
        budget=5 * JT,
        platform=Platform.INSTAGRAM,
        location=city("Bandung"),
    )
    assert draft.found() == ["niche", "goal", "budget", "platform", "location"]


def test_brief_with_nothing() -> None:
    assert extract_brief("halo kak") == BriefDraft()
    assert extract_brief("halo kak").found() == []
    assert extract_brief("") == BriefDraft()


def test_food_named_after_a_city_is_not_the_location() -> None:
    draft = extract_brief("jual nasi padang di Surabaya")
    assert draft.niche == "Kuliner"
    assert draft.location == city("Surabaya")
    assert draft.found() == ["niche", "location"]


@pytest.mark.parametrize(
    "text",
    ["bakso malang enak", "lumpia semarang asli", "gudeg jogja", "jual batik solo"],
)
def test_place_right_after_a_product_is_no_location(text: str) -> None:
    assert extract_brief(text).location is None


def test_product_counts_are_not_budgets() -> None:
    draft = extract_brief("saya punya 2 produk sambal, mau promosi di tiktok")
    assert draft.budget is None and draft.budget_ambiguous_juta is None
    assert draft.niche == "Kuliner"
    assert draft.platform is Platform.TIKTOK
    assert draft.goal is None


def test_branch_counts_are_not_budgets() -> None:
    draft = extract_brief("punya 3 cabang kopi di Jogja, budget 10 juta biar makin dikenal")
    assert draft.budget == 10 * JT
    assert draft.goal is Goal.AWARENESS
    assert draft.location == city("Yogyakarta")
    assert draft.platform is None
    assert draft.found() == ["niche", "goal", "budget", "location"]


def test_selling_is_not_a_sales_goal() -> None:
    draft = extract_brief("jualan keripik di Malang")
    assert draft.goal is None
    assert draft.niche == "Kuliner"
    assert draft.location == city("Malang")


def test_brief_without_budget() -> None:
    draft = extract_brief("usaha penjualan sepatu di Jaksel, pengen viral di tiktok")
    assert draft.budget is None
    assert draft.niche == "Fashion"
    assert draft.goal is Goal.AWARENESS
    assert draft.platform is Platform.TIKTOK
    assert draft.location == city("Jakarta")


def test_turnover_and_unit_prices_are_not_budgets() -> None:
    assert extract_brief("omzet 50jt sebulan, budget 5jt buat endorse").budget == 5 * JT
    assert extract_brief("omzet saya 50jt sebulan").budget is None
    assert extract_brief("jual keripik 15rb per bungkus di Malang").budget is None
    assert extract_brief("mau influencer 1 juta followers di youtube").budget is None


def test_bare_budget_after_budget_word_is_ambiguous() -> None:
    draft = extract_brief("budget 5 aja, di ig")
    assert draft.budget is None
    assert draft.budget_ambiguous_juta == 5 * JT
    assert draft.found() == ["platform"]


def test_budget_range_in_a_brief_is_left_for_the_question() -> None:
    draft = extract_brief("budget 3-5jt untuk tiktok")
    assert draft.budget is None and draft.budget_ambiguous_juta is None
    assert draft.platform is Platform.TIKTOK


def test_brief_with_nationwide_and_engagement() -> None:
    draft = extract_brief("hijab olshop, target seluruh Indonesia, dana 15jt, engagement di IG")
    assert draft == BriefDraft(
        niche="Fashion",
        goal=Goal.ENGAGEMENT,
        budget=15 * JT,
        platform=Platform.INSTAGRAM,
        location=NATIONWIDE,
    )


def test_brief_as_a_list() -> None:
    draft = extract_brief("skincare lokal, Rp 20.000.000, sales, youtube, Jabodetabek")
    assert draft.niche == "Kecantikan"
    assert draft.budget == 20 * JT
    assert draft.goal is Goal.SALES
    assert draft.platform is Platform.YOUTUBE
    assert draft.location == REGIONS["Jabodetabek"]


def test_brief_with_spelled_out_budget_and_region() -> None:
    draft = extract_brief("kursus bahasa inggris online se-Indonesia modal lima juta")
    assert draft.niche == "Edukasi"
    assert draft.budget == 5 * JT
    assert draft.location == NATIONWIDE


def test_brief_with_grouped_budget_and_weak_city() -> None:
    draft = extract_brief("toko bangunan di kota Batu, Rp 3.000.000, lewat fb")
    assert draft.niche == "Properti & Rumah"
    assert draft.budget == 3 * JT
    assert draft.location == city("Batu")
    assert draft.platform is Platform.FACEBOOK
    assert extract_brief("jual batu akik").location is None


def test_brief_target_beats_origin() -> None:
    draft = extract_brief("saya dari Bandung tapi target pasar Jakarta, jualan kopi")
    assert draft.location == city("Jakarta")


def test_brief_weak_goal_word_needs_a_cue() -> None:
    assert extract_brief("terima order kue kering").goal is None
    assert extract_brief("kue kering, pengen banyak order").goal is Goal.SALES


def test_brief_food_then_city_with_di() -> None:
    draft = extract_brief("lumpia semarang di Jakarta, 2 juta, biar banyak order")
    assert draft.niche == "Kuliner"
    assert draft.location == city("Jakarta")
    assert draft.budget == 2 * JT
    assert draft.goal is Goal.SALES


def test_brief_false_friends() -> None:
    shorts = extract_brief("jual celana shorts di Bandung")
    assert shorts.platform is None
    assert shorts.niche == "Fashion"
    assert extract_brief("konten solo traveling").location is None
    assert extract_brief("halo teh, mau tanya").found() == []


@pytest.mark.parametrize(
    ("text", "taken", "also"),
    [
        ("ig sm tiktok", "instagram", ("tiktok",)),
        ("tiktok, ig, sama youtube", "tiktok", ("instagram", "youtube")),
        ("mau promosi di ig dan tiktok", "instagram", ("tiktok",)),
        ("tiktok aja", "tiktok", ()),
        ("ga jadi tiktok, ig aja", "instagram", ()),  # the denied one is not wanted too
    ],
)
def test_other_platforms_named_are_kept_to_tell_the_owner(
    text: str, taken: str, also: tuple[str, ...]
) -> None:
    from bot.advisor.answers import BriefValues
    from bot.advisor.interpret import interpret

    result = interpret("platform", text, BriefValues())
    assert result.new["platform"].value == taken
    assert tuple(p.value for p in result.also_platforms) == also


@pytest.mark.parametrize(
    ("text", "what_if"),
    [
        ("kalau di tiktok?", True),
        ("kalo 10jt gmn", True),
        ("coba di jakarta", True),
        ("semoga tiktok rame", False),
        ("tiktok", False),
    ],
)
def test_a_what_if_is_told_apart(text: str, what_if: bool) -> None:
    from bot.language.corrections import asks_what_if

    assert asks_what_if(text) is what_if
