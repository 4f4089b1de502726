"""Invite links for campaign members: single use, revocable, answered from the influencer's chat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.chat import router
from bot.chat.person import Person
from bot.chat.replies import Outcome
from bot.influencers.offers import hash_token
from models.campaigns import CampaignMember
from models.db import session_scope
from models.offers import Offer
from tests.db.chat import button, call, texts
from tests.db.stores import store_csv
from tests.db.test_campaigns import STORE, new_campaign

OWNER = Person(id=41, first_name="Sari", chat_id=41, bot_username="UmkmBot")
RINA = Person(id=51, first_name="Rina", chat_id=51, bot_username="UmkmBot")
JAJAN = Person(id=52, first_name="Jajan", chat_id=52, bot_username="UmkmBot")
STRANGER = Person(id=59, first_name="Orang", chat_id=59, bot_username="UmkmBot")


@pytest.fixture
def influencer_csv() -> str:
    return store_csv(*STORE)


def _copy_link(outcome: Outcome) -> str:
    for reply in outcome.replies:
        for row in reply.buttons:
            for b in row:
                if b.copy_text:
                    return b.copy_text
    raise AssertionError("no copy button")


def _payload(link: str) -> str:
    assert link.startswith("https://t.me/UmkmBot?start=inv_")
    return link.rsplit("=", 1)[1]


def _campaign_with_two(db: Engine) -> int:
    cid = new_campaign(db, OWNER)
    out = call(db, router.text_message, OWNER, "@dapur_rina ig 750rb reels")
    call(db, router.button, OWNER, button(out, "Tambah influencer"))
    out = call(db, router.text_message, OWNER, "@jajan_bdg 1,5jt feed")
    assert "@jajan_bdg masuk kampanye" in texts(out)
    return cid


def _invite(db: Engine, cid: int, handle: str) -> str:
    out = call(db, router.button, OWNER, f"campaign.detail:{cid}")
    out = call(db, router.button, OWNER, button(out, "Undang influencer"))
    out = call(db, router.button, OWNER, button(out, f"@{handle}"))
    assert f"Link undangan untuk <b>@{handle}</b>" in texts(out)
    return _payload(_copy_link(out))


def _offers(db: Engine) -> list[Offer]:
    with session_scope(db) as session:
        return list(session.exec(select(Offer).order_by(Offer.id)))


def test_invite_accept_decline_and_status_line(db: Engine) -> None:
    cid = _campaign_with_two(db)
    rina_link = _invite(db, cid, "dapur_rina")
    jajan_link = _invite(db, cid, "jajan_bdg")
    stored = _offers(db)
    assert {o.token_hash for o in stored} == {hash_token(rina_link[4:]), hash_token(jajan_link[4:])}
    assert all(rina_link[4:] not in o.token_hash for o in stored)  # only the hash is kept

    out = call(db, router.button, OWNER, f"campaign.detail:{cid}")
    assert texts(out).count("<b>diundang</b>") == 2

    out = call(db, router.start, RINA, rina_link)
    text = texts(out)
    assert "Promo Sambal Desember" in text and "Rp750.000" in text and "reels" in text
    out = call(db, router.button, RINA, button(out, "Terima"))
    assert "diterima" in texts(out)
    notice = [r for r in out.replies if r.chat_id == OWNER.chat_id]
    assert len(notice) == 1 and "@dapur_rina</b> menerima" in notice[0].text

    out = call(db, router.start, JAJAN, jajan_link)
    out = call(db, router.button, JAJAN, button(out, "Tolak"))
    assert any("menolak" in r.text for r in out.replies if r.chat_id == OWNER.chat_id)

    out = call(db, router.button, OWNER, f"campaign.detail:{cid}")
    assert "@dapur_rina" in texts(out) and "<b>diterima</b>" in texts(out)
    assert "<b>ditolak</b>" in texts(out)

    # the answered offer cannot be answered again, nor by a forged button from someone else
    rina_offer = next(o for o in _offers(db) if o.influencer_user_id == RINA.id)
    out = call(db, router.button, RINA, f"offer.decline:{rina_offer.id}")
    assert "sudah diterima" in texts(out)
    out = call(db, router.button, STRANGER, f"offer.accept:{rina_offer.id}")
    assert out.toast and "tidak ada di akun" in out.toast
    out = call(db, router.button, STRANGER, f"offer.invite:{rina_offer.member_id}")
    assert out.toast and not out.replies  # not the stranger's campaign
    assert next(o for o in _offers(db) if o.id == rina_offer.id).status == "accepted"


def test_links_are_single_use_revocable_and_expire(db: Engine) -> None:
    cid = _campaign_with_two(db)
    link = _invite(db, cid, "dapur_rina")
    out = call(db, router.start, OWNER, link)
    assert "bukan untuk dibuka sendiri" in texts(out)
    assert _offers(db)[0].influencer_user_id is None  # the owner's look wrote nothing

    call(db, router.start, RINA, link)
    out = call(db, router.start, RINA, link)  # the same account again: the offer again
    assert "Terima" in str(out.replies[0].buttons)
    out = call(db, router.start, STRANGER, link)
    assert "sudah dipakai akun lain" in texts(out)
    assert _offers(db)[0].influencer_user_id == RINA.id

    out = call(db, router.button, OWNER, f"campaign.detail:{cid}")
    out = call(db, router.button, OWNER, button(out, "Undang influencer"))
    out = call(db, router.button, OWNER, button(out, "@dapur_rina"))
    assert "Undangan untuk <b>@dapur_rina</b>: <b>diundang</b>" in texts(out)
    out = call(db, router.button, OWNER, button(out, "Cabut undangan"))
    assert "sudah dicabut" in texts(out)
    out = call(db, router.start, RINA, link)
    assert "sudah dicabut" in texts(out)
    out = call(db, router.button, RINA, f"offer.accept:{_offers(db)[0].id}")
    assert "sudah dicabut" in texts(out)
    assert _offers(db)[0].status == "revoked"

    # a new link replaces the revoked one; the old one stays dead
    new_link = _invite(db, cid, "dapur_rina")
    out = call(db, router.button, OWNER, f"offer.invite:{_offers(db)[0].member_id}")
    newer = _payload(_copy_link(call(db, router.button, OWNER, button(out, "Buat link baru"))))
    assert "tidak dikenali" in texts(call(db, router.start, RINA, new_link))
    new_link = newer
    assert "tidak dikenali" in texts(call(db, router.start, RINA, link))
    with session_scope(db) as session:
        offer = session.exec(select(Offer)).one()
        offer.expires_at = offer.created_at - timedelta(days=1)
    before = _offers(db)
    out = call(db, router.start, STRANGER, new_link)
    assert "kedaluwarsa" in texts(out)
    assert before[0].influencer_user_id is None and _offers(db)[0].influencer_user_id is None

    for junk in ("inv_", "inv_abc", "inv_" + "x" * 40, "inv_../../etc", "inv_" + "A" * 22):
        out = call(db, router.start, STRANGER, junk)
        assert "tidak dikenali" in texts(out), junk


def test_counter_offer_read_refused_and_taken(db: Engine) -> None:
    cid = _campaign_with_two(db)
    link = _invite(db, cid, "dapur_rina")
    out = call(db, router.start, RINA, link)
    out = call(db, router.button, RINA, button(out, "Ajukan fee lain"))
    assert "Tawaran awalnya Rp750.000" in texts(out)
    for bad, says in (
        ("mahal kak", "belum bisa saya baca"),
        ("900", "terlalu kecil"),
        ("5 M", "tidak masuk akal"),
        ("750rb", "sama dengan fee"),
    ):
        out = call(db, router.text_message, RINA, bad)
        assert says in texts(out), bad
        assert _offers(db)[0].status == "invited"
    out = call(db, router.text_message, RINA, "Rp 1.250.000")
    assert "sudah saya sampaikan" in texts(out)
    owner_notice = next(r for r in out.replies if r.chat_id == OWNER.chat_id)
    assert "Rp1.250.000" in owner_notice.text
    offer = _offers(db)[0]
    assert (offer.status, offer.counter_fee_idr) == ("countered", 1_250_000)

    out = call(db, router.button, STRANGER, button(Outcome([owner_notice]), "Setujui fee"))
    assert out.toast and not out.replies
    out = call(db, router.button, OWNER, button(Outcome([owner_notice]), "Setujui fee"))
    assert "Rp1.250.000" in texts(out)
    assert any(r.chat_id == RINA.chat_id for r in out.replies)
    with session_scope(db) as session:
        member = session.exec(
            select(CampaignMember).where(CampaignMember.handle == "dapur_rina")
        ).one()
        assert member.fee_idr == 1_250_000
    assert _offers(db)[0].status == "accepted"
    # an accepted member cannot get a second link until revoked
    out = call(db, router.button, OWNER, f"offer.invite:{member.id}")
    assert "<b>diterima</b>" in texts(out) and "Buat link baru" not in str(out.replies)
    out = call(db, router.button, OWNER, f"offer.renew:{member.id}")  # a forged "new link"
    assert "sudah diterima" in texts(out)
    assert _offers(db)[0].status == "accepted"


def _accepted(db: Engine) -> int:
    cid = _campaign_with_two(db)
    out = call(db, router.start, RINA, _invite(db, cid, "dapur_rina"))
    call(db, router.button, RINA, button(out, "Terima"))
    return cid


def _snapshots(db: Engine) -> list[tuple[str, int | None, int | None]]:
    from models.campaigns import PerformanceSnapshot

    with session_scope(db) as session:
        return [
            (s.source, s.reported_by_user_id, s.reach)
            for s in session.exec(select(PerformanceSnapshot).order_by(PerformanceSnapshot.id))
        ]


def test_influencer_reports_from_own_chat_and_the_owner_corrects(db: Engine) -> None:
    cid = _accepted(db)
    out = call(db, router.text_message, RINA, "https://www.instagram.com/reel/C0abc123/?igsh=xyz")
    assert "Link postingan" in texts(out)
    assert any("sudah tayang" in r.text for r in out.replies if r.chat_id == OWNER.chat_id)
    out = call(db, router.button, OWNER, f"campaign.detail:{cid}")
    assert "<b>tayang</b>" in texts(out)

    out = call(db, router.text_message, RINA, "reach 12.000 like 800 komen 45")
    assert "sudah tercatat" in texts(out)
    assert any("melaporkan angka" in r.text for r in out.replies if r.chat_id == OWNER.chat_id)
    assert _snapshots(db) == [("influencer", RINA.id, 12_000)]

    # a post link without the account's name, then figures: still the influencer's own post;
    # only the influencer can take it back
    out = call(db, router.text_message, RINA, "https://www.instagram.com/reel/C0abc123/ simpan 40")
    assert "sudah tercatat" in texts(out)
    assert _snapshots(db) == [("influencer", RINA.id, 12_000), ("influencer", RINA.id, None)]
    undo = button(out, "Batalkan")
    for other in (OWNER, STRANGER):
        refused = call(db, router.button, other, undo)
        assert refused.toast and not refused.replies and len(_snapshots(db)) == 2
    out = call(db, router.button, RINA, undo)
    assert "Dibatalkan" in texts(out) and out.replies[0].edit
    assert any("membatalkan angka" in r.text for r in out.replies if r.chat_id == OWNER.chat_id)
    assert _snapshots(db) == [("influencer", RINA.id, 12_000)]
    assert call(db, router.button, RINA, undo).toast == "Sudah dibatalkan sebelumnya."

    # impossible or unreadable figures: explained, nothing written
    out = call(db, router.text_message, RINA, "reach 9000000 like 50")
    assert _snapshots(db) == [("influencer", RINA.id, 12_000)] and out.replies
    out = call(db, router.text_message, RINA, "reach -5 like 10")
    assert "negatif" in texts(out) and len(_snapshots(db)) == 1

    # someone else's account from the influencer, or a stranger's figures: refused
    out = call(db, router.text_message, RINA, "@jajan_bdg reach 99000 like 10")
    assert "bukan influencer di kampanye" in texts(out)
    out = call(db, router.text_message, STRANGER, "@dapur_rina reach 99000 like 10")
    assert "bukan influencer di kampanye" in texts(out)
    assert len(_snapshots(db)) == 1

    out = call(db, router.report_command, OWNER)
    assert "dapur_rina (fee Rp750.000; <i>dilaporkan influencer</i>)" in texts(out)
    out = call(db, router.text_message, OWNER, "@dapur_rina reach 11000")
    out = call(db, router.report_command, OWNER)
    assert "dilaporkan influencer, dikoreksi Kakak" in texts(out)
    assert [s[2] for s in _snapshots(db)] == [12_000, 11_000]
    assert "jangkauan 11 rb" in texts(out), texts(out)


def test_declined_or_revoked_influencer_cannot_report(db: Engine) -> None:
    cid = _campaign_with_two(db)
    out = call(db, router.start, JAJAN, _invite(db, cid, "jajan_bdg"))
    call(db, router.button, JAJAN, button(out, "Tolak"))
    out = call(db, router.text_message, JAJAN, "@jajan_bdg reach 5000 like 100")
    assert "bukan influencer di kampanye" in texts(out)
    cid_rina = _accepted_in(db, cid)
    out = call(db, router.button, OWNER, f"offer.revoke:{cid_rina}")
    assert "sudah dicabut" in texts(out)
    told = [r.text for r in out.replies if r.chat_id == RINA.chat_id]
    assert len(told) == 1 and "membatalkan undangan untuk @dapur_rina" in told[0]
    out = call(db, router.text_message, RINA, "@dapur_rina reach 5000 like 100")
    assert "bukan influencer di kampanye" in texts(out)
    assert _snapshots(db) == []


def _accepted_in(db: Engine, cid: int) -> int:
    out = call(db, router.start, RINA, _invite(db, cid, "dapur_rina"))
    call(db, router.button, RINA, button(out, "Terima"))
    return next(o.member_id for o in _offers(db) if o.influencer_user_id == RINA.id)


def test_privacy_covers_offers_and_reported_figures(db: Engine) -> None:
    from bot.privacy import chat as privacy_chat
    from tests.db.userdata import personal_rows

    cid = _accepted(db)
    call(db, router.text_message, RINA, "reach 12000 like 800")
    out = call(db, router.start, JAJAN, _invite(db, cid, "jajan_bdg"))  # opened, not answered
    assert "Terima" in str(out.replies[0].buttons)
    assert "influencer yang diundang" in texts(call(db, privacy_chat.privacy, RINA))

    question = call(db, privacy_chat.request_deletion, RINA)
    assert "Promo Sambal Desember" in texts(question) and "1 catatan angka" in texts(question)
    done = call(db, router.button, RINA, button(question, "Ya, hapus semua"))
    assert "sudah dihapus" in texts(done)
    question = call(db, privacy_chat.request_deletion, JAJAN)
    call(db, router.button, JAJAN, button(question, "Ya, hapus semua"))

    for person in (RINA, JAJAN):
        assert personal_rows(db, user_id=person.id, chat_id=person.chat_id) == []
    statuses = {o.status for o in _offers(db)}
    assert statuses == {"accepted", "revoked"}  # Jajan's open offer cannot be rebound
    assert _snapshots(db) == [("influencer", None, 12_000)]  # the owner's results stay
    out = call(db, router.report_command, OWNER)
    assert "dilaporkan influencer" in texts(out)
    # the forgotten influencer no longer reaches the offer
    out = call(db, router.text_message, RINA, "reach 13000 like 900")
    assert len(_snapshots(db)) == 1


# Who may press which invite button: the campaign's manager the owner's, the bound influencer
# theirs; anyone else (another influencer, a stranger) changes nothing.
OWNER_ACTIONS = ("pick", "invite", "renew", "revoke", "take")
INFLUENCER_ACTIONS = ("accept", "decline", "counter")


@pytest.mark.parametrize("actor", ["owner", "influencer", "other_influencer", "stranger"])
@pytest.mark.parametrize("action", OWNER_ACTIONS + INFLUENCER_ACTIONS)
def test_influencer_role_matrix(db: Engine, actor: str, action: str) -> None:
    cid = _campaign_with_two(db)
    out = call(db, router.start, RINA, _invite(db, cid, "dapur_rina"))
    call(db, router.button, RINA, button(out, "Ajukan fee lain"))
    call(db, router.text_message, RINA, "1jt")  # a counter-offer waiting for the owner
    call(db, router.start, JAJAN, _invite(db, cid, "jajan_bdg"))  # the other influencer
    offer = next(o for o in _offers(db) if o.influencer_user_id == RINA.id)
    person = {"owner": OWNER, "influencer": RINA, "other_influencer": JAJAN}.get(actor, STRANGER)
    arg = {"pick": cid}.get(action, offer.id if action in INFLUENCER_ACTIONS else offer.member_id)
    before = [(o.id, o.status, o.token_hash, o.influencer_user_id) for o in _offers(db)]

    out = call(db, router.button, person, f"offer.{action}:{arg}")

    after = [(o.id, o.status, o.token_hash, o.influencer_user_id) for o in _offers(db)]
    allowed = (actor == "owner" and action in OWNER_ACTIONS) or (
        actor == "influencer" and action in INFLUENCER_ACTIONS
    )
    if not allowed:
        assert out.toast and not out.replies, (actor, action, out)
        assert after == before
        return
    assert out.replies, (actor, action)
    changes = {"revoke": "revoked", "take": "accepted", "accept": "accepted", "decline": "declined"}
    if action in changes:
        assert next(a for a in after if a[0] == offer.id)[1] == changes[action]
    elif action == "renew":  # a counter-offer waits: no new link before it is settled
        assert "mengajukan fee lain" in texts(out) and after == before
    else:
        assert after == before


def _proofs(db: Engine) -> list[tuple[str, str]]:
    from models.offers import OfferProof

    with session_scope(db) as session:
        return [(p.file_id, p.caption) for p in session.exec(select(OfferProof))]


def test_screenshot_kept_as_proof_and_shown_only_to_the_owner(db: Engine) -> None:
    from bot.privacy import chat as privacy_chat

    _accepted(db)
    out = call(db, router.photo_message, STRANGER, "", "AgACstranger")
    assert "hanya bisa membaca pesan teks" in texts(out)
    assert _proofs(db) == []

    out = call(db, router.photo_message, RINA, "reach 12000 like 800", "AgACproof1")
    assert "sudah tercatat" in texts(out) and "Screenshot disimpan" in texts(out)
    assert _proofs(db) == [("AgACproof1", "reach 12000 like 800")]
    assert _snapshots(db) == [("influencer", RINA.id, 12_000)]
    notice = next(r for r in out.replies if r.chat_id == OWNER.chat_id and r.buttons)
    view = button(Outcome([notice]), "Lihat screenshot")
    for other in (RINA, STRANGER):
        refused = call(db, router.button, other, view)
        assert refused.toast and not refused.replies
    shown = call(db, router.button, OWNER, view)
    assert shown.replies[0].photo_id == "AgACproof1" and "@dapur_rina" in texts(shown)

    out = call(db, router.photo_message, RINA, "@jajan_bdg", "AgACproof2")  # not their account
    assert "yang mana" in texts(out) and len(_proofs(db)) == 1

    question = call(db, privacy_chat.request_deletion, RINA)
    call(db, router.button, RINA, button(question, "Ya, hapus semua"))
    assert _proofs(db) == [] and len(_snapshots(db)) == 1


def test_a_fee_typed_after_the_owner_revoked_writes_nothing(db: Engine) -> None:
    cid = _campaign_with_two(db)
    out = call(db, router.start, RINA, _invite(db, cid, "dapur_rina"))
    call(db, router.button, RINA, button(out, "Ajukan fee lain"))
    call(db, router.button, OWNER, f"offer.revoke:{_offers(db)[0].member_id}")
    out = call(db, router.text_message, RINA, "1,2jt")
    assert "sudah dicabut" in texts(out)
    assert [(o.status, o.counter_fee_idr) for o in _offers(db)] == [("revoked", None)]
    out = call(db, router.text_message, RINA, "1,2jt")  # the question is closed now
    assert "sudah dicabut" not in texts(out)


def test_an_influencer_back_in_the_chat_sees_only_their_own_offers(db: Engine) -> None:
    cid = _accepted(db)
    call(db, router.start, JAJAN, _invite(db, cid, "jajan_bdg"))
    out = call(db, router.start, RINA, "")
    assert "1 kerja sama" in out.replies[0].text
    labels = [b.text for row in out.replies[0].buttons for b in row]
    assert labels == ["@dapur_rina · Promo Sambal Desember"]
    assert "Usahanya di bidang apa" in texts(out)  # the advisor still greets them
    out = call(db, router.button, RINA, button(out, "@dapur_rina"))
    assert "sudah <b>menerima</b>" in texts(out)
    jajan_offer = next(o for o in _offers(db) if o.influencer_user_id == JAJAN.id)
    out = call(db, router.button, RINA, f"offer.show:{jajan_offer.id}")
    assert out.toast and not out.replies
    out = call(db, router.start, STRANGER, "")
    assert "kerja sama" not in out.replies[0].text
