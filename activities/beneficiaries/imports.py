"""Running a beneficiary import and an export, on the network imports' machinery
(core/sheets.py: file reading; stations/imports.py: the preview report, row
messages)."""

from __future__ import annotations

import datetime
import uuid

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.imports import ImportReport, _report_from_result, track_rows
from stations.models import Station
from stations.permissions import require

from ..models import PendingImport
from . import access
from .audit import Action, record
from .idcard import mask_id_number, mask_phone
from .resources import ID_COL, MASKED_COLUMNS, BeneficiaryResource, template_headers


def import_files(
    dataset: tablib.Dataset,
    *,
    user,
    station: Station,
    dry_run: bool,
    request=None,
    progress=None,
) -> ImportReport:
    """Check every row of ``dataset`` for ``station``; unless ``dry_run``, write
    them all, and only if every row is clean. ``progress(done, total, message)``
    hears of every row (a background job's progress, core/jobs/)."""
    require(access.can_write_station(user, station.pk))
    resource = BeneficiaryResource(user=user, station=station)
    track_rows(resource, progress, len(dataset), dry_run=dry_run)
    try:
        with transaction.atomic():
            result = resource.import_data(
                dataset, dry_run=dry_run, raise_errors=False, use_transactions=True
            )
            report = _report_from_result(resource, dataset, result)
            if dry_run or not report.ok:
                transaction.set_rollback(True)
            elif resource.created:
                record(
                    by=user,
                    action=Action.IMPORT,
                    request=request,
                    label=station.full_name,
                    detail=_("导入服务对象档案 %(n)d 份")
                    % {"n": len(resource.created)},
                )
    except ValidationError as exc:
        return ImportReport(
            headers=list(dataset.headers or []), file_errors=list(exc.messages)
        )
    mask_report(report)
    return report


# An upload not confirmed within this time is deleted.
PENDING_FOR = datetime.timedelta(days=1)


def pending_keep(*, user, station: Station, name: str, data: bytes) -> str:
    """Keep an uploaded sheet until the user confirms it; returns the token the
    confirmation names. The user's earlier pending uploads, and anyone's older
    than a day, are deleted (the sheet holds full ID numbers)."""
    now = timezone.now()
    PendingImport.objects.filter(
        Q(user=user) | Q(created_at__lt=now - PENDING_FOR)
    ).delete()
    token = uuid.uuid4().hex
    PendingImport.objects.create(
        token=token, user=user, station=station, name=name[:200], data=data
    )
    return token


def pending_sweep(*, before) -> int:
    """Delete the uploads nobody confirmed (``prune_jobs``, daily): without it a
    sheet stayed until someone uploaded another."""
    deleted, _counts = PendingImport.objects.filter(created_at__lt=before).delete()
    return deleted


def pending_take(*, user, token: str) -> PendingImport | None:
    """The user's pending upload of ``token``, deleted as it is handed over (a
    token confirms once); None when there is none or it is too old."""
    if not token:
        return None
    pending = PendingImport.objects.filter(
        user=user, token=token, created_at__gte=timezone.now() - PENDING_FOR
    ).first()
    PendingImport.objects.filter(user=user, token=token).delete()
    return pending


def mask_report(report: ImportReport) -> None:
    """The preview is a list like any other: ID numbers and phones masked."""
    columns = {
        i: (mask_id_number if h == ID_COL else mask_phone)
        for i, h in enumerate(report.headers)
        if h in MASKED_COLUMNS
    }
    for row in report.rows:
        for i, mask in columns.items():
            if i < len(row.values) and row.values[i]:
                row.values[i] = mask(str(row.values[i]))


def template_dataset() -> tablib.Dataset:
    return tablib.Dataset(headers=template_headers())


def export_dataset(queryset, *, full: bool) -> tablib.Dataset:
    return BeneficiaryResource(full=full).export(queryset)
