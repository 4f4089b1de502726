"""Agencies in the chat: /agensi menu, clients, staff, invite links, joining by link, mute."""

from __future__ import annotations

import logging

from sqlmodel import Session

from bot.agencies import broadcasts
from bot.agencies import service as agencies
from bot.agencies.service import (
    AgencyError,
)
from bot.chat import callbacks
from bot.chat.callbacks import BadCallback, Callback
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, page_of, pager, rows
from bot.chat.texts import render, to_plain
from models.agencies import Agency, AgencyStaff, Client, InviteLink
from models.conversations import load_conversation, save_conversation

log = logging.getLogger(__name__)

FLOW_STEPS = frozenset({"a_name", "a_client"})
# Lists that grow with the agency are shown a page at a time (4,096 characters, ~100 buttons).
CLIENTS_PAGE = 10  # up to three buttons each
STAFF_PAGE = 20
LINKS_PAGE = 10  # each with its URL in the text
AGENCIES_SHOWN = 20


def _cb(agency_id: int, action: str, arg: object = "") -> str:
    return callbacks.encode("g", agency_id, action, arg)


def _error(exc: AgencyError) -> Reply:
    return Reply(render("agency_error", code=exc.code, params=exc.params))


def link_url(person: Person, link: InviteLink) -> str:
    return f"https://t.me/{person.bot_username or 'bot'}?start={link.code}"


def _set_step(session: Session, person: Person, step: str, flow: dict | None) -> None:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    answers = dict(conv.answers)
    if flow is None:
        answers.pop("flow", None)
    else:
        answers["flow"] = flow
    save_conversation(session, conv, step=step, answers=answers)


# ---------------------------------------------------------------- commands


def agency_command(session: Session, person: Person) -> Outcome:
    """/agensi: the agency menu, or creating one (anyone may; they become its owner)."""
    mine = agencies.memberships(session, user_id=person.id)
    if not mine:
        _set_step(session, person, "a_name", {})
        return Outcome().add(Reply(render("agency", view="ask_name")))
    if len(mine) == 1:
        return Outcome().add(menu(session, person, mine[0].agency, edit=False))
    buttons = [Button(m.agency.name[:40], _cb(m.agency.id, "m")) for m in mine[:AGENCIES_SHOWN]]
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
        (Button("🏪 Klien", _cb(agency.id, "cl")), Button("👥 Staf", _cb(agency.id, "st"))),
        (Button("🔗 Link aktif", _cb(agency.id, "ln")), Button("📣 Siaran", _cb(agency.id, "bc"))),
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
        return Outcome().add(_error(exc))
    return Outcome().add(
        Reply(
            render("agency_joined", joined=joined, name=person.first_name),
            buttons=_joined_buttons(joined),
        )
    )


def _joined_buttons(joined: agencies.Joined) -> tuple:
    if joined.role == "staff":
        return ((Button("Buka menu agensi", _cb(joined.agency.id, "m")),),)
    return ()


def mute_command(session: Session, person: Person, *, muted: bool) -> Outcome:
    try:
        client = agencies.set_muted(session, user_id=person.id, muted=muted)
    except AgencyError as exc:
        return Outcome().add(_error(exc))
    agency = session.get(Agency, client.agency_id)
    return Outcome().add(
        Reply(render("agency", view="muted" if muted else "unmuted", agency=agency))
    )


# ---------------------------------------------------------------- text steps


def in_flow(step: str) -> bool:
    return step in FLOW_STEPS


def flow_text(session: Session, person: Person, step: str, text: str) -> Outcome:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    flow = dict(conv.answers.get("flow") or {})
    try:
        if step == "a_name":
            agency = agencies.create_agency(
                session, owner_id=person.id, owner_name=person.first_name, name=text
            )
            _set_step(session, person, "idle", None)
            return (
                Outcome()
                .add(Reply(render("agency", view="created", agency=agency)))
                .add(menu(session, person, agency, edit=False))
            )
        if step == "a_client":
            agency_id = int(flow["agency_id"])
            client = agencies.add_client(
                session, user_id=person.id, agency_id=agency_id, business_name=text
            )
            link = agencies.make_link(
                session, user_id=person.id, agency_id=agency_id, kind="client", client_id=client.id
            )
            _set_step(session, person, "idle", None)
            return Outcome().add(
                Reply(
                    render("agency", view="client_added", client=client, url=link_url(person, link))
                )
            )
    except AgencyError as exc:
        return Outcome().add(_error(exc))
    raise ValueError(f"not an agency step: {step}")


