"""/hapusdata and /privasi: what the bot holds about one person, forgetting it, and how long
everything else is kept (the hourly housekeeping enforces these periods).

Decisions (the Indonesian texts say the same):
- A person's own data goes: account, conversations, every recommendation, their own campaigns
  with members, figures, schedules, runs and reports.
- An agency they own goes with everything in it: staff memberships, clients, invite links,
  broadcasts and their outbox rows, its influencer list and every campaign run for it.
- As staff of someone else's agency they leave the team; the campaigns they ran for that
  agency stay with the agency (handed to its owner), since they are the agency's work.
- As a client they are unlinked: the agency keeps the business name and the campaigns it runs
  for it, but no longer knows their Telegram account and can no longer message them.
- Anything that merely records that they acted (an invite link they created or used, a
  broadcast they composed) keeps the fact and forgets the person.
- Pending and past deliveries to their chat, and the "blocked" mark of their chat, go.
- As an influencer, the offers they opened are unbound from their account (one still open is
  revoked, so its link cannot be used again) and the figures they reported stay in the
  owner's campaign but no longer name them: the results are the owner's, paid for, while the
  account that sent them is theirs. Screenshots they sent as proof go (their own pictures).
- Accounts they listed with /daftar go: a self-listed store row with its rate card (campaign
  members keep their own copy), their claims on handles, and their refused claims waiting
  for the operator. A row the operator has since re-imported stays in the store, unclaimed.
- A performance file or line waiting for them to pick its campaign goes (it goes anyway after
  a day).
Update ids (no content, no user) stay until the housekeeping drops them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlmodel import Session, col

from bot.domain import PLATFORM_LABELS, Platform
from bot.store.upload import agency_scope
from models import listings
from models.agencies import (
    Agency,
    AgencyStaff,
    BlockedChat,
    Broadcast,
    Client,
    InviteLink,
    OutboxMessage,
)
from models.base import rows_affected
from models.campaigns import Campaign, CampaignMember, PerformanceSnapshot, SummarySchedule
from models.conversations import Conversation
from models.influencers import Influencer
from models.offers import OFFER_COUNTERED, OFFER_INVITED, OFFER_REVOKED, Offer, OfferProof
from models.revision import bump_store_revision
from models.uploads import delete_pending_of
from models.users import SavedRecommendation, UserAccount

UNSAVED_RECOMMENDATION_DAYS = 30  # recommendations shown but not saved
UPDATE_ID_DAYS = 7  # update ids remembered against redelivery
BROADCAST_DAYS = 30  # finished broadcasts and their delivery rows
PENDING_UPLOAD_HOURS = 24  # a CSV or line waiting for the owner to pick its campaign
FORGOTTEN = 0  # stands in for a deleted person in "who did it" columns that cannot be empty


@dataclass(frozen=True)
class Footprint:
    """What /hapusdata will remove, for the confirmation question."""

    saved: int
    campaigns: int  # deleted with the account (their own, and those of agencies they own)
    handed_over: int  # run for someone else's agency: stay with that agency
    owned_agencies: tuple[str, ...]
    staff_of: tuple[str, ...]
    client_of: tuple[str, ...]
    offers: tuple[str, ...] = ()  # campaign names of offers sent to them as an influencer
    reported: int = 0  # snapshots they reported as an influencer
    listings: tuple[str, ...] = ()  # "@handle (Platform)" of the accounts they listed
    claim_requests: int = 0  # refused claims waiting for the operator


def _owned_agency_ids(session: Session, user_id: int) -> list[int]:
    return list(
        session.execute(
            select(col(Agency.id)).where(col(Agency.owner_user_id) == user_id)
        ).scalars()
    )


def _handed_over(session: Session, user_id: int, owned: list[int]):
    """Their campaigns that belong to an agency they do not own (and that still exists)."""
    query = (
        select(col(Campaign.id))
        .join(Agency, col(Agency.id) == Campaign.agency_id)
        .where(col(Campaign.owner_user_id) == user_id)
    )
    if owned:
        query = query.where(col(Agency.id).not_in(owned))
    return query


def footprint(session: Session, *, user_id: int) -> Footprint:
    owned = _owned_agency_ids(session, user_id)
    handed = set(session.execute(_handed_over(session, user_id, owned)).scalars())
    doomed = select(col(Campaign.id)).where(col(Campaign.owner_user_id) == user_id)
    if owned:
        doomed = select(col(Campaign.id)).where(
            or_(col(Campaign.owner_user_id) == user_id, col(Campaign.agency_id).in_(owned))
        )
    campaigns = set(session.execute(doomed).scalars()) - handed
    saved = session.execute(
        select(func.count())
        .select_from(SavedRecommendation)
        .where(
            col(SavedRecommendation.user_id) == user_id,
            col(SavedRecommendation.saved_at).is_not(None),
        )
    ).scalar_one()

    def names(query) -> tuple[str, ...]:
        return tuple(sorted(set(session.execute(query).scalars())))

    return Footprint(
        saved=saved,
        campaigns=len(campaigns),
        handed_over=len(handed),
        owned_agencies=names(select(col(Agency.name)).where(col(Agency.owner_user_id) == user_id)),
        staff_of=names(
            select(col(Agency.name))
            .join(AgencyStaff, col(AgencyStaff.agency_id) == Agency.id)
            .where(col(AgencyStaff.user_id) == user_id, col(AgencyStaff.role) != "owner")
        ),
        client_of=names(
            select(col(Agency.name))
            .join(Client, col(Client.agency_id) == Agency.id)
            .where(col(Client.user_id) == user_id)
        ),
        offers=names(
            select(col(Campaign.name))
            .join(CampaignMember, col(CampaignMember.campaign_id) == Campaign.id)
            .join(Offer, col(Offer.member_id) == CampaignMember.id)
            .where(col(Offer.influencer_user_id) == user_id)
        ),
        reported=session.execute(
            select(func.count())
            .select_from(PerformanceSnapshot)
            .where(col(PerformanceSnapshot.reported_by_user_id) == user_id)
        ).scalar_one(),
        listings=tuple(
            f"@{c.handle} ({PLATFORM_LABELS.get(Platform(c.platform), c.platform)})"
            for c in listings.claims_of_user(session, user_id=user_id)
        ),
        claim_requests=len(listings.requests_of_user(session, user_id=user_id)),
    )


def forget_user(session: Session, *, user_id: int, chat_id: int) -> None:
    """Remove or unlink everything that identifies one person, in the caller's transaction."""
    owned = _owned_agency_ids(session, user_id)
    if owned:
        # Everything in their agencies: its campaigns (members, figures, schedules, runs and
        # reports follow by ON DELETE CASCADE), its influencer list, then the agency itself
        # (staff, clients, invite links, broadcasts and outbox rows follow).
        session.execute(delete(Campaign).where(col(Campaign.agency_id).in_(owned)))
        session.execute(
            delete(Influencer).where(col(Influencer.scope).in_([agency_scope(a) for a in owned]))
        )
        bump_store_revision(session)  # searches kept of those lists are void
        session.execute(delete(Agency).where(col(Agency.id).in_(owned)))
    for campaign in session.execute(
        select(Campaign).where(col(Campaign.id).in_(_handed_over(session, user_id, owned)))
    ).scalars():
        agency = session.get(Agency, campaign.agency_id)
        if agency is None:  # the join above found it; a concurrent deletion leaves it theirs
            continue
        campaign.owner_user_id = agency.owner_user_id
        campaign.recommendation_id = None  # their recommendation goes below
        session.add(campaign)
    session.flush()
    session.execute(delete(Campaign).where(col(Campaign.owner_user_id) == user_id))
    session.execute(
        update(SummarySchedule)
        .where(col(SummarySchedule.copy_to_user_id) == user_id)
        .values(copy_to_user_id=None)
    )
    session.execute(delete(AgencyStaff).where(col(AgencyStaff.user_id) == user_id))
    _forget_influencer(session, user_id=user_id)
    listings.forget_listings(session, user_id=user_id, chat_id=chat_id)
    session.execute(
        update(Client)
        .where(or_(col(Client.user_id) == user_id, col(Client.chat_id) == chat_id))
        .values(user_id=None, chat_id=None, joined_at=None, muted=False)
    )
    session.execute(
        update(InviteLink).where(col(InviteLink.used_by) == user_id).values(used_by=None)
    )
    session.execute(
        update(InviteLink).where(col(InviteLink.created_by) == user_id).values(created_by=FORGOTTEN)
    )
    session.execute(
        update(Broadcast).where(col(Broadcast.created_by) == user_id).values(created_by=FORGOTTEN)
    )
    session.execute(
        update(Broadcast)
        .where(col(Broadcast.progress_chat_id) == chat_id)
        .values(progress_chat_id=None)
    )
    session.execute(delete(OutboxMessage).where(col(OutboxMessage.chat_id) == chat_id))
    delete_pending_of(session, user_id=user_id, chat_id=chat_id)
    session.execute(delete(BlockedChat).where(col(BlockedChat.chat_id) == chat_id))
    session.execute(
        delete(SavedRecommendation).where(
            or_(
                col(SavedRecommendation.user_id) == user_id,
                col(SavedRecommendation.chat_id) == chat_id,
            )
        )
    )
    session.execute(
        delete(Conversation).where(
            or_(col(Conversation.user_id) == user_id, col(Conversation.chat_id) == chat_id)
        )
    )
    session.execute(delete(UserAccount).where(col(UserAccount.id) == user_id))
    session.flush()


