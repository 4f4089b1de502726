"""Roles and link codes of agencies: who may do what, and links that work once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from bot.agencies import service as agencies
from bot.agencies.service import AgencyError
from models.base import utcnow
from models.db import session_scope

OWNER, STAFF, CLIENT, OUTSIDER, NEWCOMER = 1, 2, 3, 4, 5


@pytest.fixture
def agency(engine: Engine) -> dict:
    with session_scope(engine) as s:
        a = agencies.create_agency(s, owner_id=OWNER, owner_name="Ovi", name="Agensi Maju")
        staff_link = agencies.make_link(s, user_id=OWNER, agency_id=a.id, kind="staff")
        agencies.join(s, code=staff_link.code, user_id=STAFF, first_name="Sri", chat_id=STAFF)
        client = agencies.add_client(
            s, user_id=STAFF, agency_id=a.id, business_name="Sambal Bu Ade"
        )
        client_link = agencies.make_link(
            s, user_id=STAFF, agency_id=a.id, kind="client", client_id=client.id
        )
        agencies.join(s, code=client_link.code, user_id=CLIENT, first_name="Ade", chat_id=CLIENT)
        spare = agencies.add_client(s, user_id=OWNER, agency_id=a.id, business_name="Kopi Senja")
        return {"agency": a.id, "client": client.id, "spare": spare.id}


ACTIONS = {
    "staff_link": lambda s, u, ids: agencies.make_link(
        s, user_id=u, agency_id=ids["agency"], kind="staff"
    ),
    "client_link": lambda s, u, ids: agencies.make_link(
        s, user_id=u, agency_id=ids["agency"], kind="client", client_id=ids["spare"]
    ),
    "add_client": lambda s, u, ids: agencies.add_client(
        s, user_id=u, agency_id=ids["agency"], business_name="Baru"
    ),
    "list_clients": lambda s, u, ids: agencies.clients_of(s, user_id=u, agency_id=ids["agency"]),
    "list_staff": lambda s, u, ids: agencies.staff_of(s, user_id=u, agency_id=ids["agency"]),
    "list_links": lambda s, u, ids: agencies.open_links(s, user_id=u, agency_id=ids["agency"]),
    "remove_client": lambda s, u, ids: agencies.remove_client(s, user_id=u, client_id=ids["spare"]),
}
ALLOWED = {
    OWNER: set(ACTIONS),
    STAFF: {"client_link", "add_client", "list_clients", "list_staff", "list_links"},
    CLIENT: set(),
    OUTSIDER: set(),
}


@pytest.mark.parametrize("actor", list(ALLOWED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_matrix(engine: Engine, agency: dict, actor: int, action: str) -> None:
    with session_scope(engine) as s:
        if action in ALLOWED[actor]:
            ACTIONS[action](s, actor, agency)
        else:
            with pytest.raises(AgencyError):
                ACTIONS[action](s, actor, agency)


def test_links_work_once_and_can_be_revoked_or_expire(engine: Engine, agency: dict) -> None:
    with session_scope(engine) as s:
        link = agencies.make_link(
            s, user_id=OWNER, agency_id=agency["agency"], kind="client", client_id=agency["spare"]
        )
        code = link.code
    with session_scope(engine) as s:
        joined = agencies.join(s, code=code, user_id=NEWCOMER, first_name="Nia", chat_id=NEWCOMER)
        assert joined.role == "client" and joined.client.business_name == "Kopi Senja"
    for user in (NEWCOMER, OUTSIDER):  # replaying the link: used
        with session_scope(engine) as s, pytest.raises(AgencyError) as err:
            agencies.join(s, code=code, user_id=user, first_name="x", chat_id=user)
        assert err.value.code == "link_used"
    with session_scope(engine) as s:
        other = agencies.create_agency(s, owner_id=OUTSIDER, owner_name="O", name="Agensi Lain")
        client = agencies.add_client(s, user_id=OUTSIDER, agency_id=other.id, business_name="Lain")
        second = agencies.make_link(
            s, user_id=OUTSIDER, agency_id=other.id, kind="client", client_id=client.id
        ).code
    with (
        session_scope(engine) as s,
        pytest.raises(AgencyError) as err,
    ):  # a client cannot join a second agency
        agencies.join(s, code=second, user_id=CLIENT, first_name="Ade", chat_id=CLIENT)
    assert err.value.code == "already_client"
    with session_scope(engine) as s:
        staff_link = agencies.make_link(s, user_id=OWNER, agency_id=agency["agency"], kind="staff")
        agencies.revoke_link(s, user_id=OWNER, link_id=staff_link.id)
        staff_code = staff_link.code
        old = agencies.make_link(
            s,
            user_id=OWNER,
            agency_id=agency["agency"],
            kind="staff",
            now=utcnow() - timedelta(days=30),
        )
        old_code = old.code
    for code, reason in (
        (staff_code, "link_revoked"),
        (old_code, "link_expired"),
        ("nope", "link_unknown"),
    ):
        with session_scope(engine) as s, pytest.raises(AgencyError) as err:
            agencies.join(s, code=code, user_id=NEWCOMER + 1, first_name="x", chat_id=NEWCOMER + 1)
        assert err.value.code == reason


def test_removed_staff_lose_access_at_once(engine: Engine, agency: dict) -> None:
    with session_scope(engine) as s:
        (staff,) = [
            m
            for m in agencies.staff_of(s, user_id=OWNER, agency_id=agency["agency"])
            if m.user_id == STAFF
        ]
        with pytest.raises(AgencyError):
            agencies.remove_staff(s, user_id=STAFF, staff_id=staff.id)
        agencies.remove_staff(s, user_id=OWNER, staff_id=staff.id)
    with session_scope(engine) as s, pytest.raises(AgencyError):
        agencies.clients_of(s, user_id=STAFF, agency_id=agency["agency"])
    with session_scope(engine) as s:
        (owner,) = agencies.staff_of(s, user_id=OWNER, agency_id=agency["agency"])
        with pytest.raises(AgencyError) as err:
            agencies.remove_staff(s, user_id=OWNER, staff_id=owner.id)
        assert err.value.code == "cannot_remove_owner"


def test_client_mutes_and_unmutes(engine: Engine, agency: dict) -> None:
    with session_scope(engine) as s:
        assert agencies.set_muted(s, user_id=CLIENT, muted=True).muted
        assert not agencies.set_muted(s, user_id=CLIENT, muted=False).muted
        with pytest.raises(AgencyError):
            agencies.set_muted(s, user_id=OUTSIDER, muted=True)
