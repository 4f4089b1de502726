"""Questions and thanks said in passing: a short answer, then the conversation goes on.

Owners ask things mid-consultation ("bedanya mikro sama makro apa kak?") or say thanks; read
as answers these became budget errors or a restart. An aside is recognised only in a question
form (a question word or "?" together with a topic) or as a thanks with nothing else
meaningful, so a preference such as "makro aja" or an answer like "5jt" is never taken as one.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from bot.advisor.engine.results import RECOMMENDATION_JSON
from bot.advisor.facts import figures
from bot.advisor.questions import ask_again
from bot.chat.replies import Outcome, Reply
from bot.chat.texts import render
from bot.language.text import normalize
from models.conversations import Conversation
from models.users import latest_recommendation


class Aside(StrEnum):
    """What an aside is about; the value names its template (`aside_<value>.j2`)."""

    TIERS = "tiers"
    CONTACT = "contact"
    METRICS = "metrics"
    GUARANTEE = "guarantee"
    RESULTS = "results"
    THANKS = "thanks"


STRONG_QUESTION_WORDS = frozenset(
    {
        "apa", "apaan", "apakah", "apaa", "apasih", "gimana", "gmn", "gmna", "gimn", "gmana",
        "gimanaa", "bagaimana", "bgmn", "bgmana", "gimana2", "cara", "caranya", "gmnanya",
        "bedanya", "beda", "bedain", "perbedaan", "perbedaannya", "maksud", "maksudnya",
        "artinya", "arti", "kenapa", "knp", "mengapa", "emang", "emangnya", "bisakah",
    }
)  # fmt: skip
"""Words that make a topic word a question wherever they stand."""

TAIL_QUESTION_WORDS = frozenset(
    {"kah", "bener", "beneran", "gak", "ga", "nggak", "ngga", "engga", "enggak", "tidak", "gk",
     "g", "ndak", "gaa", "gakk"}
)  # fmt: skip
"""Words that ask only at the end: "dijamin ga" asks, "ga jadi tiktok" does not."""

_TAIL_FILLERS = frozenset(
    {"kak", "ka", "kk", "kakak", "min", "mas", "mbak", "mba", "bang", "ya", "sih", "dong", "nih", "deh"}
)  # fmt: skip

TIER_WORDS = frozenset(
    {
        "mikro", "micro", "makro", "macro", "nano", "mega", "mkro", "mikr", "makr",
        "microinfluencer", "mikroinfluencer", "makroinfluencer", "macroinfluencer",
    }
)  # fmt: skip

CONTACT_WORDS = frozenset(
    {
        "hubungi", "hubungin", "hubunginnya", "ngehubungin", "menghubungi", "hubungan",
        "kontak", "kontaknya", "kontek", "kontakin", "ngontak", "contact", "dm", "ngedm",
        "japri", "nyapa", "hubunginya",
    }
)  # fmt: skip
_INFLUENCER = re.compile(r"^(influencer|influenser|infl|selebgram|kol|seleb|tiktoker|youtuber)")
_APPROACH_WORDS = frozenset({"ajak", "ngajak", "mengajak", "kerjasama", "collab", "kolab", "deal"})

METRIC_WORDS = frozenset({"er", "cpm", "engagement rate", "engagementrate"})

GUARANTEE_WORDS = frozenset(
    {"jamin", "dijamin", "jaminan", "garansi", "garansinya", "guarantee", "guaranteed",
     "jaminannya", "terjamin"}
)  # fmt: skip
_RESULT_WORDS = frozenset(
    {"hasil", "hasilnya", "laku", "naik", "berhasil", "sukses", "untung", "rame", "ramai",
     "efektif", "closing", "balik", "ngaruh", "berpengaruh", "laris"}
)  # fmt: skip

# "bisa dapet brp orang yg dateng?", "kok cuma segitu?": how much a campaign brings
HOW_MANY_WORDS = frozenset({"brp", "berapa", "berapaan", "seberapa", "brapa", "brpa"})
OUTCOME_WORDS = frozenset(
    {"orang", "org", "pembeli", "pelanggan", "customer", "konsumen", "order", "orderan",
     "pembelian", "penjualan", "hasil", "hasilnya", "dateng", "datang", "dtg", "jangkauan",
     "view", "views", "viewers", "interaksi", "laku", "terjual", "closing", "omzet", "omset",
     "untung", "balik", "pengunjung", "tamu", "pasien", "terjangkau", "nonton", "liat"}
)  # fmt: skip
_TOO_FEW = frozenset({"segitu", "sedikit", "dikit", "kecil"})

THANKS_WORDS = frozenset(
    {
        "makasih", "makasi", "maksih", "mksh", "mks", "mksih", "mkasih", "trims",
        "trimakasih", "terimakasih", "trmksh", "trmks", "tks", "thx", "thanks", "thank",
        "thankyou", "thanku", "tq", "ty", "tengkyu", "tenkyu", "nuhun", "suwun", "nuwun",
        "hatur", "matur", "kasih",
    }
)  # fmt: skip
"""Thanks words, with repeated letters collapsed ("makasiiih", "thankss")."""

_THANKS_FILLERS = frozenset(
    {
        "kak", "ka", "kk", "kakak", "min", "admin", "mas", "mba", "mbak", "bang", "bot", "ya",
        "yah", "yo", "ye", "banyak", "bnyk", "byk", "bgt", "banget", "bngt", "sekali", "sangat",
        "deh", "dong", "nih", "ni", "sih", "ok", "oke", "okay", "okey", "okeh", "sip", "siap",
        "mantap", "mantab", "mantul", "keren", "udah", "sudah", "dah", "jelas", "paham",
        "ngerti", "bantu", "dibantu", "bantuannya", "bantuanya", "infonya", "info", "atas",
        "buat", "utk", "untuk", "you", "u", "so", "much", "very", "lot", "a", "all", "nya",
        "sama", "lagi", "wkwk", "hehe", "hihi", "terima", "hatur", "matur",
        "rekomendasinya", "sarannya", "saran", "jawabannya", "penjelasannya", "good", "nice",
    }
)  # fmt: skip

_REPEATS = re.compile(r"(.)\1+")
# a figure ("5jt", "rp 500rb", "2"), not the "2" of "kira2" or "dikit2"
_AMOUNT = re.compile(r"(?<![a-z])\d|rp\s?\d")


_ACK_WORDS = frozenset(
    {"ok", "oke", "okay", "okey", "okeh", "oce", "sip", "siap", "baik", "noted", "mantap",
     "mantab", "mantul", "y", "ya", "iya", "yup", "good", "nice", "paham", "ngerti", "jelas",
     "kak", "ka", "kk", "kakak", "min", "deh", "dong", "nih", "sih", "udah", "sudah", "dah"}
)  # fmt: skip


def is_acknowledgement(text: str) -> bool:
    """ "oke kak", "sip", "siap, paham": the owner has read the answer; nothing is asked."""
    tokens = [_collapse(token) for token in normalize(text).split()]
    return bool(tokens) and all(token in _ACK_WORDS for token in tokens)


def _collapse(token: str) -> str:
    return _REPEATS.sub(r"\1", token)


def _is_question(tokens: list[str], raw: str) -> bool:
    """A "?" anywhere, a strong question word anywhere, or a weak one at the end."""
    words = set(tokens)
    if "?" in raw or words & (STRONG_QUESTION_WORDS | HOW_MANY_WORDS) or tokens[0] == "kok":
        return True  # "kok dikit banget": "kok" opens a why-question
    if words & {"mending", "mendingan", "pilih"} and "atau" in words:
        return True  # "mending mikro atau makro"; "mending makro aja" is a preference
    tail = [t for t in tokens if t not in _TAIL_FILLERS]
    return bool(tail) and tail[-1] in TAIL_QUESTION_WORDS


def _is_thanks(tokens: list[str]) -> bool:
    folded = [_collapse(t) for t in tokens]
    if not any(t in THANKS_WORDS for t in folded):
        return False
    if "kasih" in folded and not {"terima", "trima"} & set(folded):
        return False  # "kasih" alone is "give" ("kasih budget 5jt")
    return all(
        t in _THANKS_FILLERS or f in THANKS_WORDS or f in _THANKS_FILLERS
        for t, f in zip(tokens, folded, strict=True)
    )


def recognise(text: str) -> Aside | None:
    """The aside `text` is, or None when it may be an answer (or anything else)."""
    key = normalize(text)
    tokens = key.split()
    if not tokens or len(tokens) > 20:
        return None
    if _is_thanks(tokens):
        return Aside.THANKS
    has_digits = _AMOUNT.search(key) is not None
    if not _is_question(tokens, text):
        return None
    words = set(tokens)
    if words & METRIC_WORDS or "engagement rate" in key:
        return Aside.METRICS
    if has_digits:
        return None  # "5jt cukup buat makro?" answers the budget; the amount must count
    if words & GUARANTEE_WORDS or ("pasti" in words and words & _RESULT_WORDS):
        return Aside.GUARANTEE
    if (words & HOW_MANY_WORDS and words & OUTCOME_WORDS) or (
        words & _TOO_FEW and words & {"kok", "cuma", "cuman", "hanya", "doang"}
    ):
        return Aside.RESULTS
    influencer = any(_INFLUENCER.match(t) for t in tokens)
    if words & CONTACT_WORDS or "nge dm" in key or (influencer and words & _APPROACH_WORDS):
        return Aside.CONTACT
    if words & TIER_WORDS or any(
        t.startswith(("mikro", "makro", "micro", "macro")) for t in tokens
    ):
        return Aside.TIERS
    return None


def reply(session: Session, conv: Conversation, aside: Aside) -> Outcome:
    """The reply to an aside, with the open question asked again.

    Whether a message is an aside is decided by `bot.advisor.interpret`: one that also gives
    part of the brief ("jualan bakso, mending mikro atau makro?") is read as an answer so
    that answer is not lost. How much a campaign brings is answered with the figures of the
    chat's last recommendation when there is one.
    """
    again = ask_again(session, conv, conv.step)
    context: dict[str, Any] = {"asking": again is not None}
    if aside == Aside.RESULTS:
        context.update(last_figures(session, conv))
    outcome = Outcome().add(Reply(render(f"aside_{aside}", **context)))
    if again is not None:
        outcome.add(again)
    return outcome


def last_figures(session: Session, conv: Conversation) -> dict[str, Any]:
    """The estimate of the chat's last recommendation, as its text showed it (or nothing)."""
    row = latest_recommendation(session, user_id=conv.user_id, chat_id=conv.chat_id)
    if row is None:
        return {}
    rec = RECOMMENDATION_JSON.load(row.result)
    portfolio = rec.portfolio()
    if portfolio is None:
        return {}
    return {
        "figs": figures(portfolio.totals),
        "goal": rec.brief.goal.value,
        "budget": rec.brief.budget,
        "cost": portfolio.totals.cost,
        # set when the store's fitting accounts are used up below the budget: more money
        # would not buy more, so another platform is the lever to suggest
        "budget_used_up": rec.useful_budget is not None,
        "other_platform": "TikTok" if rec.brief.platform.value == "instagram" else "Instagram",
    }
