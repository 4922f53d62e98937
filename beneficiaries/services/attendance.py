"""Attendance of beneficiaries at reported activities: which of its files the
reporting station records as taking part (a report's unique persons can then be
computed from attendance)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import ActivityReport, Level
from beneficiaries import permissions as access
from beneficiaries.audit import Action, record
from beneficiaries.models import Attendance, Beneficiary
from stations.permissions import require


def attendance_stations(report: ActivityReport) -> int | None:
    """The station whose files may attend ``report``: a station report's own."""
    return report.station_id if report.level == Level.STATION else None


@transaction.atomic
def attendance_set(
    *, report: ActivityReport, beneficiaries: Iterable[Beneficiary], by, request=None
) -> int:
    """Record which of the station's files took part in ``report`` (replacing
    the list). Only a station report, only by a member of that station, and only
    the station's own files. Returns how many attend."""
    require(access.can_record_attendance(by, report))
    station_id = attendance_stations(report)
    chosen = {b.pk: b for b in beneficiaries}
    foreign = [b for b in chosen.values() if b.station_id != station_id]
    if foreign:
        raise ValidationError(_("只能登记本社工站建档的服务对象。"))
    existing = set(
        Attendance.objects.filter(report=report).values_list(
            "beneficiary_id", flat=True
        )
    )
    added = [pk for pk in chosen if pk not in existing]
    removed = [pk for pk in existing if pk not in chosen]
    inactive = [
        chosen[pk] for pk in added if chosen[pk].status != Beneficiary.Status.ACTIVE
    ]
    if inactive:
        raise ValidationError(_("已迁出或结档的服务对象不能新登记参与。"))
    if removed:
        Attendance.objects.filter(report=report, beneficiary_id__in=removed).delete()
    Attendance.objects.bulk_create(
        [Attendance(report=report, beneficiary_id=pk, recorded_by=by) for pk in added]
    )
    if added or removed:
        record(
            by=by,
            action=Action.CHANGE,
            target=report,
            request=request,
            label=report.title,
            detail=_("登记参与服务对象：新增 %(a)d 人，移除 %(r)d 人，共 %(n)d 人")
            % {"a": len(added), "r": len(removed), "n": len(chosen)},
        )
    return len(chosen)
