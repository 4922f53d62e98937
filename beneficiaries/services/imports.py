"""Running a beneficiary import and an export, on the network imports' machinery
(core/sheets.py: file reading; stations/services/imports.py: the preview report,
row messages)."""

from __future__ import annotations

import gc
from contextlib import contextmanager

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from beneficiaries import permissions as access
from beneficiaries.audit import Action, record
from beneficiaries.resources import (
    ID_COL,
    MASKED_COLUMNS,
    BeneficiaryResource,
    template_headers,
)
from core.idcard import mask_id_number, mask_phone
from stations.models import Station
from stations.permissions import require
from stations.services.imports import ImportReport, _report_from_result, track_rows


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
        with cyclic_gc_paused(), transaction.atomic():
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


@contextmanager
def cyclic_gc_paused():
    """Python's cycle collector off for the length of an import (memory is
    still freed as usual, by reference counting; cycles wait until the end).

    An import builds a few objects per row that all stay alive until the
    write (the row, its file, its result), and the collector, set off by
    every few hundred new objects, walks every live object of the process
    each time it makes a full pass: on 20,000 rows (SQLite) that came to a
    quarter to a third of the import's time, and freed a few hundred objects
    (bench/beneficiary_import.py). The same reasoning as Mercurial's
    ``util.nogc``. The switch is process-wide: in a threaded worker, other
    threads' cycles wait too, for the seconds an import takes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# The import screen's name for the sheet it holds between the preview and
# "确认导入" (core/uploads.py).
UPLOAD_PURPOSE = "beneficiaries"


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
