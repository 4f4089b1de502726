"""/daftar in the chat: the guided form, the recap, and the holder's cards (change, remove).

One question at a time; the form lives in the chat's conversation row (`ListingForm`). Buttons
that answer a question are honoured only while the chat is at that question; buttons naming a
listing are checked against the claim's holder (`listing.my_listing`), so a forged id reaches
nothing of anyone else's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum

from sqlmodel import Session

from bot.chat import flow
from bot.chat.buttons import Press
from bot.chat.kernel import ButtonHandler, ButtonMaker, Feature, TextHandler
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.domain import NICHES, PLATFORM_LABELS, Platform
from bot.influencers import listing
from bot.influencers.listing import PLATFORM_FORMATS, Draft, ListingError
from bot.language.platforms import parse_platform
from models import listings

log = logging.getLogger(__name__)


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


make = ButtonMaker("listing", Action)


def _platform(form: ListingForm) -> Platform:
    assert form.platform is not None
    return Platform(form.platform)


def _next_format(form: ListingForm) -> str | None:
    return next((f for f in PLATFORM_FORMATS[_platform(form)] if f not in form.asked), None)


def _cancel_row() -> tuple[Button, ...]:
    return (Button("✖ Batal", make(Action.CANCEL)),)


def _ask(session: Session, person: Person, form: ListingForm) -> Reply:
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
    elif (fmt := _next_format(form)) is not None:
        step, view = Step.RATE, "ask_rate"
        if fmt != listing.main_format(_platform(form)):
            buttons = ((Button("Lewati", make(Action.SKIP)),),)
    elif form.contact is None:
        step, view = Step.CONTACT, "ask_contact"
        if person.username:
            buttons = ((Button(f"Pakai Telegram @{person.username}", make(Action.TELEGRAM)),),)
    else:
        return _recap(session, person, form)
    flow.enter(session, person, step, form)
    fmt = _next_format(form) if form.platform else None
    main = listing.main_format(_platform(form)) if form.platform else None
    text = render(
        "listing_form", view=view, form=form, fmt=fmt, main=main, username=person.username
    )
    return Reply(text, buttons=(*buttons, _cancel_row()))


def _recap(session: Session, person: Person, form: ListingForm) -> Reply:
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
        formats=PLATFORM_FORMATS[_platform(form)],
        story_above=listing.story_above(form.rates),
    )
    first = (Button("✅ Simpan", make(Action.SAVE)), Button("✖ Batal", make(Action.CANCEL)))
    return Reply(text, buttons=(first, *edits))


def _form(session: Session, person: Person) -> ListingForm | None:
    return flow.state_of(flow.conversation(session, person), ListingForm)


def _at(session: Session, person: Person, step: Step) -> ListingForm | None:
    """The form, when the chat is at `step` (a button of an older question reads as None)."""
    conv = flow.conversation(session, person)
    return flow.state_of(conv, ListingForm) if conv.step == step else None


def _stale() -> Outcome:
    return Outcome(toast=render("listing_error", code="stale", params={}))


def error_reply(exc: ListingError) -> Reply:
    return Reply(render("listing_error", code=exc.code, params=exc.params))


def _refusals(handler: ButtonHandler) -> ButtonHandler:
    """A listing that is not the presser's is a toast; other refusals are explained."""

    def run(session: Session, person: Person, press: Press) -> Outcome:
        try:
            return handler(session, person, press)
        except ListingError as exc:
            if exc.code == "listing_not_found":
                log.warning("user %s pressed %r for a listing not theirs", person.id, press)
                return Outcome(toast=render("listing_error", code=exc.code, params={}), alert=True)
            return Outcome().add(error_reply(exc))

    return run


# ---------------------------------------------------------------- /daftar and the cards


def command(session: Session, person: Person) -> Outcome:
    """/daftar: the holder's listings with their buttons, or the form for a first listing."""
    mine = [x for x in listings.listings_of_user(session, user_id=person.id) if x.influencer]
    if not mine:
        return Outcome().add(_ask(session, person, ListingForm()))
    outcome = Outcome().add(Reply(render("listing_card", view="intro", count=len(mine))))
    for item in mine:
        assert item.influencer is not None
        keyboard = (
            (
                Button("✏️ Ubah", make(Action.CHANGE, item.influencer.id)),
                Button("🗑 Hapus", make(Action.REMOVE, item.influencer.id)),
            ),
        )
        outcome.add(
            Reply(
                render(
                    "listing_card",
                    view="card",
                    row=item.influencer,
                    rates=dict(item.rates),
                    formats=PLATFORM_FORMATS[Platform(item.influencer.platform)],
                ),
                buttons=keyboard,
            )
        )
    outcome.add(
        Reply(
            render("listing_card", view="more"),
            buttons=((Button("➕ Daftarkan akun lain", make(Action.NEW)),),),
        )
    )
    return outcome


