"""The agency's team and its open invite links: staff, staff invites, removal, revoking."""

from __future__ import annotations

from sqlmodel import Session

from bot.agencies import service as agencies
from bot.agencies.actions import (
    LINKS_PAGE,
    STAFF_PAGE,
    Action,
    back,
    is_owner,
    link_url,
    make,
    page_arg,
)
from bot.agencies.service import AgencyError
from bot.chat.buttons import Press
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, page_of, pager, rows
from bot.chat.texts import render, to_plain
from models.agencies import Agency, AgencyStaff, InviteLink


def staff(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    aid = agency.id
    owner = is_owner(session, person, agency)
    staff, page, pages = page_of(
        agencies.staff_of(session, user_id=person.id, agency_id=aid), page_arg(press), STAFF_PAGE
    )
    buttons = [
        Button(f"🗑 {s.first_name or s.user_id}"[:40], make(Action.REMOVE_STAFF, aid, s.id))
        for s in staff
        if owner and s.role != "owner"
    ]
    nav = pager(page, pages, lambda p: make(Action.STAFF, aid, p))
    invite = ((Button("🔗 Link undangan staf", make(Action.STAFF_LINK, aid)),),) if owner else ()
    keyboard = (*rows(*buttons, per_row=2), *((nav,) if nav else ()), *invite, back(agency))
    text = render("agency", view="staff", agency=agency, staff=staff, page=page, pages=pages)
    return Outcome().add(Reply(text, buttons=keyboard, edit=True))


def staff_link(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    link = agencies.make_link(session, user_id=person.id, agency_id=agency.id, kind="staff")
    return Outcome().add(
        Reply(render("agency", view="staff_link", agency=agency, url=link_url(person, link)))
    )


def _member_of(session: Session, agency: Agency, press: Press) -> AgencyStaff:
    staff = session.get(AgencyStaff, press.id(1))
    if staff is None or staff.agency_id != agency.id:
        raise AgencyError("not_allowed")
    return staff


def remove_staff(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    staff = _member_of(session, agency, press)
    keyboard = rows(
        Button("Ya, keluarkan", make(Action.REMOVE_STAFF_YES, agency.id, staff.id)),
        Button("Batal", make(Action.STAFF, agency.id)),
    )
    text = render("agency", view="confirm_staff", staff=staff)
    return Outcome().add(Reply(text, buttons=keyboard, edit=True))


def remove_staff_yes(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    staff = _member_of(session, agency, press)
    agencies.remove_staff(session, user_id=person.id, staff_id=staff.id)
    return Outcome().add(
        Reply(
            render("agency", view="staff_removed", staff=staff),
            buttons=(back(agency),),
            edit=True,
        )
    )


def _links_view(session: Session, person: Person, agency: Agency, page_asked: int) -> Reply:
    aid = agency.id
    owner = is_owner(session, person, agency)
    links, page, pages = page_of(
        agencies.open_links(session, user_id=person.id, agency_id=aid), page_asked, LINKS_PAGE
    )
    clients = {c.id: c for c in agencies.clients_of(session, user_id=person.id, agency_id=aid)}

    def label(link: InviteLink) -> str:
        if link.kind == "staff" or link.client_id is None:
            return "❌ staf"
        return f"❌ {clients[link.client_id].business_name}"[:40]

    buttons = [
        Button(label(link), make(Action.REVOKE_LINK, aid, link.id))
        for link in links
        if owner or link.kind == "client"
    ]
    nav = pager(page, pages, lambda p: make(Action.LINKS, aid, p))
    keyboard = (*rows(*buttons, per_row=2), *((nav,) if nav else ()), back(agency))
    items = [
        (link, clients.get(link.client_id) if link.client_id else None, link_url(person, link))
        for link in links
    ]
    text = render("agency", view="links", agency=agency, items=items, page=page, pages=pages)
    return Reply(text, buttons=keyboard, edit=True)


def links(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    return Outcome().add(_links_view(session, person, agency, page_arg(press)))


def revoke_link(session: Session, person: Person, agency: Agency, press: Press) -> Outcome:
    link = session.get(InviteLink, press.id(1))
    if link is None or link.agency_id != agency.id:
        raise AgencyError("link_not_found")
    agencies.revoke_link(session, user_id=person.id, link_id=link.id)
    outcome = Outcome(toast=to_plain(render("agency", view="link_revoked")))
    return outcome.add(_links_view(session, person, agency, 0))
