"""All tables. Import from here so Alembic and the app see the whole metadata."""

from townsquare.storage.models.access import ApiKey, RuntimeSetting, WebSessionRecord
from townsquare.storage.models.ads import (
    Advertiser,
    AdvertiserDemand,
    Campaign,
    Impression,
    PlacementDecision,
    SuitabilityProfile,
    SuitabilityProfileRevision,
)
from townsquare.storage.models.base import Base
from townsquare.storage.models.connectors import AtprotoLabel, ConnectorCursor, ConnectorLink, ConnectorOutbox
from townsquare.storage.models.content import Account, Assessment, Post
from townsquare.storage.models.council import (
    CommunityVote,
    CouncilCase,
    CouncilDecision,
    CouncilMember,
    CouncilMemberChange,
    CouncilVote,
    PanelSeat,
    Poll,
    PollVote,
    Recommendation,
)
from townsquare.storage.models.enforcement import Action, AuditHead, AuditRecord, PolicyVersion, Strike
from townsquare.storage.models.governance_admin import AdminChange
from townsquare.storage.models.moderation import (
    Appeal,
    Case,
    CaseDecision,
    Exposure,
    ModerationNote,
    ModeratorSettings,
    Notification,
    Report,
    SavedView,
)
from townsquare.storage.models.stream import ProcessedPost

__all__ = [
    "Account",
    "Action",
    "AdminChange",
    "Advertiser",
    "AdvertiserDemand",
    "ApiKey",
    "Appeal",
    "Assessment",
    "AtprotoLabel",
    "AuditHead",
    "AuditRecord",
    "Base",
    "Campaign",
    "Case",
    "CaseDecision",
    "CommunityVote",
    "ConnectorCursor",
    "ConnectorLink",
    "ConnectorOutbox",
    "CouncilCase",
    "CouncilDecision",
    "CouncilMember",
    "CouncilMemberChange",
    "CouncilVote",
    "Exposure",
    "Impression",
    "ModerationNote",
    "ModeratorSettings",
    "Notification",
    "PanelSeat",
    "PlacementDecision",
    "PolicyVersion",
    "Poll",
    "PollVote",
    "Post",
    "ProcessedPost",
    "Recommendation",
    "Report",
    "RuntimeSetting",
    "SavedView",
    "Strike",
    "SuitabilityProfile",
    "SuitabilityProfileRevision",
    "WebSessionRecord",
]