# ---------------------------------------------------------------- buttons


def agency_button(session: Session, person: Person, cb: Callback) -> Outcome:
    agency_id = cb.int_at(0)
    action = cb.str_at(1)
    arg = cb.parts[2] if len(cb.parts) > 2 else ""
    try:
        agency = agencies.require_staff(session, user_id=person.id, agency_id=agency_id)
        return _action(session, person, agency, action, arg)
    except AgencyError as exc:
        if exc.code == "not_allowed":
            log.warning(
                "user %s refused agency action %r on agency %s", person.id, action, agency_id
            )
            return Outcome(
                toast=to_plain(render("agency_error", code="not_allowed", params={})), alert=True
            )
        return Outcome().add(_error(exc))


def _action(session: Session, person: Person, agency: Agency, action: str, arg: str) -> Outcome:
    aid = agency.id
    owner = agencies.role_in(session, user_id=person.id, agency_id=aid) == "owner"
    back = (Button("⬅ Menu agensi", _cb(aid, "m")),)
    if action == "m":
        return Outcome().add(menu(session, person, agency, edit=True))
    if action == "cl":
        clients, page, pages = page_of(
            agencies.clients_of(session, user_id=person.id, agency_id=aid), _page(arg), CLIENTS_PAGE
        )
        buttons = [Button(f"👤 {c.business_name}"[:40], _cb(aid, "act", c.id)) for c in clients]
        buttons += [
            Button(f"🔗 {c.business_name}"[:40], _cb(aid, "cli", c.id))
            for c in clients
            if c.user_id is None
        ]
        if owner:
            buttons += [Button(f"🗑 {c.business_name}"[:40], _cb(aid, "clr", c.id)) for c in clients]
        nav = pager(page, pages, lambda p: _cb(aid, "cl", p))
        keyboard = (
            *rows(*buttons, per_row=2),
            *((nav,) if nav else ()),
            (Button("➕ Klien baru", _cb(aid, "cla")),),
            back,
        )
        text = render(
            "agency", view="clients", agency=agency, clients=clients, page=page, pages=pages
        )
        return Outcome().add(Reply(text, buttons=keyboard, edit=True))
    if action in ("bc", "ba", "by", "bn"):
        return broadcasts.button(session, person, agency, action, arg)
    if action in ("act", "actx"):
        conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
        answers = dict(conv.answers)
        if action == "actx":
            answers.pop("acting_for", None)
            save_conversation(session, conv, step=conv.step, answers=answers)
            return Outcome().add(Reply(render("agency", view="acting_stopped")))
        client = session.get(Client, _int(arg))
        if client is None or client.agency_id != aid:
            raise AgencyError("client_not_found")
        answers["acting_for"] = {
            "agency_id": aid,
            "client_id": client.id,
            "client_name": client.business_name,
        }
        save_conversation(session, conv, step=conv.step, answers=answers)
        keyboard = ((Button("Berhenti kerja untuk klien", _cb(aid, "actx")),),)
        return Outcome().add(
            Reply(render("agency", view="acting", client=client, agency=agency), buttons=keyboard)
        )
    if action == "cla":
        _set_step(session, person, "a_client", {"agency_id": aid})
        return Outcome().add(Reply(render("agency", view="ask_client")))
    if action == "cli":
        link = agencies.make_link(
            session, user_id=person.id, agency_id=aid, kind="client", client_id=_int(arg)
        )
        client = session.get(Client, link.client_id)
        return Outcome().add(
            Reply(render("agency", view="client_link", client=client, url=link_url(person, link)))
        )
    if action in ("clr", "cly"):
        client = session.get(Client, _int(arg))
        if client is None or client.agency_id != aid:
            raise AgencyError("client_not_found")
        if action == "clr":
            keyboard = rows(
                Button("Ya, hapus", _cb(aid, "cly", client.id)), Button("Batal", _cb(aid, "cl"))
            )
            return Outcome().add(
                Reply(
                    render("agency", view="confirm_client", client=client),
                    buttons=keyboard,
                    edit=True,
                )
            )
        name = client.business_name
        agencies.remove_client(session, user_id=person.id, client_id=client.id)
        return Outcome().add(
            Reply(render("agency", view="client_removed", name=name), buttons=(back,), edit=True)
        )
    if action == "st":
        staff, page, pages = page_of(
            agencies.staff_of(session, user_id=person.id, agency_id=aid), _page(arg), STAFF_PAGE
        )
        buttons = [
            Button(f"🗑 {s.first_name or s.user_id}"[:40], _cb(aid, "str", s.id))
            for s in staff
            if owner and s.role != "owner"
        ]
        nav = pager(page, pages, lambda p: _cb(aid, "st", p))
        invite = ((Button("🔗 Link undangan staf", _cb(aid, "sti")),),) if owner else ()
        keyboard = (*rows(*buttons, per_row=2), *((nav,) if nav else ()), *invite, back)
        text = render("agency", view="staff", agency=agency, staff=staff, page=page, pages=pages)
        return Outcome().add(Reply(text, buttons=keyboard, edit=True))
    if action == "sti":
        link = agencies.make_link(session, user_id=person.id, agency_id=aid, kind="staff")
        return Outcome().add(
            Reply(render("agency", view="staff_link", agency=agency, url=link_url(person, link)))
        )
    if action in ("str", "sty"):
        staff = session.get(AgencyStaff, _int(arg))
        if staff is None or staff.agency_id != aid:
            raise AgencyError("not_allowed")
        if action == "str":
            keyboard = rows(
                Button("Ya, keluarkan", _cb(aid, "sty", staff.id)), Button("Batal", _cb(aid, "st"))
            )
            return Outcome().add(
                Reply(
                    render("agency", view="confirm_staff", staff=staff), buttons=keyboard, edit=True
                )
            )
        agencies.remove_staff(session, user_id=person.id, staff_id=staff.id)
        return Outcome().add(
            Reply(render("agency", view="staff_removed", staff=staff), buttons=(back,), edit=True)
        )
    if action == "ln":
        links, page, pages = page_of(
            agencies.open_links(session, user_id=person.id, agency_id=aid), _page(arg), LINKS_PAGE
        )
        clients = {c.id: c for c in agencies.clients_of(session, user_id=person.id, agency_id=aid)}
        buttons = [
            Button(
                f"❌ {'staf' if link.kind == 'staff' else clients[link.client_id].business_name}"[
                    :40
                ],
                _cb(aid, "lnr", link.id),
            )
            for link in links
            if owner or link.kind == "client"
        ]
        nav = pager(page, pages, lambda p: _cb(aid, "ln", p))
        keyboard = (*rows(*buttons, per_row=2), *((nav,) if nav else ()), back)
        items = [(link, clients.get(link.client_id), link_url(person, link)) for link in links]
        text = render("agency", view="links", agency=agency, items=items, page=page, pages=pages)
        return Outcome().add(Reply(text, buttons=keyboard, edit=True))
    if action == "lnr":
        link = session.get(InviteLink, _int(arg))
        if link is None or link.agency_id != aid:
            raise AgencyError("link_not_found")
        agencies.revoke_link(session, user_id=person.id, link_id=link.id)
        return Outcome(toast=to_plain(render("agency", view="link_revoked"))).add(
            _action(session, person, agency, "ln", "").replies[0]
        )
    raise BadCallback(f"unknown agency action {action!r}")


def _page(arg: str) -> int:
    return callbacks.number(arg) or 0


def _int(arg: str) -> int:
    value = callbacks.number(arg)
    if value is None:
        raise BadCallback("expected a row id")
    return value
