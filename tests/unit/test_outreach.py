"""Contact links from messy store contacts, and the outreach draft for several niches."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.advisor.contacts import (
    contact_links,
    email_of,
    profile_url,
    telegram_url,
    whatsapp_url,
)
from bot.advisor.outreach import clean_product, contacts_view, draft_message, draft_view
from bot.advisor.view import main_view
from bot.chat.replies import COPY_TEXT_LIMIT
from bot.domain import BusinessKind, Goal, Platform, Strategy
from tests.unit.built_recommendations import build, candidate

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("contact", "url"),
    [
        ("0812-3456-7890", "https://wa.me/6281234567890"),
        ("+62 812 3456 7890", "https://wa.me/6281234567890"),
        ("62812.3456.7890", "https://wa.me/6281234567890"),
        ("wa 081234567890", "https://wa.me/6281234567890"),
        ("WA: (0812) 3456-7890 / email a@b.id", "https://wa.me/6281234567890"),
        ("dm ig", None),
        ("email@x.id", None),
        ("", None),
        (None, None),
        ("021-555-1234", None),  # a Jakarta landline, not WhatsApp
        ("0812", None),
        ("08123456789012345", None),
        ("12345678", None),
    ],
)
def test_whatsapp_links_from_messy_contacts(contact: str | None, url: str | None) -> None:
    assert whatsapp_url(contact) == url


def test_email_and_profiles() -> None:
    assert email_of("email@x.id") == "email@x.id"
    assert email_of("collab: Rina.Dapur@mail.co.id (bisnis)") == "Rina.Dapur@mail.co.id"
    assert email_of("dm ig") is None
    assert profile_url(Platform.INSTAGRAM, "dapur_tehrina") == "https://instagram.com/dapur_tehrina"
    assert profile_url(Platform.TIKTOK, "@kopi.kita") == "https://www.tiktok.com/@kopi.kita"
    assert profile_url(Platform.YOUTUBE, "kangdedi") == "https://www.youtube.com/@kangdedi"
    assert profile_url(Platform.FACEBOOK, "warungbu") == "https://www.facebook.com/warungbu"
    assert profile_url(Platform.X, "infomdn") == "https://x.com/infomdn"
    assert profile_url(Platform.INSTAGRAM, "bad handle/../x") is None
    assert telegram_url("t.me/rina_kuliner") == "https://t.me/rina_kuliner"
    assert telegram_url("tele: @RinaKuliner / wa 0812") == "https://t.me/RinaKuliner"
    assert telegram_url("ig @rina_kuliner") is None
    assert telegram_url("email rina@t.me.id") is None
    links = contact_links(Platform.TIKTOK, "kopi", "wa 0812 3456 7890, kopi@kita.id")
    assert links.whatsapp == "https://wa.me/6281234567890"
    assert links.profile == "https://www.tiktok.com/@kopi"
    assert links.email == "kopi@kita.id"


@pytest.mark.parametrize(
    ("niche", "platform", "content", "rule"),
    [
        ("Kuliner", Platform.INSTAGRAM, "Reels Instagram", "PIRT/BPOM"),
        ("Kecantikan", Platform.TIKTOK, "video TikTok", "BPOM"),
        ("Kesehatan & Kebugaran", Platform.YOUTUBE, "video YouTube", "tanpa klaim menyembuhkan"),
        ("Fashion", Platform.FACEBOOK, "postingan feed Facebook", None),
        ("Teknologi & Gadget", Platform.X, "postingan di X", None),
    ],
)
def test_draft_names_everything_the_account_needs(
    niche: str, platform: Platform, content: str, rule: str | None
) -> None:
    rec = build(Goal.SALES, Strategy.MICRO, platform=platform, niche=niche)
    c = replace(candidate(1, 24_000, 750_000, platform=platform, niche=niche), handle="dapur_x")
    draft = draft_message(rec.brief, c, owner_name="Sari  Wulan", today=TODAY)
    text = draft.plain
    assert "Saya Sari Wulan" in text
    assert f"usaha {niche.lower()} di Medan" in text
    assert content in text
    assert "8 Des" in text and "21 Des 2026" in text  # tomorrow to two weeks from today
    assert "Rp750.000" in text
    assert "#iklan" in text
    assert "balas pesan ini" in text
    assert "@dapur_x" in text
    if rule:
        assert rule in text
    else:
        assert "BPOM" not in text and "PIRT" not in text
    assert "[" not in text and "{" not in text  # no placeholders left for the owner


def test_draft_for_an_online_shop_without_a_name() -> None:
    rec = build(Goal.AWARENESS, Strategy.MICRO, business=BusinessKind.ONLINE, niche="Fashion")
    draft = draft_message(rec.brief, candidate(1, 24_000, 500_000), owner_name=" ", today=TODAY)
    assert draft.plain.count("Saya pemilik toko online fashion") == 1
    assert "Saya ," not in draft.plain


def test_contact_view_rows_and_draft_view() -> None:
    rec = build(Goal.SALES, Strategy.MICRO)
    portfolio = rec.portfolio()
    assert portfolio is not None
    first = replace(portfolio.picks[0].candidate, contact="wa 0812-3456-7890")
    picks = (replace(portfolio.picks[0], candidate=first), *portfolio.picks[1:])
    rec = replace(
        rec, portfolios={**rec.portfolios, Strategy.MICRO: replace(portfolio, picks=picks)}
    )
    main = main_view(7, rec, sample_data=False, saved=False)
    labels = [b.text for row in main.buttons for b in row]
    assert "📇 Kontak kandidat" in labels
    view = contacts_view(7, rec, 0)
    urls = [b.url for row in view.buttons for b in row if b.url]
    assert "https://wa.me/6281234567890" in urls
    assert f"https://instagram.com/{first.handle}" in urls
    drafts = [b.data for row in view.buttons for b in row if b.text.startswith("✍️")]
    assert drafts == [f"rec.draft:7:{i}" for i in range(len(picks))]
    draft = draft_message(rec.brief, first, owner_name="Sari", today=TODAY)
    reply = draft_view(7, rec, 0, draft)
    assert "<code>" in reply.text
    wa = [b.url for row in reply.buttons for b in row if b.url]
    assert wa and wa[0].startswith("https://wa.me/6281234567890?text=Halo%20Kak")
    copies = [b.copy_text for row in reply.buttons for b in row if b.copy_text]
    assert copies == ([draft.plain] if len(draft.plain) <= COPY_TEXT_LIMIT else [])


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  sambal bawang   botolan. ", "sambal bawang botolan"),
        ("Keripik Tempe Bu Ani", "Keripik Tempe Bu Ani"),
        ("x", None),
        ("12345", None),
        ("@dapur_rina", None),
        ("https://tokoku.id", None),
        ("/batal", None),
        ("a" * 61, None),
    ],
)
def test_product_names(typed: str, kept: str | None) -> None:
    assert clean_product(typed) == kept


def test_draft_with_the_product_and_a_walk_in_shop() -> None:
    rec = build(Goal.SALES, Strategy.MICRO, business=BusinessKind.WALK_IN, niche="Kecantikan")
    c = candidate(2, 40_000, 1_200_000, platform=Platform.TIKTOK, niche="Kecantikan")
    text = draft_message(
        rec.brief, c, owner_name="Dewi", today=TODAY, product="facial & <peeling>"
    ).plain
    assert "pemilik usaha kecantikan di Medan yang menjual facial & <peeling>." in text
    assert "1 video TikTok yang mengulas facial & <peeling>" in text
    assert "datang mencoba langsung" in text and "kami kirim" not in text
    html = draft_message(rec.brief, c, owner_name="Dewi", today=TODAY, product="<b>").html
    assert "<b>" not in html  # the owner's words are escaped inside the <code> block


@pytest.mark.parametrize(
    ("platform", "fmt", "phrase", "shown"),
    [
        (Platform.INSTAGRAM, "story", "1 story Instagram", "/story"),
        (Platform.INSTAGRAM, "feed", "1 postingan feed Instagram", "/feed"),
        (Platform.INSTAGRAM, "reels", "1 Reels Instagram", "/posting"),  # the main format
        (Platform.FACEBOOK, "reels", "1 Reels Facebook", "/reels"),
        (Platform.TIKTOK, "story", "1 story TikTok", "/story"),
    ],
)
def test_draft_and_contacts_name_the_format_bought_from_a_rate_card(
    platform: Platform, fmt: str, phrase: str, shown: str
) -> None:
    rec = build(Goal.ENGAGEMENT, Strategy.MICRO, platform=platform)
    portfolio = rec.portfolio()
    assert portfolio is not None
    first = portfolio.picks[0]
    c = replace(
        first.candidate,
        platform=platform,
        price_idr=150_000,
        formats=((fmt, 150_000), ("video", 2_000_000)),
        content_format=fmt,
        self_reported=True,
    )
    picks = (replace(first, candidate=c), *portfolio.picks[1:])
    rec = replace(
        rec, portfolios={**rec.portfolios, Strategy.MICRO: replace(portfolio, picks=picks)}
    )
    draft = draft_message(rec.brief, c, owner_name="Sari", today=TODAY).plain
    assert phrase in draft and "Rp150.000 sesuai rate card Kakak" in draft
    assert "rate card kalau ada" not in draft and "per posting" not in draft
    contacts = contacts_view(1, rec, 0).text
    line = next(x for x in contacts.splitlines() if x.startswith("1. "))
    assert f"Rp150.000{shown} · belum diverifikasi" in line
    # the other accounts keep the usual wording
    plain = draft_message(rec.brief, portfolio.picks[1].candidate, owner_name="", today=TODAY)
    assert "per posting" in plain.plain and "rate card kalau ada" in plain.plain
