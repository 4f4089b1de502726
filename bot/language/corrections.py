"""One message read as a whole: what it asks for, what it takes back, and whether it corrects.

An answer given earlier must not change because a later message happens to contain a word
that is also a place or a niche. It changes when the owner clearly corrects it: "eh ga jadi
tiktok, ig aja", "bukan jogja tapi solo", "lokasinya jaksel aja", "ganti ke youtube". The
denied mention ("tiktok" after "ga jadi") is the old value, not the new one, so it is read
apart from the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain import BusinessKind
from bot.language.brief import BriefDraft, extract_brief
from bot.language.business import find_business
from bot.language.niches import niche_mention
from bot.language.text import PhraseIndex, fold_tokens, normalize

# "5.000.000" and "5,5jt" keep their punctuation; every other comma, stop or "tapi" splits.
_CLAUSE = re.compile(r"(?<!\d)[.,]|[.,](?!\d)|[;!?\n()]|\s[-–]\s|…")
_CLAUSE_WORDS = frozenset({"tapi", "tp", "tpi", "melainkan", "namun", "trus", "terus"})

_NEG = ("ga", "gak", "nggak", "ngga", "enggak", "engga", "gk", "g", "tidak", "tdk", "ndak")
#: The mention right after these is the old value, taken back.
DENY_MARKERS: tuple[str, ...] = (
    *(f"{neg} {word}" for neg in _NEG for word in ("jadi", "jd", "usah", "pake", "pakai")),
    "gajadi", "gakjadi", "gkjadi", "gjd", "gausah", "gausah", "batal", "bukan", "jangan",
    "ogah", "ga mau", "gak mau", "nggak mau",
)  # fmt: skip
#: Words that say the message corrects an earlier answer.
CHANGE_MARKERS: tuple[str, ...] = (
    "ganti", "gnti", "diganti", "gantiin", "ganti aja", "ubah", "diubah", "rubah", "dirubah",
    "ralat", "koreksi", "revisi", "salah", "maksudnya", "maksud saya", "maksud aku",
    "maksudku", "maksud sy", "yang bener", "yg bener", "yang benar", "yg benar", "harusnya",
    "seharusnya", "pindah", "jadinya", "ternyata", "sori salah", "sorry salah", "maaf salah", "ganti jadi",
)  # fmt: skip
#: "dari X ke Y" takes X back only in a message that changes something ("ganti dari ...").
_FROM = "dari"
_OPENERS = frozenset({"eh", "ehh", "ehm", "oh", "oiya", "ohiya", "eiya", "eits", "mending",
                      "mendingan"})  # fmt: skip
_CLOSERS = frozenset({"deh", "aja", "saja", "aj", "ajah", "ajalah", "sajalah", "dh"})
#: A wish or a figure about the business is not a correction: "smg laris ya" hopes, it does
#: not change the goal; "omzet 20jt" is not the budget.
_PASSING_WORDS = frozenset(
    {"semoga", "smg", "moga", "mudah2an", "mudahan", "amin", "omzet", "omset", "penghasilan",
     "pendapatan", "untung", "laba", "harga", "harganya", "gaji", "modal usaha"}
)  # fmt: skip
_QUESTION_WORDS = frozenset(
    {"gimana", "gmn", "gmana", "gimn", "gmna", "bagaimana", "bgmn", "apakah", "gimanaa"}
)
#: Words that name a field: "lokasinya jaksel aja", "budget jadi 6jt" (-nya is folded).
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "niche": ("bidang", "bidang usaha", "niche", "nich", "kategori", "produk", "jenis produk"),
    "goal": ("tujuan", "tujuan kampanye", "goal", "objective", "objektif", "target"),
    "budget": ("budget", "bujet", "budged", "dana", "anggaran", "modal", "biaya", "duit"),
    "platform": ("platform", "platfrom", "medsos", "sosmed", "media sosial", "aplikasi"),
    "location": ("lokasi", "kota", "daerah", "area", "wilayah", "target pasar", "pasar",
                 "domisili", "target", "target lokasi"),
    "business": ("jenis usaha", "tipe usaha", "usaha", "model usaha"),
}  # fmt: skip
_FILLERS = frozenset(
    {"aja", "saja", "aj", "ajah", "deh", "dong", "kak", "ka", "kk", "kakak", "min", "ya", "yah",
     "sih", "nih", "yg", "yang", "di", "ke", "pake", "pakai", "lewat", "via", "mau", "pengen",
     "buat", "untuk", "utk", "jadi", "eh", "ehh", "oh", "iya", "ok", "oke", "sip", "nya",
     "kalo", "kalau", "klo", "mending", "mendingan", "lah", "dh", "gitu", "gt"}
)  # fmt: skip

#: "kalau di tiktok?", "coba 10jt": trying another value on the same brief
_WHAT_IF_WORDS = frozenset(
    {"kalau", "kalo", "klo", "klu", "kl", "jika", "jikalau", "seandainya", "andai", "andaikan",
     "misal", "misalnya", "umpama", "coba", "cobain"}
)  # fmt: skip

_DENY = PhraseIndex(dict.fromkeys(DENY_MARKERS, True))
_CHANGE = PhraseIndex(dict.fromkeys(CHANGE_MARKERS, True))
_FIELDS = PhraseIndex({w: name for name, words in FIELD_WORDS.items() for w in words})


@dataclass(frozen=True)
class Reading:
    """What one message says about the brief, read as a whole."""

    draft: BriefDraft  # the values it asks for; taken-back mentions left out
    business: BusinessKind | None = None
    weak_niche: bool = False  # the niche came only from a generic word ("rumah", "agen")
    denied: BriefDraft = field(default_factory=BriefDraft)  # "ga jadi tiktok": TikTok
    correcting: bool = False  # an explicit correction: every value it gives replaces
    named: frozenset[str] = frozenset()  # fields it names ("lokasinya", "budget")
    question: bool = False  # a question or a wish: never a correction by itself
    words: int = 0  # meaningful words, fillers and markers left out

    def values(self) -> dict[str, object]:
        """Every brief field (and the business kind) the message gives a value for."""
        found: dict[str, object] = {name: getattr(self.draft, name) for name in self.draft.found()}
        if self.business is not None:
            found["business"] = self.business
        return found


def _says_anything(text: str) -> bool:
    draft = extract_brief(text)
    return bool(draft.found()) or find_business(fold_tokens(text)) is not None


def _marker_at(index: PhraseIndex[bool], folded: list[str], i: int) -> int:
    """The number of words of a marker starting at `i`, or 0."""
    for length in (3, 2, 1):
        if i + length <= len(folded) and index.get(" ".join(folded[i : i + length])):
            return length
    return 0


def _split(clause: str, changing: bool) -> tuple[list[str], list[str], bool]:
    """(kept words, denied words, whether a mention was taken back) of one clause."""
    raw = clause.split()
    folded = [normalize(w) for w in raw]
    kept: list[str] = []
    denied: list[str] = []
    took_back = False
    i = 0
    while i < len(raw):
        length = _marker_at(_DENY, folded, i)
        if not length and changing and folded[i] == _FROM:
            length = 1
        if not length:
            kept.append(raw[i])
            i += 1
            continue
        start = i + length
        for end in range(start + 1, min(len(raw), start + 4) + 1):
            if _says_anything(" ".join(raw[start:end])):
                denied.extend(raw[start:end])
                took_back = True
                i = end
                break
        else:
            kept.extend(raw[i:start])
            i = start
    return kept, denied, took_back


def _clauses(text: str) -> list[str]:
    parts: list[str] = []
    for piece in _CLAUSE.split(text):
        current: list[str] = []
        for word in piece.split():
            if normalize(word) in _CLAUSE_WORDS:
                parts.append(" ".join(current))
                current = []
            else:
                current.append(word)
        parts.append(" ".join(current))
    return [p for p in parts if p.strip()]


def read_message(text: str) -> Reading:
    """Read a message whole: "eh ga jadi tiktok, ig aja" asks for Instagram and corrects."""
    folded = fold_tokens(text)
    if not folded:
        return Reading(draft=BriefDraft())
    changing = any(_marker_at(_CHANGE, folded, i) for i in range(len(folded)))
    kept_parts: list[str] = []
    denied_parts: list[str] = []
    took_back = False
    for clause in _clauses(text):
        kept, denied, back = _split(clause, changing)
        kept_parts.append(" ".join(kept))
        denied_parts.append(" ".join(denied))
        took_back = took_back or back
    kept_text = ", ".join(p for p in kept_parts if p)
    kept_tokens = fold_tokens(kept_text)
    draft = extract_brief(kept_text)
    mention = niche_mention(kept_tokens)
    opener = folded[0] in _OPENERS or folded[:2] in (["oh", "iya"], ["eh", "iya"])
    closing = bool(set(folded) & _CLOSERS)
    named = frozenset(hit.value for hit in _FIELDS.scan(kept_tokens))
    meaningful = [
        t
        for t in kept_tokens
        if t not in _FILLERS and not _CHANGE.get(t) and not _FIELDS.get(t) and not _DENY.get(t)
    ]
    return Reading(
        draft=draft,
        business=find_business(kept_tokens),
        weak_niche=mention is not None and mention[1],
        denied=extract_brief(", ".join(p for p in denied_parts if p)),
        correcting=changing or took_back or (opener and closing) or "deh" in folded,
        named=named,
        question="?" in text or bool(set(folded) & (_QUESTION_WORDS | _PASSING_WORDS)),
        words=len(meaningful),
    )


def asks_what_if(text: str) -> bool:
    """ "kalau di tiktok?", "kalo 10jt gmn", "coba di jakarta": the owner tries another value
    on the brief just answered, not a new consultation."""
    return bool(_WHAT_IF_WORDS.intersection(fold_tokens(text)))
