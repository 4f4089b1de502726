"""Figures an influencer sends from their own chat, for the offers they accepted.

A line needs no @handle when the influencer has one live offer ("reach 12000 like 800", or
the post's link followed by figures);
a line naming an account that is not theirs is left to the owners' capture, which refuses
it unless the sender manages that campaign. Snapshots are stored with source "influencer"
and the sender's id; the owner's later entry for the same post supersedes them field by
field (the reports' usual "newest wins").
"""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from bot.campaigns.access import CampaignError
from bot.campaigns.performance import SnapshotInput, record_snapshots
from bot.chat.buttons import BadButton, Press, button_data
from bot.chat.person import Person
from bot.chat.replies import Button, Outcome, Reply
from bot.chat.texts import render
from bot.influencers import offers
from bot.influencers.offers import Opened
from bot.language.performance_line import (
    LineError,
    looks_like_performance_line,
    parse_performance_line,
)
from bot.language.post_urls import handle_from_url, post_key_of
from bot.reports.kpi.figures import FIGURE_FIELDS, Figures
from models.base import utcnow
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot
from models.offers import Offer, OfferProof

SOURCE = "influencer"
_HANDLE = re.compile(r"@([A-Za-z0-9._-]{1,64})")
_ENTRY = re.compile(r"[0-9a-f]{32}")  # uuid4 hex, as `record_snapshots` makes them
_URL_ONLY = re.compile(r"(?:@(?P<handle>[A-Za-z0-9._-]{1,64})\s+)?(?P<url>https?://\S{4,490})")


def guided_button(offer_id: int) -> Button:
    """Starts `bot.influencers.guided` (its feature name and START action)."""
    return Button("📝 Isi angka langkah demi langkah", button_data("ireport", "start", offer_id))


def live_offers(session: Session, *, user_id: int) -> list[Opened]:
    return [
        o for o in offers.accepted_offers(session, user_id=user_id) if o.campaign.status == "active"
    ]


def influencer_text(session: Session, person: Person, text: str) -> Outcome | None:
    """A post link or a figures line for one of the sender's accepted offers, else None."""
    live = live_offers(session, user_id=person.id)
    if not live:
        return None
    stripped = text.strip()
    link = _URL_ONLY.fullmatch(stripped)
    if link is not None:
        return _post_link(session, live, link["handle"], link["url"])
    line = stripped
    if not stripped.startswith("@"):  # their own account is meant, link or not
        handles = {o.member.handle for o in live}
        if len(handles) > 1 and looks_like_performance_line(f"@x {stripped}"):
            return Outcome().add(Reply(render("influencer_report", view="which", live=live)))
        line = f"@{live[0].member.handle} {stripped}"
    if not looks_like_performance_line(line):
        return None
    parsed = parse_performance_line(line)
    if isinstance(parsed, LineError):
        return Outcome().add(
            Reply(render("line_error", code=parsed.code, detail=parsed.detail, handle=None))
        )
    mine = [o for o in live if o.member.handle == parsed.handle]
    if not mine:
        return None  # not their account: the owners' capture decides (and refuses strangers)
    opened = mine[0]
    member = opened.member
    if parsed.post_url and not member.post_url:
        member.post_url = parsed.post_url[:500]
        session.add(member)
    return record_for_offer(session, person, opened, parsed.figures, parsed.post_url)


def record_for_offer(
    session: Session, person: Person, opened: Opened, figures: Figures, post_url: str | None
) -> Outcome:
    """Store the influencer's figures for their accepted offer and tell the owner."""
    member = opened.member
    post_url = post_url or member.post_url
    item = SnapshotInput(member, figures, utcnow(), post_key_of(post_url) if post_url else "")
    try:
        entry_id = record_snapshots(session, [item], source=SOURCE, reported_by=person.id)
    except CampaignError as exc:
        problems = exc.params.get("problems", [])
        refused = render(
            "line_refused", problems=problems, handle=member.handle, followers=member.followers
        )
        return Outcome().add(Reply(refused))
    shown = [
        (name, getattr(figures, name))
        for name in FIGURE_FIELDS
        if getattr(figures, name) is not None
    ]
    context = {"member": member, "campaign": opened.campaign, "figures": shown}
    return (
        Outcome()
        .add(
            Reply(
                render("influencer_report", view="recorded", **context),
                buttons=((Button("↩️ Batalkan", button_data("offer", "undo", entry_id)),),),
            )
        )
        .add(
            Reply(
                render("influencer_report", view="owner_notice", **context),
                chat_id=opened.campaign.owner_user_id,
            )
        )
    )


