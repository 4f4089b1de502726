"""Owners who do not know the answer yet ("gatau", "terserah", "biasanya berapa?").

A refusal ("belum bisa saya baca sebagai budget") leaves a new owner stuck, so an unsure
answer gets a concrete suggestion instead: a budget priced from the store's own accounts, the
platform where the store has the most fitting accounts, or a short nudge. Nothing stored
changes; the suggestion's buttons answer exactly as the question's own buttons do.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from sqlmodel import Session

from bot.advisor.answers import Answers
from bot.advisor.questions import Action, Step, make, platforms_for_buttons, question
from bot.chat.formatting import compact
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.data.price_benchmarks import PRICE_ANCHORS, PRICE_BANDS, PRICE_PLATFORM
from bot.domain import PLATFORM_LABELS, BusinessKind, Candidate, Goal, Location, Platform, Tier
from bot.language.brief import extract_brief
from bot.store.search import fetch_candidates
from bot.store.upload import scopes_for
from models.conversations import Conversation

# Phrases that say "I don't know / you choose", written as owners type them.
_UNSURE_PATTERNS = tuple(
    re.compile(p)
    for p in (
        # gatau, ga tau, gak tahu, gtw, nggak tau, belum tau, blm tahu, tidak tahu
        r"\b(g|ga|gak|gk|ngga|nggak|ngak|enggak|engga|tdk|tidak|ndak|nda|belum|blm|belom|blom)"
        r"\s?(tau|tahu|taw|tw|tao)\b",
        r"\bentah(lah)?\b",
        r"\b(ter|tr|t)?serah\w*",
        r"\b(bi|bu)ng(u|o)ng?\w*|\bbngung\w*|\bbinggung\w*",
        r"\b(ng)?ikut(in)?\s+(aja|saja|ajah|saran\w*|kakak|kak|rekomendasi\w*|yg|yang)\b",
        r"^(ng)?ikut(in)?$",
        r"\b(biasanya|enaknya|baiknya|bagusnya|sebaiknya|idealnya|umumnya|normalnya|wajarnya"
        r"|standarnya|kira2|kirakira|kira kira)\s+(berapa|brp|brapa|apa|yang mana|yg mana|mana"
        r"|dimana|di mana)\b",
        r"\b(berapa|brp|brapa)\s+(ya\s+)?(enaknya|baiknya|bagusnya|idealnya|biasanya|wajarnya"
        r"|umumnya)\b",
        r"\b(belum|blm|belom|blom|ga|gak|tidak|masih)\s+(kepikiran|kebayang|yakin|ngerti|paham"
        r"|mudeng|ada bayangan)\b",
        r"\b(minta|kasih|ada|butuh)\s+(saran|rekomendasi|rekomen|masukan)\b",
        r"\b(saran|rekomendasi|rekomen|rekom)(nya)?\s+(dong|donk|dunk|kak|kakak|aja|apa|gimana)\b",
        r"\bsesuai\s+(saran|rekomendasi)\w*",
    )
)
# Messages that are unsure only when they are the whole answer ("bebas", "apa aja").
_UNSURE_WHOLE = frozenset(
    {"bebas", "apa aja", "apa saja", "mana aja", "mana saja", "yang mana aja", "yg mana aja"}
)
_FILLER = frozenset(
    {"kak", "kaka", "kakak", "ka", "min", "gan", "sis", "sih", "deh", "dong", "nih", "ya", "yah"}
)
_MAX_WORDS = 15

#: how many micro accounts a first campaign typically books, by goal (awareness wants reach)
GOAL_ACCOUNTS = {
    Goal.SALES: (3, 5),
    Goal.ENGAGEMENT: (3, 5),
    Goal.AWARENESS: (4, 6),
}
_BENCHMARK_FOLLOWERS = 30_000  # a typical micro account on the benchmark price curve


def _normalise(text: str) -> str:
    text = text.lower()
    text = re.sub(r"(\w)\1{2,}", r"\1", text)  # "gatauuu", "bingunggg"
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def is_unsure(text: str) -> bool:
    """True when the message says "I don't know" or "you choose" and gives no real answer."""
    if any(ch.isdigit() for ch in text):
        return False
    words = _normalise(text)
    if not words or len(words.split()) > _MAX_WORDS:
        return False
    if " ".join(w for w in words.split() if w not in _FILLER) in _UNSURE_WHOLE:
        return not extract_brief(text).found()
    if not any(p.search(words) for p in _UNSURE_PATTERNS):
        return False
    rest = words
    for p in _UNSURE_PATTERNS:
        rest = p.sub(" ", rest)  # "gak tahu" is not tofu (Kuliner)
    return not extract_brief(rest).found()  # "terserah, tiktok aja" answers the question


def suggest(session: Session, conv: Conversation, step: str) -> Outcome:
    """A suggestion for an unsure answer at `step` (see `bot.advisor.interpret`)."""
    answers = Answers.of(conv)
    if step == Step.BUDGET:
        return Outcome().add(_budget(session, conv, answers))
    if step == Step.PLATFORM:
        return Outcome().add(_platform(session, conv, answers))
    asked = question(session, conv, step)
    return Outcome().add(Reply(render("unsure_nudge", step=str(step)), buttons=asked.buttons))


# ---------------------------------------------------------------- budget


@dataclass(frozen=True)
class BudgetHint:
    """A starting budget: `accounts` micro accounts at `typical` Rupiah each."""

    low: int
    high: int
    accounts: tuple[int, int]
    typical: int
    cheapest: int
    dearest: int
    platform: Platform | None  # where the prices come from; None: every platform
    from_store: bool


def budget_hint(
    session: Session,
    *,
    niche: str | None,
    goal: Goal | None,
    platform: Platform | None,
    scopes: tuple[str, ...],
) -> BudgetHint:
    """3-5 micro accounts of the niche at the store's median price, else at the benchmark."""
    accounts = GOAL_ACCOUNTS.get(goal or Goal.SALES, (3, 5))
    prices: list[int] = []
    source: Platform | None = platform
    if niche is not None:
        if platform is not None:
            prices = _micro_prices(session, niche, [platform], scopes)
        if not prices:
            source = None
            prices = _micro_prices(session, niche, list(Platform), scopes)
    if prices:
        typical = int(statistics.median(prices))
        return BudgetHint(
            low=_nice(typical * accounts[0]),
            high=_nice(typical * accounts[1]),
            accounts=accounts,
            typical=typical,
            cheapest=min(prices),
            dearest=max(prices),
            platform=source,
            from_store=True,
        )
    factor = PRICE_PLATFORM.get(platform.value if platform else "instagram", 1.0)
    typical = int(dict(PRICE_ANCHORS)[_BENCHMARK_FOLLOWERS] * factor)
    _, band_low, band_high = next(b for b in PRICE_BANDS if b[0] > _BENCHMARK_FOLLOWERS)
    return BudgetHint(
        low=_nice(typical * accounts[0]),
        high=_nice(typical * accounts[1]),
        accounts=accounts,
        typical=typical,
        cheapest=band_low,
        dearest=band_high,
        platform=platform,
        from_store=False,
    )


