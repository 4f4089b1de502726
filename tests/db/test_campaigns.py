"""Campaigns through the chat services against a real database: create, staff, capture, report."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.advisor import conversation as advisor
from bot.advisor.engine.estimates import ObservedRates
from bot.chat import router
from bot.chat.person import Person
from bot.chat.replies import Outcome
from bot.cli.main import main
from bot.domain import Tier
from bot.privacy import chat as privacy_chat
from bot.reports.estimate import expected_result
from bot.reports.report import campaign_report
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot
from models.conversations import Conversation
from models.db import session_scope
from models.uploads import PendingUpload
from tests.db.chat import button, call, texts
from tests.db.stores import store_csv

STORE = [
    "instagram,dapur_rina,Dapur Rina,Kuliner,Bandung,,24000,4.1,3500,750000,86,",
    "instagram,jajan_bdg,Jajan Bandung,Kuliner,Bandung,,60000,2.5,,1500000,80,",
    "instagram,makan_besar,Makan Besar,Kuliner,Bandung,,450000,1.6,20000,3500000,82,",
    "tiktok,rina_tt,Rina TT,Kuliner,Bandung,,30000,5.0,20000,600000,80,",
    "tiktok,dapur_rina,Dapur Rina TT,Kuliner,Bandung,,20000,5.0,9000,400000,80,",
]
AT = datetime(2026, 12, 9, 2, 0, tzinfo=UTC)
SARI = Person(id=31, first_name="Sari", chat_id=31)
BUDI = Person(id=32, first_name="Budi", chat_id=32)


@pytest.fixture
def influencer_csv() -> str:
    return store_csv(*STORE)


def new_campaign(engine: Engine, person: Person, budget: str = "5jt") -> int:
    out = call(engine, router.campaigns_command, person)
    out = call(engine, router.button, person, button(out, "Kampanye baru"))
    assert "Nama kampanyenya" in texts(out)
    call(engine, router.text_message, person, "Promo Sambal Desember")
    out = call(engine, router.text_message, person, budget)
    assert "berjalan kapan" in texts(out)
    out = call(engine, router.text_message, person, "1/12 - 31/12")
    assert "Promo Sambal Desember" in texts(out) and "Kirim @akun" in texts(out)
    with session_scope(engine) as session:
        return (
            session.exec(select(Campaign).where(Campaign.owner_user_id == person.id)).all()[-1].id
        )


def test_create_campaign_and_add_influencers(db: Engine) -> None:
    cid = new_campaign(db, SARI)
    out = call(db, router.text_message, SARI, "@dapur_rina 750rb reels")
    assert "beberapa platform" in texts(out)  # the handle exists on Instagram and TikTok
    out = call(db, router.text_message, SARI, "@dapur_rina ig 750rb reels")
    assert "@dapur_rina masuk kampanye" in texts(out) and "sisa Rp4.250.000" in texts(out)
    out = call(db, router.button, SARI, button(out, "Tambah influencer"))
    out = call(db, router.text_message, SARI, "@makan_besar 4,5jt video")
    assert "melewati budget" in texts(out)
    out = call(db, router.text_message, SARI, "@tidak_ada 1jt")
    assert "belum ada di data influencer" in texts(out)
    out = call(db, router.text_message, SARI, "@jajan_bdg 1,5jt feed https://instagram.com/p/abc")
    assert "postingan" in texts(out)
    with session_scope(db) as session:
        members = session.exec(
            select(CampaignMember).where(CampaignMember.campaign_id == cid)
        ).all()
        assert sorted((m.handle, m.fee_idr, m.content_type) for m in members) == [
            ("dapur_rina", 750_000, "reels"),
            ("jajan_bdg", 1_500_000, "feed"),
        ]


def test_bad_dates_and_budget_are_explained(db: Engine) -> None:
    out = call(db, router.campaigns_command, SARI)
    call(db, router.button, SARI, button(out, "Kampanye baru"))
    call(db, router.text_message, SARI, "Tes")
    assert "belum bisa saya baca" in texts(call(db, router.text_message, SARI, "banyak"))
    call(db, router.text_message, SARI, "3jt")
    assert "sebelum tanggal mulai" in texts(call(db, router.text_message, SARI, "31/12 - 1/12"))
    assert "belum bisa saya baca" in texts(call(db, router.text_message, SARI, "kapan-kapan"))
    out = call(
        db,
        router.button,
        SARI,
        button(call(db, router.text_message, SARI, "kapan-kapan"), "30 hari"),
    )
    assert "dibuat" in texts(out)


def _saved_recommendation(db: Engine, person: Person) -> Outcome:
    call(db, advisor.start, person)
    out = call(
        db,
        router.text_message,
        person,
        "jualan sambal online di Bandung budget 5jt biar laris di instagram",
    )
    out = call(db, router.button, person, button(out, "Lihat rekomendasi"))
    return call(db, router.button, person, button(out, "Simpan"))


def test_campaign_from_saved_recommendation(db: Engine) -> None:
    saved = _saved_recommendation(db, SARI)
    out = call(db, router.button, SARI, button(saved, "Jadikan kampanye"))
    assert "Influencer (" in texts(out)
    with session_scope(db) as session:
        campaign = session.exec(select(Campaign).where(Campaign.owner_user_id == SARI.id)).one()
        members = session.exec(
            select(CampaignMember).where(CampaignMember.campaign_id == campaign.id)
        ).all()
        assert campaign.budget_idr == 5_000_000 and campaign.goal == "sales"
        assert members and sum(m.fee_idr for m in members) <= 5_000_000
        first = members[0].handle
        expected = expected_result(session, campaign, campaign_report(session, campaign, at=AT))
        assert expected is not None and expected.figure == "conversions"
        assert expected.estimate > 0 and expected.recorded is None
        estimate = expected.estimate
    report = texts(call(db, router.report_command, SARI))
    assert "tercatat belum ada" in report and "omzet belum dicatat" in report
    call(db, router.text_message, SARI, f"@{first} reach 9000 like 300 order 4 omzet 600rb")
    report = texts(call(db, router.report_command, SARI))
    shown = f"{round(estimate)} " if estimate < 1000 else ""
    assert f"🎯 Perkiraan rekomendasi {shown}" in report
    assert f"pembelian, tercatat 4 (baru 1 dari {len(members)} akun yang melapor)" in report
    assert "💰 Omzet Rp600 rb dari biaya" in report


def test_one_line_capture_undo_and_report(db: Engine) -> None:
    cid = new_campaign(db, SARI)
    call(db, router.text_message, SARI, "@dapur_rina ig 750rb reels")
    call(db, router.button, SARI, f"campaign.add_member:{cid}")
    call(db, router.text_message, SARI, "@makan_besar 3,5jt video")
    out = call(
        db,
        router.text_message,
        SARI,
        "@dapur_rina reach 12000 like 800 komen 45 share 30 simpan 12 klik 90 order 7 omzet 1,2jt",
    )
    assert "Tercatat untuk @dapur_rina" in texts(out)
    undo = button(out, "Batalkan")
    out = call(db, router.text_message, SARI, "@dapur_rina views 500 like 800")
    assert "lebih banyak dari jumlah tayangan" in texts(out)
    report = texts(call(db, router.report_command, SARI))
    assert "Laporan Promo Sambal Desember" in report
    assert "@makan_besar (fee Rp3.500.000): belum ada angka" in report
    assert "belum diketahui" in report  # CPM without impressions
    assert "Rp1.200.000" in report  # revenue
    call(db, router.text_message, SARI, "@makan_besar reach 40rb like 1,5rb komen 100")
    report = texts(call(db, router.report_command, SARI))
    assert "Sejak laporan" in report and "Mikro vs makro" in report
    assert "Batalkan" not in report
    assert "Dibatalkan" in call(db, router.button, SARI, undo).toast
    with session_scope(db) as session:
        assert len(session.exec(select(PerformanceSnapshot)).all()) == 1


def test_other_owners_cannot_touch_a_campaign(db: Engine) -> None:
    cid = new_campaign(db, SARI)
    call(db, router.text_message, SARI, "@dapur_rina ig 750rb reels")
    out = call(db, router.text_message, SARI, "@dapur_rina reach 12000 like 800")
    undo = button(out, "Batalkan")
    for forged in (
        f"campaign.detail:{cid}",
        f"campaign.delete_yes:{cid}",
        f"campaign.report:{cid}",
        f"campaign.report_csv:{cid}",
        f"campaign.end_yes:{cid}",
        f"schedule.frequency:{cid}:daily",
        f"record.campaign:{cid}",
        f"campaign.add_member:{cid}",
    ):
        result = call(db, router.button, BUDI, forged)
        assert result.toast and result.toast.startswith("Kampanye ini sudah tidak tersedia"), forged
        assert not result.replies
    assert call(db, router.button, BUDI, undo).toast.startswith("Kampanye ini sudah tidak")
    assert "bukan influencer di kampanye" in texts(
        call(db, router.text_message, BUDI, "@dapur_rina reach 1 like 1")
    )
    with session_scope(db) as session:
        campaign = session.get(Campaign, cid)
        assert campaign is not None and campaign.status == "active"
        assert len(session.exec(select(PerformanceSnapshot)).all()) == 1


def test_end_and_delete_need_confirmation(db: Engine) -> None:
    cid = new_campaign(db, SARI)
    out = call(db, router.button, SARI, f"campaign.delete:{cid}")
    assert "Tidak bisa dibatalkan" in texts(out)
    call(db, router.button, SARI, button(out, "Batal"))
    with session_scope(db) as session:
        assert session.get(Campaign, cid) is not None
    call(db, router.button, SARI, f"campaign.delete_yes:{cid}")
    with session_scope(db) as session:
        assert session.get(Campaign, cid) is None


def test_cli_import_performance(db: Engine, database_url: str, tmp_path: Path, monkeypatch) -> None:
    cid = new_campaign(db, SARI)
    call(db, router.text_message, SARI, "@dapur_rina ig 750rb reels")
    monkeypatch.setenv("DATABASE_URL", database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    header = "handle,platform,post_url,recorded_at,impressions,reach,likes,comments,shares,saves,clicks,conversions,revenue_idr"
    good = tmp_path / "good.csv"
    good.write_text(
        f'{header}\n@dapur_rina,instagram,,2026-11-20,20000,12000,800,45,30,12,90,7,"1,2jt"\ndapur_rina,,,2026-11-21T10:00,25000,15000,900,50,,,,,\n'
    )
    assert main(["import-performance", str(cid), str(good)]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"{header}\ndapur_rina,,,2026-11-22,30000,,,,,,,,\nsomeone_else,,,2026-11-22,1,,,,,,,,\ndapur_rina,,,kemarin,1,,,,,,,,\ndapur_rina,,,2026-11-23,100,,500,,,,,,\n"
    )
    assert main(["import-performance", str(cid), str(bad)]) == 1
    assert main(["import-performance", "999", str(good)]) == 1
    get_settings.cache_clear()
    with session_scope(db) as session:
        snaps = session.exec(
            select(PerformanceSnapshot).order_by(PerformanceSnapshot.recorded_at)
        ).all()
        assert [s.reach for s in snaps] == [12000, 15000]
        assert snaps[0].revenue_idr == 1_200_000
        assert json.dumps([s.source for s in snaps]) == '["cli", "cli"]'


def test_guided_capture_with_skips(db: Engine) -> None:
    cid = new_campaign(db, SARI)
    call(db, router.text_message, SARI, "@dapur_rina ig 750rb reels")
    out = call(db, router.record_command, SARI)
    out = call(db, router.button, SARI, button(out, "@dapur_rina"))
    assert "(1/9)" in texts(out) and "tayangan" in texts(out)
    out = call(db, router.text_message, SARI, "20rb")
    out = call(db, router.text_message, SARI, "banyak sekali")
    assert "belum bisa saya baca sebagai angka jangkauan untuk @dapur_rina" in texts(out)
    assert "(2/9)" in texts(out)
    out = call(db, router.text_message, SARI, "-5")
    assert "Angka jangkauan untuk @dapur_rina tidak boleh negatif" in texts(out)
    out = call(db, router.text_message, SARI, "12.000")
    out = call(db, router.text_message, SARI, "800")
    out = call(db, router.text_message, SARI, "lupa kak")  # typed instead of Lewati
    assert "(5/9)" in texts(out) and "belum bisa saya baca" not in texts(out)
    for _ in range(4):
        out = call(db, router.button, SARI, button(out, "Lewati"))
    out = call(db, router.text_message, SARI, "1,2jt")
    assert "Simpan?" in texts(out) and "omzet: Rp1.200.000" in texts(out)
    out = call(db, router.button, SARI, button(out, "Simpan"))
    assert "Tercatat untuk @dapur_rina" in texts(out)
    with session_scope(db) as session:
        (snap,) = session.exec(select(PerformanceSnapshot)).all()
        assert (snap.impressions, snap.reach, snap.likes, snap.comments, snap.revenue_idr) == (
            20_000,
            12_000,
            800,
            None,
            1_200_000,
        )
        assert snap.source == "guided"
    assert cid


def test_csv_document_in_chat(db: Engine) -> None:
    first = new_campaign(db, SARI)
    call(db, router.text_message, SARI, "@dapur_rina ig 750rb reels")
    header = "handle,platform,post_url,recorded_at,impressions,reach,likes,comments,shares,saves,clicks,conversions,revenue_idr"
    good = f"{header}\ndapur_rina,instagram,,2026-11-20,20000,12000,800,45,30,12,90,7,1200000\n".encode()
    out = call(db, router.document, SARI, "hasil.csv", good)
    assert "1 catatan hasil masuk" in texts(out)
    bad = f"{header}\ndapur_rina,,,2026-11-21,100,,500,,,,,,\norang_lain,,,2026-11-21,1,,,,,,,,\n".encode()
    out = call(db, router.document, SARI, "hasil.csv", bad)
    assert "baris 2: like/komentar untuk @dapur_rina lebih banyak dari tayangannya" in texts(out)
    assert "baris 3: @orang_lain bukan influencer di kampanye ini" in texts(out)
    second = new_campaign(db, SARI)
    which = call(db, router.document, SARI, "hasil.csv", good)
    assert "kampanye yang mana" in texts(which)
    refused = call(db, router.button, BUDI, button(which, f"#{first} "))  # not Budi's file
    assert "tidak dikenali" in refused.toast and not refused.replies
    out = call(db, router.button, SARI, button(which, f"#{second} "))
    assert "bukan influencer di kampanye ini" in texts(out)  # @dapur_rina is not in the second one
    assert "pesan lama" in call(db, router.button, SARI, button(which, f"#{first} ")).toast
    influencers = store_csv(STORE[0]).encode()
    assert "data influencer" in texts(call(db, router.document, SARI, "inf.csv", influencers))
    with session_scope(db) as session:
        assert len(session.exec(select(PerformanceSnapshot)).all()) == 1


def test_delete_data_removes_campaigns(db: Engine) -> None:
    cid = new_campaign(db, SARI)
    call(db, router.text_message, SARI, "@dapur_rina ig 750rb reels")
    call(db, router.text_message, SARI, "@dapur_rina reach 12000 like 800")
    confirm = call(db, privacy_chat.request_deletion, SARI)
    assert "1 kampanye" in texts(confirm)
    call(db, router.button, SARI, button(confirm, "Ya, hapus"))
    with session_scope(db) as session:
        assert session.get(Campaign, cid) is None
        assert session.exec(select(PerformanceSnapshot)).all() == []
        assert session.exec(select(CampaignMember)).all() == []


def test_recommendations_learn_from_own_results(db: Engine) -> None:
    before = _saved_recommendation(db, SARI)
    assert "kampanye Kakak sebelumnya" not in texts(before)
    new_campaign(db, SARI)
    call(db, router.text_message, SARI, "@jajan_bdg 1,5jt feed")
    call(db, router.text_message, SARI, "@jajan_bdg reach 20000 like 5000 komen 400 order 30")
    from bot.advisor.learning import own_results

    with session_scope(db) as session:
        own = own_results(session, owner_id=SARI.id)
    assert own is not None
    rate = own.rates[Tier.MICRO]
    assert rate.engagement_rate == pytest.approx(5400 / 60000 * 100)
    assert rate.purchase_rate == pytest.approx(30 / 5400)
    # the purchase rate is the owner's product's: it stands in for the other tiers too
    assert own.rates[Tier.MEGA] == ObservedRates(engagement_rate=None, purchase_rate=30 / 5400)
    assert own.cost_per_engagement["micro"] == pytest.approx(1_500_000 / 5400)
    after = _saved_recommendation(db, SARI)
    shown = texts(after)
    # the owner's own figures are named as theirs; what rests on benchmarks says so
    assert "kampanye Kakak sebelumnya" in shown
    assert "Rp278" in shown  # their own cost per engagement, micro
    assert ("berdasarkan hasil kampanye Kakak" in shown) != ("belum pernah Kakak coba" in shown)


def test_post_link_once_live(db: Engine) -> None:
    cid = new_campaign(db, SARI)
    call(db, router.text_message, SARI, "@dapur_rina ig 750rb reels")
    out = call(db, router.text_message, SARI, "@dapur_rina https://instagram.com/p/abc123")
    assert "Link postingan @dapur_rina disimpan" in texts(out)
    with session_scope(db) as session:
        (member,) = session.exec(
            select(CampaignMember).where(CampaignMember.campaign_id == cid)
        ).all()
        assert member.post_url == "https://instagram.com/p/abc123"
    assert "bukan influencer" in texts(
        call(db, router.text_message, BUDI, "@dapur_rina https://instagram.com/p/x")
    )


def test_a_line_for_several_campaigns_waits_in_its_own_table(db: Engine) -> None:
    first = new_campaign(db, SARI)
    call(db, router.text_message, SARI, "@dapur_rina ig 750rb reels")
    second = new_campaign(db, SARI)
    call(db, router.text_message, SARI, "@dapur_rina ig 750rb reels")
    which = call(db, router.text_message, SARI, "@dapur_rina reach 12000 like 800")
    assert "kampanye yang mana" in texts(which)
    with session_scope(db) as session:
        (pending,) = session.exec(select(PendingUpload)).all()
        assert (pending.kind, pending.payload) == ("line", b"@dapur_rina reach 12000 like 800")
        assert "pending_line" not in session.get(Conversation, SARI.chat_id).answers
    assert button(which, f"#{second} ") == f"capture.line:{pending.id}:{second}"
    refused = call(db, router.button, BUDI, button(which, f"#{first} "))  # not Budi's line
    assert "tidak dikenali" in refused.toast and not refused.replies
    out = call(db, router.button, SARI, button(which, f"#{second} "))
    assert (
        "Tercatat untuk @dapur_rina" in texts(out)
        and "Batalkan" in out.replies[0].buttons[0][0].text
    )
    assert "pesan lama" in call(db, router.button, SARI, button(which, f"#{first} ")).toast
    with session_scope(db) as session:
        (snap,) = session.exec(select(PerformanceSnapshot)).all()
        member = session.get(CampaignMember, snap.member_id)
        assert member.campaign_id == second
        assert session.exec(select(PendingUpload)).all() == []


def test_a_newer_file_replaces_the_one_waiting(db: Engine) -> None:
    new_campaign(db, SARI)
    call(db, router.text_message, SARI, "@dapur_rina ig 750rb reels")
    second = new_campaign(db, SARI)
    header = "handle,platform,post_url,recorded_at,impressions,reach,likes,comments,shares,saves,clicks,conversions,revenue_idr"
    older = call(
        db,
        router.document,
        SARI,
        "a.csv",
        f"{header}\ndapur_rina,,,2026-11-20,1,,,,,,,,\n".encode(),
    )
    newer = call(
        db,
        router.document,
        SARI,
        "b.csv",
        f"{header}\ndapur_rina,,,2026-11-21,2,,,,,,,,\n".encode(),
    )
    assert "pesan lama" in call(db, router.button, SARI, button(older, f"#{second} ")).toast
    with session_scope(db) as session:
        (pending,) = session.exec(select(PendingUpload)).all()
        assert pending.kind == "csv" and b"2026-11-21" in pending.payload
    assert "bukan influencer di kampanye ini" in texts(
        call(db, router.button, SARI, button(newer, f"#{second} "))
    )


def test_the_timezone_setting_is_the_zone_of_users_who_chose_none(db: Engine) -> None:
    """TIMEZONE=Asia/Makassar: a user without a zone of their own reads WITA times."""
    wita = Person(id=SARI.id, first_name="Sari", chat_id=SARI.chat_id, timezone="Asia/Makassar")
    new_campaign(db, wita)
    call(db, router.text_message, wita, "@dapur_rina ig 750rb reels")
    report = texts(call(db, router.report_command, wita))
    assert "Laporan Promo Sambal Desember" in report and " WITA" in report and "WIB" not in report
    assert " WIB" in texts(call(db, router.report_command, SARI))  # the default setting


def test_buttons_of_the_old_format_are_politely_refused(db: Engine) -> None:
    cid = new_campaign(db, SARI)
    for old in (f"k:{cid}:rep", f"k:{cid}:sf:d", "u:0123456789abcdef0123456789abcdef"):
        refused = call(db, router.button, SARI, old)
        assert "tidak dikenali" in refused.toast and not refused.replies, old
    with session_scope(db) as session:
        assert session.get(Campaign, cid) is not None


def test_refused_figures_name_the_figure_and_the_account(db: Engine) -> None:
    new_campaign(db, SARI)
    call(db, router.text_message, SARI, "@dapur_rina ig 750rb reels")
    negative = texts(call(db, router.text_message, SARI, "@Dapur_Rina reach 12000 klik -5"))
    assert "Angka klik untuk @dapur_rina tidak boleh negatif" in negative
    assert "@dapur_rina klik 0" in negative  # what to send instead
    impossible = texts(call(db, router.text_message, SARI, "@dapur_rina views 100 like 500"))
    assert "like atau komentar @dapur_rina lebih banyak dari jumlah tayangannya" in impossible
    with session_scope(db) as session:
        assert session.exec(select(PerformanceSnapshot)).all() == []
