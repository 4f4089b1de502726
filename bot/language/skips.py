"""Answers that skip a question: "lupa", "gatau", "skip", "belum ada", "-".

A question that asks for one figure at a time offers a Lewati button, but people type their
answer instead; "lupa kak" is a skip, not a number the bot failed to read.
"""

from __future__ import annotations

import re

_SKIP = re.compile(
    r"^(?:(?:aku|saya|sy|gw|gue)\s+)?(?:"
    r"-+|\?+|skip|lewat|lewati|lwt|next|lanjut|kosong|kosongin|nanti|nanti aja|nanti dulu"
    r"|lupa|(?:ga|gak|gk|nggak|ngga|tidak|tdk|belum|blm)\s*(?:inget|ingat|tau|tahu|tw|ada|liat|lihat|cek)"
    r"|gatau|gatahu|gtw|entah|belum ada datanya|ga ada datanya|tidak ada data"
    r")(?:\s+(?:kak|ka|kakak|min|ya|yah|deh|dulu|sih|nih|dong|aja|saja))*$",
    re.IGNORECASE,
)


def means_skip(text: str) -> bool:
    """True when the whole answer says "I don't have this figure (yet)"."""
    clean = " ".join(re.sub(r"[.!,]+", " ", text).split()).casefold()
    return bool(clean) and _SKIP.fullmatch(clean) is not None
