"""Offers to campaign members: invite links, their single use, answers, and member status.

The link carries a random token (`inv_<token>`); only its SHA-256 is stored, so a database
dump cannot be turned into working links. The first account that opens a link is bound to
the offer: the same account may open it again, anyone else is refused.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.campaigns.access import CampaignError, owned_campaign
from models.base import utcnow
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot
from models.offers import (
    OFFER_ACCEPTED,
    OFFER_COUNTERED,
    OFFER_DECLINED,
    OFFER_INVITED,
    OFFER_REVOKED,
    Offer,
)

PAYLOAD_PREFIX = "inv_"
TOKEN_BYTES = 16  # 22 URL-safe characters: the whole payload stays far under Telegram's 64
VALID_FOR = timedelta(days=14)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")
#: answers an influencer can still give (a counter-offer waits for the owner, and may be taken back)
OPEN = frozenset({OFFER_INVITED, OFFER_COUNTERED})


class OfferError(ValueError):
    """A refused request; `code` picks the Indonesian explanation, `params` fill it in."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username or 'bot'}?start={PAYLOAD_PREFIX}{token}"


def is_invite_payload(payload: str) -> bool:
    return payload.startswith(PAYLOAD_PREFIX)


# ---------------------------------------------------------------- the owner's side


def managed_member(session: Session, *, user_id: int, member_id: int) -> CampaignMember:
    """A member of a campaign the user may change; anything else is as good as missing."""
    member = session.get(CampaignMember, member_id)
    if member is None:
        raise CampaignError("member_not_found")
    owned_campaign(session, owner_id=user_id, campaign_id=member.campaign_id)
    return member


def offer_of(session: Session, *, member_id: int) -> Offer | None:
    return session.exec(select(Offer).where(Offer.member_id == member_id)).first()


def invite(
    session: Session, member: CampaignMember, *, now: datetime | None = None
) -> tuple[Offer, str]:
    """A fresh link for the member; returns the offer and the token (shown once, never stored).

    An open, declined, revoked or expired invitation is replaced (the old link stops working);
    an accepted one, or a counter-offer waiting for the owner, must be revoked first.
    """
    now = now or utcnow()
    campaign = session.get(Campaign, member.campaign_id)
    if campaign is None or campaign.status != "active":
        raise OfferError("campaign_ended")
    old = offer_of(session, member_id=member.id)
    if old is not None:
        if old.status in (OFFER_ACCEPTED, OFFER_COUNTERED):
            raise OfferError("answered", status=old.status)
        session.delete(old)
        session.flush()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    offer = Offer(member_id=member.id, token_hash=hash_token(token), expires_at=now + VALID_FOR)
    session.add(offer)
    session.flush()
    return offer, token


def revoke(session: Session, offer: Offer) -> None:
    """The link stops working; an influencer who accepted is no longer the member's reporter."""
    offer.status = OFFER_REVOKED
    offer.updated_at = utcnow()
    session.add(offer)
    session.flush()


def take_counter(session: Session, offer: Offer, member: CampaignMember) -> None:
    """The owner agrees to the influencer's proposed fee: it becomes the member's fee."""
    if offer.status != OFFER_COUNTERED or offer.counter_fee_idr is None:
        raise OfferError("no_counter")
    member.fee_idr = offer.counter_fee_idr
    offer.status = OFFER_ACCEPTED
    offer.updated_at = utcnow()
    session.add_all([member, offer])
    session.flush()


# ---------------------------------------------------------------- the influencer's side


@dataclass(frozen=True)
class Opened:
    offer: Offer
    member: CampaignMember
    campaign: Campaign


def open_link(
    session: Session, *, payload: str, user_id: int, chat_id: int, now: datetime | None = None
) -> Opened:
    """Bind the offer to the account opening the link (first one only) and return it.

    Refusals write nothing: unknown or malformed, revoked, expired, someone else's, or the
    campaign's owner opening their own link (it is meant to be forwarded).
    """
    now = now or utcnow()
    token = payload[len(PAYLOAD_PREFIX) :]
    if not _TOKEN.fullmatch(token):
        raise OfferError("link_unknown")
    offer = session.exec(select(Offer).where(Offer.token_hash == hash_token(token))).first()
    opened = _opened(session, offer, missing="link_unknown")
    offer, member, campaign = opened.offer, opened.member, opened.campaign
    if offer.influencer_user_id is not None and offer.influencer_user_id != user_id:
        raise OfferError("link_used")
    if offer.influencer_user_id is None:
        if offer.expires_at <= now:
            raise OfferError("link_expired")
        if campaign.status != "active":
            raise OfferError("campaign_ended")
        if campaign.owner_user_id == user_id:
            raise OfferError("own_link")
        # Bind only if still unbound: of two accounts opening at once, one wins.
        bound = session.execute(
            update(Offer)
            .where(col(Offer.id) == offer.id, col(Offer.influencer_user_id).is_(None))
            .values(influencer_user_id=user_id, influencer_chat_id=chat_id, updated_at=now)
        )
        if bound.rowcount != 1:  # type: ignore[attr-defined]
            raise OfferError("link_used")
        session.refresh(offer)
    return Opened(offer, member, campaign)


