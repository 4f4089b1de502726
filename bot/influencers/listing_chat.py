"""/daftar in the chat: the holder's cards (change, remove), the form's buttons, saving.

Buttons naming a listing are checked against the claim's holder (`listing.my_listing`), so a
forged id reaches nothing of anyone else's; the form's own buttons act only at their question.
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from bot.chat import flow
from bot.chat.buttons import Press
from bot.chat.kernel import ButtonHandler, Feature
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply
from bot.chat.texts import render
from bot.domain import NICHES, Platform
from bot.influencers import listing
from bot.influencers.listing import PLATFORM_FORMATS, Draft, ListingError
from bot.influencers.listing_form import (
    EDITABLE,
    STEPS,
    Action,
    ListingForm,
    Step,
    ask,
    at,
    error_reply,
    make,
    next_format,
    platform_of,
    set_platform,
    stale,
)
from models import listings

log = logging.getLogger(__name__)


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
        return Outcome().add(ask(session, person, ListingForm()))
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
    return Outcome().add(ask(session, person, ListingForm()))


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
        contact=row.contact,
        listing_id=row.id,
    )
    return Outcome().add(ask(session, person, form))  # the recap, or what a row lacks first


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
    if flow.conversation(session, person).step in set(Step):  # a form about it is moot now
        flow.leave(session, person)
    text = render("listing_card", view="removed", handle=handle, platform=platform)
    return Outcome().add(Reply(text, edit=True))


# ---------------------------------------------------------------- the form's buttons


def pick_platform(session: Session, person: Person, press: Press) -> Outcome:
    form = at(session, person, Step.PLATFORM)
    if form is None:
        return stale()
    try:
        platform = Platform(press.word(0))
    except ValueError:
        return stale()
    set_platform(form, platform)
    return Outcome().add(ask(session, person, form))


def pick_niche(session: Session, person: Person, press: Press) -> Outcome:
    form = at(session, person, Step.NICHES)
    index = press.id(0)
    if form is None or index >= len(NICHES):
        return stale()
    niche = NICHES[index]
    if niche in form.niches:
        form.niches.remove(niche)
    elif len(form.niches) >= listing.MAX_NICHES:
        return Outcome(toast=render("listing_error", code="niches_many", params={"count": 4}))
    else:
        form.niches.append(niche)
    reply = ask(session, person, form)
    return Outcome().add(Reply(reply.text, buttons=reply.buttons, edit=True))


def niches_done(session: Session, person: Person, press: Press) -> Outcome:
    form = at(session, person, Step.NICHES)
    if form is None or not form.niches:
        return stale()
    form.niches_done = True
    return Outcome().add(ask(session, person, form))


def skip(session: Session, person: Person, press: Press) -> Outcome:
    form = at(session, person, Step.RATE)
    fmt = next_format(form) if form is not None else None
    if form is None or fmt is None or fmt == listing.main_format(platform_of(form)):
        return stale()
    form.asked.append(fmt)
    form.rates.pop(fmt, None)
    return Outcome().add(ask(session, person, form))


def use_telegram(session: Session, person: Person, press: Press) -> Outcome:
    form = at(session, person, Step.CONTACT)
    if form is None or not person.username:
        return stale()
    form.contact = listing.telegram_contact(person.username)
    return Outcome().add(ask(session, person, form))


def edit(session: Session, person: Person, press: Press) -> Outcome:
    form = at(session, person, Step.RECAP)
    field = press.word(0)
    if form is None or field not in EDITABLE or (field == "account" and form.listing_id):
        return stale()
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
    return Outcome().add(ask(session, person, form))


def cancel(session: Session, person: Person, press: Press) -> Outcome:
    conv = flow.conversation(session, person)
    if conv.step in set(Step):
        flow.leave(session, person)
    return Outcome().add(Reply(render("listing_form", view="cancelled", form=None), edit=True))


def save(session: Session, person: Person, press: Press) -> Outcome:
    form = at(session, person, Step.RECAP)
    if form is None:
        return stale()
    if not (form.handle and form.niches and form.city and form.followers and form.contact):
        return Outcome().add(ask(session, person, form))  # asks what is missing
    draft = Draft(
        platform=platform_of(form),
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
    steps=STEPS,
)
