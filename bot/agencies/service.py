"""Agency services: create, invite staff and clients by deep link, join, remove; roles.

Access is decided here from the database on every call (never from callback data): an
agency's owner and staff manage it; a client only ever reaches its own record.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from models.agencies import Agency, AgencyStaff, Client, InviteLink
from models.base import utcnow
from models.campaigns import Campaign

LINK_DAYS = 14
_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")
MAX_NAME = 120


class AgencyError(ValueError):
    """A refused request; `code` picks the Indonesian explanation."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Membership:
    agency: Agency
    role: str  # owner | staff


def memberships(session: Session, *, user_id: int) -> list[Membership]:
    rows = session.exec(
        select(AgencyStaff, Agency)
        .join(Agency, col(Agency.id) == AgencyStaff.agency_id)
        .where(col(AgencyStaff.user_id) == user_id)
    ).all()
    return [Membership(agency, staff.role) for staff, agency in rows]


def role_in(session: Session, *, user_id: int, agency_id: int) -> str | None:
    staff = session.exec(
        select(AgencyStaff).where(
            col(AgencyStaff.agency_id) == agency_id, col(AgencyStaff.user_id) == user_id
        )
    ).first()
    return staff.role if staff else None


def require_staff(
    session: Session, *, user_id: int, agency_id: int, owner_only: bool = False
) -> Agency:
    """The agency, if the user works there (as owner when `owner_only`); else refused."""
    role = role_in(session, user_id=user_id, agency_id=agency_id)
    agency = session.get(Agency, agency_id)
    if agency is None or role is None or (owner_only and role != "owner"):
        raise AgencyError("not_allowed")
    return agency


def client_record(session: Session, *, user_id: int) -> Client | None:
    return session.exec(select(Client).where(col(Client.user_id) == user_id)).first()


def create_agency(session: Session, *, owner_id: int, owner_name: str, name: str) -> Agency:
    name = " ".join(name.split())
    if not name:
        raise AgencyError("name_empty")
    if len(name) > MAX_NAME:
        raise AgencyError("name_too_long", limit=MAX_NAME)
    agency = Agency(name=name, owner_user_id=owner_id)
    session.add(agency)
    session.flush()
    session.add(
        AgencyStaff(agency_id=agency.id, user_id=owner_id, role="owner", first_name=owner_name)
    )
    session.flush()
    return agency


def add_client(session: Session, *, user_id: int, agency_id: int, business_name: str) -> Client:
    require_staff(session, user_id=user_id, agency_id=agency_id)
    business_name = " ".join(business_name.split())
    if not business_name:
        raise AgencyError("name_empty")
    if len(business_name) > MAX_NAME:
        raise AgencyError("name_too_long", limit=MAX_NAME)
    client = Client(agency_id=agency_id, business_name=business_name)
    session.add(client)
    session.flush()
    return client


def make_link(
    session: Session,
    *,
    user_id: int,
    agency_id: int,
    kind: str,
    client_id: int | None = None,
    now: datetime | None = None,
) -> InviteLink:
    """Staff links need the owner; client links any staff member, for a client of theirs."""
    require_staff(session, user_id=user_id, agency_id=agency_id, owner_only=kind == "staff")
    if kind == "client":
        client = session.get(Client, client_id) if client_id else None
        if client is None or client.agency_id != agency_id:
            raise AgencyError("client_not_found")
        if client.user_id is not None:
            raise AgencyError("client_already_joined", name=client.business_name)
    elif kind != "staff":
        raise AgencyError("not_allowed")
    link = new_link(
        agency_id=agency_id,
        kind=kind,
        client_id=client_id if kind == "client" else None,
        created_by=user_id,
        now=now or utcnow(),
    )
    session.add(link)
    session.flush()
    return link


def new_link(
    *, agency_id: int, kind: str, client_id: int | None, created_by: int, now: datetime
) -> InviteLink:
    """A fresh single-use code, valid LINK_DAYS; the caller has checked who may make it."""
    return InviteLink(
        code=secrets.token_urlsafe(12),
        agency_id=agency_id,
        kind=kind,
        client_id=client_id,
        created_by=created_by,
        created_at=now,
        expires_at=now + timedelta(days=LINK_DAYS),
    )


