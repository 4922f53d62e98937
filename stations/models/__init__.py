from .org import City, County, ServicePoint, Station, Town, Village
from .people import Commendation, Role, RoleAssignment, SocialWorker
from .quality import (
    FollowUpItem,
    Standard,
    StandardsCheck,
    StandardsCheckItem,
    SupervisionVisit,
)

__all__ = [
    "City",
    "Commendation",
    "County",
    "FollowUpItem",
    "Role",
    "RoleAssignment",
    "ServicePoint",
    "SocialWorker",
    "Standard",
    "StandardsCheck",
    "StandardsCheckItem",
    "Station",
    "SupervisionVisit",
    "Town",
    "Village",
]
