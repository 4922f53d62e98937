"""Writes to cases (个案): opening, updating the assessment and plan, notes
(append-only), referrals and closing. Only members of the station that keeps the
beneficiary's file write; every write leaves an audit row."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import Partner
from beneficiaries import permissions as access
from beneficiaries.audit import Action, record
from beneficiaries.models import Beneficiary, Case, CaseNote, Referral
from core.people import display_name
from stations.permissions import require

CASE_FIELDS = ("title", "worker", "assessment", "goals", "plan", "status")


def _user_name(user) -> str:
    return display_name(user)


@transaction.atomic
def case_open(*, case: Case, by, request=None) -> Case:
    beneficiary = case.beneficiary
    require(access.can_write(by, beneficiary))
    if beneficiary.status != Beneficiary.Status.ACTIVE:
        raise ValidationError(_("档案已迁出或结档，不能开案。"))
    case.status = Case.Status.OPEN
    case.closed_on = None
    case.closing_summary = ""
    case.opened_by = by
    case.full_clean()
    case.save()
    record(by=by, action=Action.CREATE, target=case, request=request, detail=_("开案"))
    return case


@transaction.atomic
def case_update(*, case: Case, by, request=None) -> Case:
    """Save the assessment, goals, plan, worker and status (open or in
    progress) of a case that is not closed."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    require(access.cases_writable_by(by).filter(pk=case.pk).exists())
    if current.status == Case.Status.CLOSED:
        raise ValidationError(_("个案已结案，不能修改；需要补充时请添加个案记录。"))
    if case.status == Case.Status.CLOSED:
        raise ValidationError({"status": _("结案请使用“结案”功能并填写结案小结。")})
    case.beneficiary_id = current.beneficiary_id
    case.full_clean()
    changed = [
        str(Case._meta.get_field(name).verbose_name)
        for name in CASE_FIELDS
        if getattr(case, Case._meta.get_field(name).attname)
        != getattr(current, Case._meta.get_field(name).attname)
    ]
    case.save()
    record(
        by=by,
        action=Action.CHANGE,
        target=case,
        request=request,
        detail=_("修改：%(f)s") % {"f": "、".join(changed) if changed else _("无变化")},
    )
    return case


@transaction.atomic
def case_close(
    *,
    case: Case,
    by,
    summary: str,
    closed_on: datetime.date | None = None,
    request=None,
) -> Case:
    current = Case.objects.select_for_update().get(pk=case.pk)
    require(access.cases_writable_by(by).filter(pk=case.pk).exists())
    if current.status == Case.Status.CLOSED:
        raise ValidationError(_("个案已结案。"))
    case.status = Case.Status.CLOSED
    case.closing_summary = (summary or "").strip()
    case.closed_on = closed_on or datetime.date.today()
    case.full_clean()
    case.save(update_fields=["status", "closing_summary", "closed_on", "updated_at"])
    record(by=by, action=Action.CHANGE, target=case, request=request, detail=_("结案"))
    return case


@transaction.atomic
def case_note_add(
    *,
    case: Case,
    by,
    text: str,
    date: datetime.date | None = None,
    corrects: CaseNote | None = None,
    request=None,
) -> CaseNote:
    """Append a note. Notes are never edited: a correction is a new note that
    names the one it corrects. A closed case still takes notes (follow-ups after
    closing are part of the record)."""
    require(access.cases_writable_by(by).filter(pk=case.pk).exists())
    note = CaseNote(
        case=case,
        text=(text or "").strip(),
        date=date or datetime.date.today(),
        corrects=corrects,
        author=by,
        author_name=_user_name(by),
    )
    note.full_clean()
    note.save()
    record(
        by=by,
        action=Action.CHANGE,
        target=case,
        request=request,
        detail=_("新增个案记录") if corrects is None else _("新增更正记录"),
    )
    return note


@transaction.atomic
def referral_add(
    *,
    case: Case,
    by,
    purpose: str,
    partner: Partner | None = None,
    partner_other: str = "",
    referred_on: datetime.date | None = None,
    outcome: str = "",
    request=None,
) -> Referral:
    require(access.cases_writable_by(by).filter(pk=case.pk).exists())
    if case.status == Case.Status.CLOSED:
        raise ValidationError(_("个案已结案，不能再转介。"))
    referral = Referral(
        case=case,
        partner=partner,
        partner_other=partner_other,
        purpose=(purpose or "").strip(),
        outcome=(outcome or "").strip(),
        referred_on=referred_on or datetime.date.today(),
        by=by,
    )
    referral.full_clean()
    referral.save()
    record(
        by=by,
        action=Action.CHANGE,
        target=case,
        request=request,
        detail=_("转介至%(p)s") % {"p": referral.partner_name},
    )
    return referral