def _forget_influencer(session: Session, *, user_id: int) -> None:
    """Offers lose the account (an open one is revoked) and their screenshots, reported
    figures lose their sender."""
    bound = select(col(Offer.id)).where(col(Offer.influencer_user_id) == user_id)
    session.execute(delete(OfferProof).where(col(OfferProof.offer_id).in_(bound)))
    session.execute(
        update(Offer)
        .where(
            col(Offer.influencer_user_id) == user_id,
            col(Offer.status).in_((OFFER_INVITED, OFFER_COUNTERED)),
        )
        .values(status=OFFER_REVOKED)
    )
    session.execute(
        update(Offer)
        .where(col(Offer.influencer_user_id) == user_id)
        .values(influencer_user_id=None, influencer_chat_id=None)
    )
    session.execute(
        update(PerformanceSnapshot)
        .where(col(PerformanceSnapshot.reported_by_user_id) == user_id)
        .values(reported_by_user_id=None)
    )


def delete_finished_broadcasts(session: Session, *, before: datetime) -> int:
    """Broadcasts finished before `before` go, with their delivery rows (ON DELETE CASCADE)."""
    finished = func.coalesce(col(Broadcast.finished_at), col(Broadcast.created_at))
    result = session.execute(
        delete(Broadcast).where(col(Broadcast.status).in_(("done", "cancelled")), finished < before)
    )
    return rows_affected(result)


def retention_cutoffs(now: datetime) -> dict[str, datetime]:
    return {
        "recommendations": now - timedelta(days=UNSAVED_RECOMMENDATION_DAYS),
        "updates": now - timedelta(days=UPDATE_ID_DAYS),
        "broadcasts": now - timedelta(days=BROADCAST_DAYS),
        "pending_uploads": now - timedelta(hours=PENDING_UPLOAD_HOURS),
    }