def new(session: Session, person: Person, press: Press) -> Outcome:
    return Outcome().add(_ask(session, person, ListingForm()))


def change(session: Session, person: Person, press: Press) -> Outcome:
    item = listing.my_listing(session, user_id=person.id, influencer_id=press.id(0))
    row = item.influencer
    assert row is not None
    form = ListingForm(
        platform=row.platform,
        handle=row.handle,
        niches=[n for n in row.niches.split("|") if n],
        niches_done=True,
        city=row.city,
        province=row.province,
        followers=row.followers,
        rates=dict(item.rates) or {listing.main_format(Platform(row.platform)): row.price_idr},
        asked=list(PLATFORM_FORMATS[Platform(row.platform)]),
        contact=row.contact or "",
        listing_id=row.id,
    )
    return Outcome().add(_recap(session, person, form))


def remove(session: Session, person: Person, press: Press) -> Outcome:
    item = listing.my_listing(session, user_id=person.id, influencer_id=press.id(0))
    assert item.influencer is not None
    keyboard = (
        (
            Button("🗑 Ya, hapus", make(Action.REMOVE_YES, item.influencer.id)),
            Button("Batal", make(Action.CANCEL)),
        ),
    )
    return Outcome().add(
        Reply(render("listing_card", view="remove_confirm", row=item.influencer), buttons=keyboard)
    )


def remove_yes(session: Session, person: Person, press: Press) -> Outcome:
    item = listing.my_listing(session, user_id=person.id, influencer_id=press.id(0))
    assert item.influencer is not None
    handle, platform = item.influencer.handle, item.influencer.platform
    listings.remove_listing(session, item.claim)
    flow.leave(session, person)
    text = render("listing_card", view="removed", handle=handle, platform=platform)
    return Outcome().add(Reply(text, edit=True))


# ---------------------------------------------------------------- the form's buttons


def pick_platform(session: Session, person: Person, press: Press) -> Outcome:
    form = _at(session, person, Step.PLATFORM)
    if form is None:
        return _stale()
    try:
        platform = Platform(press.word(0))
    except ValueError:
        return _stale()
    return Outcome().add(_set_platform(session, person, form, platform))


def _set_platform(session: Session, person: Person, form: ListingForm, platform: Platform) -> Reply:
    if form.platform != platform.value:  # another platform sells other formats
        form.rates, form.asked = {}, []
    form.platform = platform.value
    return _ask(session, person, form)


def pick_niche(session: Session, person: Person, press: Press) -> Outcome:
    form = _at(session, person, Step.NICHES)
    index = press.id(0)
    if form is None or index >= len(NICHES):
        return _stale()
    niche = NICHES[index]
    if niche in form.niches:
        form.niches.remove(niche)
    elif len(form.niches) >= listing.MAX_NICHES:
        return Outcome(toast=render("listing_error", code="niches_many", params={"count": 4}))
    else:
        form.niches.append(niche)
    reply = _ask(session, person, form)
    return Outcome().add(Reply(reply.text, buttons=reply.buttons, edit=True))


def niches_done(session: Session, person: Person, press: Press) -> Outcome:
    form = _at(session, person, Step.NICHES)
    if form is None or not form.niches:
        return _stale()
    form.niches_done = True
    return Outcome().add(_ask(session, person, form))


def skip(session: Session, person: Person, press: Press) -> Outcome:
    form = _at(session, person, Step.RATE)
    fmt = _next_format(form) if form is not None else None
    if form is None or fmt is None or fmt == listing.main_format(_platform(form)):
        return _stale()
    form.asked.append(fmt)
    form.rates.pop(fmt, None)
    return Outcome().add(_ask(session, person, form))


def use_telegram(session: Session, person: Person, press: Press) -> Outcome:
    form = _at(session, person, Step.CONTACT)
    if form is None or not person.username:
        return _stale()
    form.contact = listing.telegram_contact(person.username)
    return Outcome().add(_ask(session, person, form))


