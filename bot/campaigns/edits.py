"""Changing a campaign: add and remove influencers, edit name, budget or dates, end, delete.

Removing, ending and deleting ask for a confirmation first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from bot.campaigns.access import CampaignError, owned_campaign
from bot.campaigns.actions import Action, Step, make
from bot.campaigns.forms import (
    CampaignState,
    ask,
    budget_answer,
    dates_answer,
    expired,
    state,
)
from bot.campaigns.guard import CampaignButton, answering, page_at
from bot.campaigns.members import (
    DEFAULT_CONTENT,
    add_member,
    add_own_member,
    find_in_store,
    members_of,
    remove_member,
)
from bot.campaigns.plans import delete_campaign, end_campaign, update_campaign
from bot.campaigns.views import detail_reply
from bot.chat import flow
from bot.chat.buttons import Press
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply, page_of, pager, rows
from bot.chat.texts import render, to_plain
from bot.domain import Platform
from bot.language.money import parse_amount, parse_count
from bot.language.platforms import parse_platform
from models.campaigns import MEMBER_OWN, Campaign, CampaignMember

MEMBERS_PAGE = 20  # buttons to pick a member (Telegram allows about 100 in a message)
_CONTENT_WORDS = {
    "reel": "reels", "reels": "reels", "feed": "feed", "post": "feed", "foto": "feed", "carousel": "feed",
    "story": "story", "stories": "story", "sw": "story", "video": "video", "vt": "video",
    "live": "live", "shorts": "shorts", "short": "shorts",
}  # fmt: skip
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_COUNT = r"-?\d[\d.,]*\s*(?:rb|ribu|k|jt|juta|m|miliar)?"
_FOLLOWER_WORD = r"(?:followers?|follower|pengikut|subscribers?|subs|fol)"
_NOT_MONEY = r"(?<![\d.,])(?<![Rr][Pp])(?<![Rr][Pp]\s)"
#: most explicit first: "pengikut: 12rb", then "12rb pengikut", then "pengikut 12rb"
_FOLLOWERS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b{_FOLLOWER_WORD}\s*[:=]\s*(?P<count>{_COUNT})",
        rf"{_NOT_MONEY}(?P<count>{_COUNT})\s*{_FOLLOWER_WORD}\b",
        rf"\b{_FOLLOWER_WORD}\s+(?P<count>{_COUNT})",
    )
)
_FOLLOWER_ALONE = re.compile(rf"\b{_FOLLOWER_WORD}\b", re.IGNORECASE)
CLEAR_BRIEF = frozenset({"-", "hapus", "kosongkan", "tidak ada", "ga ada", "gak ada"})
_FEE_WORDS = frozenset({"fee", "harga", "rate", "bayar", "dibayar"})


def apply_edit(
    session: Session,
    person: Person,
    form: CampaignState,
    *,
    name: str | None = None,
    budget: int | None = None,
    start: date | None = None,
    end: date | None = None,
    brief: str | None = None,
) -> Outcome:
    campaign = owned_campaign(session, owner_id=person.id, campaign_id=form.campaign_id)
    update_campaign(session, campaign, name=name, budget=budget, start=start, end=end, brief=brief)
    flow.leave(session, person)
    return (
        Outcome()
        .add(Reply(render("campaign_done", action="updated")))
        .add(detail_reply(session, campaign, edit=False))
    )


# ---------------------------------------------------------------- influencers


@dataclass(frozen=True)
class MemberLine:
    """What one "add an influencer" message said."""

    handle: str
    platform: Platform | None
    fee: int | None
    content: str | None
    url: str | None
    followers: int | None


def _followers(text: str) -> tuple[int | None, str]:
    """The follower count the line gives ("12rb followers", "pengikut 12.000"), and the rest."""
    match = next((m for p in _FOLLOWERS if (m := p.search(text)) is not None), None)
    if match is None:
        word = _FOLLOWER_ALONE.search(text)
        if word is not None:  # "banyak pengikut": a count was meant but none can be read
            raise CampaignError("followers_unreadable", text=text.strip()[:40])
        return None, text
    count = parse_count(match.group("count"))
    if count is None or count <= 0:
        raise CampaignError("followers_unreadable", text=match.group(0).strip()[:40])
    return count, text[: match.start()] + " " + text[match.end() :]


def parse_member_line(text: str) -> MemberLine:
    """ "@handle [platform] fee [content type] [followers] [post link]" in any order after
    the handle."""
    url_match = _URL.search(text)
    url = url_match.group(0) if url_match else None
    rest = _URL.sub(" ", text)
    tokens = rest.split()
    if not tokens or not tokens[0].startswith("@") or len(tokens[0]) < 2:
        raise CampaignError("no_handle")
    handle = tokens[0][1:].lower().rstrip(",.")
    followers, rest = _followers(" ".join(tokens[1:]))
    platform = None
    content = None
    amount_words = []
    for token in rest.split():
        word = token.lower().strip(",.:")
        if word in _CONTENT_WORDS and content is None:
            content = _CONTENT_WORDS[word]
        elif platform is None and word.isalpha() and parse_platform(word) is not None:
            platform = parse_platform(word)
        elif word in _FEE_WORDS:
            continue
        else:
            amount_words.append(token)
    fee = parse_amount(" ".join(amount_words)) if amount_words else None
    if amount_words and fee is None:
        raise CampaignError("fee_unreadable", text=" ".join(amount_words)[:40])
    return MemberLine(handle, platform, fee, content, url, followers)


def ask_member(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    form = CampaignState(campaign_id=campaign.id)
    return Outcome().add(ask(session, person, Step.ADD_MEMBER, form, "member"))


@answering
def member_text(session: Session, person: Person, text: str) -> Outcome:
    """A store account by its handle, or the owner's own account (handle, platform, fee)."""
    form = state(session, person, CampaignState)
    if form is None:
        return expired(session, person)
    campaign = owned_campaign(session, owner_id=person.id, campaign_id=form.campaign_id)
    line = parse_member_line(text)
    if line.fee is None:
        raise CampaignError("fee_missing")
    try:
        influencer = find_in_store(session, handle=line.handle, platform=line.platform)
    except CampaignError as exc:
        if exc.code != "influencer_not_found":
            raise
        influencer = None
    if influencer is not None:
        platform = Platform(influencer.platform)
        member = add_member(
            session,
            campaign,
            handle=line.handle,
            fee=line.fee,
            content_type=line.content or DEFAULT_CONTENT[platform],
            platform=platform,
            post_url=line.url,
        )
    elif line.platform is None:
        raise CampaignError("own_needs_platform", handle=line.handle[:40], fee=line.fee)
    else:
        member = add_own_member(
            session,
            campaign,
            handle=line.handle,
            platform=line.platform,
            fee=line.fee,
            content_type=line.content or DEFAULT_CONTENT[line.platform],
            followers=line.followers,
            post_url=line.url,
        )
    done = render(
        "campaign_done",
        action="added",
        handle=member.handle,
        fee=member.fee_idr,
        own=member.source == MEMBER_OWN,
        followers=member.followers,
    )
    flow.leave(session, person)
    return Outcome().add(Reply(done)).add(detail_reply(session, campaign, edit=False))


