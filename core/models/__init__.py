from .audit import AuditEntry, AuditLogImmutable

__all__ = ["AuditEntry", "AuditLogImmutable"]
