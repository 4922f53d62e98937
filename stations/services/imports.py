"""Spreadsheet imports of the network, as the staff screens and the admin use them.

An import is two steps: a dry run that reports every row (new, changed, unchanged,
or wrong and why, in Chinese), then the real run, allowed only when the dry run was
clean. The real run is all or nothing: if anything fails, nothing is written.
The uploaded file is read into a dataset by core/sheets.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.sheets import read_dataset
from stations import permissions, services
from stations.models import City
from stations.resources import RESOURCES

DIVISIONS = "divisions"
KIND_LABELS = {DIVISIONS: gettext_lazy("行政区划（市、县、镇）")} | {
    kind: label for kind, (label, _resource) in RESOURCES.items()
}
STATUS_LABELS = {
    "new": gettext_lazy("新增"),
    "update": gettext_lazy("更新"),
    "skip": gettext_lazy("未变"),
    "invalid": gettext_lazy("有错误"),
    "error": gettext_lazy("有错误"),
}


@dataclass
class PreviewRow:
    line: int
    status: str
    values: list
    errors: list = field(default_factory=list)

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)


@dataclass
class ImportReport:
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    summary: str = ""

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_rows

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def totals(self):
        return {
            "new": self.count("new"),
            "update": self.count("update"),
            "skip": self.count("skip"),
            "error": len(self.error_rows),
        }


def kinds_for(user) -> list[str]:
    """The import kinds a user may use. Divisions and counties are city-level data."""
    scope = permissions.get_scope(user)
    if not scope.manages_network:
        return []
    kinds = list(RESOURCES)
    if scope.is_superuser or scope.editor_cities:
        return [DIVISIONS, *kinds]
    return [k for k in kinds if k != "counties"]


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def _line_numbers(dataset) -> list[int]:
    lines = getattr(dataset, "line_numbers", None)
    if lines is None or len(lines) != len(dataset):
        return list(range(2, len(dataset) + 2))  # line 1 holds the column names
    return list(lines)


def _report_from_result(resource, dataset, result) -> ImportReport:
    columns = {
        f.attribute: f.column_name for f in resource.get_import_fields() if f.attribute
    }
    report = ImportReport(headers=list(dataset.headers))
    for error in result.base_errors:
        report.file_errors.extend(_messages(error.error))
    if report.file_errors:
        # A file-level problem (a missing column) makes every row's own message noise.
        return report
    lines = _line_numbers(dataset)
    for index, row_result in enumerate(result.rows):
        errors = []
        if row_result.validation_error is not None:
            error = row_result.validation_error
            error_dict = getattr(error, "error_dict", None)
            if error_dict is None:
                errors.extend(_messages(error))
            else:
                for name, items in error.message_dict.items():
                    label = (
                        ""
                        if name == NON_FIELD_ERRORS
                        else f"{columns.get(name, name)}："
                    )
                    errors.extend(f"{label}{message}" for message in items)
        for error in row_result.errors:
            errors.extend(
                _("无法导入：%(e)s") % {"e": m} for m in _messages(error.error)
            )
        values = list(dataset[index]) if index < len(dataset) else []
        report.rows.append(
            PreviewRow(
                line=lines[index] if index < len(lines) else index + 2,
                status=row_result.import_type,
                values=values,
                errors=errors,
            )
        )
    return report


def track_rows(resource, progress, total: int, *, dry_run: bool) -> None:
    """Report each row a resource has gone through to ``progress(done, total,
    message)`` (core/jobs/), valid or not. Nothing when progress is None."""
    if progress is None:
        return
    checking = _("逐行检查")
    progress(0, total, checking)
    original = resource.import_row
    done = 0

    def import_row(row, instance_loader, **kwargs):
        nonlocal done
        try:
            return original(row, instance_loader, **kwargs)
        finally:
            done += 1
            last = done == total and not dry_run
            progress(done, total, _("写入数据库") if last else None)

    resource.import_row = import_row


def _run_resource(
    kind: str, dataset: tablib.Dataset, *, user, dry_run: bool, progress=None
) -> ImportReport:
    _label, resource_class = RESOURCES[kind]
    resource = resource_class(user=user)
    track_rows(resource, progress, len(dataset), dry_run=dry_run)
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=dry_run, raise_errors=False, use_transactions=True
        )
        report = _report_from_result(resource, dataset, result)
        if dry_run or not report.ok:
            # import-export keeps the valid rows of a run with invalid ones; here
            # one bad row means nothing is written.
            transaction.set_rollback(True)
    return report


def _run_divisions(dataset: tablib.Dataset, *, user, dry_run: bool) -> ImportReport:
    report = ImportReport(headers=list(dataset.headers))
    rows = services.divisions_rows(dataset.headers, list(dataset))
    scope = permissions.get_scope(user)
    city_codes = None
    if not scope.is_superuser:
        # A city editor loads only the divisions of the cities they edit.
        city_codes = set(
            City.objects.filter(pk__in=scope.editor_cities).values_list(
                "code", flat=True
            )
        )
    lines = _line_numbers(dataset)
    result = services.divisions_load(
        rows=rows, dry_run=dry_run, city_codes=city_codes, line_numbers=lines
    )
    errors = {}
    for line, message in result.errors:
        errors.setdefault(line, []).append(message)
    for line, values in zip(lines, dataset, strict=True):
        status = "error" if line in errors else result.line_status.get(line, "")
        report.rows.append(PreviewRow(line, status, list(values), errors.get(line, [])))
    if result.ok:
        report.summary = result.summary()
    return report


def run_import(
    kind: str, dataset: tablib.Dataset, *, user, dry_run: bool, progress=None
) -> ImportReport:
    if kind not in kinds_for(user):
        raise PermissionDenied
    try:
        if kind == DIVISIONS:
            return _run_divisions(dataset, user=user, dry_run=dry_run)
        return _run_resource(
            kind, dataset, user=user, dry_run=dry_run, progress=progress
        )
    except ValidationError as exc:
        return ImportReport(
            headers=list(dataset.headers or []), file_errors=_messages(exc)
        )


def template_headers(kind: str) -> list[str]:
    """The Chinese column names of a kind, as its template's first row."""
    if kind == DIVISIONS:
        return [services.DIVISION_HEADERS[c] for c in services.DIVISION_COLUMNS]
    _label, resource_class = RESOURCES[kind]
    return [f.column_name for f in resource_class().get_export_fields()]


