"""Which messages are asides (questions or thanks in passing) and which are answers."""

from __future__ import annotations

import pytest

from bot.advisor.asides import Aside, recognise
from bot.chat.texts import render

CASES: list[tuple[str, Aside | None]] = [
    # micro vs macro
    ("bedanya mikro sama makro apa kak?", Aside.TIERS),
    ("mikro itu apa sih", Aside.TIERS),
    ("mending mikro atau makro ya?", Aside.TIERS),
    ("mending mikro atau makro", Aside.TIERS),
    ("influencer nano apaan?", Aside.TIERS),
    ("apa bedanya nano dan mikro", Aside.TIERS),
    ("maksudnya makro gmn kak", Aside.TIERS),
    ("micro influencer tuh apa", Aside.TIERS),
    # contacting an influencer
    ("cara hubungin influencernya gimana kak?", Aside.CONTACT),
    ("gimana cara dm influencer", Aside.CONTACT),
    ("kontak influencernya ada?", Aside.CONTACT),
    ("gmn cara ngajak influencer kerjasama?", Aside.CONTACT),
    ("harus dm dulu ya?", Aside.CONTACT),
    # figures
    ("ER itu apa kak?", Aside.METRICS),
    ("cpm apaan", Aside.METRICS),
    ("apa itu engagement rate?", Aside.METRICS),
    ("ER 5% bagus ga?", Aside.METRICS),
    # guarantees
    ("hasilnya dijamin ga kak?", Aside.GUARANTEE),
    ("dijamin ga sih", Aside.GUARANTEE),
    ("pasti laku ga?", Aside.GUARANTEE),
    ("ada garansinya kak?", Aside.GUARANTEE),
    # thanks
    ("kok cuma segitu kak? bisa dapet brp orang yg dtg?", Aside.RESULTS),
    ("berapa orang yang beli kira2?", Aside.RESULTS),
    ("hasilnya kira2 berapa kak", Aside.RESULTS),
    ("kok dikit banget kak", Aside.RESULTS),
    ("makasih kak", Aside.THANKS),
    ("makasih kk", Aside.THANKS),
    ("makasiii kakk", Aside.THANKS),
    ("terima kasih kak", Aside.THANKS),
    ("thx", Aside.THANKS),
    ("mksh", Aside.THANKS),
    ("trims ya", Aside.THANKS),
    ("ok makasih banyak ya kak", Aside.THANKS),
    ("mantap makasih infonya kak", Aside.THANKS),
    ("thank you so much", Aside.THANKS),
    ("Terima kasih 🙏", Aside.THANKS),
    # answers and other messages that must reach the step's own parsing
    ("jualan bakso", None),
    ("budget 5jt dapet brp orang?", None),  # an amount: it answers the budget
    ("berapa lama tayangnya?", None),
    ("5jt", None),
    ("tiktok", None),
    ("makro aja", None),
    ("makro aja ya", None),
    ("mikro", None),
    ("mega", None),
    ("ga jadi tiktok, ig aja", None),
    ("kasih budget 5jt", None),
    ("kasih", None),
    ("5jt cukup buat makro ga?", None),
    ("makasih kak, tapi budgetnya 5jt", None),
    ("makasih, terus budgetnya gimana", None),
    ("gimana kak?", None),
    ("biar followers ig nambah", None),
    ("biar orang pada tau produk baru saya", None),
    ("ig aja kak", None),
    ("di rumah aja kak jualannya online", None),
    ("gatau", None),
    ("terserah", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_recognise(text: str, expected: Aside | None) -> None:
    assert recognise(text) == expected


def test_the_table_is_large_and_has_both_kinds() -> None:
    assert len(CASES) >= 30
    assert sum(1 for _, kind in CASES if kind is None) >= 10


@pytest.mark.parametrize("aside", list(Aside))
@pytest.mark.parametrize("asking", [True, False])
def test_every_answer_is_short(aside: Aside, asking: bool) -> None:
    text = render(f"aside_{aside}", asking=asking)
    assert text and len(text) <= 450
    assert len(text.splitlines()) <= 7