def _post_link(session: Session, live: list[Opened], handle: str | None, url: str) -> Outcome:
    named = (handle or handle_from_url(url) or "").lower()
    mine = [o for o in live if o.member.handle == named] if named else live
    if not mine or (not named and len({o.member.handle for o in live}) > 1):
        return Outcome().add(Reply(render("influencer_report", view="which", live=live)))
    opened = mine[0]
    opened.member.post_url = url[:500]
    session.add(opened.member)
    session.flush()
    context = {"member": opened.member, "campaign": opened.campaign}
    return (
        Outcome()
        .add(
            Reply(
                render("influencer_report", view="link_saved", **context),
                buttons=((guided_button(opened.offer.id),),),
            )
        )
        .add(
            Reply(
                render("influencer_report", view="link_notice", **context),
                chat_id=opened.campaign.owner_user_id,
            )
        )
    )


def influencer_photo(
    session: Session, person: Person, caption: str, file_id: str
) -> Outcome | None:
    """A screenshot from an influencer with a live offer: kept as proof, the owner told.

    A caption that is a figures line is recorded as well; None when the sender has no live
    offer (the photo is then not something the bot reads).
    """
    live = live_offers(session, user_id=person.id)
    if not live:
        return None
    named = _HANDLE.search(caption)
    mine = [o for o in live if named is None or o.member.handle == named[1].lower()]
    if not mine or (named is None and len({o.member.handle for o in live}) > 1):
        return Outcome().add(Reply(render("influencer_report", view="which_photo", live=live)))
    opened = mine[0]
    proof = OfferProof(offer_id=opened.offer.id, file_id=file_id[:200], caption=caption[:500])
    session.add(proof)
    session.flush()
    context = {"member": opened.member, "campaign": opened.campaign}
    outcome = Outcome()
    if caption.strip():
        recorded = influencer_text(session, person, caption)
        if recorded is not None:
            outcome.replies.extend(recorded.replies)
    view_button = Button("📸 Lihat screenshot", button_data("offer", "proof", proof.id))
    outcome.add(Reply(render("influencer_report", view="proof_saved", **context)))
    return outcome.add(
        Reply(
            render("influencer_report", view="proof_notice", **context),
            buttons=((view_button,),),
            chat_id=opened.campaign.owner_user_id,
        )
    )


def show_proof(session: Session, person: Person, press: Press) -> Outcome:
    """The screenshot, to whoever may change the campaign (a forged id reaches nothing)."""
    proof = session.get(OfferProof, press.id(0))
    offer = session.get(Offer, proof.offer_id) if proof else None
    if proof is None or offer is None:
        return Outcome(toast=render("toast", kind="member_gone"), alert=True)
    offers.managed_member(session, user_id=person.id, member_id=offer.member_id)
    member = session.get(CampaignMember, offer.member_id)
    assert member is not None  # managed_member found it
    caption = render("influencer_report", view="proof_caption", member=member, proof=proof)
    return Outcome().add(Reply(caption, photo_id=proof.file_id))


def undo(session: Session, person: Person, press: Press) -> Outcome:
    """The influencer takes back a line they sent; only rows they reported can go."""
    entry_id = press.args[0] if press.args else ""
    if not _ENTRY.fullmatch(entry_id):
        raise BadButton("not an entry id we make")
    rows = session.exec(
        select(PerformanceSnapshot).where(PerformanceSnapshot.entry_id == entry_id)
    ).all()
    if any(row.reported_by_user_id != person.id for row in rows):
        raise BadButton(f"entry {entry_id} was not reported by user {person.id}")
    if not rows:
        return Outcome(toast=render("toast", kind="undone_already"))
    member = session.get(CampaignMember, rows[0].member_id)
    campaign = session.get(Campaign, member.campaign_id) if member else None
    for row in rows:
        session.delete(row)
    session.flush()
    outcome = Outcome(toast=render("toast", kind="undone")).add(
        Reply(render("influencer_report", view="undone"), edit=True)
    )
    if member is not None and campaign is not None:
        notice = render("influencer_report", view="undone_notice", member=member, campaign=campaign)
        outcome.add(Reply(notice, chat_id=campaign.owner_user_id))
    return outcome


def reported_members(session: Session, *, member_ids: list[int]) -> dict[int, str]:
    """Members whose figures came from the influencer: "influencer", or "corrected" when
    the owner entered figures after the influencer's last report."""
    if not member_ids:
        return {}
    rows = session.exec(
        select(PerformanceSnapshot.member_id, PerformanceSnapshot.source)
        .where(col(PerformanceSnapshot.member_id).in_(member_ids))
        .order_by(col(PerformanceSnapshot.recorded_at), col(PerformanceSnapshot.id))
    ).all()
    out: dict[int, str] = {}
    for member_id, source in rows:
        if source == SOURCE:
            out[member_id] = "influencer"
        elif member_id in out:
            out[member_id] = "corrected"
    return out
