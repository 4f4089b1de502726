"""The agency chat's vocabulary: button actions, form steps and states, shared view parts."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session

from bot.agencies import service as agencies
from bot.chat.buttons import Press
from bot.chat.flow import FlowState
from bot.chat.kernel import ButtonMaker
from bot.chat.person import Person
from bot.chat.replies import Button
from models.agencies import Agency, InviteLink


class Step(StrEnum):
    NAME = "a_name"  # the new agency's name
    CLIENT = "a_client"  # a new client's business name
    CLIENTS = "a_clients"  # many clients: a list, one name per line, or a CSV


class NameState(FlowState):
    """Nothing collected yet: the name is the whole form."""


class ClientState(FlowState):
    agency_id: int


class Action(StrEnum):
    MENU = "menu"
    CLIENTS = "clients"  # page
    ACT_FOR = "act_for"  # client id
    STOP_ACTING = "stop_acting"
    ADD_CLIENT = "add_client"
    ADD_MANY = "add_many"  # many clients at once
    ADD_MANY_CANCEL = "add_many_cancel"
    CLIENT_LINK = "client_link"  # client id
    REMOVE_CLIENT = "remove_client"  # client id
    REMOVE_CLIENT_YES = "remove_client_yes"  # client id
    STAFF = "staff"  # page
    STAFF_LINK = "staff_link"
    REMOVE_STAFF = "remove_staff"  # staff id
    REMOVE_STAFF_YES = "remove_staff_yes"  # staff id
    LINKS = "links"  # page
    REVOKE_LINK = "revoke_link"  # link id


make = ButtonMaker("agency", Action)
# Lists that grow with the agency are shown a page at a time (4,096 characters, ~100 buttons).
CLIENTS_PAGE = 10  # up to three buttons each
STAFF_PAGE = 20
LINKS_PAGE = 10  # each with its URL in the text
AGENCIES_SHOWN = 20


def link_url(person: Person, link: InviteLink) -> str:
    return f"https://t.me/{person.bot_username or 'bot'}?start={link.code}"


def page_arg(press: Press) -> int:
    return press.id(1) if press.has(1) else 0


def is_owner(session: Session, person: Person, agency: Agency) -> bool:
    return agencies.role_in(session, user_id=person.id, agency_id=agency.id) == "owner"


def back(agency: Agency) -> tuple[Button, ...]:
    return (Button("⬅ Menu agensi", make(Action.MENU, agency.id)),)
