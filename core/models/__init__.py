from .audit import AuditEntry, AuditLogImmutable
from .jobs import Job, JobFileStorage, job_storage
from .uploads import HeldUpload

__all__ = [
    "AuditEntry",
    "AuditLogImmutable",
    "HeldUpload",
    "Job",
    "JobFileStorage",
    "job_storage",
]
