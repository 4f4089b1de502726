"""The advisor's questions and their buttons: what each step asks, and the recap.

Every answer button carries the conversation's version, so a tap on an older message is told
apart from one on the current question (`versioned`) and gets the "stale" toast with the
current question asked again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from bot.advisor.answers import ANSWER_FIELDS, Answers
from bot.chat.buttons import BadButton, Press
from bot.chat.formatting import compact, rupiah
from bot.chat.kernel import ButtonHandler, ButtonMaker
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.domain import NICHES, PLATFORM_LABELS, BusinessKind, Goal, Location, Platform
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
    BUSINESS = "business"
    RECAP = "recap"
    DONE = "done"


QUESTION_STEPS = frozenset({*ANSWER_FIELDS, Step.BUDGET_CONFIRM})


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
    BUSINESS = "business"  # :<BusinessKind>
    EDIT = "edit"  # :<field>
    RECOMMEND = "recommend"
    CHANGE = "change"  # :<field> take the value said in passing
    KEEP = "keep"  # :<field> keep the earlier answer


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
    "business": "Ubah jenis usaha",
}
TITLES = {
    "niche": "Bidang usaha",
    "goal": "Tujuan kampanye",
    "budget": "Budget endorse",
    "platform": "Platform",
    "location": "Lokasi target",
    "business": "Jenis usaha",
}
#: How a changed answer is named in "Oke, platformnya saya ganti ke ...".
FIELD_NAMES = {
    "niche": "bidangnya",
    "goal": "tujuannya",
    "budget": "budgetnya",
    "platform": "platformnya",
    "location": "lokasinya",
    "business": "jenis usahanya",
}
BUSINESS_BUTTONS = {
    BusinessKind.WALK_IN: "🏪 Pembeli datang ke tempat",
    BusinessKind.ONLINE: "📦 Jualan online, kirim ke mana saja",
    BusinessKind.DESTINATION: "🏝️ Penginapan/wisata, tamu dari kota lain",
}
#: Short names of the answers, for the recap and the "Ganti ke"/"Tetap" buttons.
BUSINESS_NAMES = {
    BusinessKind.WALK_IN: "Pembeli datang ke tempat",
    BusinessKind.ONLINE: "Jualan online",
    BusinessKind.DESTINATION: "Penginapan/wisata",
}
#: The goal buttons' own words (without "Biar"), so "ganti ke ..." names what was tapped.
GOAL_NAMES = {
    Goal.AWARENESS: "Makin dikenal",
    Goal.ENGAGEMENT: "Banyak interaksi",
    Goal.SALES: "Penjualan naik",
}


def value_label(name: str, value: Any) -> str:
    """An answer as the owner reads it: "Instagram", "Rp5.000.000", "Seluruh Indonesia"."""
    if name == "goal":
        return GOAL_NAMES[Goal(value)]
    if name == "budget":
        return rupiah(value)
    if name == "platform":
        return PLATFORM_LABELS[Platform(value)]
    if name == "location":
        assert isinstance(value, Location)
        return "Seluruh Indonesia" if value.is_national else value.name
    if name == "business":
        return BUSINESS_NAMES[BusinessKind(value)]
    return str(value)


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
    if step == Step.BUSINESS:
        kind_buttons = [
            Button(label, make(Action.BUSINESS, kind, version=v))
            for kind, label in BUSINESS_BUTTONS.items()
        ]
        location = Answers.of(conv).location
        return Reply(
            render("ask_business", retry=retry, text=text, place=location.name if location else ""),
            buttons=rows(*kind_buttons, per_row=1),
        )
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
    kind = answers.business_kind()
    text = render(
        "recap",
        answers=answers,
        client_name=client_name,
        business=BUSINESS_NAMES[kind] if kind else None,
    )
    return Reply(text, buttons=keyboard)


def confirm_change(conv: Conversation, answers: Answers) -> Reply:
    """Values said in passing that would change an answer: "Ganti ke Y" or "Tetap X" each."""
    assert answers.proposed is not None
    v = conv.version
    proposed = answers.proposed.given()
    lines = [
        (TITLES[name], value_label(name, value), value_label(name, answers.get(name)))
        for name, value in proposed.items()
    ]
    buttons = tuple(
        (
            Button(f"Ganti ke {value_label(name, value)}", make(Action.CHANGE, name, version=v)),
            Button(
                f"Tetap {value_label(name, answers.get(name))}", make(Action.KEEP, name, version=v)
            ),
        )
        for name, value in proposed.items()
    )
    return Reply(render("confirm_change", lines=lines), buttons=buttons)


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
