"""/daftar: influencers list themselves, one Telegram account per handle, the operator settles."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from bot.chat import router
from bot.chat.person import Person
from bot.chat.replies import Outcome
from bot.domain import Brief, Goal, Platform
from bot.influencers import listing
from bot.influencers.listing import Draft, ListingError
from bot.store.importer import InfluencerRow, search_entries
from models.campaigns import CampaignMember
from models.db import session_scope
from models.influencers import (
    SELF_SOURCE,
    ClaimRequest,
    Influencer,
    InfluencerClaim,
    InfluencerNiche,
    RateCard,
)
from tests.db.chat import button, call, texts
from tests.db.stores import load_store, store_csv
from tests.db.test_campaigns import new_campaign

RINA = Person(id=71, first_name="Rina", chat_id=71, username="rina_kuliner")
BUDI = Person(id=72, first_name="Budi", chat_id=72, username="budi_jalan")
NONAME = Person(id=73, first_name="Tia", chat_id=73)  # no Telegram username
STRANGER = Person(id=79, first_name="Orang", chat_id=79)


def _rows(db: Engine, model: type) -> list:
    with session_scope(db) as session:
        return list(session.exec(select(model)))


def _row(db: Engine, handle: str) -> Influencer | None:
    with session_scope(db) as session:
        return session.exec(select(Influencer).where(Influencer.handle == handle)).first()


def list_account(
    db: Engine,
    person: Person,
    *,
    platform: str = "Instagram",
    handle: str = "@Rina.Kuliner",
    niches: str = "kuliner, traveling",
    city: str = "jogja",
    followers: str = "12,5rb",
    prices: tuple[str, ...] = ("750rb", "lewati", "300rb"),
    contact: str | None = None,
) -> Outcome:
    """The whole form through the router, up to the recap (not saved)."""
    out = call(db, router.listing_command, person)
    out = call(db, router.button, person, button(out, platform))
    for answer in (handle, niches, city, followers, *prices):
        out = call(db, router.text_message, person, answer)
    if contact is None:
        return call(db, router.button, person, button(out, "Pakai Telegram"))
    return call(db, router.text_message, person, contact)


def test_a_listing_enters_the_store_ranked_like_an_import(engine: Engine) -> None:
    recap = list_account(engine, RINA)
    text = texts(recap)
    assert "@rina.kuliner" in text and "Kuliner, Travel" in text and "Yogyakarta" in text
    assert "12.500 followers" in text and "Rp750.000" in text and "tidak dijual" in text
    assert "t.me/rina_kuliner" in text and "belum diverifikasi" in text
    assert _rows(engine, Influencer) == []  # nothing written before "Simpan"
    done = call(engine, router.button, RINA, button(recap, "Simpan"))
    assert "sudah terdaftar" in texts(done)

    row = _row(engine, "rina.kuliner")
    assert row is not None and row.source == SELF_SOURCE and row.verified_at is None
    assert (row.platform, row.name, row.niches) == ("instagram", "Rina", "Kuliner|Travel")
    assert (row.city, row.province, row.followers) == ("Yogyakarta", "DI Yogyakarta", 12_500)
    assert row.price_idr == 750_000 and row.contact == "t.me/rina_kuliner"
    assert row.engagement_rate is None and row.avg_views is None and row.audience_quality is None
    rates = {(r.format, r.price_idr) for r in _rows(engine, RateCard)}
    assert rates == {("reels", 750_000), ("story", 300_000)}
    claims = [
        (c.platform, c.handle, c.user_id, c.influencer_id) for c in _rows(engine, InfluencerClaim)
    ]
    assert claims == [("instagram", "rina.kuliner", RINA.id, row.id)]

    # the search rows are the importer's, value for value
    expected = search_entries(
        InfluencerRow(
            0,
            "instagram",
            "rina.kuliner",
            "Rina",
            ("Kuliner", "Travel"),
            "Yogyakarta",
            "DI Yogyakarta",
            12_500,
            None,
            None,
            750_000,
            None,
            "t.me/rina_kuliner",
        )
    )
    entries = sorted(_rows(engine, InfluencerNiche), key=lambda e: e.position)
    assert [(e.niche, e.side, e.price_idr, e.value_sales) for e in entries] == [
        (x["niche"], x["side"], x["price_idr"], x["value_sales"]) for x in expected
    ]

    # and recommendations find it at once
    from bot.advisor.recommendations import advise, to_json
    from bot.language.locations import parse_location

    location = parse_location("Yogyakarta")
    assert location is not None
    brief = Brief(
        niche="Kuliner",
        goal=Goal.AWARENESS,
        budget=5_000_000,
        platform=Platform.INSTAGRAM,
        location=location,
    )
    with session_scope(engine) as session:
        found = to_json(advise(session, brief))
    assert [c["handle"] for c in found["candidates"]] == ["rina.kuliner"]
    assert found["candidates"][0]["self_reported"] is True
    # a budget under the reels price still buys the listed story
    small = dataclasses.replace(brief, budget=400_000)
    with session_scope(engine) as session:
        cheap = to_json(advise(session, small))
    (story,) = cheap["candidates"]
    assert (story["handle"], story["content_format"], story["price_idr"]) == (
        "rina.kuliner",
        "story",
        300_000,
    )


def test_an_imported_row_keeps_its_measured_figures(engine: Engine) -> None:
    load_store(
        engine, store_csv("instagram,rina.kuliner,Rina K,Kuliner,Bandung,,9000,4.2,2500,400000,88,")
    )
    done = call(engine, router.button, RINA, button(list_account(engine, RINA), "Simpan"))
    assert "sudah diperbarui" in texts(done)
    row = _row(engine, "rina.kuliner")
    assert row is not None and row.source == SELF_SOURCE and row.followers == 12_500
    assert (row.engagement_rate, row.avg_views, row.audience_quality) == (4.2, 2500, 88)
    assert len(_rows(engine, Influencer)) == 1


@pytest.mark.parametrize(
    ("text", "platform", "handle"),
    [
        ("@rina.kuliner", Platform.INSTAGRAM, "rina.kuliner"),
        ("  Rina_Kuliner ", Platform.INSTAGRAM, "rina_kuliner"),
        ("instagram.com/rina.kuliner", Platform.INSTAGRAM, "rina.kuliner"),
        ("https://www.instagram.com/rina.kuliner/?igsh=MWx0", Platform.INSTAGRAM, "rina.kuliner"),
        ("tiktok.com/@rina", Platform.TIKTOK, "rina"),
        ("https://m.youtube.com/@DapurRina/videos", Platform.YOUTUBE, "dapurrina"),
        ("x.com/rina_k", Platform.X, "rina_k"),
        ("youtube.com/c/DapurRina", Platform.YOUTUBE, "dapurrina"),
        ("instagram.com/stories/rina.kuliner/3121", Platform.INSTAGRAM, "rina.kuliner"),
        ("facebook.com/dapur.rina", Platform.FACEBOOK, "dapur.rina"),
    ],
)
def test_handles_as_people_paste_them(text: str, platform: Platform, handle: str) -> None:
    assert listing.read_handle(text, platform) == handle


@pytest.mark.parametrize(
    ("text", "platform", "code"),
    [
        ("rina kuliner", Platform.INSTAGRAM, "handle_invalid"),
        ("@rina!", Platform.INSTAGRAM, "handle_invalid"),
        ("@", Platform.INSTAGRAM, "handle_empty"),
        ("tiktok.com/@rina", Platform.INSTAGRAM, "handle_other_platform"),
        ("instagram.com/p/C0abc", Platform.INSTAGRAM, "handle_link"),
        ("https://linktr.ee/rina", Platform.INSTAGRAM, "handle_link"),
        ("https://www.youtube.com/watch?v=abc123", Platform.YOUTUBE, "handle_link"),
        ("facebook.com/profile.php?id=1000123", Platform.FACEBOOK, "handle_link"),
        ("vt.tiktok.com/ZSabc/", Platform.TIKTOK, "handle_link"),
        ("@rina\x00", Platform.INSTAGRAM, "handle_invalid"),
    ],
)
def test_bad_handles_are_refused(text: str, platform: Platform, code: str) -> None:
    with pytest.raises(ListingError) as refused:
        listing.read_handle(text, platform)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("12rb", 12_000),
        ("12.500", 12_500),
        ("1,2 jt", 1_200_000),
        ("12k followers", 12_000),
        ("850", 850),
    ],
)
def test_follower_counts_in_indonesian_forms(text: str, count: int) -> None:
    assert listing.read_followers(text) == count


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("0", "followers_zero"),
        ("-500", "followers_negative"),
        ("2 miliar", "followers_absurd"),
        ("banyak", "followers_unreadable"),
        ("12,5", "followers_unreadable"),
    ],
)
def test_impossible_follower_counts(text: str, code: str) -> None:
    with pytest.raises(ListingError) as refused:
        listing.read_followers(text)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("text", "followers", "code"),
    [
        ("500", 12_000, "price_small"),  # "ribuan" was meant
        ("Rp 5.000", 12_000, "price_small"),
        ("3 M", 5_000_000, "price_large"),  # Rp3 miliar
        ("50jt", 2_000, "price_for_followers"),  # Rp25.000 per follower
        ("13jt", 12_500, "price_for_followers"),  # just over Rp1.000 per follower
        ("gratis", 12_000, "price_unreadable"),
        ("-750rb", 12_000, "price_unreadable"),
    ],
)
def test_absurd_prices_are_refused(text: str, followers: int, code: str) -> None:
    with pytest.raises(ListingError) as refused:
        listing.read_price(text, followers=followers, fmt="reels")
    assert refused.value.code == code


def test_sane_prices_pass() -> None:
    assert listing.read_price("1,5jt", followers=40_000, fmt="reels") == 1_500_000
    assert listing.read_price("Rp 750.000", followers=800, fmt="feed") == 750_000  # under Rp1 jt
    assert listing.read_price("12,5jt", followers=12_500, fmt="reels") == 12_500_000  # the cap


def test_a_handle_said_with_the_platform_or_inside_a_sentence_is_taken(engine: Engine) -> None:
    call(engine, router.listing_command, RINA)
    out = call(engine, router.text_message, RINA, "ig aku @rina.kuliner_mks.")
    assert "akun <b>@rina.kuliner_mks</b>" in texts(out) and "Kontennya tentang apa" in texts(out)
    other = dataclasses.replace(RINA, id=RINA.id + 1, chat_id=RINA.chat_id + 1)
    call(engine, router.listing_command, other)
    out = call(engine, router.text_message, other, "tiktok")
    assert "tiktok.com/@" in texts(out)  # the example link is the platform's own
    out = call(engine, router.text_message, other, "akun aku @dodi_review ya kak")
    assert "akun <b>@dodi_review</b>" in texts(out)
    third = dataclasses.replace(RINA, id=RINA.id + 2, chat_id=RINA.chat_id + 2)
    call(engine, router.listing_command, third)
    out = call(engine, router.text_message, third, "ig/tiktok")  # a slash is not a link here
    assert "Nama akun Instagram" in texts(out)


def test_bad_answers_are_explained_and_nothing_is_written(engine: Engine) -> None:
    out = call(engine, router.listing_command, RINA)
    out = call(engine, router.text_message, RINA, "yang biru itu")  # text at a button step
    assert "pilih lewat tombol" in texts(out) and "platform apa" in texts(out)
    out = call(engine, router.text_message, RINA, "tiktok")  # but a platform's name is read
    assert "Nama akun TikTok" in texts(out)
    for bad, said in (
        ("rina kuliner", "bukan nama akun yang valid"),
        ("instagram.com/rina", "Itu link Instagram"),
    ):
        assert said in texts(call(engine, router.text_message, RINA, bad))
    call(engine, router.text_message, RINA, "@rina")
    assert "belum saya kenali" in texts(call(engine, router.text_message, RINA, "rebahan"))
    assert "Maksimal 3" in texts(
        call(engine, router.text_message, RINA, "kuliner, fashion, travel, gaming")
    )
    call(engine, router.text_message, RINA, "kuliner")
    assert "belum ada di daftar" in texts(call(engine, router.text_message, RINA, "Gotham City"))
    call(engine, router.text_message, RINA, "Kota Bandung")
    assert "harus lebih dari 0" in texts(call(engine, router.text_message, RINA, "0"))
    assert "akun terbesar" in texts(call(engine, router.text_message, RINA, "5 miliar"))
    call(engine, router.text_message, RINA, "2rb")
    out = call(engine, router.text_message, RINA, "lewati")  # the main format is required
    assert "video wajib diisi" in texts(out)
    assert "Maksudnya Rp500.000" in texts(call(engine, router.text_message, RINA, "500"))
    assert "di atas pasaran" in texts(call(engine, router.text_message, RINA, "50jt"))
    out = call(engine, router.text_message, RINA, "350rb")
    assert "story" in texts(out)
    out = call(engine, router.text_message, RINA, "500rb")  # story above video: allowed
    assert "WhatsApp" in texts(out)
    assert "bukan nomor WhatsApp" in texts(call(engine, router.text_message, RINA, "021 555 1234"))
    out = call(engine, router.text_message, RINA, "wa 0812-3456-7890")
    assert "wa.me/6281234567890" in texts(out) and "Rp350.000" in texts(out)
    assert "Rp500.000" in texts(out)
    assert _rows(engine, Influencer) == [] and _rows(engine, InfluencerClaim) == []
    out = call(engine, router.text_message, RINA, "simpan")  # text at the recap
    assert "pilih lewat tombol" in texts(out) and "Simpan" in str(out.replies[-1].buttons)
    call(engine, router.button, RINA, button(out, "Simpan"))
    row = _row(engine, "rina")
    assert row is not None and row.platform == "tiktok" and row.price_idr == 350_000
    assert row.city == "Bandung" and row.contact == "wa.me/6281234567890"


def test_a_format_not_on_the_platform_is_refused() -> None:
    draft = Draft(
        Platform.INSTAGRAM,
        "rina",
        "Rina",
        ("Kuliner",),
        "Bandung",
        "Jawa Barat",
        9000,
        {"reels": 500_000, "video": 400_000},
        "t.me/rina",
    )
    with pytest.raises(ListingError) as refused:
        draft.check()
    assert refused.value.code == "format_not_on_platform"
    without_main = Draft(
        Platform.TIKTOK,
        "rina",
        "Rina",
        ("Kuliner",),
        "Bandung",
        None,
        9000,
        {"story": 100_000},
        "t.me/rina",
    )
    with pytest.raises(ListingError) as refused:
        without_main.check()
    assert refused.value.code == "main_price_missing"


def test_stale_buttons_of_the_form_change_nothing(engine: Engine) -> None:
    out = call(engine, router.listing_command, RINA)
    platform_button = button(out, "Instagram")
    out = call(engine, router.button, RINA, platform_button)
    again = call(engine, router.button, RINA, platform_button)  # the question was answered
    assert again.toast and not again.replies
    for forged in ("listing.niche:99", "listing.platform:myspace", "listing.save", "listing.skip"):
        refused = call(engine, router.button, RINA, forged)
        assert refused.toast and not refused.replies, forged
    assert _rows(engine, Influencer) == []


def test_a_handle_claimed_by_another_account_is_refused(engine: Engine) -> None:
    call(engine, router.button, RINA, button(list_account(engine, RINA), "Simpan"))
    before = _row(engine, "rina.kuliner")
    for _ in range(2):
        recap = list_account(engine, BUDI, followers="90rb", prices=("2jt", "1jt", "lewati"))
        out = call(engine, router.button, BUDI, button(recap, "Simpan"))
        assert "sudah didaftarkan akun Telegram lain" in texts(out)
        assert "kami teruskan ke admin" in texts(out)
    requests = [(r.handle, r.user_id) for r in _rows(engine, ClaimRequest)]
    assert requests == [("rina.kuliner", BUDI.id)]  # recorded once
    after = _row(engine, "rina.kuliner")
    assert after is not None and before is not None
    assert (after.followers, after.price_idr, after.updated_at) == (
        before.followers,
        before.price_idr,
        before.updated_at,
    )
    assert {r.format for r in _rows(engine, RateCard)} == {"reels", "story"}
    assert [c.user_id for c in _rows(engine, InfluencerClaim)] == [RINA.id]
    # Budi's /daftar shows no listing of his: the form starts afresh
    assert "platform apa" in texts(call(engine, router.listing_command, BUDI))


def test_the_holder_changes_and_removes_a_listing(engine: Engine) -> None:
    call(engine, router.button, RINA, button(list_account(engine, RINA), "Simpan"))
    row = _row(engine, "rina.kuliner")
    assert row is not None
    with session_scope(engine) as session:  # verified by the operator, then changed
        stored = session.get(Influencer, row.id)
        assert stored is not None
        stored.verified_at = stored.updated_at
    cards = call(engine, router.listing_command, RINA)
    assert "terverifikasi" in texts(cards) and "Daftarkan akun lain" in str(cards.replies[-1])
    recap = call(engine, router.button, RINA, button(cards, "Ubah"))
    assert "Ubah Akun" not in str(recap.replies[0].buttons)  # the account itself stays
    out = call(engine, router.button, RINA, button(recap, "Ubah Followers"))
    out = call(engine, router.text_message, RINA, "20rb")
    assert "20.000 followers" in texts(out)
    out = call(engine, router.button, RINA, button(out, "Ubah Tarif"))
    for answer in ("1jt", "600rb", "lewati"):
        out = call(engine, router.text_message, RINA, answer)
    call(engine, router.button, RINA, button(out, "Simpan"))
    changed = _row(engine, "rina.kuliner")
    assert changed is not None and changed.id == row.id and changed.followers == 20_000
    assert changed.price_idr == 1_000_000 and changed.verified_at is None
    assert {(r.format, r.price_idr) for r in _rows(engine, RateCard)} == {
        ("reels", 1_000_000),
        ("feed", 600_000),
    }

    # a second account of the same person, then the first one removed
    cards = call(engine, router.listing_command, RINA)
    out = call(engine, router.button, RINA, button(cards, "Daftarkan akun lain"))
    out = call(engine, router.button, RINA, button(out, "TikTok"))
    for answer in ("tiktok.com/@rina.tt", "kuliner", "bandung", "40rb", "1,2jt", "lewati"):
        out = call(engine, router.text_message, RINA, answer)
    out = call(engine, router.button, RINA, button(out, "Pakai Telegram"))
    call(engine, router.button, RINA, button(out, "Simpan"))
    cards = call(engine, router.listing_command, RINA)
    assert "2 akun" in texts(cards)
    # an owner put the listed account in a campaign: the member keeps its own copy
    owner = Person(id=75, first_name="Sari", chat_id=75)
    new_campaign(engine, owner)
    added = call(engine, router.text_message, owner, "@rina.kuliner ig 1jt reels")
    assert "@rina.kuliner masuk kampanye" in texts(added)
    out = call(engine, router.button, RINA, f"listing.remove:{row.id}")
    assert "Hapus pendaftaran <b>@rina.kuliner</b>" in texts(out)
    out = call(engine, router.button, RINA, button(out, "Ya, hapus"))
    assert "sudah dihapus" in texts(out)
    assert _row(engine, "rina.kuliner") is None
    assert [c.handle for c in _rows(engine, InfluencerClaim)] == ["rina.tt"]
    with session_scope(engine) as session:
        left = session.execute(
            select(func.count())
            .select_from(InfluencerNiche)
            .where(InfluencerNiche.influencer_id == row.id)
        ).scalar_one()
    assert left == 0
    assert {r.format for r in _rows(engine, RateCard)} == {"video"}
    members = [(m.handle, m.followers, m.influencer_id) for m in _rows(engine, CampaignMember)]
    assert members == [("rina.kuliner", 20_000, None)]


def test_removing_keeps_a_row_the_operator_imported_since(engine: Engine) -> None:
    call(engine, router.button, RINA, button(list_account(engine, RINA), "Simpan"))
    load_store(
        engine, store_csv("instagram,rina.kuliner,Rina K,Kuliner,Bandung,,15000,3.1,,800000,85,")
    )
    row = _row(engine, "rina.kuliner")
    assert row is not None and row.source == "test"
    call(engine, router.button, RINA, f"listing.remove_yes:{row.id}")
    kept = _row(engine, "rina.kuliner")
    assert kept is not None and kept.followers == 15_000
    assert _rows(engine, InfluencerClaim) == [] and _rows(engine, RateCard) == []


# Who may press which listing button: the holder of the claim; another influencer with a
# listing of their own, or a stranger, changes nothing and sees nothing.
@pytest.mark.parametrize("actor", ["holder", "other_influencer", "stranger"])
@pytest.mark.parametrize("action", ["change", "remove", "remove_yes"])
def test_listing_role_matrix(engine: Engine, actor: str, action: str) -> None:
    call(engine, router.button, RINA, button(list_account(engine, RINA), "Simpan"))
    call(
        engine,
        router.button,
        BUDI,
        button(
            list_account(
                engine,
                BUDI,
                handle="@budi.jalan",
                followers="90rb",
                prices=("2jt", "1jt", "lewati"),
            ),
            "Simpan",
        ),
    )
    row = _row(engine, "rina.kuliner")
    assert row is not None
    person = {"holder": RINA, "other_influencer": BUDI}.get(actor, STRANGER)

    def state() -> list:
        return [
            sorted((i.handle, i.followers, i.price_idr) for i in _rows(engine, Influencer)),
            sorted((c.handle, c.user_id) for c in _rows(engine, InfluencerClaim)),
            sorted((r.influencer_id, r.format) for r in _rows(engine, RateCard)),
        ]

    before = state()
    out = call(engine, router.button, person, f"listing.{action}:{row.id}")
    if actor != "holder":
        assert out.toast and "tidak ada di akun Kakak" in out.toast and not out.replies
        assert state() == before
        return
    assert out.replies
    if action == "change":
        assert "@rina.kuliner" in texts(out) and state() == before
    elif action == "remove":
        assert "Ya, hapus" in str(out.replies[0].buttons) and state() == before
    else:
        assert _row(engine, "rina.kuliner") is None and _row(engine, "budi.jalan") is not None


def test_privacy_covers_listings_claims_and_refused_claims(engine: Engine) -> None:
    from bot.privacy import chat as privacy_chat
    from tests.db.userdata import personal_rows

    call(engine, router.button, RINA, button(list_account(engine, RINA), "Simpan"))
    call(engine, router.button, BUDI, button(list_account(engine, BUDI), "Simpan"))  # refused
    assert "/daftar" in texts(call(engine, privacy_chat.privacy, RINA))

    question = call(engine, privacy_chat.request_deletion, BUDI)
    assert "1 permintaan klaim" in texts(question)
    call(engine, router.button, BUDI, button(question, "Ya, hapus semua"))
    assert personal_rows(engine, user_id=BUDI.id, chat_id=BUDI.chat_id) == []
    assert _row(engine, "rina.kuliner") is not None  # Rina's listing is not Budi's to delete

    question = call(engine, privacy_chat.request_deletion, RINA)
    assert "@rina.kuliner (Instagram)" in texts(question)
    done = call(engine, router.button, RINA, button(question, "Ya, hapus semua"))
    assert "sudah dihapus" in texts(done)
    assert personal_rows(engine, user_id=RINA.id, chat_id=RINA.chat_id) == []
    assert _rows(engine, Influencer) == [] and _rows(engine, RateCard) == []
    assert _rows(engine, InfluencerNiche) == []


def test_without_a_username_the_contact_is_a_whatsapp_number(engine: Engine) -> None:
    out = list_account(engine, NONAME, handle="@tia", contact="+62 857-1234-5678")
    assert "Pakai Telegram" not in str([r.buttons for r in out.replies])
    call(engine, router.button, NONAME, button(out, "Simpan"))
    row = _row(engine, "tia")
    assert row is not None and row.contact == "wa.me/6285712345678"


def test_operator_commands(engine: Engine, database_url: str, monkeypatch, capsys) -> None:
    from bot.cli.main import main
    from bot.config import get_settings

    call(engine, router.button, RINA, button(list_account(engine, RINA), "Simpan"))
    call(engine, router.button, BUDI, button(list_account(engine, BUDI), "Simpan"))  # refused
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        assert main(["claims", "list"]) == 0
        listed = capsys.readouterr().out
        assert f"instagram\t@rina.kuliner\tuser {RINA.id}\tunverified" in listed
        assert f"@rina.kuliner\tuser {BUDI.id}" in listed and "Refused claims waiting (1)" in listed

        assert main(["claims", "verify", "--platform", "ig", "--handle", "@Rina.Kuliner"]) == 0
        cards = call(engine, router.listing_command, RINA)
        assert "terverifikasi" in texts(cards) and "belum diverifikasi" not in texts(cards)

        assert (
            main(
                [
                    "claims",
                    "assign",
                    "--platform",
                    "instagram",
                    "--handle",
                    "rina.kuliner",
                    "--user",
                    str(BUDI.id),
                ]
            )
            == 0
        )
        assert f"was user {RINA.id}" in capsys.readouterr().out
        assert _rows(engine, ClaimRequest) == []
        assert "@rina.kuliner" in texts(call(engine, router.listing_command, BUDI))
        refused = call(
            engine, router.button, RINA, f"listing.change:{_row(engine, 'rina.kuliner').id}"
        )  # type: ignore[union-attr]
        assert refused.toast and not refused.replies

        assert (
            main(["claims", "release", "--platform", "instagram", "--handle", "rina.kuliner"]) == 0
        )
        assert _rows(engine, InfluencerClaim) == [] and _row(engine, "rina.kuliner") is not None
        assert (
            main(["claims", "release", "--platform", "instagram", "--handle", "rina.kuliner"]) == 1
        )
        assert main(["claims", "verify", "--platform", "instagram", "--handle", "nobody"]) == 1
        assert (
            main(["claims", "assign", "--platform", "myspace", "--handle", "x", "--user", "1"]) == 1
        )
        assert main(["claims", "verify", "--platform", "ig", "--handle", "two words"]) == 1
        with pytest.raises(SystemExit) as usage:
            main(["claims", "assign", "--platform", "ig", "--handle", "x"])  # no --user
        assert usage.value.code == 2
    finally:
        get_settings.cache_clear()


def test_the_command_menu_and_help_mention_daftar() -> None:
    from bot.chat.texts import render
    from handlers.app import COMMANDS

    assert "daftar" in dict(COMMANDS)
    assert "/daftar" in render("help")


def test_fewer_followers_ask_again_for_prices_that_no_longer_fit(engine: Engine) -> None:
    recap = list_account(engine, RINA, followers="40rb", prices=("30jt", "2jt", "lewati"))
    out = call(engine, router.button, RINA, button(recap, "Ubah Followers"))
    out = call(engine, router.text_message, RINA, "5rb")
    assert "Tarif reels sebelumnya terlalu tinggi untuk 5.000 followers" in texts(out)
    out = call(engine, router.text_message, RINA, "1,5jt")  # feed (2jt) still fits: recap
    assert "Rp1.500.000" in texts(out) and "Rp2.000.000" in texts(out)
    call(engine, router.button, RINA, button(out, "Simpan"))
    row = _row(engine, "rina.kuliner")
    assert row is not None and (row.followers, row.price_idr) == (5_000, 1_500_000)


def test_of_two_accounts_claiming_at_once_the_second_is_refused(
    engine: Engine, monkeypatch
) -> None:
    """Budi's look-up finds no claim, then Rina's lands before his insert: the unique key
    refuses his in a savepoint and his refused claim is still recorded."""
    from models import listings as queries

    real = queries.claim_of
    first = [True]

    def racing(session, *, platform: str, handle: str):  # type: ignore[no-untyped-def]
        if first[0]:
            first[0] = False
            session.add(
                InfluencerClaim(platform=platform, handle=handle, user_id=RINA.id, chat_id=RINA.id)
            )
            session.flush()
            return None
        return real(session, platform=platform, handle=handle)

    monkeypatch.setattr(queries, "claim_of", racing)
    draft = Draft(
        Platform.INSTAGRAM,
        "rina",
        "Budi",
        ("Kuliner",),
        "Bandung",
        "Jawa Barat",
        9000,
        {"reels": 500_000},
        "t.me/budi",
    )
    with session_scope(engine) as session, pytest.raises(ListingError) as refused:
        listing.save(session, draft, user_id=BUDI.id, chat_id=BUDI.chat_id)
    assert refused.value.code == "claimed"
    assert [(c.handle, c.user_id) for c in _rows(engine, InfluencerClaim)] == [("rina", RINA.id)]
    assert [(r.handle, r.user_id) for r in _rows(engine, ClaimRequest)] == [("rina", BUDI.id)]
    assert _rows(engine, Influencer) == []


def test_changing_a_row_the_operator_reimported_asks_what_it_lacks(engine: Engine) -> None:
    call(engine, router.button, RINA, button(list_account(engine, RINA), "Simpan"))
    load_store(engine, store_csv("instagram,rina.kuliner,Rina K,Kuliner,,,15000,3.1,,800000,85,"))
    row = _row(engine, "rina.kuliner")
    assert row is not None and row.city is None and row.contact is None
    out = call(engine, router.button, RINA, f"listing.change:{row.id}")
    assert "kota mana" in texts(out)
    out = call(engine, router.text_message, RINA, "Medan")
    assert "lewat mana" in texts(out)  # the imported row has no contact
    out = call(engine, router.button, RINA, button(out, "Pakai Telegram"))
    call(engine, router.button, RINA, button(out, "Simpan"))
    saved = _row(engine, "rina.kuliner")
    assert saved is not None and (saved.city, saved.source) == ("Medan", SELF_SOURCE)
    assert (saved.engagement_rate, saved.audience_quality) == (3.1, 85)


def test_every_refusal_has_an_indonesian_explanation() -> None:
    import re
    from importlib import resources

    from bot.chat.texts import render

    class Params(dict):
        def __missing__(self, key: str) -> object:
            return "instagram" if key in ("platform", "named", "chosen") else 12_000

    codes = set()
    for module in ("listing.py", "listing_form.py", "listing_chat.py"):
        source = resources.files("bot.influencers").joinpath(module).read_text()
        codes |= set(re.findall(r'ListingError\(\s*"([a-z_]+)"', source))
    assert {"claimed", "price_for_followers", "use_buttons", "handle_invalid"} <= codes
    for code in sorted(codes | {"stale", "expired", "listing_not_found"}):
        assert render("listing_error", code=code, params=Params()).strip(), code


def test_typed_niches_in_chat_words_are_read_and_confirmed(engine: Engine) -> None:
    out = call(engine, router.listing_command, RINA)
    out = call(engine, router.button, RINA, button(out, "Instagram"))
    out = call(engine, router.text_message, RINA, "instagram.com/Rina.Kuliner?igsh=abc")
    assert "@rina.kuliner" in texts(out)
    out = call(engine, router.text_message, RINA, "masak sm jalan2")
    assert "Niche: <b>Kuliner, Travel</b>" in texts(out) and "kota mana" in texts(out)
