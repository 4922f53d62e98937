from .audit import AuditEntry, AuditLogImmutable
from .jobs import Job, JobFileStorage, job_storage

__all__ = ["AuditEntry", "AuditLogImmutable", "Job", "JobFileStorage", "job_storage"]
