"""Audit rows for beneficiary files and cases, with labels that hold the name and
the masked ID number only (core/audit.py keeps the rows)."""

from __future__ import annotations

from beneficiaries.models import Beneficiary, Case
from core.audit import audit_record
from core.models import AuditEntry

Action = AuditEntry.Action


def label_for(target) -> str:
    if isinstance(target, Beneficiary):
        return target.audit_label
    if isinstance(target, Case):
        return f"{target.title}（{target.beneficiary.audit_label}）"
    return str(target)


def record(
    *, by, action: str, target=None, request=None, detail="", reason="", label=None
) -> AuditEntry:
    return audit_record(
        actor=by,
        action=action,
        target=target,
        request=request,
        label=label if label is not None else (label_for(target) if target else ""),
        detail=detail,
        reason=reason,
    )
