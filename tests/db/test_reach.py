"""Owners reach influencers, through the chat services: contacts, outreach drafts, own accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.advisor import conversation as advisor
from bot.chat import router
from bot.chat.person import Person
from bot.chat.replies import Outcome
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot
from models.conversations import Conversation
from models.db import session_scope
from tests.db.chat import button, call, texts
from tests.db.stores import store_csv
from tests.db.test_campaigns import new_campaign

STORE = [
    "instagram,dapur_rina,Dapur Rina,Kuliner,Bandung,,24000,4.1,3500,750000,86,0812-3456-7890",
    "instagram,jajan_bdg,Jajan Bandung,Kuliner,Bandung,,60000,2.5,,1500000,80,collab@jajan.id",
    "instagram,bdg_makan,Bdg Makan,Kuliner,Bandung,,21000,3.6,3200,550000,83,dm ig aja",
    "instagram,sambal_mania,Sambal Mania,Kuliner,Bandung,,18000,3.9,3000,600000,84,+62 813 1111 2222",
    "tiktok,rina_tt,Rina TT,Kuliner,Bandung,,30000,5.0,20000,600000,80,",
]
SARI = Person(id=41, first_name="Sari", chat_id=41)
BUDI = Person(id=42, first_name="Budi", chat_id=42)


@pytest.fixture
def influencer_csv() -> str:
    return store_csv(*STORE)


def _recommendation(db: Engine, person: Person) -> Outcome:
    call(db, advisor.start, person)
    out = call(
        db,
        router.text_message,
        person,
        "jualan sambal online di Bandung budget 3,5jt biar laris di instagram",
    )
    return call(db, router.button, person, button(out, "Lihat rekomendasi"))


def _urls(outcome: Outcome) -> list[str]:
    return [b.url for r in outcome.replies for row in r.buttons for b in row if b.url]


def test_contacts_and_outreach_draft(db: Engine) -> None:
    rec = _recommendation(db, SARI)
    contacts = call(db, router.button, SARI, button(rec, "Kontak kandidat"))
    text = texts(contacts)
    assert "Kontak kandidat" in text and contacts.replies[0].edit
    urls = _urls(contacts)
    assert "https://wa.me/6281234567890" in urls
    assert "https://instagram.com/dapur_rina" in urls
    assert "https://wa.me/6281311112222" in urls
    assert "collab@jajan.id" in text and "DM lewat profilnya" in text
    n = next(line.split(".")[0] for line in text.splitlines() if "@dapur_rina" in line)
    question = call(db, router.button, SARI, button(contacts, f"Tulis pesan ajakan ({n})"))
    assert "produk yang mau dipromosikan" in texts(question)
    again = call(db, router.text_message, SARI, "@@@")
    assert "belum bisa saya pakai" in texts(again)
    draft = call(db, router.text_message, SARI, "  sambal bawang botolan. ")
    body = texts(draft)
    assert "yang menjual sambal bawang botolan." in body
    assert "yang mengulas sambal bawang botolan" in body
    assert "<code>Halo Kak" in body and "Saya Sari, pemilik toko online kuliner" in body
    assert "#iklan" in body and "PIRT/BPOM" in body and "Reels Instagram" in body
    assert "[" not in body and "@dapur_rina" in body and "Rp750.000" in body
    assert any(u.startswith("https://wa.me/") and "?text=Halo" in u for u in _urls(draft))
    assert "Kontak kandidat" not in [
        b.text for r in draft.replies for row in r.buttons for b in row
    ]
    back = contacts
    # the product is asked once; the chat is back with the advisor afterwards
    other = call(db, router.button, SARI, button(back, "Tulis pesan ajakan (2)"))
    assert "sambal bawang botolan" in texts(other) and "produk yang mau" not in texts(other)
    with session_scope(db) as session:
        conv = session.exec(select(Conversation).where(Conversation.chat_id == SARI.chat_id)).one()
        assert conv.step == "done" and "flow" not in conv.answers


def test_product_question_can_be_skipped(db: Engine) -> None:
    rec = _recommendation(db, SARI)
    contacts = call(db, router.button, SARI, button(rec, "Kontak kandidat"))
    question = call(db, router.button, SARI, button(contacts, "Tulis pesan ajakan (1)"))
    draft = call(db, router.button, SARI, button(question, "Lewati"))
    body = texts(draft)
    assert "yang mengulas produk kami" in body and "yang menjual" not in body
    asked = call(db, router.button, SARI, button(draft, "Ganti nama produk"))
    assert "produk yang mau dipromosikan" in texts(asked)
    renamed = call(db, router.text_message, SARI, "Keripik Tempe Bu Ani")
    assert "yang menjual Keripik Tempe Bu Ani" in texts(renamed)
    # someone else's skip button reaches nothing
    forged = button(question, "Lewati")
    out = call(db, router.button, BUDI, forged)
    assert out.toast and "tidak tersedia" in out.toast and not out.replies


def test_contact_buttons_of_someone_else_or_forged_are_refused(db: Engine) -> None:
    rec = _recommendation(db, SARI)
    contacts_data = button(rec, "Kontak kandidat")
    rec_id = contacts_data.split(":")[1]
    for forged in (contacts_data, f"rec.draft:{rec_id}:0"):
        out = call(db, router.button, BUDI, forged)
        assert out.toast and "tidak tersedia" in out.toast and not out.replies
    for bad in (f"rec.draft:{rec_id}:99", f"rec.draft:{rec_id}:x", f"rec.draft:{rec_id}"):
        out = call(db, router.button, SARI, bad)
        assert out.toast and "tidak dikenali" in out.toast and not out.replies


def _add(db: Engine, cid: int, line: str) -> str:
    call(db, router.button, SARI, f"campaign.add_member:{cid}")
    return texts(call(db, router.text_message, SARI, line))


def test_own_influencers_join_a_campaign(db: Engine) -> None:
    cid = new_campaign(db, SARI, budget="10jt")
    out = texts(call(db, router.text_message, SARI, "@kopi_kenangan_mdn 1jt"))
    assert "belum ada di data influencer kami" in out and "instagram" in out
    out = texts(call(db, router.text_message, SARI, "@Kopi_Kenangan_Mdn IG fee Rp 1.000.000 reels"))
    assert "masuk kampanye" in out and "bukan dari data kami" in out
    assert "tier-nya belum diketahui" in out
    out = _add(db, cid, "@warung.bu_tini tiktok 750rb 12,5rb pengikut")
    assert "12,5 rb pengikut" in out and "bukan dari data kami" in out
    out = _add(db, cid, "@dapur_rina ig 750rb")
    assert "@dapur_rina masuk kampanye" in out and "bukan dari data" not in out.split("\n")[0]
    with session_scope(db) as session:
        members = {
            m.handle: m
            for m in session.exec(select(CampaignMember).where(CampaignMember.campaign_id == cid))
        }
    assert members["kopi_kenangan_mdn"].source == "own"
    assert members["kopi_kenangan_mdn"].followers is None
    assert members["kopi_kenangan_mdn"].content_type == "reels"
    assert members["warung.bu_tini"].followers == 12_500
    assert members["warung.bu_tini"].platform == "tiktok"
    assert members["dapur_rina"].source == "store"

    out = texts(
        call(db, router.text_message, SARI, "@kopi_kenangan_mdn reach 5000 like 300 komen 20")
    )
    assert "Tercatat untuk @kopi_kenangan_mdn" in out
    call(db, router.text_message, SARI, "@warung.bu_tini views 9000 like 500")
    call(db, router.text_message, SARI, "@dapur_rina reach 8000 like 400")
    report = texts(call(db, router.report_command, SARI))
    assert (
        "@kopi_kenangan_mdn (fee Rp1.000.000; bukan dari data kami, tier tidak diketahui)" in report
    )
    assert "@warung.bu_tini (fee Rp750.000; bukan dari data kami)" in report
    csv_out = call(db, router.button, SARI, f"campaign.report_csv:{cid}")
    document = csv_out.replies[0].document
    assert (
        document is not None and b"@kopi_kenangan_mdn;instagram;tidak diketahui" in document.content
    )


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("@kopi_mdn ig 750", "terlalu kecil"),
        ("@kopi_mdn ig 9 M", "tidak masuk akal"),
        ("@kopi_mdn ig 750rb 5 M pengikut", "tidak masuk akal"),
        ("@kopi_mdn ig 750rb banyak pengikut", "Jumlah pengikut"),
        ("@kopi_mdn ig 750rb pengikut banyak", "belum bisa saya baca"),
        ("@kopi_mdn ig 750rb 1jt", 'Fee "750rb 1jt" belum bisa'),
        ("@k!opi ig 750rb", "bukan nama akun yang valid"),
        ("@kopi_mdn ig", "Fee-nya belum ada"),
        ("@kopi_mdn ig 20jt", "melewati budget"),
        ("@kopi_mdn ig 500rb -12rb pengikut", "belum bisa saya baca"),
    ],
)
def test_bad_own_influencers_are_explained_and_nothing_written(
    db: Engine, line: str, says: str
) -> None:
    cid = new_campaign(db, SARI)
    out = texts(call(db, router.text_message, SARI, line))
    assert says in out, out
    with session_scope(db) as session:
        assert not session.exec(
            select(CampaignMember).where(CampaignMember.campaign_id == cid)
        ).all()


def test_duplicate_own_handle_is_refused(db: Engine) -> None:
    cid = new_campaign(db, SARI)
    assert "masuk kampanye" in texts(call(db, router.text_message, SARI, "@kopi_mdn ig 500rb"))
    assert "sudah ada di kampanye ini" in _add(db, cid, "@KOPI_MDN instagram 600rb")
    with session_scope(db) as session:
        members = session.exec(
            select(CampaignMember).where(CampaignMember.campaign_id == cid)
        ).all()
        assert [(m.handle, m.fee_idr) for m in members] == [("kopi_mdn", 500_000)]
        assert session.get(Campaign, cid) is not None
        assert not session.exec(select(PerformanceSnapshot)).all()


def test_product_question_in_the_middle_of_another_form(db: Engine) -> None:
    """A campaign form left open is replaced; the answer then goes to the product."""
    rec = _recommendation(db, SARI)
    contacts = call(db, router.button, SARI, button(rec, "Kontak kandidat"))
    out = call(db, router.campaigns_command, SARI)
    call(db, router.button, SARI, button(out, "Kampanye baru"))  # asks the campaign's name
    call(db, router.button, SARI, button(contacts, "Tulis pesan ajakan (1)"))
    draft = call(db, router.text_message, SARI, "Sambal Roa")
    assert "yang menjual Sambal Roa" in texts(draft)
    with session_scope(db) as session:
        conv = session.exec(select(Conversation).where(Conversation.chat_id == SARI.chat_id)).one()
        assert conv.step == "idle" and "flow" not in conv.answers
        assert not session.exec(select(Campaign)).all()
