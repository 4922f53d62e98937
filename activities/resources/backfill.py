"""Running a back-fill: a whole file checked, and written only when every row is
clean; and the columns an import file has."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from stations.services.imports import ImportReport, _report_from_result, track_rows

from .reports import EXPORT_ONLY_COLUMNS, ActivityReportResource


def import_reports(dataset, *, user, dry_run: bool, progress=None) -> ImportReport:
    """Back-fill the reports of ``dataset`` (from core.sheets.read_dataset) as
    ``user``: every row checked, and nothing written unless all rows are clean
    and ``dry_run`` is false. ``progress(done, total, message)`` hears of every
    row (a background job, or the command's progress bar)."""
    resource = ActivityReportResource(user=user)
    track_rows(resource, progress, len(dataset), dry_run=dry_run)
    try:
        with transaction.atomic():
            result = resource.import_data(
                dataset, dry_run=dry_run, raise_errors=False, use_transactions=True
            )
            report = _report_from_result(resource, dataset, result)
            if dry_run or not report.ok:
                transaction.set_rollback(True)
    except ValidationError as exc:
        return ImportReport(
            headers=list(dataset.headers or []), file_errors=list(exc.messages)
        )
    return report


def template_headers() -> list[str]:
    """The column names of an import file, in order."""
    return [
        f.column_name
        for f in ActivityReportResource().get_export_fields()
        if f.column_name not in EXPORT_ONLY_COLUMNS
    ]
