"""The target area from chat: "di Jogja aja", "area Jabodetabek", "seluruh Indonesia".

Whole answers go straight to the gazetteer (bot.language.places). Inside a sentence a
place name must be placed by a cue ("di", "target", "kota"), and is ignored after a dish
or product word: "nasi padang" and "batik solo" are not markets.
"""

from __future__ import annotations

from bot.data.business_words import EVERYDAY_SHORT_PLACES
from bot.domain import Location
from bot.language.places import place_keys, resolve_place
from bot.language.text import PhraseIndex, fold_tokens, normalize, token_before

# Whole-answer words for "anywhere" that mean something else inside a sentence
# ("bebas gluten", "semua produk").
_ANSWER_ONLY_PLACES = frozenset(
    normalize(p)
    for p in (
        "bebas",
        "semua",
        "seluruh",
        "semuanya",
        "terserah",
        "all",
        "mana saja",
        "mana aja",
        "manapun",
    )
)
# Place names that are also ordinary words or rare abbreviations: inside a sentence
# they count only after a place word ("di Batu", "kota Palu").
_WEAK_PLACES = frozenset(
    {
        "batu",
        "metro",
        "palu",
        "serang",
        "banjar",
        "tegal",
        "pati",
        "kudus",
        "bima",
        "sorong",
        "kuningan",
        "tual",
        "kendal",
        "padang",
        "indonesia",
        "nasional",
        "nusantara",
        "java",
        "borneo",
        "celebes",
    }
)
_STRONG_SHORT_PLACES = frozenset(
    {
        "jkt",
        "sby",
        "bdg",
        "mlg",
        "bpn",
        "pku",
        "ntb",
        "ntt",
        "diy",
        "dki",
        "bsd",
    }
)
# A place name right after these is a dish, product or language, not a market:
# "nasi padang", "bakso malang", "lumpia semarang", "batik solo", "bahasa jawa".
_PRODUCT_WORDS = frozenset(
    {
        "nasi",
        "bakso",
        "lumpia",
        "loenpia",
        "soto",
        "sate",
        "mie",
        "mi",
        "bakmi",
        "gudeg",
        "bakpia",
        "coto",
        "konro",
        "pempek",
        "empek",
        "rendang",
        "dodol",
        "bolu",
        "brownies",
        "brem",
        "wingko",
        "lapis",
        "martabak",
        "ayam",
        "bebek",
        "keripik",
        "kripik",
        "kopi",
        "roti",
        "kue",
        "es",
        "teh",
        "tahu",
        "tempe",
        "getuk",
        "gethuk",
        "jenang",
        "wajik",
        "jeruk",
        "apel",
        "salak",
        "markisa",
        "durian",
        "duren",
        "madu",
        "pisang",
        "otak",
        "pecel",
        "rawon",
        "rujak",
        "lontong",
        "ketoprak",
        "kerak",
        "seblak",
        "cilok",
        "serabi",
        "surabi",
        "bandeng",
        "bika",
        "bubur",
        "timlo",
        "selat",
        "tengkleng",
        "gulai",
        "kari",
        "sambal",
        "sambel",
        "oleh",
        "makanan",
        "masakan",
        "makan",
        "khas",
        "batik",
        "tenun",
        "songket",
        "kain",
        "ukiran",
        "mebel",
        "logat",
        "bahasa",
        "suku",
        "jl",
        "jln",
        "jalan",
        "gg",
        "gang",
        "warung",
        "kedai",
        "resto",
        "restoran",
        "rm",
        "kuliner",
        "ala",
        "gaya",
        "tari",
        "lagu",
        "adat",
        "rasa",
        "cita",
    }
)
# "Solo traveling" is a way to travel, not the city.
_NOT_A_PLACE_BEFORE = frozenset(
    {"traveler", "traveller", "traveling", "travelling", "trip", "karir", "career", "player"}
)
# Words that put a place name in place: the higher the score, the likelier the target.
_PLACE_CUES: dict[str, int] = {
    **dict.fromkeys(
        ("target", "targetnya", "pasar", "market", "sasaran", "menyasar", "fokus", "khusus"), 3
    ),
    **dict.fromkeys(
        (
            "di",
            "kota",
            "daerah",
            "area",
            "wilayah",
            "kabupaten",
            "kab",
            "provinsi",
            "prov",
            "sekitar",
            "sekitaran",
            "seluruh",
            "se",
            "pulau",
            "ke",
            "lokasi",
            "lokasinya",
            "kawasan",
            "warga",
            "orang",
            "regional",
        ),
        2,
    ),
    **dict.fromkeys(("dari", "domisili", "asal", "tinggal", "berbasis", "basis"), 1),
}
# Leading and trailing words to peel off a location answer ("di Bandung aja kak").
_LOCATION_PREFIXES = frozenset(
    {
        "di",
        "ke",
        "dari",
        "kota",
        "kabupaten",
        "kab",
        "daerah",
        "area",
        "wilayah",
        "sekitar",
        "sekitaran",
        "domisili",
        "provinsi",
        "prov",
        "lokasi",
        "lokasinya",
        "target",
        "targetnya",
        "pasar",
        "yang",
        "buat",
        "untuk",
        "orang",
        "warga",
        "mau",
        "pengen",
        "maunya",
        "pengennya",
        "aku",
        "saya",
        "cuma",
        "hanya",
        "khusus",
        "fokus",
        "kawasan",
        "wilayahnya",
        "daerahnya",
        "areanya",
        "kotanya",
        "seputar",
        "in",
        "around",
    }
)
_LOCATION_SUFFIXES = frozenset(
    {
        "aja",
        "saja",
        "doang",
        "kak",
        "ka",
        "ya",
        "sih",
        "deh",
        "dong",
        "kok",
        "sekitarnya",
        "dsk",
        "only",
        "dan",
        "dll",
        "nya",
        "kakak",
        "min",
    }
)


