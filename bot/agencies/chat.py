"""Agencies in the chat: /agensi menu, clients, staff, invite links, joining by link, mute."""

from __future__ import annotations

import logging

from sqlmodel import Session

from bot.agencies import broadcasts, bulk_chat, clients, team
from bot.agencies import service as agencies
from bot.agencies.access import error_reply, staff_only
from bot.agencies.actions import (
    AGENCIES_SHOWN,
    Action,
    ClientState,
    NameState,
    Step,
    link_url,
    make,
)
from bot.agencies.service import (
    AgencyError,
)
from bot.chat import flow
from bot.chat.buttons import Press
from bot.chat.kernel import Feature
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from models.agencies import Agency

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- commands


def agency_command(session: Session, person: Person) -> Outcome:
    """/agensi: the agency menu, or creating one (anyone may; they become its owner)."""
    mine = agencies.memberships(session, user_id=person.id)
    if not mine:
        flow.enter(session, person, Step.NAME, NameState())
        return Outcome().add(Reply(render("agency", view="ask_name")))
    if len(mine) == 1:
        return Outcome().add(menu(session, person, mine[0].agency, edit=False))
    buttons = [
        Button(m.agency.name[:40], make(Action.MENU, m.agency.id)) for m in mine[:AGENCIES_SHOWN]
    ]
    return Outcome().add(Reply(render("agency", view="pick"), buttons=rows(*buttons, per_row=1)))


def menu(session: Session, person: Person, agency: Agency, *, edit: bool) -> Reply:
    role = agencies.role_in(session, user_id=person.id, agency_id=agency.id)
    staff = agencies.staff_of(session, user_id=person.id, agency_id=agency.id)
    clients = agencies.clients_of(session, user_id=person.id, agency_id=agency.id)
    text = render(
        "agency",
        view="menu",
        agency=agency,
        role=role,
        staff=len(staff),
        clients=len(clients),
        joined=sum(1 for c in clients if c.user_id is not None),
    )
    keyboard = (
        (
            Button("🏪 Klien", make(Action.CLIENTS, agency.id)),
            Button("👥 Staf", make(Action.STAFF, agency.id)),
        ),
        (
            Button("🔗 Link aktif", make(Action.LINKS, agency.id)),
            Button("📣 Siaran", broadcasts.make(broadcasts.Action.COMPOSE, agency.id)),
        ),
    )
    return Reply(text, buttons=keyboard, edit=edit)


def start_with_code(session: Session, person: Person, code: str) -> Outcome:
    """/start <code>: join as staff or as a client, greeted in the agency's name."""
    try:
        joined = agencies.join(
            session,
            code=code,
            user_id=person.id,
            first_name=person.first_name,
            chat_id=person.chat_id,
        )
    except AgencyError as exc:
        log.info("user %s could not use invite code: %s", person.id, exc.code)
        return Outcome().add(error_reply(exc))
    return Outcome().add(
        Reply(
            render("agency_joined", joined=joined, name=person.first_name),
            buttons=_joined_buttons(joined),
        )
    )


def _joined_buttons(joined: agencies.Joined) -> tuple:
    if joined.role == "staff":
        return ((Button("Buka menu agensi", make(Action.MENU, joined.agency.id)),),)
    return ()


def mute_command(session: Session, person: Person, *, muted: bool) -> Outcome:
    try:
        client = agencies.set_muted(session, user_id=person.id, muted=muted)
    except AgencyError as exc:
        return Outcome().add(error_reply(exc))
    agency = session.get(Agency, client.agency_id)
    return Outcome().add(
        Reply(render("agency", view="muted" if muted else "unmuted", agency=agency))
    )


# ---------------------------------------------------------------- text steps


def _agency_name(session: Session, person: Person, text: str) -> Outcome:
    try:
        agency = agencies.create_agency(
            session, owner_id=person.id, owner_name=person.first_name, name=text
        )
    except AgencyError as exc:
        return Outcome().add(error_reply(exc))
    flow.leave(session, person)
    return (
        Outcome()
        .add(Reply(render("agency", view="created", agency=agency)))
        .add(menu(session, person, agency, edit=False))
    )


def _client_name(session: Session, person: Person, text: str) -> Outcome:
    state = flow.state_of(flow.conversation(session, person), ClientState)
    if state is None:
        flow.leave(session, person)
        return Outcome().add(Reply(render("agency", view="ask_client_expired")))
    try:
        client = agencies.add_client(
            session, user_id=person.id, agency_id=state.agency_id, business_name=text
        )
        link = agencies.make_link(
            session,
            user_id=person.id,
            agency_id=state.agency_id,
            kind="client",
            client_id=client.id,
        )
    except AgencyError as exc:
        return Outcome().add(error_reply(exc))
    flow.leave(session, person)
    return Outcome().add(
        Reply(render("agency", view="client_added", client=client, url=link_url(person, link)))
    )


# ---------------------------------------------------------------- buttons


def _menu(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    return Outcome().add(menu(session, person, agency, edit=True))


FEATURE = Feature(
    name="agency",
    actions=Action,
    buttons={
        Action.MENU: staff_only(_menu),
        Action.CLIENTS: staff_only(clients.clients),
        Action.ACT_FOR: staff_only(clients.act_for),
        Action.STOP_ACTING: staff_only(clients.stop_acting),
        Action.ADD_CLIENT: staff_only(clients.add_client),
        Action.ADD_MANY: staff_only(bulk_chat.add_many),
        Action.ADD_MANY_CANCEL: staff_only(bulk_chat.cancel),
        Action.CLIENT_LINK: staff_only(clients.client_link),
        Action.REMOVE_CLIENT: staff_only(clients.remove_client),
        Action.REMOVE_CLIENT_YES: staff_only(clients.remove_client_yes),
        Action.STAFF: staff_only(team.staff),
        Action.STAFF_LINK: staff_only(team.staff_link),
        Action.REMOVE_STAFF: staff_only(team.remove_staff),
        Action.REMOVE_STAFF_YES: staff_only(team.remove_staff_yes),
        Action.LINKS: staff_only(team.links),
        Action.REVOKE_LINK: staff_only(team.revoke_link),
    },
    steps={
        Step.NAME: _agency_name,
        Step.CLIENT: _client_name,
        Step.CLIENTS: bulk_chat.list_text,
    },
    document_steps={Step.CLIENTS: bulk_chat.list_document},
)