def template_dataset(kind: str) -> tablib.Dataset:
    """An empty sheet with the kind's Chinese column headers."""
    return tablib.Dataset(headers=template_headers(kind))


# --- As a background job (core/jobs/) ----------------------------------------


def report_job_result(report: ImportReport, *, dry_run: bool, url: str = ""):
    """A job's result from an import report: the totals, each row's errors, and
    the message the import screens show."""
    from core.jobs import JobResult

    totals = report.totals
    row_errors = []
    if report.file_errors:
        row_errors.append({"line": None, "errors": list(report.file_errors)})
    row_errors += [
        {"line": row.line, "errors": [str(e) for e in row.errors]}
        for row in report.error_rows
    ]
    if report.file_errors:
        message = _("文件有错误，未导入任何数据。")
    elif not report.ok:
        message = _("有 %(n)d 行存在错误，未导入任何数据。请改正后重新上传。") % {
            "n": len(report.error_rows)
        }
    elif dry_run:
        message = _(
            "检查通过：将新增 %(new)d 行，更新 %(update)d 行，%(skip)d 行未变。"
        ) % totals + (f" {report.summary}" if report.summary else "")
    else:
        message = (
            report.summary
            or _("导入完成：新增 %(new)d 行，更新 %(update)d 行，未变 %(skip)d 行。")
            % totals
        )
    return JobResult(
        ok=report.ok,
        message=message,
        summary={"totals": totals, "rows": len(report.rows)},
        row_errors=row_errors,
        url=url if report.ok and not dry_run else "",
    )


def network_import_job(job, progress):
    """Runner of the network import (stations/jobs.py): params ``kind`` and ``dry_run``."""
    from django.urls import reverse

    from core.jobs import job_input

    kind, dry_run = job.params["kind"], bool(job.params.get("dry_run"))
    progress(0, None, _("读取文件"))
    dataset = read_dataset(job.input_name, job_input(job))
    report = run_import(
        kind, dataset, user=job.started_by, dry_run=dry_run, progress=progress
    )
    return report_job_result(
        report, dry_run=dry_run, url=reverse("stations_staff:import_index")
    )
