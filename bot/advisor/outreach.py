"""Reaching the recommended accounts: the contact view and the outreach message draft.

The contact view lists a page of the chosen portfolio with link buttons (WhatsApp, the
account's profile) and a "Tulis pesan ajakan" button each; the draft is the message the owner
forwards, in a <code> block so one tap copies it (and a copy button when it is short enough).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

from bot.advisor.contacts import ContactLinks, contact_links
from bot.advisor.engine.formats import shown_format
from bot.advisor.engine.results import Pick, Recommendation
from bot.advisor.view import Action, make
from bot.chat.replies import COPY_TEXT_LIMIT, Button, Reply, page_of, pager
from bot.chat.texts import render, to_plain
from bot.domain import PLATFORM_LABELS, REGULATED_NICHES, Brief, Candidate

#: posting window proposed in the draft, from today in the owner's zone
POSTING_DAYS = 14
PAGE_SIZE = 5
#: a WhatsApp link with the draft filled in stays under this (long URLs fail on some clients)
PREFILLED_URL_MAX = 2000

#: which registration a regulated niche's product needs before it is advertised
REGISTRATION = {
    "Kuliner": "PIRT/BPOM",
    "Kecantikan": "BPOM",
    "Kesehatan & Kebugaran": "BPOM",
}
assert set(REGISTRATION) == REGULATED_NICHES


@dataclass(frozen=True)
class Draft:
    """The outreach message for one account, as HTML-escaped text and as plain text."""

    html: str
    plain: str


#: what the owner sells, kept with the recommendation once asked ("" = they skipped it)
PRODUCT_KEY = "outreach_product"
PRODUCT_MAX = 60


def clean_product(text: str) -> str | None:
    """The product's name as the owner typed it, or None when it cannot be one."""
    product = " ".join(text.split()).strip(" .,!")
    if not 2 <= len(product) <= PRODUCT_MAX or product.startswith(("/", "@", "http")):
        return None
    if not any(ch.isalpha() for ch in product):
        return None
    return product


def draft_message(
    brief: Brief, candidate: Candidate, *, owner_name: str, today: date, product: str = ""
) -> Draft:
    """The message in natural Indonesian: who writes, what, when, for how much, the rules."""
    html = render(
        "outreach_draft",
        brief=brief,
        c=candidate,
        product=product,
        owner=" ".join(owner_name.split()),
        start=today + timedelta(days=1),
        end=today + timedelta(days=POSTING_DAYS),
        registration=REGISTRATION.get(brief.niche),
    )
    return Draft(html=html, plain=to_plain(html))


def _picks(rec: Recommendation) -> tuple[Pick, ...]:
    portfolio = rec.portfolio()
    return portfolio.picks if portfolio else ()


def pick_at(rec: Recommendation, index: int) -> Pick | None:
    """The chosen portfolio's account at `index` (0-based), None when out of range."""
    picks = _picks(rec)
    return picks[index] if 0 <= index < len(picks) else None


def _link_buttons(n: int, c: Candidate, links: ContactLinks) -> tuple[Button, ...]:
    buttons = []
    if links.whatsapp:
        buttons.append(Button(f"{n}. 💬 WhatsApp", url=links.whatsapp))
    if links.telegram:
        buttons.append(Button(f"{n}. ✈️ Telegram", url=links.telegram))
    if links.profile:
        buttons.append(Button(f"{n}. 👤 {PLATFORM_LABELS[c.platform]}", url=links.profile))
    return tuple(buttons)


def contacts_view(rec_id: int, rec: Recommendation, page: int) -> Reply:
    """A page of the portfolio's accounts with their contact links and the draft button."""
    picks, page, pages = page_of(list(_picks(rec)), page, PAGE_SIZE)
    first = page * PAGE_SIZE
    entries = []
    keyboard: list[tuple[Button, ...]] = []
    for offset, pick in enumerate(picks):
        c = pick.candidate
        links = contact_links(c.platform, c.handle, c.contact)
        n = first + offset + 1
        entries.append((n, c, links, shown_format(c)))
        row = _link_buttons(n, c, links)
        if row:
            keyboard.append(row)
        keyboard.append((Button(f"✍️ Tulis pesan ajakan ({n})", make(Action.DRAFT, rec_id, n - 1)),))
    text = render("outreach_contacts", brief=rec.brief, entries=entries, page=page, pages=pages)
    nav = pager(page, pages, lambda p: make(Action.CONTACTS, rec_id, p))
    if nav:
        keyboard.append(nav)
    keyboard.append((Button("⬅ Kembali ke rekomendasi", make(Action.MAIN, rec_id, page)),))
    return Reply(text=text, buttons=tuple(keyboard), edit=True)


def product_question(rec_id: int, index: int, *, error: bool = False) -> Reply:
    """One short question before the first draft; skipping it keeps the wording general."""
    skip = Button("Lewati", make(Action.SKIP_PRODUCT, rec_id, index))
    return Reply(render("outreach_product", error=error, limit=PRODUCT_MAX), buttons=((skip,),))


def draft_view(rec_id: int, rec: Recommendation, index: int, draft: Draft) -> Reply:
    """The draft as a message of its own, below the contact view, to copy or send."""
    pick = pick_at(rec, index)
    assert pick is not None, "draft_view needs an account of the portfolio"
    c = pick.candidate
    links = contact_links(c.platform, c.handle, c.contact)
    buttons: list[tuple[Button, ...]] = []
    if len(draft.plain) <= COPY_TEXT_LIMIT:
        buttons.append((Button("📋 Salin pesan", copy_text=draft.plain),))
    if links.whatsapp:
        url = f"{links.whatsapp}?text={quote(draft.plain)}"
        if len(url) > PREFILLED_URL_MAX:  # too long for some clients: open the chat empty
            url = links.whatsapp
        buttons.append((Button("💬 Kirim lewat WhatsApp", url=url),))
    elif links.telegram:
        buttons.append((Button("✈️ Kirim lewat Telegram", url=links.telegram),))
    elif links.profile:
        buttons.append((Button(f"👤 Buka {PLATFORM_LABELS[c.platform]}", url=links.profile),))
    # no way back from here: the contact view is the message above, and this one must stay
    # so the owner can still copy it
    buttons.append((Button("✏️ Ganti nama produk", make(Action.PRODUCT, rec_id, index)),))
    text = render("outreach_draft_reply", c=c, draft=draft.html, email=links.email)
    return Reply(text=text, buttons=tuple(buttons))