def open_links(
    session: Session, *, user_id: int, agency_id: int, now: datetime | None = None
) -> list[InviteLink]:
    require_staff(session, user_id=user_id, agency_id=agency_id)
    now = now or utcnow()
    links = session.exec(
        select(InviteLink)
        .where(
            col(InviteLink.agency_id) == agency_id,
            col(InviteLink.revoked_at).is_(None),
            col(InviteLink.used_at).is_(None),
        )
        .order_by(col(InviteLink.created_at).desc())
    ).all()
    return [link for link in links if link.expires_at is None or link.expires_at > now]


def revoke_link(session: Session, *, user_id: int, link_id: int) -> InviteLink:
    link = session.get(InviteLink, link_id)
    if link is None:
        raise AgencyError("link_not_found")
    require_staff(
        session, user_id=user_id, agency_id=link.agency_id, owner_only=link.kind == "staff"
    )
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        session.add(link)
    return link


@dataclass(frozen=True)
class Joined:
    agency: Agency
    role: str  # staff | client
    client: Client | None


def join(
    session: Session,
    *,
    code: str,
    user_id: int,
    first_name: str,
    chat_id: int,
    now: datetime | None = None,
) -> Joined:
    """Use a deep-link code: once, before it expires, unless revoked."""
    now = now or utcnow()
    if not _CODE.fullmatch(code):  # not one of ours (token_urlsafe); never sent to the database
        raise AgencyError("link_unknown")
    link = session.exec(
        select(InviteLink).where(col(InviteLink.code) == code).with_for_update()
    ).first()
    if link is None:
        raise AgencyError("link_unknown")
    if link.revoked_at is not None:
        raise AgencyError("link_revoked")
    if link.expires_at is not None and link.expires_at <= now:
        raise AgencyError("link_expired")
    if link.used_at is not None:
        raise AgencyError("link_used")
    agency = session.get(Agency, link.agency_id)
    if agency is None:
        raise AgencyError("link_unknown")
    if link.kind == "staff":
        if role_in(session, user_id=user_id, agency_id=agency.id) is not None:
            raise AgencyError("already_staff", agency=agency.name)
        session.add(
            AgencyStaff(agency_id=agency.id, user_id=user_id, role="staff", first_name=first_name)
        )
        client = None
    else:
        existing = client_record(session, user_id=user_id)
        if existing is not None:
            raise AgencyError("already_client")
        client = session.get(Client, link.client_id)
        if client is None or client.user_id is not None:
            raise AgencyError("link_used")
        client.user_id = user_id
        client.chat_id = chat_id
        client.joined_at = now
        session.add(client)
    link.used_by = user_id
    link.used_at = now
    session.add(link)
    session.flush()
    return Joined(agency, link.kind, client)


def staff_of(session: Session, *, user_id: int, agency_id: int) -> list[AgencyStaff]:
    require_staff(session, user_id=user_id, agency_id=agency_id)
    return list(
        session.exec(
            select(AgencyStaff)
            .where(col(AgencyStaff.agency_id) == agency_id)
            .order_by(col(AgencyStaff.id))
        )
    )


def clients_of(session: Session, *, user_id: int, agency_id: int) -> list[Client]:
    require_staff(session, user_id=user_id, agency_id=agency_id)
    return list(
        session.exec(
            select(Client)
            .where(col(Client.agency_id) == agency_id)
            .order_by(col(Client.business_name))
        )
    )


def remove_staff(session: Session, *, user_id: int, staff_id: int) -> AgencyStaff:
    staff = session.get(AgencyStaff, staff_id)
    if staff is None:
        raise AgencyError("not_allowed")
    require_staff(session, user_id=user_id, agency_id=staff.agency_id, owner_only=True)
    if staff.role == "owner":
        raise AgencyError("cannot_remove_owner")
    session.delete(staff)
    return staff


def remove_client(session: Session, *, user_id: int, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise AgencyError("client_not_found")
    require_staff(session, user_id=user_id, agency_id=client.agency_id, owner_only=True)
    # The campaigns run for it stay with the agency (their summaries go to the campaign's owner).
    session.execute(
        update(Campaign).where(col(Campaign.client_id) == client.id).values(client_id=None)
    )
    session.delete(client)
    return client


def set_muted(session: Session, *, user_id: int, muted: bool) -> Client:
    client = client_record(session, user_id=user_id)
    if client is None:
        raise AgencyError("not_a_client")
    client.muted = muted
    session.add(client)
    return client
