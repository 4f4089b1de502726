"""Amounts inside a sentence, and which of them is the campaign budget.

"Jualan keripik, omzet 20jt, 3 cabang, budget 5 juta" names three numbers but one
budget. This module finds every run of money tokens and judges it by its neighbours:
a budget word before it, a unit after it ("2 produk", "5rb per bungkus"), or a
turnover word that says it is not the budget.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.language.numerals import (
    CURRENCY,
    MONEY_TOKEN,
    NUMBER_SUFFIXES,
    RANGE_WORDS,
    SCALES,
    SE_SCALES,
    SHORT_SCALES,
    is_grouped_literal,
    is_money_word,
    is_numeric,
)
from bot.language.text import word_set

_BUDGET_WORDS = word_set(
    """
    budget budgetnya budgetku bujet bujetnya budjet dana dananya modal modalnya anggaran
    anggarannya biaya biayanya
    """
)
# Money that is not the campaign budget: turnover, prices, salaries.
_NOT_BUDGET_WORDS = word_set(
    """
    omzet omset omzetnya omsetnya harga harganya gaji pendapatan penghasilan untung laba
    profit revenue hpp tarif ongkir
    """
)
# Words that may sit between a budget word and its amount.
_LOOKBACK_SKIP = word_set(
    """
    saya aku kami gue gw kita sekitar sekitaran kisaran kira kira2 kurang lebih maks max
    maksimal cuma cuman hanya ada sebesar senilai untuk buat endorse iklan promosi total
    nya di ya kak itu adalah yaitu sih : = ~ - , ±
    """
)
# A number followed by these counts things, not Rupiah.
_UNIT_WORDS = word_set(
    """
    followers follower pengikut subscriber subscribers subs views view viewers penonton
    tayangan likes like orang org pcs produk item botol bungkus pack porsi cabang outlet
    toko akun influencer kali x tahun thn hari minggu jam menit km kg gram gr liter ml
    cm meter persen % unit buah varian jenis karyawan pegawai reseller member anggota
    pelanggan customer pembeli transaksi order pesanan postingan post konten video usd
    dollar dolar $
    """
)
_PER_WORDS = {"per", "/"}
_PERIOD_WORDS = {"bulan", "bln", "minggu", "tahun", "kampanye", "campaign"}
_PER_UNIT_SE = {
    "sebungkus",
    "sebotol",
    "seporsi",
    "sepotong",
    "sebiji",
    "sekotak",
    "sepack",
    "sepcs",
}


class MoneySpan(NamedTuple):
    """A run of money tokens in a sentence and how it reads there."""

    text: str
    start: int  # token index
    after_budget_word: bool
    qualifies: bool  # reads as a budget amount in context


def _budget_context(words: list[str], start: int) -> tuple[bool, bool]:
    """(after a budget word, after a not-budget word) looking back from `start`."""
    k = start - 1
    while k >= 0 and start - k <= 5:
        word = words[k]
        if word in _BUDGET_WORDS:
            return True, False
        if word in _NOT_BUDGET_WORDS:
            return False, True
        if word not in _LOOKBACK_SKIP:
            break
        k -= 1
    return False, False


def _counts_things(words: list[str], end: int) -> bool:
    """Whether the words after a number make it a count or a unit price."""
    following = words[end] if end < len(words) else ""
    if following in _UNIT_WORDS or following in _PER_UNIT_SE:
        return True
    if following in _PER_WORDS:
        unit = words[end + 1] if end + 1 < len(words) else ""
        return unit not in _PERIOD_WORDS
    return False


def money_spans(low: str) -> list[MoneySpan]:
    """Runs of money tokens in a pre-cleaned sentence, with whether each is a budget.

    A run counts when it has a multiplier (jt, rb, M), an Rp/IDR mark or a grouped
    number, or directly follows a budget word; never "2" in "2 produk" or "3 cabang".
    """
    matches = list(MONEY_TOKEN.finditer(low))
    words = [m.group() for m in matches]
    spans: list[MoneySpan] = []
    i, n = 0, len(words)
    while i < n:
        if not is_money_word(words[i], words[i - 1] if i else None) or words[i] in NUMBER_SUFFIXES:
            i += 1
            continue
        j = i + 1
        while j < n:
            if (
                is_money_word(words[j], words[j - 1])
                or (words[j] in RANGE_WORDS or words[j] == "koma")
                and j + 1 < n
                and is_money_word(words[j + 1], words[j])
            ):
                j += 1
            else:
                break
        run = words[i:j]
        after_budget, not_budget = _budget_context(words, i)
        marked = any(
            t in SCALES or t in CURRENCY or t in SE_SCALES or t in SHORT_SCALES for t in run
        ) or any(is_grouped_literal(t) for t in run)
        has_number = any(is_numeric(t) for t in run)
        qualifies = (
            has_number
            and (marked or after_budget)
            and not not_budget
            and not _counts_things(words, j)
        )
        text = low[matches[i].start() : matches[j - 1].end()]
        spans.append(MoneySpan(text, i, after_budget, qualifies))
        i = j
    return spans