def _micro_prices(
    session: Session, niche: str, platforms: list[Platform], scopes: tuple[str, ...]
) -> list[int]:
    return [
        c.price_idr
        for p in platforms
        for c in fetch_candidates(session, niche=niche, platform=p, scopes=scopes)
        if c.tier == Tier.MICRO and c.price_idr > 0
    ]


def _nice(amount: int) -> int:
    """Two significant digits, so the button reads like a budget people say."""
    step = 10 ** max(len(str(amount)) - 2, 0)
    return max((amount + step // 2) // step * step, 10_000)


def _budget(session: Session, conv: Conversation, answers: Answers) -> Reply:
    scopes = scopes_for(session, user_id=conv.user_id, chat_id=conv.chat_id)
    hint = budget_hint(
        session, niche=answers.niche, goal=answers.goal, platform=answers.platform, scopes=scopes
    )
    v = conv.version
    buttons = [
        Button(f"Rp{compact(amount)}", make(Action.BUDGET, amount, version=v))
        for amount in sorted({hint.low, hint.high})
    ]
    text = render("unsure_budget", hint=hint, niche=answers.niche, goal=answers.goal)
    return Reply(text, buttons=rows(*buttons, per_row=2))


# ---------------------------------------------------------------- platform


def platform_counts(
    session: Session,
    *,
    niche: str | None,
    budget: int | None,
    scopes: tuple[str, ...],
    near: Location | None = None,
) -> dict[Platform, int]:
    """Per platform offered, how many accounts of the niche fit the budget.

    `near` (a walk-in shop's city or province) counts only accounts there: an account
    elsewhere brings a walk-in shop almost no customers.
    """
    counts: dict[Platform, int] = {}
    cities = {x.casefold() for x in near.cities} if near else set()
    provinces = {x.casefold() for x in near.provinces} if near else set()

    def is_near(c: Candidate) -> bool:
        if near is None:
            return True
        if cities:
            return (c.city or "").casefold() in cities
        return (c.province or "").casefold() in provinces

    for p in platforms_for_buttons(session):
        if niche is None:
            counts[p] = 0
            continue
        found = fetch_candidates(session, niche=niche, platform=p, scopes=scopes)
        counts[p] = sum(
            1 for c in found if (budget is None or c.price_idr <= budget) and is_near(c)
        )
    return counts


def _walk_in_area(answers: Answers) -> Location | None:
    loc = answers.location
    if loc is None or loc.is_national or answers.business_kind() is not BusinessKind.WALK_IN:
        return None
    return loc


def _platform(session: Session, conv: Conversation, answers: Answers) -> Reply:
    scopes = scopes_for(session, user_id=conv.user_id, chat_id=conv.chat_id)
    near = _walk_in_area(answers)
    counts = platform_counts(
        session, niche=answers.niche, budget=answers.budget, scopes=scopes, near=near
    )
    best = max(counts, key=lambda p: counts[p]) if counts else None
    v = conv.version
    if best is None or counts[best] == 0:
        asked = question(session, conv, Step.PLATFORM)
        return Reply(render("unsure_platform", best=None), buttons=asked.buttons)
    others = [p for p in counts if p != best]
    buttons = [Button(f"✅ {PLATFORM_LABELS[best]}", make(Action.PLATFORM, best, version=v))]
    buttons += [Button(PLATFORM_LABELS[p], make(Action.PLATFORM, p, version=v)) for p in others]
    text = render(
        "unsure_platform",
        best=best,
        count=counts[best],
        niche=answers.niche,
        budget=answers.budget,
        place=near.name if near else None,
    )
    return Reply(text, buttons=(tuple(buttons[:1]), *rows(*buttons[1:], per_row=3)))
