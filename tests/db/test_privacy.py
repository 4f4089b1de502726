"""/hapusdata forgets a person everywhere, /privasi says what is kept and for how long.

One agency world per test: an owner, a staff member, a joined client and an outsider, with
campaigns, a schedule with a staff copy, a queued broadcast, used and open invite links and an
agency influencer list. After each person's deletion every id column is scanned for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from bot.advisor import conversation as advisor
from bot.agencies import chat as agency_chat
from bot.chat import router
from bot.chat.person import Person
from bot.domain import Platform
from bot.influencers import listing
from bot.influencers.listing import Draft, ListingError
from bot.privacy import chat as privacy_chat
from bot.privacy import rules as privacy
from models.agencies import (
    Agency,
    AgencyStaff,
    BlockedChat,
    Broadcast,
    Client,
    InviteLink,
    OutboxMessage,
)
from models.base import utcnow
from models.campaigns import Campaign, CampaignMember, SummarySchedule
from models.conversations import Conversation
from models.db import session_scope
from models.influencers import ClaimRequest, Influencer, RateCard
from models.uploads import PendingUpload
from models.users import SavedRecommendation, UserAccount
from tests.db.chat import button, call, texts
from tests.db.stores import load_store
from tests.db.userdata import personal_rows, unclassified_columns

OWNER = Person(
    id=7_000_000_001, first_name="Ovi", chat_id=7_000_000_001, bot_username="umkm_test_bot"
)
STAFF = Person(
    id=7_000_000_002, first_name="Sri", chat_id=7_000_000_002, bot_username="umkm_test_bot"
)
CLIENT = Person(
    id=7_000_000_003, first_name="Ade", chat_id=7_000_000_003, bot_username="umkm_test_bot"
)
OUTSIDER = Person(
    id=7_000_000_004, first_name="Ola", chat_id=7_000_000_004, bot_username="umkm_test_bot"
)

STORE = (
    "platform,handle,name,niches,city,province,followers,engagement_rate,avg_views,price_idr,audience_quality,contact\n"
    "instagram,dapur_rina,Dapur Rina,Kuliner,Bandung,,24000,4.1,3500,750000,86,\n"
    "instagram,jajan_bdg,Jajan Bandung,Kuliner,Bandung,,60000,2.5,,1500000,80,\n"
    "instagram,makan_besar,Makan Besar,Kuliner,Jakarta,,450000,1.6,20000,7500000,82,\n"
)


PERFORMANCE_CSV = (
    b"handle,platform,post_url,recorded_at,impressions,reach,likes,comments,shares,saves,clicks,"
    b"conversions,revenue_idr\njajan_bdg,,,2026-11-20,20000,12000,800,45,30,12,90,7,1200000\n"
)


def code_in(text: str) -> str:
    match = re.search(r"\?start=([A-Za-z0-9_-]+)", text)
    assert match, text
    return match[1]


@dataclass
class World:
    engine: Engine
    agency_id: int
    client_id: int
    agency_campaign: int  # run by STAFF for CLIENT
    staff_own_campaign: int  # STAFF's own business, nothing to do with the agency
    open_link: int  # a client link STAFF made, not used yet


def _campaign(engine: Engine, person: Person, name: str, member: str) -> int:
    out = call(engine, router.campaigns_command, person)
    call(engine, router.button, person, button(out, "Kampanye baru"))
    call(engine, router.text_message, person, name)
    call(engine, router.text_message, person, "10jt")
    out = call(engine, router.text_message, person, "30 hari")
    assert "dibuat" in texts(out), texts(out)
    call(engine, router.text_message, person, member)
    with session_scope(engine) as session:
        return session.execute(select(func.max(Campaign.id))).scalar_one()


@pytest.fixture
def world(engine: Engine) -> World:
    load_store(engine, STORE)
    # the owner sets the agency up and invites a staff member
    call(engine, agency_chat.agency_command, OWNER)
    out = call(engine, router.text_message, OWNER, "Maju Digital")
    aid = int(button(out, "Klien").split(":")[1])
    call(
        engine,
        router.start,
        STAFF,
        code_in(texts(call(engine, router.button, OWNER, f"agency.staff_link:{aid}"))),
    )
    # the staff member adds a client, who joins; and a second client who has not joined yet
    call(engine, router.button, STAFF, f"agency.add_client:{aid}")
    call(
        engine,
        router.start,
        CLIENT,
        code_in(texts(call(engine, router.text_message, STAFF, "Sambal Bu Ade"))),
    )
    call(engine, router.button, STAFF, f"agency.add_client:{aid}")
    call(engine, router.text_message, STAFF, "Kopi Senja")
    with session_scope(engine) as session:
        client_id = session.execute(
            select(Client.id).where(Client.user_id == CLIENT.id)
        ).scalar_one()
        open_link = session.execute(
            select(InviteLink.id).where(InviteLink.used_at.is_(None))
        ).scalar_one()
        session.add(
            Influencer(
                scope=f"agency:{aid}",
                platform="tiktok",
                handle="agensi_only",
                name="A",
                niches="Kuliner",
                followers=5000,
                price_idr=100_000,
            )
        )
    # the staff member's own campaign, then one for the client with a daily summary and a copy
    staff_own = _campaign(engine, STAFF, "Toko Sri", "@dapur_rina 750rb reels")
    call(engine, router.button, STAFF, f"agency.act_for:{aid}:{client_id}")
    for_client = _campaign(engine, STAFF, "Promo Sambal", "@jajan_bdg 1,5jt reels")
    for data in (
        f"schedule.menu:{for_client}",
        f"schedule.frequency:{for_client}:daily",
        f"schedule.time:{for_client}:0800",
    ):
        call(engine, router.button, STAFF, data)
    done = call(engine, router.button, STAFF, f"schedule.zone:{for_client}:WIB")
    call(engine, router.button, STAFF, button(done, "salinan"))
    # the owner's own campaign, and a broadcast from the staff member to the clients
    _campaign(engine, OWNER, "Kampanye Ovi", "@makan_besar 7,5jt reels")
    # results files that wait for the owner and the staff member to pick a campaign
    for person in (OWNER, STAFF):
        which = call(engine, router.document, person, "hasil.csv", PERFORMANCE_CSV)
        assert "kampanye yang mana" in texts(which)
    call(engine, router.broadcast_command, STAFF)
    out = call(engine, router.text_message, STAFF, "Promo minggu ini!")
    out = call(engine, router.button, STAFF, button(out, "Semua klien"))
    assert "masuk antrean untuk 1 chat" in texts(
        call(engine, router.button, STAFF, button(out, "Kirim"))
    )
    # everyone also asks for advice and saves it; the client's chat once blocked the bot
    for person in (OWNER, STAFF, CLIENT, OUTSIDER):
        call(engine, advisor.start, person)
        out = call(
            engine,
            router.text_message,
            person,
            "jualan sambal online di Bandung budget 5jt biar laris di instagram",
        )
        out = call(engine, router.button, person, button(out, "Lihat rekomendasi"))
        call(engine, router.button, person, button(out, "Simpan"))
    with session_scope(engine) as session:
        session.add(BlockedChat(chat_id=CLIENT.chat_id))
        assert session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == 1
    # the outsider listed their account with /daftar; the client tried to claim it as well
    draft = Draft(
        platform=Platform.INSTAGRAM,
        handle="ola.masak",
        name="Ola",
        niches=("Kuliner",),
        city="Bandung",
        province="Jawa Barat",
        followers=8_000,
        rates={"reels": 400_000, "story": 150_000},
        contact="wa.me/6281234567890",
    )
    with session_scope(engine) as session:
        listing.save(session, draft, user_id=OUTSIDER.id, chat_id=OUTSIDER.chat_id)
    with session_scope(engine) as session, pytest.raises(ListingError):
        listing.save(session, draft, user_id=CLIENT.id, chat_id=CLIENT.chat_id)
    with session_scope(engine) as session:
        assert count(session, ClaimRequest, ClaimRequest.user_id == CLIENT.id) == 1
    return World(engine, aid, client_id, for_client, staff_own, open_link)


def delete(engine: Engine, person: Person) -> str:
    """/hapusdata and "Ya, hapus semua"; returns the confirmation question."""
    question = call(engine, privacy_chat.request_deletion, person)
    done = call(engine, router.button, person, button(question, "Ya, hapus semua"))
    assert "sudah dihapus" in texts(done)
    return texts(question)


def count(session: Session, model: type, *where: object) -> int:
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_every_id_column_is_classified() -> None:
    """A new column holding a Telegram id must be added to the scan (and to /hapusdata)."""
    assert unclassified_columns() == []


def test_the_world_mentions_everyone(world: World) -> None:
    for person in (OWNER, STAFF, CLIENT):
        assert personal_rows(world.engine, user_id=person.id, chat_id=person.chat_id)


def test_an_owner_deletes_the_agency_and_everything_in_it(world: World) -> None:
    question = delete(world.engine, OWNER)
    assert "agensi milik Kakak, <b>Maju Digital</b>" in question and "staf, klien" in question
    assert personal_rows(world.engine, user_id=OWNER.id, chat_id=OWNER.chat_id) == []
    with session_scope(world.engine) as session:
        assert session.get(Agency, world.agency_id) is None
        for model in (AgencyStaff, Client, InviteLink, Broadcast, OutboxMessage):
            assert count(session, model) == 0, model
        assert count(session, Influencer, Influencer.scope == f"agency:{world.agency_id}") == 0
        assert session.get(Campaign, world.agency_campaign) is None  # run for the agency
        assert count(session, SummarySchedule) == 0
        # the others keep what is theirs
        assert session.get(Campaign, world.staff_own_campaign) is not None
        assert session.get(UserAccount, STAFF.id) is not None
        assert count(session, SavedRecommendation, SavedRecommendation.user_id == CLIENT.id) == 1
    # the former staff member and client lose their access at once
    assert "Tulis nama agensinya" in texts(call(world.engine, agency_chat.agency_command, STAFF))
    refused = call(world.engine, router.button, STAFF, f"agency.clients:{world.agency_id}")
    assert refused.toast and not refused.replies


def test_a_staff_member_leaves_only_the_team(world: World) -> None:
    question = delete(world.engine, STAFF)
    assert "keanggotaan Kakak di tim <b>Maju Digital</b>" in question
    assert "1 kampanye yang Kakak jalankan untuk agensi itu tetap milik agensi" in question
    assert personal_rows(world.engine, user_id=STAFF.id, chat_id=STAFF.chat_id) == []
    with session_scope(world.engine) as session:
        assert session.get(Agency, world.agency_id) is not None
        assert (
            count(session, AgencyStaff, AgencyStaff.agency_id == world.agency_id) == 1
        )  # the owner
        handed = session.get(Campaign, world.agency_campaign)
        assert (
            handed is not None
            and handed.owner_user_id == OWNER.id
            and handed.client_id == world.client_id
        )
        assert (
            count(session, CampaignMember, CampaignMember.campaign_id == world.agency_campaign) == 1
        )
        schedule = session.exec(select(SummarySchedule)).scalars().one()
        assert schedule.copy_to_user_id is None and schedule.active
        assert session.get(Campaign, world.staff_own_campaign) is None
        assert session.exec(select(PendingUpload.user_id)).scalars().all() == [OWNER.id]
        # what they did for the agency stays, without them
        link = session.get(InviteLink, world.open_link)
        assert link is not None and link.created_by == privacy.FORGOTTEN and link.revoked_at is None
        broadcast = session.exec(select(Broadcast)).scalars().one()
        assert broadcast.created_by == privacy.FORGOTTEN and broadcast.progress_chat_id is None
        assert count(session, OutboxMessage) == 1  # the client still gets it
    assert "Promo Sambal" in texts(call(world.engine, router.campaigns_command, OWNER))


def test_a_client_is_unlinked_and_the_agency_keeps_its_records(world: World) -> None:
    question = delete(world.engine, CLIENT)
    assert "hubungan akun Telegram Kakak dengan <b>Maju Digital</b>" in question
    assert "1 permintaan klaim akun" in question
    assert personal_rows(world.engine, user_id=CLIENT.id, chat_id=CLIENT.chat_id) == []
    with session_scope(world.engine) as session:
        client = session.get(Client, world.client_id)
        assert client is not None and client.business_name == "Sambal Bu Ade"
        assert (client.user_id, client.chat_id, client.joined_at) == (None, None, None)
        assert count(session, OutboxMessage) == 0 and count(session, BlockedChat) == 0
        used = (
            session.exec(select(InviteLink).where(InviteLink.client_id == world.client_id))
            .scalars()
            .one()
        )
        assert used.used_at is not None and used.used_by is None  # spent, by nobody we know
        assert session.get(Campaign, world.agency_campaign) is not None
    clients = texts(call(world.engine, router.button, STAFF, f"agency.clients:{world.agency_id}"))
    assert "Sambal Bu Ade · belum bergabung" in clients
    # the client may be invited again with a fresh link
    link = texts(
        call(
            world.engine,
            router.button,
            STAFF,
            f"agency.client_link:{world.agency_id}:{world.client_id}",
        )
    )
    assert "mengundang" in texts(call(world.engine, router.start, CLIENT, code_in(link)))


def test_an_outsider_leaves_no_trace_and_nobody_else_loses_anything(world: World) -> None:
    with session_scope(world.engine) as session:
        before = {
            model: count(session, model)
            for model in (Agency, Client, Campaign, Broadcast, OutboxMessage)
        }
    question = delete(world.engine, OUTSIDER)
    assert "agensi" not in question and "1 rekomendasi tersimpan" in question
    assert "@ola.masak (Instagram)" in question
    assert personal_rows(world.engine, user_id=OUTSIDER.id, chat_id=OUTSIDER.chat_id) == []
    with session_scope(world.engine) as session:
        assert {model: count(session, model) for model in before} == before
        assert count(session, Conversation, Conversation.user_id == OUTSIDER.id) == 0
        # the self-listed row went with its rate card; the client's refused claim waits on
        assert count(session, Influencer, Influencer.handle == "ola.masak") == 0
        assert count(session, RateCard) == 0
        assert count(session, ClaimRequest, ClaimRequest.user_id == CLIENT.id) == 1


def test_cancelling_the_deletion_keeps_everything(world: World) -> None:
    question = call(world.engine, privacy_chat.request_deletion, OWNER)
    kept = call(world.engine, router.button, OWNER, button(question, "Batal"))
    assert "tidak ada yang dihapus" in texts(kept)
    with session_scope(world.engine) as session:
        assert session.get(Agency, world.agency_id) is not None


def test_only_the_latest_confirmation_deletes(world: World) -> None:
    """Both answers carry the conversation's version: an older question's buttons are stale."""
    first = call(world.engine, privacy_chat.request_deletion, OUTSIDER)
    second = call(world.engine, privacy_chat.request_deletion, OUTSIDER)
    stale = call(world.engine, router.button, OUTSIDER, button(first, "Ya, hapus semua"))
    assert "pesan lama" in stale.toast and "sudah dihapus" not in texts(stale)
    for forged in ("privacy.delete_yes", "privacy.delete_yes@x", "c:1:del:yes"):
        assert "tidak dikenali" in call(world.engine, router.button, OUTSIDER, forged).toast
    with session_scope(world.engine) as session:
        assert session.get(UserAccount, OUTSIDER.id) is not None
    kept = call(world.engine, router.button, OUTSIDER, button(second, "Batal"))
    assert "tidak ada yang dihapus" in texts(kept)
    # the question is answered: neither of its buttons does anything any more
    again = call(world.engine, router.button, OUTSIDER, button(second, "Ya, hapus semua"))
    assert "pesan lama" in again.toast
    with session_scope(world.engine) as session:
        assert session.get(UserAccount, OUTSIDER.id) is not None
        assert session.get(Conversation, OUTSIDER.chat_id).step == "done"


def test_privacy_text_says_what_is_kept_and_for_how_long(engine: Engine) -> None:
    text = texts(call(engine, privacy_chat.privacy, OUTSIDER))
    assert f"{privacy.UNSAVED_RECOMMENDATION_DAYS} hari" in text
    assert f"Nomor update Telegram: {privacy.UPDATE_ID_DAYS} hari" in text
    assert f"catatan pengirimannya: {privacy.BROADCAST_DAYS} hari" in text
    assert f"belum dipilih kampanyenya: {privacy.PENDING_UPLOAD_HOURS} jam" in text
    for topic in ("agensi", "klien", "link undangan", "memblokir bot", "/hapusdata"):
        assert topic in text, topic


def test_housekeeping_drops_finished_broadcasts_after_their_period(world: World) -> None:
    from handlers.app import _housekeeping

    now = utcnow()
    with session_scope(world.engine) as session:
        old = session.exec(select(Broadcast)).scalars().one()
        old.status, old.finished_at = "done", now - timedelta(days=privacy.BROADCAST_DAYS + 1)
        session.add(old)
        session.add(
            Broadcast(
                agency_id=world.agency_id,
                created_by=STAFF.id,
                text="baru",
                audience="all",
                status="done",
                finished_at=now,
            )
        )
        session.add(
            Broadcast(
                agency_id=world.agency_id,
                created_by=STAFF.id,
                text="antre",
                audience="all",
                status="queued",
                created_at=now - timedelta(days=90),
            )
        )
    _housekeeping(world.engine)
    with session_scope(world.engine) as session:
        assert sorted(session.exec(select(Broadcast.text)).scalars()) == ["antre", "baru"]
        assert count(session, OutboxMessage) == 0  # went with its broadcast


def test_housekeeping_drops_uploads_nobody_claimed_within_a_day(world: World) -> None:
    from handlers.app import _housekeeping

    with session_scope(world.engine) as session:
        staff_only = select(PendingUpload).where(PendingUpload.user_id == STAFF.id)
        old = session.exec(staff_only).scalars().one()
        old.created_at = utcnow() - timedelta(hours=privacy.PENDING_UPLOAD_HOURS, minutes=1)
        session.add(old)
    _housekeeping(world.engine)
    with session_scope(world.engine) as session:
        kept = session.exec(select(PendingUpload.user_id)).scalars().all()
    assert kept == [OWNER.id]