def pick_member(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    """The members as buttons, a page at a time, to pick the one to remove."""
    cid = campaign.id
    members, page, pages = page_of(
        members_of(session, campaign_id=cid), page_at(press, 1), MEMBERS_PAGE
    )
    buttons = [Button(f"@{m.handle}"[:40], make(Action.REMOVE_MEMBER, cid, m.id)) for m in members]
    nav = pager(page, pages, lambda p: make(Action.REMOVE, cid, p))
    keyboard = (
        *rows(*buttons, per_row=2),
        *((nav,) if nav else ()),
        (Button("⬅ Kembali", make(Action.DETAIL, cid)),),
    )
    text = detail_reply(session, campaign, edit=True).text
    return Outcome().add(Reply(text, buttons=keyboard, edit=True))


def _member(session: Session, campaign: Campaign, press: Press) -> CampaignMember:
    member = session.get(CampaignMember, press.id(1))
    if member is None or member.campaign_id != campaign.id:
        raise CampaignError("member_not_found", handle="?")
    return member


def confirm_remove(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    member = _member(session, campaign, press)
    keyboard = rows(
        Button("Ya, keluarkan", make(Action.CONFIRM_REMOVE, campaign.id, member.id)),
        Button("Batal", make(Action.DETAIL, campaign.id)),
    )
    text = render("campaign_confirm", action="remove", campaign=campaign, member=member)
    return Outcome().add(Reply(text, buttons=keyboard, edit=True))


def remove(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    member = _member(session, campaign, press)
    handle = member.handle
    remove_member(session, member)
    toast = to_plain(render("campaign_done", action="removed", handle=handle))
    return Outcome(toast=toast).add(detail_reply(session, campaign, edit=True))


# ---------------------------------------------------------------- name, budget, dates


def edit_menu(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    cid = campaign.id
    keyboard = (
        (
            Button("Nama", make(Action.EDIT_NAME, cid)),
            Button("Budget", make(Action.EDIT_BUDGET, cid)),
            Button("Tanggal", make(Action.EDIT_DATES, cid)),
        ),
        (Button("📝 Brief untuk influencer", make(Action.EDIT_BRIEF, cid)),),
        (Button("⬅ Kembali", make(Action.DETAIL, cid)),),
    )
    text = detail_reply(session, campaign, edit=True).text
    return Outcome().add(Reply(text, buttons=keyboard, edit=True))


def _asking(step: Step, field: str) -> CampaignButton:
    def run(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
        form = CampaignState(campaign_id=campaign.id)
        return Outcome().add(ask(session, person, step, form, field))

    return run


ask_name = _asking(Step.EDIT_NAME, "name")
ask_budget = _asking(Step.EDIT_BUDGET, "budget")
ask_dates = _asking(Step.EDIT_DATES, "dates")
ask_brief = _asking(Step.EDIT_BRIEF, "brief")


@answering
def name_text(session: Session, person: Person, text: str) -> Outcome:
    form = state(session, person, CampaignState)
    return (
        expired(session, person) if form is None else apply_edit(session, person, form, name=text)
    )


@answering
def brief_text(session: Session, person: Person, text: str) -> Outcome:
    """The influencers' brief; "-" or "hapus" clears it."""
    form = state(session, person, CampaignState)
    if form is None:
        return expired(session, person)
    brief = "" if text.strip().casefold() in CLEAR_BRIEF else text
    return apply_edit(session, person, form, brief=brief)


def _new_budget(session: Session, person: Person, form: CampaignState, budget: int) -> Outcome:
    return apply_edit(session, person, form, budget=budget)


budget_text = budget_answer(CampaignState, _new_budget)


def _new_dates(
    session: Session, person: Person, form: CampaignState, start: date, end: date
) -> Outcome:
    return apply_edit(session, person, form, start=start, end=end)


dates_text = dates_answer(Step.EDIT_DATES, CampaignState, _new_dates)


# ---------------------------------------------------------------- end, delete


def _confirmation(kind: str, yes: Action) -> CampaignButton:
    def run(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
        keyboard = rows(
            Button("Ya", make(yes, campaign.id)), Button("Batal", make(Action.DETAIL, campaign.id))
        )
        text = render("campaign_confirm", action=kind, campaign=campaign)
        return Outcome().add(Reply(text, buttons=keyboard, edit=True))

    return run


confirm_end = _confirmation("end", Action.CONFIRM_END)
confirm_delete = _confirmation("delete", Action.CONFIRM_DELETE)


def end(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    end_campaign(session, campaign)
    toast = to_plain(render("campaign_done", action="ended", name=campaign.name))
    return Outcome(toast=toast).add(detail_reply(session, campaign, edit=True))


def delete(session: Session, person: Person, campaign: Campaign, press: Press) -> Outcome:
    name = campaign.name
    delete_campaign(session, campaign)
    return Outcome().add(Reply(render("campaign_done", action="deleted", name=name), edit=True))
