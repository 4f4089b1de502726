"""Imports every table so SQLModel.metadata is complete (Alembic and tests rely on it)."""

from models.agencies import (
    Agency,
    AgencyStaff,
    BlockedChat,
    Broadcast,
    Client,
    InviteLink,
    Lease,
    OutboxMessage,
)
from models.campaigns import (
    Campaign,
    CampaignMember,
    PerformanceSnapshot,
    ReportLog,
    SummaryRun,
    SummarySchedule,
)
from models.conversations import Conversation, ProcessedUpdate
from models.influencers import ClaimRequest, Influencer, InfluencerClaim, InfluencerNiche, RateCard
from models.offers import Offer, OfferProof
from models.revision import StoreRevision
from models.search_pack import SearchPack
from models.sending import SendLedger
from models.store_import import StoreImport
from models.uploads import PendingUpload
from models.users import SavedRecommendation, UserAccount

__all__ = [
    "ClaimRequest",
    "InfluencerClaim",
    "RateCard",
    "Agency",
    "AgencyStaff",
    "BlockedChat",
    "Broadcast",
    "Client",
    "InviteLink",
    "Lease",
    "OutboxMessage",
    "Campaign",
    "CampaignMember",
    "PerformanceSnapshot",
    "ReportLog",
    "SummaryRun",
    "SummarySchedule",
    "Conversation",
    "Influencer",
    "InfluencerNiche",
    "Offer",
    "OfferProof",
    "PendingUpload",
    "ProcessedUpdate",
    "SavedRecommendation",
    "SendLedger",
    "StoreImport",
    "StoreRevision",
    "SearchPack",
    "UserAccount",
]
