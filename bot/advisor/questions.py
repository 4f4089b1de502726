"""The advisor's questions and their buttons: what each step asks, and the recap.

Every answer button carries the conversation's version, so a tap on an older message is told
apart from one on the current question (`versioned`) and gets the "stale" toast with the
current question asked again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import StrEnum

from sqlmodel import Session

from bot.advisor.answers import FIELDS, Answers
from bot.chat.buttons import BadButton, Press
from bot.chat.formatting import compact
from bot.chat.kernel import ButtonHandler, ButtonMaker
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.domain import NICHES, PLATFORM_LABELS, Goal, Platform
from bot.store.search import available_platforms
from models.conversations import Conversation, load_conversation


class Step(StrEnum):
    """The advisor's steps as stored in the conversation row (values never change)."""

    NICHE = "niche"
    GOAL = "goal"
    BUDGET = "budget"
    BUDGET_CONFIRM = "budget_confirm"
    PLATFORM = "platform"
    LOCATION = "location"
    RECAP = "recap"
    DONE = "done"


QUESTION_STEPS = frozenset({*FIELDS, Step.BUDGET_CONFIRM})


class Action(StrEnum):
    """The advisor's buttons: an answer to the current question, an edit, or "recommend"."""

    NICHE = "niche"  # :<index in NICHES>
    NICHE_OTHER = "niche_other"
    GOAL = "goal"  # :<Goal>
    BUDGET = "budget"  # :<amount>
    BUDGET_RETYPE = "budget_retype"
    PLATFORM = "platform"  # :<Platform>
    CITY = "city"  # :<index in QUICK_CITIES>
    NATIONWIDE = "nationwide"
    EDIT = "edit"  # :<field>
    RECOMMEND = "recommend"


make = ButtonMaker("advisor", Action)

GOAL_LABELS = {
    Goal.AWARENESS: "📣 Biar makin dikenal",
    Goal.ENGAGEMENT: "💬 Biar banyak interaksi",
    Goal.SALES: "🛒 Biar penjualan naik",
}
BUDGET_PRESETS = (1_000_000, 3_000_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000)
QUICK_CITIES = ("Jakarta", "Surabaya", "Bandung", "Medan", "Yogyakarta", "Makassar")
EDIT_LABELS = {
    "niche": "Ubah bidang",
    "goal": "Ubah tujuan",
    "budget": "Ubah budget",
    "platform": "Ubah platform",
    "location": "Ubah lokasi",
}
TITLES = {
    "niche": "Bidang usaha",
    "goal": "Tujuan kampanye",
    "budget": "Budget endorse",
    "platform": "Platform",
    "location": "Lokasi target",
}


def question(
    session: Session, conv: Conversation, step: str, *, retry: bool = False, text: str = ""
) -> Reply:
    """The question of `step`, its buttons stamped with the conversation's current version."""
    v = conv.version
    if step == Step.NICHE:
        niche_buttons = [Button(n, make(Action.NICHE, i, version=v)) for i, n in enumerate(NICHES)]
        niche_buttons.append(Button("Lainnya ✍️", make(Action.NICHE_OTHER, version=v)))
        return Reply(render("ask_niche", retry=retry, text=text), buttons=rows(*niche_buttons))
    if step == Step.GOAL:
        goal_buttons = [
            Button(label, make(Action.GOAL, goal, version=v)) for goal, label in GOAL_LABELS.items()
        ]
        return Reply(render("ask_goal", retry=retry), buttons=rows(*goal_buttons, per_row=1))
    if step == Step.BUDGET:
        presets = [
            Button(f"Rp{compact(amount)}", make(Action.BUDGET, amount, version=v))
            for amount in BUDGET_PRESETS
        ]
        return Reply(render("ask_budget"), buttons=rows(*presets, per_row=3))
    if step == Step.BUDGET_CONFIRM:
        juta = Answers.of(conv).pending_budget or 0
        ribu = ribu_reading(juta)
        return Reply(
            render("budget_ambiguous", ribu=ribu, juta=juta),
            buttons=rows(
                Button(f"Rp{compact(ribu)}", make(Action.BUDGET, ribu, version=v)),
                Button(f"Rp{compact(juta)}", make(Action.BUDGET, juta, version=v)),
                Button("Bukan, saya ketik ulang", make(Action.BUDGET_RETYPE, version=v)),
                per_row=1,
            ),
        )
    if step == Step.PLATFORM:
        platform_buttons = [
            Button(PLATFORM_LABELS[p], make(Action.PLATFORM, p, version=v))
            for p in platforms_for_buttons(session)
        ]
        return Reply(
            render("ask_platform", retry=retry), buttons=rows(*platform_buttons, per_row=3)
        )
    if step == Step.LOCATION:
        city_buttons = [
            Button(city, make(Action.CITY, i, version=v)) for i, city in enumerate(QUICK_CITIES)
        ]
        buttons = (
            *rows(*city_buttons, per_row=3),
            (Button("🇮🇩 Seluruh Indonesia", make(Action.NATIONWIDE, version=v)),),
        )
        return Reply(render("ask_location", retry=retry, text=text), buttons=buttons)
    raise ValueError(f"no question for step {step!r}")


def ribu_reading(juta: int) -> int:
    """The ribu reading of a bare number stored as its juta reading ("500": Rp500.000).

    A small business that types 500 almost always means ribu, so it is offered first.
    """
    return round(juta / 1000)


def platforms_for_buttons(session: Session) -> list[Platform]:
    """Instagram, TikTok and YouTube always; Facebook and X only where the store has accounts."""
    present = available_platforms(session)
    core = [Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE]
    return core + [p for p in (Platform.FACEBOOK, Platform.X) if p in present]


def recap(conv: Conversation) -> Reply:
    """Everything collected, one edit button per answer, and "Lihat rekomendasi"."""
    v = conv.version
    edit_buttons = [
        Button(label, make(Action.EDIT, name, version=v)) for name, label in EDIT_LABELS.items()
    ]
    keyboard = (
        *rows(*edit_buttons, per_row=2),
        (Button("🎯 Lihat rekomendasi", make(Action.RECOMMEND, version=v)),),
    )
    answers = Answers.of(conv)
    client_name = (answers.acting_for or {}).get("client_name")
    return Reply(render("recap", answers=answers, client_name=client_name), buttons=keyboard)


def ask_again(session: Session, conv: Conversation, step: str) -> Reply | None:
    """The message to continue from `step`: its question, the recap, or nothing to ask."""
    if step in QUESTION_STEPS:
        return question(session, conv, step)
    if step == Step.RECAP:
        return recap(conv)
    return None


def stale(session: Session, conv: Conversation) -> Outcome:
    """A button from an older message: say so, and ask the current question again."""
    outcome = Outcome(toast=render("toast", kind="stale"))
    again = ask_again(session, conv, conv.step)
    if again is not None:
        outcome.add(again)
    return outcome


VersionedHandler = Callable[[Session, Person, Press, Conversation], Outcome]


def versioned(handler: VersionedHandler) -> ButtonHandler:
    """Run `handler` only for a press on the current message; older ones are stale."""

    @functools.wraps(handler)
    def current_only(session: Session, person: Person, press: Press) -> Outcome:
        if press.version is None:
            raise BadButton("a question button without its version")
        conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
        if press.version != conv.version:
            return stale(session, conv)
        return handler(session, person, press, conv)

    return current_only
