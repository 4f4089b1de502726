"""The /daftar form: its state, its steps and buttons, how each question is asked, and the
typed answers read into it (the chat's handlers are in `listing_chat`).

The state lives in the chat's conversation row; buttons that answer a question are honoured
only while the chat is at that question (`at`), so a button of an older message changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from enum import StrEnum

from sqlmodel import Session

from bot.chat import flow
from bot.chat.kernel import ButtonMaker, TextHandler
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.domain import NICHES, PLATFORM_LABELS, Platform
from bot.influencers import listing
from bot.influencers.listing import PLATFORM_FORMATS, ListingError
from bot.language.platforms import parse_platform


class Action(StrEnum):
    PLATFORM = "platform"  # platform word
    NICHE = "niche"  # index in NICHES
    NICHES_DONE = "niches_ok"
    SKIP = "skip"  # the format asked now has no price
    TELEGRAM = "tg"  # contact by their Telegram username
    SAVE = "save"
    EDIT = "edit"  # field word, from the recap
    CANCEL = "cancel"
    CHANGE = "change"  # influencer id: the form again, prefilled
    REMOVE = "remove"  # influencer id: asks to confirm
    REMOVE_YES = "remove_yes"  # influencer id
    NEW = "new"  # list another account


class Step(StrEnum):
    PLATFORM = "l_platform"
    HANDLE = "l_handle"
    NICHES = "l_niches"
    CITY = "l_city"
    FOLLOWERS = "l_followers"
    RATE = "l_rate"
    CONTACT = "l_contact"
    RECAP = "l_recap"


EDITABLE = ("account", "niches", "city", "followers", "rates", "contact")


class ListingForm(flow.FlowState):
    """What the form collected so far; `listing_id` when changing a saved listing."""

    platform: str | None = None
    handle: str | None = None
    niches: list[str] = []
    niches_done: bool = False
    city: str | None = None
    province: str | None = None
    followers: int | None = None
    rates: dict[str, int] = {}
    asked: list[str] = []  # formats answered or skipped
    contact: str | None = None
    listing_id: int | None = None
    repriced: bool = False  # prices dropped because they no longer fit the follower count


make = ButtonMaker("listing", Action)


def platform_of(form: ListingForm) -> Platform:
    assert form.platform is not None
    return Platform(form.platform)


def next_format(form: ListingForm) -> str | None:
    return next((f for f in PLATFORM_FORMATS[platform_of(form)] if f not in form.asked), None)


def _cancel_row() -> tuple[Button, ...]:
    return (Button("✖ Batal", make(Action.CANCEL)),)


def ask(session: Session, person: Person, form: ListingForm) -> Reply:
    """Store the form and ask its first missing answer (or show the recap when complete)."""
    buttons: tuple[tuple[Button, ...], ...] = ()
    if form.platform is None:
        step, view = Step.PLATFORM, "ask_platform"
        buttons = rows(
            *(Button(PLATFORM_LABELS[p], make(Action.PLATFORM, p.value)) for p in Platform),
            per_row=3,
        )
    elif form.handle is None:
        step, view = Step.HANDLE, "ask_handle"
    elif not form.niches_done:
        step, view = Step.NICHES, "ask_niches"
        picks = [
            Button(("✅ " if n in form.niches else "") + n, make(Action.NICHE, i))
            for i, n in enumerate(NICHES)
        ]
        buttons = rows(*picks, per_row=2)
        if form.niches:
            buttons = (*buttons, (Button("Lanjut ➡", make(Action.NICHES_DONE)),))
    elif form.city is None:
        step, view = Step.CITY, "ask_city"
    elif form.followers is None:
        step, view = Step.FOLLOWERS, "ask_followers"
    elif (fmt := next_format(form)) is not None:
        step, view = Step.RATE, "ask_rate"
        if fmt != listing.main_format(platform_of(form)):
            buttons = ((Button("Lewati", make(Action.SKIP)),),)
    elif not form.contact:
        step, view = Step.CONTACT, "ask_contact"
        if person.username:
            buttons = ((Button(f"Pakai Telegram @{person.username}", make(Action.TELEGRAM)),),)
    else:
        return recap(session, person, form)
    flow.enter(session, person, step, form)
    fmt = next_format(form) if form.platform else None
    main = listing.main_format(platform_of(form)) if form.platform else None
    text = render(
        "listing_form", view=view, form=form, fmt=fmt, main=main, username=person.username
    )
    return Reply(text, buttons=(*buttons, _cancel_row()))


def recap(session: Session, person: Person, form: ListingForm) -> Reply:
    flow.enter(session, person, Step.RECAP, form)
    fields = EDITABLE if form.listing_id is None else EDITABLE[1:]
    labels = {
        "account": "Akun",
        "niches": "Niche",
        "city": "Kota",
        "followers": "Followers",
        "rates": "Tarif",
        "contact": "Kontak",
    }
    edits = rows(*(Button(f"Ubah {labels[f]}", make(Action.EDIT, f)) for f in fields), per_row=3)
    text = render(
        "listing_form",
        view="recap",
        form=form,
        formats=PLATFORM_FORMATS[platform_of(form)],
        story_above=listing.story_above(form.rates),
    )
    first = (Button("✅ Simpan", make(Action.SAVE)), Button("✖ Batal", make(Action.CANCEL)))
    return Reply(text, buttons=(first, *edits))


def form_of(session: Session, person: Person) -> ListingForm | None:
    return flow.state_of(flow.conversation(session, person), ListingForm)


def at(session: Session, person: Person, step: Step) -> ListingForm | None:
    """The form, when the chat is at `step` (a button of an older question reads as None)."""
    conv = flow.conversation(session, person)
    return flow.state_of(conv, ListingForm) if conv.step == step else None


def stale() -> Outcome:
    return Outcome(toast=render("listing_error", code="stale", params={}))


def error_reply(exc: ListingError) -> Reply:
    return Reply(render("listing_error", code=exc.code, params=exc.params))


# ---------------------------------------------------------------- the form's typed answers


TypedAnswer = Callable[[ListingForm, str, Person], None]


def _typed(read: TypedAnswer) -> TextHandler:
    """A typed answer read into the form; a refusal is explained and the question stays
    (a button question is shown again, since its buttons are the way to answer)."""

    def run(session: Session, person: Person, text: str) -> Outcome:
        form = form_of(session, person)
        if form is None:
            flow.leave(session, person)
            return Outcome().add(Reply(render("listing_error", code="expired", params={})))
        try:
            read(form, text, person)
        except ListingError as exc:
            outcome = Outcome().add(error_reply(exc))
            if exc.code == "use_buttons":
                outcome.add(ask(session, person, form))
            return outcome
        return Outcome().add(ask(session, person, form))

    return run


def set_platform(form: ListingForm, platform: Platform) -> None:
    if form.platform != platform.value:  # another platform sells other formats
        form.rates, form.asked = {}, []
    form.platform = platform.value


def _platform_text(form: ListingForm, text: str, person: Person) -> None:
    handle = _handle_token(text)
    named = text.replace(handle, " ") if handle else text
    # the words around a handle name the platform; else the whole text, as before
    platform = parse_platform(named.strip()[:60]) or parse_platform(text.strip()[:60])
    if platform is None:
        raise ListingError("use_buttons")
    set_platform(form, platform)
    if handle is not None:
        # "ig aku @sinta.kuliner": the handle came with the platform; a bad one is asked for
        with contextlib.suppress(ListingError):
            form.handle = listing.read_handle(handle, platform)


def _handle_text(form: ListingForm, text: str, person: Person) -> None:
    try:
        form.handle = listing.read_handle(text[:200], platform_of(form))
    except ListingError:
        handle = _handle_token(text[:200])
        if handle is None or handle == text.strip():
            raise
        form.handle = listing.read_handle(handle, platform_of(form))  # "akun aku @sinta"


def _handle_token(text: str) -> str | None:
    """The one @name or profile link inside a longer message, if there is exactly one."""
    found = [
        token.strip(".,;:!?()")
        for token in text.split()
        if token.startswith("@") or "/" in token or token.lower().startswith("http")
    ]
    return found[0] if len(found) == 1 and len(found[0]) > 1 else None


def _niches_text(form: ListingForm, text: str, person: Person) -> None:
    form.niches = listing.read_niches(text[:200])
    form.niches_done = True


def _city_text(form: ListingForm, text: str, person: Person) -> None:
    form.city, form.province = listing.read_city(text)


def _followers_text(form: ListingForm, text: str, person: Person) -> None:
    followers = listing.read_followers(text)
    form.followers = followers
    # prices already given must still fit the new follower count
    for fmt, price in list(form.rates.items()):
        try:
            listing.read_price(str(price), followers=followers, fmt=fmt)
        except ListingError:
            form.rates.pop(fmt)
            form.asked.remove(fmt)
            form.repriced = True


def _rate_text(form: ListingForm, text: str, person: Person) -> None:
    fmt = next_format(form)
    assert fmt is not None and form.followers is not None
    form.repriced = False
    if listing.is_skip(text):
        if fmt == listing.main_format(platform_of(form)):
            raise ListingError("main_price_missing", fmt=fmt)
        form.asked.append(fmt)
        return
    form.rates[fmt] = listing.read_price(text, followers=form.followers, fmt=fmt)
    form.asked.append(fmt)


def _contact_text(form: ListingForm, text: str, person: Person) -> None:
    form.contact = listing.read_whatsapp(text)


def _recap_text(form: ListingForm, text: str, person: Person) -> None:
    raise ListingError("use_buttons")


#: the typed answer each step reads
STEPS: dict[str, TextHandler] = {
    Step.PLATFORM: _typed(_platform_text),
    Step.HANDLE: _typed(_handle_text),
    Step.NICHES: _typed(_niches_text),
    Step.CITY: _typed(_city_text),
    Step.FOLLOWERS: _typed(_followers_text),
    Step.RATE: _typed(_rate_text),
    Step.CONTACT: _typed(_contact_text),
    Step.RECAP: _typed(_recap_text),
}