def edit(session: Session, person: Person, press: Press) -> Outcome:
    form = _at(session, person, Step.RECAP)
    field = press.word(0)
    if form is None or field not in EDITABLE or (field == "account" and form.listing_id):
        return _stale()
    if field == "account":
        form.platform = form.handle = None
    elif field == "niches":
        form.niches_done = False
    elif field == "city":
        form.city = form.province = None
    elif field == "followers":
        form.followers = None
    elif field == "rates":
        form.rates, form.asked = {}, []
    else:
        form.contact = None
    return Outcome().add(_ask(session, person, form))


def cancel(session: Session, person: Person, press: Press) -> Outcome:
    conv = flow.conversation(session, person)
    if str(conv.step).startswith("l_"):
        flow.leave(session, person)
    return Outcome().add(Reply(render("listing_form", view="cancelled", form=None), edit=True))


def save(session: Session, person: Person, press: Press) -> Outcome:
    form = _at(session, person, Step.RECAP)
    if form is None:
        return _stale()
    assert form.handle and form.city and form.followers and form.contact is not None
    draft = Draft(
        platform=_platform(form),
        handle=form.handle,
        name=(person.first_name.strip() or form.handle)[:200],
        niches=tuple(form.niches),
        city=form.city,
        province=form.province,
        followers=form.followers,
        rates=dict(form.rates),
        contact=form.contact,
    )
    try:
        saved = listing.save(session, draft, user_id=person.id, chat_id=person.chat_id)
    except ListingError as exc:
        if exc.code == "claimed":
            flow.leave(session, person)
        return Outcome().add(error_reply(exc))
    flow.leave(session, person)
    text = render("listing_form", view="saved", form=form, new=saved.new)
    return Outcome().add(Reply(text, edit=True))


# ---------------------------------------------------------------- the form's typed answers


TypedAnswer = Callable[[ListingForm, str, Person], None]


def _typed(read: TypedAnswer) -> TextHandler:
    """A typed answer read into the form; a refusal is explained and the question stays
    (a button question is shown again, since its buttons are the way to answer)."""

    def run(session: Session, person: Person, text: str) -> Outcome:
        form = _form(session, person)
        if form is None:
            flow.leave(session, person)
            return Outcome().add(Reply(render("listing_error", code="expired", params={})))
        try:
            read(form, text, person)
        except ListingError as exc:
            outcome = Outcome().add(error_reply(exc))
            if exc.code == "use_buttons":
                outcome.add(_ask(session, person, form))
            return outcome
        return Outcome().add(_ask(session, person, form))

    return run


def _platform_text(form: ListingForm, text: str, person: Person) -> None:
    platform = parse_platform(text.strip()[:60])
    if platform is None:
        raise ListingError("use_buttons")
    if form.platform != platform.value:
        form.rates, form.asked = {}, []
    form.platform = platform.value


def _handle_text(form: ListingForm, text: str, person: Person) -> None:
    form.handle = listing.read_handle(text[:200], _platform(form))


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


def _rate_text(form: ListingForm, text: str, person: Person) -> None:
    fmt = _next_format(form)
    assert fmt is not None and form.followers is not None
    if listing.is_skip(text):
        if fmt == listing.main_format(_platform(form)):
            raise ListingError("main_price_missing", fmt=fmt)
        form.asked.append(fmt)
        return
    form.rates[fmt] = listing.read_price(text, followers=form.followers, fmt=fmt)
    form.asked.append(fmt)


def _contact_text(form: ListingForm, text: str, person: Person) -> None:
    form.contact = listing.read_whatsapp(text)


def _recap_text(form: ListingForm, text: str, person: Person) -> None:
    raise ListingError("use_buttons")


FEATURE = Feature(
    name="listing",
    actions=Action,
    buttons={
        Action.PLATFORM: _refusals(pick_platform),
        Action.NICHE: _refusals(pick_niche),
        Action.NICHES_DONE: _refusals(niches_done),
        Action.SKIP: _refusals(skip),
        Action.TELEGRAM: _refusals(use_telegram),
        Action.SAVE: _refusals(save),
        Action.EDIT: _refusals(edit),
        Action.CANCEL: _refusals(cancel),
        Action.CHANGE: _refusals(change),
        Action.REMOVE: _refusals(remove),
        Action.REMOVE_YES: _refusals(remove_yes),
        Action.NEW: _refusals(new),
    },
    steps={
        Step.PLATFORM: _typed(_platform_text),
        Step.HANDLE: _typed(_handle_text),
        Step.NICHES: _typed(_niches_text),
        Step.CITY: _typed(_city_text),
        Step.FOLLOWERS: _typed(_followers_text),
        Step.RATE: _typed(_rate_text),
        Step.CONTACT: _typed(_contact_text),
        Step.RECAP: _typed(_recap_text),
    },
)
