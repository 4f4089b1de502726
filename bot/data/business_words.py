"""Words that say where a business's customers are, and chat words that only look like answers.

Pure data for `bot.language.business`, `bot.language.niches`, `bot.language.locations` and
`bot.language.corrections`. Phrases are folded with bot.language.text.normalize.
"""

from __future__ import annotations

from bot.domain import BusinessKind

#: Phrases naming a kind of business or how its customers buy.
BUSINESS_PHRASES: dict[BusinessKind, tuple[str, ...]] = {
    BusinessKind.WALK_IN: (
        "warung", "warteg", "warkop", "kedai", "kedai kopi", "kafe", "cafe", "coffee shop",
        "resto", "restoran", "restaurant", "rumah makan", "angkringan", "depot", "kantin",
        "salon", "barbershop", "barber", "pangkas rambut", "klinik", "klinik kecantikan",
        "klinik gigi", "praktik dokter", "praktek dokter", "apotek", "apotik", "bimbel",
        "bimbingan belajar", "les", "les privat", "tempat les", "lembaga kursus", "toko offline",
        "offline", "toko fisik", "gerai", "outlet", "cabang", "bengkel", "gym", "spa",
        "laundry", "cuci mobil", "cuci motor", "car wash", "studio foto", "tempat makan",
        "daycare", "lapangan futsal", "mini soccer", "karaoke", "konter hp", "counter hp",
        "servis hp", "service hp", "showroom", "dealer", "toko bangunan", "pijat", "bekam",
        "fisioterapi", "datang ke", "dateng ke", "datang langsung", "dateng langsung",
        "datang ke toko", "mampir", "mampir ke", "berkunjung", "dine in", "makan di tempat",
        "walk in", "ke toko", "ke warung", "ke kedai", "ke outlet", "ke tempat", "ke lokasi",
        "datang", "dateng", "dtg", "gofood", "grabfood", "shopeefood", "pesan antar",
        "orang sekitar", "warga sekitar", "sekitar sini",
    ),
    BusinessKind.ONLINE: (
        "online", "onlen", "olshop", "ol shop", "online shop", "onlineshop", "toko online",
        "jualan online", "shopee", "tokopedia", "tokped", "lazada", "bukalapak", "blibli",
        "tiktok shop", "marketplace", "e commerce", "ecommerce", "kirim ke seluruh",
        "kirim seluruh", "kirim ke mana", "kirim kemana", "kirim ke mana saja",
        "kirim ke mana aja", "bisa kirim", "kirim luar kota", "kirim ke luar kota",
        # parcels going out, not guests coming in ("kirim paket ke luar kota")
        "kirim paket", "dikirim", "ke luar kota", "keluar kota", "luar pulau",
        "ongkir", "cod", "reseller", "dropship", "dropshipper", "ekspedisi", "jne", "j&t",
        "jnt", "sicepat", "via wa", "order lewat wa", "pesan lewat wa", "website",
    ),
    BusinessKind.DESTINATION: (
        "villa", "vila", "homestay", "hotel", "penginapan", "glamping", "resort", "guest house",
        "guesthouse", "tempat wisata", "objek wisata", "obyek wisata", "wisata", "tour",
        "tur", "open trip", "camping ground", "bumi perkemahan", "taman rekreasi",
        "waterpark", "turis", "wisatawan", "tamu dari luar kota", "dari luar kota",
        "luar kota", "staycation", "cottage", "losmen", "kamar", "kolam renang wisata",
    ),
}  # fmt: skip

#: A business word right after these is denied ("bukan online", "ga ada toko offline").
BUSINESS_NEGATIONS = frozenset(
    {"ga", "gak", "nggak", "ngga", "enggak", "engga", "gk", "g", "tidak", "tdk", "bukan",
     "belum", "blm", "tanpa", "non", "ndak", "nda"}
)  # fmt: skip

#: "datang" and friends tell a walk-in business only as people coming, not "datang dari".
COMING_WORDS = frozenset({"datang", "dateng", "dtg"})

#: Answers to the business question beyond the phrases above (whole answers only).
BUSINESS_ANSWERS: dict[BusinessKind, tuple[str, ...]] = {
    BusinessKind.WALK_IN: (
        "datang ke tempat", "pembeli datang", "pembeli datang ke tempat", "toko", "tempat",
        "ditempat", "di tempat", "fisik", "offline", "langsung", "walk in", "walkin",
        "toko biasa", "ada toko", "ada tempat", "datang",
    ),
    BusinessKind.ONLINE: (
        "online", "jualan online", "kirim", "dikirim", "kirim ke mana saja", "ol", "onlen",
        "kirim aja", "paket",
    ),
    BusinessKind.DESTINATION: (
        "penginapan", "wisata", "penginapan wisata", "tamu dari kota lain", "tamu",
        "tamu luar kota", "destinasi", "tujuan wisata",
    ),
}  # fmt: skip

#: The kind a niche almost always is, when the owner's words say nothing more.
NICHE_KINDS: dict[str, BusinessKind] = {"Travel": BusinessKind.DESTINATION}

# ---------------------------------------------------------------- everyday chat

#: Phrases that contain a niche word but name no business: "di rumah aja", "anak muda".
#: Read longest-first, they hide the niche word inside them.
EVERYDAY_PHRASES: tuple[str, ...] = (
    "di rumah", "dari rumah", "ke rumah", "rumah aja", "rumah saja", "di rumah aja",
    "dirumah", "drumah", "drmh", "dr rumah", "depan rumah", "sekitar rumah", "dalam rumah",
    "pulang ke rumah", "rumah sendiri", "rumah saya", "rumahku", "rumah aku", "ibu rumah tangga",
    "anak muda", "anak sekolah", "anak kuliah", "anak kos", "anak kost", "anak anak",
    "anak remaja", "anak gaul", "anak jaman sekarang", "anak zaman sekarang",
    "naik motor", "pake motor", "pakai motor", "bawa motor", "naik mobil", "pake mobil",
    "pakai mobil", "bawa mobil", "main hp", "lewat hp", "di hp", "no hp", "nomor hp",
    "pake hp", "pakai hp", "hp saya", "ke sekolah", "di sekolah", "pulang sekolah",
    "di kampus", "ke kampus", "pulang kerja", "lagi diet", "bunga bank",
)  # fmt: skip

#: "tahu" after these is "know", not tofu: "biar orang pada tahu".
KNOW_BEFORE = (
    "biar", "pada", "ga", "gak", "nggak", "ngga", "enggak", "tidak", "tdk", "belum", "blm",
    "udah", "sudah", "mau", "pengen", "ingin", "semua", "orang", "org", "yg", "yang", "lebih",
    "makin", "kurang", "sy", "saya", "aku", "kita", "kami", "dia", "mereka", "pd", "biar",
    "supaya", "agar", "bisa", "harus", "perlu", "pengin", "pingin", "gk", "g", "sapa", "siapa",
    "blom", "belom", "masih", "kalian", "cari",
)  # fmt: skip

#: Short place forms that are everyday chat words ("plg" is *paling*, "smg" *semoga*,
#: "mks" *makasih*): in a sentence they name a place only after a place word ("di plg").
EVERYDAY_SHORT_PLACES = frozenset({"plg", "smg", "mks", "yk", "sda", "tng", "bks", "dpk"})
