"""Who may see or change a campaign: its owner, the staff of the agency running it, its client.

Every lookup from a button goes through here with the presser's id, so a forged campaign id
only ever reaches the caller's own campaigns.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from models.agencies import AgencyStaff, Client
from models.campaigns import Campaign


class CampaignError(ValueError):
    """A refused request; `code` picks the Indonesian explanation, `params` fill it in."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def staff_agency_ids(session: Session, *, user_id: int) -> set[int]:
    return set(
        session.exec(select(AgencyStaff.agency_id).where(AgencyStaff.user_id == user_id)).all()
    )


def client_id_of(session: Session, *, user_id: int) -> int | None:
    return session.exec(select(Client.id).where(Client.user_id == user_id)).first()


def can_manage(session: Session, campaign: Campaign, *, user_id: int) -> bool:
    """Its owner, or staff of the agency that runs it for a client."""
    if campaign.owner_user_id == user_id:
        return True
    return campaign.agency_id is not None and campaign.agency_id in staff_agency_ids(
        session, user_id=user_id
    )


def owned_campaign(session: Session, *, owner_id: int, campaign_id: int) -> Campaign:
    """A campaign the user may change; anything else is as good as missing."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or not can_manage(session, campaign, user_id=owner_id):
        raise CampaignError("campaign_not_found", campaign_id=campaign_id)
    return campaign


def viewable_campaign(session: Session, *, user_id: int, campaign_id: int) -> Campaign:
    """A campaign the user may look at: managers, and the client it is run for."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is not None and can_manage(session, campaign, user_id=user_id):
        return campaign
    client_id = client_id_of(session, user_id=user_id)
    if campaign is None or client_id is None or campaign.client_id != client_id:
        raise CampaignError("campaign_not_found", campaign_id=campaign_id)
    return campaign


def list_campaigns(session: Session, *, owner_id: int) -> list[Campaign]:
    """The user's own campaigns, their agencies' campaigns, and (for a client) its own."""
    conditions: list[ColumnElement[bool]] = [col(Campaign.owner_user_id) == owner_id]
    agencies = staff_agency_ids(session, user_id=owner_id)
    if agencies:
        conditions.append(col(Campaign.agency_id).in_(agencies))
    client_id = client_id_of(session, user_id=owner_id)
    if client_id is not None:
        conditions.append(col(Campaign.client_id) == client_id)
    return list(
        session.exec(
            select(Campaign)
            .where(or_(*conditions))
            .order_by(col(Campaign.status), col(Campaign.created_at).desc())
        )
    )


def active_campaigns(session: Session, *, owner_id: int) -> list[Campaign]:
    return [c for c in list_campaigns(session, owner_id=owner_id) if c.status == "active"]
