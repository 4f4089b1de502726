"""The agency's clients: the list, working for one, join links, removal."""

from __future__ import annotations

from sqlmodel import Session

from bot.agencies import service as agencies
from bot.agencies.actions import (
    CLIENTS_PAGE,
    Action,
    ClientState,
    Step,
    back,
    is_owner,
    link_url,
    make,
    page_arg,
)
from bot.agencies.service import AgencyError
from bot.chat import flow
from bot.chat.buttons import Press
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, page_of, pager, rows
from bot.chat.texts import render
from models.agencies import Agency, Client
from models.conversations import save_conversation


def clients(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    aid = agency.id
    clients, page, pages = page_of(
        agencies.clients_of(session, user_id=person.id, agency_id=aid),
        page_arg(press),
        CLIENTS_PAGE,
    )
    buttons = [
        Button(f"👤 {c.business_name}"[:40], make(Action.ACT_FOR, aid, c.id)) for c in clients
    ]
    buttons += [
        Button(f"🔗 {c.business_name}"[:40], make(Action.CLIENT_LINK, aid, c.id))
        for c in clients
        if c.user_id is None
    ]
    if is_owner(session, person, agency):
        buttons += [
            Button(f"🗑 {c.business_name}"[:40], make(Action.REMOVE_CLIENT, aid, c.id))
            for c in clients
        ]
    nav = pager(page, pages, lambda p: make(Action.CLIENTS, aid, p))
    keyboard = (
        *rows(*buttons, per_row=2),
        *((nav,) if nav else ()),
        (
            Button("➕ Klien baru", make(Action.ADD_CLIENT, aid)),
            Button("📋 Tambah banyak klien", make(Action.ADD_MANY, aid)),
        ),
        back(agency),
    )
    text = render("agency", view="clients", agency=agency, clients=clients, page=page, pages=pages)
    return Outcome().add(Reply(text, buttons=keyboard, edit=True))


def _client_of(session: Session, agency: Agency, press: Press) -> Client:
    client = session.get(Client, press.id(1))
    if client is None or client.agency_id != agency.id:
        raise AgencyError("client_not_found")
    return client


def act_for(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    """A staff member works for a client: recommendations and campaigns are made in its name."""
    client = _client_of(session, agency, press)
    conv = flow.conversation(session, person)
    answers = dict(conv.answers)
    answers["acting_for"] = {
        "agency_id": agency.id,
        "client_id": client.id,
        "client_name": client.business_name,
    }
    save_conversation(session, conv, step=conv.step, answers=answers)
    keyboard = ((Button("Berhenti kerja untuk klien", make(Action.STOP_ACTING, agency.id)),),)
    return Outcome().add(
        Reply(render("agency", view="acting", client=client, agency=agency), buttons=keyboard)
    )


def stop_acting(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    conv = flow.conversation(session, person)
    answers = dict(conv.answers)
    answers.pop("acting_for", None)
    save_conversation(session, conv, step=conv.step, answers=answers)
    return Outcome().add(Reply(render("agency", view="acting_stopped")))


def add_client(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    flow.enter(session, person, Step.CLIENT, ClientState(agency_id=agency.id))
    return Outcome().add(Reply(render("agency", view="ask_client")))


def client_link(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    link = agencies.make_link(
        session, user_id=person.id, agency_id=agency.id, kind="client", client_id=press.id(1)
    )
    client = session.get(Client, link.client_id)
    return Outcome().add(
        Reply(render("agency", view="client_link", client=client, url=link_url(person, link)))
    )


def remove_client(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    client = _client_of(session, agency, press)
    keyboard = rows(
        Button("Ya, hapus", make(Action.REMOVE_CLIENT_YES, agency.id, client.id)),
        Button("Batal", make(Action.CLIENTS, agency.id)),
    )
    text = render("agency", view="confirm_client", client=client)
    return Outcome().add(Reply(text, buttons=keyboard, edit=True))


def remove_client_yes(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    client = _client_of(session, agency, press)
    name = client.business_name
    agencies.remove_client(session, user_id=person.id, client_id=client.id)
    return Outcome().add(
        Reply(
            render("agency", view="client_removed", name=name),
            buttons=(back(agency),),
            edit=True,
        )
    )