def _location_phrases() -> dict[str, Location]:
    return {key: loc for key, loc in place_keys().items() if key not in _ANSWER_ONLY_PLACES}


_LOCATION_INDEX: PhraseIndex[Location] = PhraseIndex(_location_phrases())


def _is_weak_place(key: str) -> bool:
    if key in _WEAK_PLACES or key in EVERYDAY_SHORT_PLACES:
        return True  # "plg" is *paling* unless a place word stands before it
    return len(key) <= 3 and key not in _STRONG_SHORT_PLACES


def _location_candidates(tokens: list[str]) -> list[tuple[int, int, Location]]:
    """(cue score, -position, location) for each place named in a sentence."""
    found: list[tuple[int, int, Location]] = []
    for hit in _LOCATION_INDEX.scan(tokens):
        previous = token_before(tokens, hit.start)
        following = tokens[hit.end] if hit.end < len(tokens) else ""
        if previous in _PRODUCT_WORDS or following in _NOT_A_PLACE_BEFORE:
            continue
        score = _PLACE_CUES.get(previous, 0)
        if hit.value.is_national and " " in hit.key:
            score = max(score, 2)  # "seluruh indonesia", "semua kota"
        if score == 0 and _is_weak_place(hit.key):
            continue
        found.append((score, -hit.start, hit.value))
    return found


def find_location(tokens: list[str]) -> Location | None:
    """The place a sentence targets: the best-cued mention, the earliest on ties."""
    candidates = _location_candidates(tokens)
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def _strip_location_words(tokens: list[str]) -> list[str]:
    start, end = 0, len(tokens)
    while start < end and tokens[start] in _LOCATION_PREFIXES:
        start += 1
    while end > start and tokens[end - 1] in _LOCATION_SUFFIXES:
        end -= 1
    return tokens[start:end]


def parse_location(text: str) -> Location | None:
    """Target area from an answer: "Bandung", "di Jogja aja", "kota Batu",
    "area Jabodetabek", "Jawa Barat", "seluruh Indonesia".

    The whole answer is read as a place first (bot.language.places.resolve_place), then without the
    words around it, and finally a single place mentioned in a longer answer is taken.
    """
    if not text:
        return None
    direct = resolve_place(text)
    if direct is not None:
        return direct
    tokens = fold_tokens(text)
    core = _strip_location_words(tokens)
    if core and core != tokens:
        peeled = resolve_place(" ".join(core))
        if peeled is not None:
            return peeled
    candidates = _location_candidates(tokens)
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c[0], c[1]))
    rivals = {loc for score, _, loc in candidates if score == best[0]}
    return best[2] if len(rivals) == 1 else None
