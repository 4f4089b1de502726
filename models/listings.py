"""Queries on self-listed accounts: claims, refused claims, rate cards and the listing row.

The bot layer computes the row's values and its search entries (they rest on domain
estimates); these functions only read and write, in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from models.base import utcnow
from models.campaigns import CampaignMember
from models.influencers import (
    GLOBAL_SCOPE,
    SELF_SOURCE,
    ClaimRequest,
    Influencer,
    InfluencerClaim,
    InfluencerNiche,
    RateCard,
)
from models.revision import bump_store_revision

_NICHE = SQLModel.metadata.tables[InfluencerNiche.__tablename__]


@dataclass(frozen=True)
class Listing:
    """A claimed account as its holder sees it: the claim, its store row and rate card."""

    claim: InfluencerClaim
    influencer: Influencer | None  # None once the operator's store no longer has the row
    rates: tuple[tuple[str, int], ...]


def claim_of(session: Session, *, platform: str, handle: str) -> InfluencerClaim | None:
    return session.exec(
        select(InfluencerClaim).where(
            col(InfluencerClaim.platform) == platform, col(InfluencerClaim.handle) == handle
        )
    ).first()


def claims_of_user(session: Session, *, user_id: int) -> list[InfluencerClaim]:
    return list(
        session.exec(
            select(InfluencerClaim)
            .where(col(InfluencerClaim.user_id) == user_id)
            .order_by(col(InfluencerClaim.id))
        ).all()
    )


def rates_of(session: Session, *, influencer_id: int) -> tuple[tuple[str, int], ...]:
    rows = session.execute(
        select(col(RateCard.format), col(RateCard.price_idr)).where(
            col(RateCard.influencer_id) == influencer_id
        )
    ).all()
    return tuple((fmt, price) for fmt, price in rows)


def listings_of_user(session: Session, *, user_id: int) -> list[Listing]:
    out = []
    for claim in claims_of_user(session, user_id=user_id):
        row = session.get(Influencer, claim.influencer_id) if claim.influencer_id else None
        out.append(Listing(claim, row, rates_of(session, influencer_id=row.id) if row else ()))
    return out


def global_row(session: Session, *, platform: str, handle: str) -> Influencer | None:
    return session.exec(
        select(Influencer).where(
            col(Influencer.scope) == GLOBAL_SCOPE,
            col(Influencer.platform) == platform,
            col(Influencer.handle) == handle,
        )
    ).first()


def take_claim(
    session: Session, *, platform: str, handle: str, user_id: int, chat_id: int
) -> InfluencerClaim | None:
    """The account's claim on (platform, handle): existing, or new; None if another holds it.

    A new claim is inserted in a savepoint, so of two accounts claiming at once one wins and
    the other's transaction carries on (to record its refused claim).
    """
    claim = claim_of(session, platform=platform, handle=handle)
    if claim is not None:
        return claim if claim.user_id == user_id else None
    claim = InfluencerClaim(platform=platform, handle=handle, user_id=user_id, chat_id=chat_id)
    try:
        with session.begin_nested():
            session.add(claim)
    except IntegrityError:
        other = claim_of(session, platform=platform, handle=handle)
        return other if other is not None and other.user_id == user_id else None
    return claim


def record_request(
    session: Session, *, platform: str, handle: str, user_id: int, chat_id: int
) -> None:
    """A refused claim kept for the operator, once per (account, handle)."""
    exists = session.execute(
        select(func.count())
        .select_from(ClaimRequest)
        .where(
            col(ClaimRequest.platform) == platform,
            col(ClaimRequest.handle) == handle,
            col(ClaimRequest.user_id) == user_id,
        )
    ).scalar_one()
    if exists:
        return
    try:
        with session.begin_nested():
            session.add(
                ClaimRequest(platform=platform, handle=handle, user_id=user_id, chat_id=chat_id)
            )
    except IntegrityError:
        pass  # recorded by a concurrent press of the same button


def drop_requests(
    session: Session, *, platform: str, handle: str, user_id: int | None = None
) -> int:
    """Refused claims of a handle (of one account, or all) that no longer wait."""
    query = delete(ClaimRequest).where(
        col(ClaimRequest.platform) == platform, col(ClaimRequest.handle) == handle
    )
    if user_id is not None:
        query = query.where(col(ClaimRequest.user_id) == user_id)
    return int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]


def upsert_listing(
    session: Session,
    *,
    values: dict[str, Any],
    entries: list[dict[str, Any]],
    rates: dict[str, int],
    now: datetime | None = None,
) -> Influencer:
    """Write the global row for (platform, handle), its search entries and its rate card.

    `values` are the row's columns; the row becomes self-sourced and unverified (an edit
    voids an earlier verification, since the figures changed).
    """
    now = now or utcnow()
    row = global_row(session, platform=values["platform"], handle=values["handle"])
    if row is not None and row.source != SELF_SOURCE:
        # an imported account takes a rate card: searches kept it among the accounts
        # without one (bot.advisor.search_cache), so they must be made again
        bump_store_revision(session)
    if row is None:
        row = Influencer(scope=GLOBAL_SCOPE, **values)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    row.source = SELF_SOURCE
    row.verified_at = None
    row.updated_at = now
    session.add(row)
    session.flush()
    session.execute(delete(_NICHE).where(_NICHE.c.influencer_id == row.id))
    if entries:
        session.execute(
            insert(_NICHE),
            [
                {"influencer_id": row.id, "platform": row.platform, "scope": GLOBAL_SCOPE, **e}
                for e in entries
            ],
        )
    session.execute(delete(RateCard).where(col(RateCard.influencer_id) == row.id))
    session.add_all(
        RateCard(influencer_id=row.id, format=fmt, price_idr=price) for fmt, price in rates.items()
    )
    session.flush()
    return row


def bind_claim(session: Session, claim: InfluencerClaim, *, influencer_id: int) -> None:
    claim.influencer_id = influencer_id
    session.add(claim)
    session.flush()


def remove_listing(session: Session, claim: InfluencerClaim) -> bool:
    """Give up a claimed account; True when its store row was deleted too.

    A self-sourced row goes (campaign members keep their own copy and lose only the link,
    as with the sample store); a row the operator has since re-imported stays, without this
    account's rate card. The claim and the account's refused claims of it go either way.
    """
    deleted = False
    row = session.get(Influencer, claim.influencer_id) if claim.influencer_id else None
    if row is not None:
        session.execute(delete(RateCard).where(col(RateCard.influencer_id) == row.id))
        if row.source == SELF_SOURCE:
            session.execute(
                update(CampaignMember)
                .where(col(CampaignMember.influencer_id) == row.id)
                .values(influencer_id=None)
            )
            session.execute(delete(_NICHE).where(_NICHE.c.influencer_id == row.id))
            session.delete(row)
            deleted = True
        else:  # the imported account stays, without its rate card: searches must see it
            bump_store_revision(session)
    session.delete(claim)
    session.flush()
    return deleted


def forget_listings(session: Session, *, user_id: int, chat_id: int) -> None:
    """Everything listed from one account or chat (for /hapusdata): listings, claims,
    refused claims."""
    claims = session.exec(
        select(InfluencerClaim).where(
            or_(col(InfluencerClaim.user_id) == user_id, col(InfluencerClaim.chat_id) == chat_id)
        )
    ).all()
    for claim in claims:
        remove_listing(session, claim)
    session.execute(
        delete(ClaimRequest).where(
            or_(col(ClaimRequest.user_id) == user_id, col(ClaimRequest.chat_id) == chat_id)
        )
    )
    session.flush()


def requests_of_user(session: Session, *, user_id: int) -> list[ClaimRequest]:
    return list(
        session.exec(select(ClaimRequest).where(col(ClaimRequest.user_id) == user_id)).all()
    )


def all_claims(session: Session) -> list[tuple[InfluencerClaim, Influencer | None]]:
    rows = session.execute(
        select(InfluencerClaim, Influencer)
        .join(Influencer, col(Influencer.id) == InfluencerClaim.influencer_id, isouter=True)
        .order_by(col(InfluencerClaim.platform), col(InfluencerClaim.handle))
    ).all()
    return [(claim, row) for claim, row in rows]


def all_requests(session: Session) -> list[ClaimRequest]:
    return list(session.exec(select(ClaimRequest).order_by(col(ClaimRequest.created_at))).all())
