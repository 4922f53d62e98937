from .audit import AuditEntry, AuditLogImmutable
from .jobs import Job, JobFileStorage, job_storage
from .notifications import Delivery, EmailPreference, Event, Notification
from .uploads import HeldUpload

__all__ = [
    "AuditEntry",
    "AuditLogImmutable",
    "Delivery",
    "EmailPreference",
    "Event",
    "HeldUpload",
    "Job",
    "JobFileStorage",
    "Notification",
    "job_storage",
]
