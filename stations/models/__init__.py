from .jobs import Job, JobFileStorage, job_storage
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
    "Job",
    "JobFileStorage",
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
    "job_storage",
]