def my_offer(session: Session, *, user_id: int, offer_id: int) -> Opened:
    """An offer bound to this account; another's (a forged button) reads as missing."""
    offer = session.get(Offer, offer_id)
    if offer is not None and offer.influencer_user_id != user_id:
        offer = None
    return _opened(session, offer, missing="offer_not_found")


def _opened(session: Session, offer: Offer | None, *, missing: str) -> Opened:
    """The offer with its member and campaign; gone (`missing`) or revoked is refused."""
    member = session.get(CampaignMember, offer.member_id) if offer else None
    campaign = session.get(Campaign, member.campaign_id) if member else None
    if offer is None or member is None or campaign is None:
        raise OfferError(missing)
    if offer.status == OFFER_REVOKED:
        raise OfferError("link_revoked")
    return Opened(offer, member, campaign)


def answer(session: Session, opened: Opened, status: str, *, fee: int | None = None) -> None:
    """Accept, decline or counter an open offer (an answered one stays as it is)."""
    offer = opened.offer
    if offer.status not in OPEN:
        raise OfferError("answered", status=offer.status)
    if opened.campaign.status != "active":
        raise OfferError("campaign_ended")
    offer.status = status
    offer.counter_fee_idr = fee if status == OFFER_COUNTERED else offer.counter_fee_idr
    offer.updated_at = utcnow()
    session.add(offer)
    session.flush()


# Built once: this runs for every text message, and nearly every sender has no offer at all.
_HAS_ACCEPTED = (
    sa_select(col(Offer.id))
    .where(
        col(Offer.influencer_user_id) == bindparam("user_id"), col(Offer.status) == OFFER_ACCEPTED
    )
    .limit(1)
)


def accepted_offers(session: Session, *, user_id: int) -> list[Opened]:
    """The live offers this account accepted, newest first (where their figures can go)."""
    if session.execute(_HAS_ACCEPTED, {"user_id": user_id}).first() is None:
        return []
    rows = session.exec(
        select(Offer, CampaignMember, Campaign)
        .join(CampaignMember, col(CampaignMember.id) == Offer.member_id)
        .join(Campaign, col(Campaign.id) == CampaignMember.campaign_id)
        .where(Offer.influencer_user_id == user_id, Offer.status == OFFER_ACCEPTED)
        .order_by(col(Offer.id).desc())
    ).all()
    return [Opened(o, m, c) for o, m, c in rows]


def offers_of_user(session: Session, *, user_id: int) -> list[Opened]:
    rows = session.exec(
        select(Offer, CampaignMember, Campaign)
        .join(CampaignMember, col(CampaignMember.id) == Offer.member_id)
        .join(Campaign, col(Campaign.id) == CampaignMember.campaign_id)
        .where(Offer.influencer_user_id == user_id)
        .order_by(col(Offer.id))
    ).all()
    return [Opened(o, m, c) for o, m, c in rows]


# ---------------------------------------------------------------- status in the campaign view


def member_statuses(
    session: Session,
    campaign: Campaign,
    members: list[CampaignMember],
    *,
    now: datetime | None = None,
) -> dict[int, str]:
    """Each invited member's status word: derived from the offer, the post and the campaign."""
    now = now or utcnow()
    ids = [m.id for m in members]
    if not ids:
        return {}
    offers = {
        o.member_id: o for o in session.exec(select(Offer).where(col(Offer.member_id).in_(ids)))
    }
    reported = set(
        session.exec(
            select(PerformanceSnapshot.member_id).where(
                col(PerformanceSnapshot.member_id).in_(list(offers))
            )
        ).all()
    )
    out: dict[int, str] = {}
    for member in members:
        offer = offers.get(member.id)
        if offer is None:
            continue
        out[member.id] = _status(offer, member, campaign, live=member.id in reported, now=now)
    return out


def _status(
    offer: Offer, member: CampaignMember, campaign: Campaign, *, live: bool, now: datetime
) -> str:
    if offer.status == OFFER_ACCEPTED:
        if campaign.status != "active":
            return "selesai"
        return "tayang" if live or member.post_url else "diterima"
    if offer.status == OFFER_DECLINED:
        return "ditolak"
    if offer.status == OFFER_REVOKED:
        return "dicabut"
    if offer.status == OFFER_COUNTERED:
        return "minta fee lain"
    if offer.influencer_user_id is None and offer.expires_at <= now:
        return "kedaluwarsa"
    return "diundang"
