"""Roles and link codes of agencies: who may do what, and links that work once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from bot.agencies import bulk
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
    "add_clients": lambda s, u, ids: bulk.add_clients(
        s, user_id=u, agency_id=ids["agency"], batch=bulk.from_text("Toko Satu\nToko Dua")
    ),
    "list_clients": lambda s, u, ids: agencies.clients_of(s, user_id=u, agency_id=ids["agency"]),
    "list_staff": lambda s, u, ids: agencies.staff_of(s, user_id=u, agency_id=ids["agency"]),
    "list_links": lambda s, u, ids: agencies.open_links(s, user_id=u, agency_id=ids["agency"]),
    "remove_client": lambda s, u, ids: agencies.remove_client(s, user_id=u, client_id=ids["spare"]),
}
ALLOWED = {
    OWNER: set(ACTIONS),
    STAFF: {"client_link", "add_client", "add_clients", "list_clients", "list_staff", "list_links"},
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


# ---------------------------------------------------------------- many clients at once

MESSY_LIST = (
    """Daftar klien:
1. Warung Bu Sri
2) Toko Ani


(3) Kopi Senja
-Bakso Pak Kumis
•   toko   ANI
4.
2.0 Digital Printing
...
"""
    + "Sambal " * 20
)


def test_a_messy_list_names_every_bad_line_and_its_reason() -> None:
    batch = bulk.from_text(MESSY_LIST)
    assert [e.name for e in batch.entries] == [
        "Warung Bu Sri",
        "Toko Ani",
        "Kopi Senja",
        "Bakso Pak Kumis",
        "2.0 Digital Printing",
    ]
    assert [e.line for e in batch.entries] == [2, 3, 6, 7, 10]  # blank lines still counted
    assert [(p.line, p.code) for p in batch.problems] == [
        (1, "title"),
        (8, "duplicate"),  # same name as line 3 apart from case and spaces
        (9, "empty"),  # a number with no name after it
        (11, "no_letters"),
        (12, "too_long"),
    ]
    assert batch.problems[1].other == 3 and batch.problems[4].length == 139
    assert batch.count == 10 and not batch.ok


def test_a_clean_numbered_list_passes_and_blank_lines_are_ignored() -> None:
    batch = bulk.from_text("\n\n 1. Warung Bu Sri \n\n2. Toko\u200b Ani\n  \n- Kopi Senja\n\n")
    assert batch.ok and [e.name for e in batch.entries] == [
        "Warung Bu Sri",
        "Toko Ani",
        "Kopi Senja",
    ]


@pytest.mark.parametrize("text", ["", "\n \n\t\n"])
def test_an_empty_list_is_refused_as_a_whole(text: str) -> None:
    assert bulk.from_text(text).refusal == "empty"


def test_more_than_the_maximum_is_refused_before_anything_else() -> None:
    at_limit = bulk.from_text("\n".join(f"Toko {i}" for i in range(500)))
    assert at_limit.ok and len(at_limit.entries) == 500
    over = bulk.from_text("\n".join(f"Toko {i}" for i in range(501)) + "\n\n")
    assert (over.refusal, over.count, over.entries) == ("too_many", 501, [])


def test_a_spreadsheet_csv_with_bom_semicolons_and_extra_columns() -> None:
    data = (
        "\ufeffNo;Nama Usaha;Catatan\r\n"
        "1;Warung Bu Sri;langganan lama\r\n"
        "2;;tanpa nama\r\n"
        ";;\r\n"
        '3;"Toko; Ani";"catatan, dengan koma"\r\n'
        "4;warung bu sri;dobel\r\n"
        "5;Café Ola\r\n"
    ).encode()
    batch = bulk.from_csv(data)
    assert [(e.line, e.name) for e in batch.entries] == [
        (2, "Warung Bu Sri"),
        (5, "Toko; Ani"),
        (7, "Café Ola"),  # a short row: the name is there, the note is not
    ]
    assert [(p.line, p.code, p.text) for p in batch.problems] == [
        (3, "empty", "2;;tanpa nama"),
        (6, "duplicate", "warung bu sri"),
    ]


@pytest.mark.parametrize(
    ("data", "names"),
    [
        (b"nama\nWarung Bu Sri\nToko Ani\n", ["Warung Bu Sri", "Toko Ani"]),
        (b"id,name,phone\n1,Kopi Senja,0812\n", ["Kopi Senja"]),
        (b"sep=;\r\nNAMA_KLIEN;kota\r\nCaf\xe9 Ola;Medan\r\n", ["Café Ola"]),  # Excel, Windows
        (b"\n\nnama\tkota\nBakso Pak Kumis\tSolo\n", ["Bakso Pak Kumis"]),
    ],
)
def test_csv_headers_delimiters_and_encodings(data: bytes, names: list[str]) -> None:
    batch = bulk.from_csv(data)
    assert batch.ok and [e.name for e in batch.entries] == names


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        (b"toko;kota\nWarung;Solo\n", "no_name_column"),
        (b"", "empty"),
        (b"nama\n\n\n", "empty"),
        (b"PK\x03\x04\x14\x00binary", "not_text"),
        ("nama\nToko\n".encode("utf-16"), "not_text"),
    ],
)
def test_unusable_files_are_refused_as_a_whole(data: bytes, refusal: str) -> None:
    batch = bulk.from_csv(data)
    assert batch.refusal == refusal
    if refusal == "no_name_column":
        assert batch.columns == ("toko", "kota")


def test_a_csv_over_the_maximum_is_refused() -> None:
    data = ("nama;kota\n" + "".join(f"Toko {i};Solo\n" for i in range(501))).encode()
    assert bulk.from_csv(data).refusal == "too_many"


def test_a_batch_is_written_whole_or_not_at_all(engine: Engine, agency: dict) -> None:
    aid = agency["agency"]
    with session_scope(engine) as s:
        # "Kopi Senja" is already a client: the whole batch is refused, nothing written
        batch = bulk.refuse_existing(s, aid, bulk.from_text("Toko Baru\n KOPI  senja"))
        assert [(p.line, p.code) for p in batch.problems] == [(2, "exists")]
        with pytest.raises(AgencyError):
            bulk.add_clients(s, user_id=STAFF, agency_id=aid, batch=batch)
    with session_scope(engine) as s:
        names = [c.business_name for c in agencies.clients_of(s, user_id=OWNER, agency_id=aid)]
        assert names == ["Kopi Senja", "Sambal Bu Ade"]
        added = bulk.add_clients(
            s, user_id=STAFF, agency_id=aid, batch=bulk.from_text("Zebra Laundry\nApotek Sehat")
        )
        assert [a.client.business_name for a in added] == ["Zebra Laundry", "Apotek Sehat"]
        codes = [a.link.code for a in added]
        assert all(a.link.client_id == a.client.id and a.link.kind == "client" for a in added)
    with session_scope(engine) as s:  # each link joins its own client
        joined = agencies.join(s, code=codes[1], user_id=NEWCOMER, first_name="N", chat_id=NEWCOMER)
        assert joined.client is not None and joined.client.business_name == "Apotek Sehat"


def test_outsiders_and_clients_cannot_add_many(engine: Engine, agency: dict) -> None:
    for user in (CLIENT, OUTSIDER):
        with session_scope(engine) as s, pytest.raises(AgencyError) as err:
            bulk.add_clients(
                s, user_id=user, agency_id=agency["agency"], batch=bulk.from_text("Toko X")
            )
        assert err.value.code == "not_allowed"
    with session_scope(engine) as s:
        assert len(agencies.clients_of(s, user_id=OWNER, agency_id=agency["agency"])) == 2


def test_the_links_csv_opens_in_an_indonesian_spreadsheet() -> None:
    data = bulk.links_csv(
        [("Warung; Bu Sri", "https://t.me/b?start=a"), ("=HYPERLINK()", "https://t.me/b?start=b")]
    )
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines() == [
        "nama;link",
        '"Warung; Bu Sri";https://t.me/b?start=a',
        "'=HYPERLINK();https://t.me/b?start=b",  # never run as a formula
    ]
