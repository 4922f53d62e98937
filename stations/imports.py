"""Spreadsheet imports of the network, as the staff screens and the admin use them.

An import is two steps: a dry run that reports every row (new, changed, unchanged,
or wrong and why, in Chinese), then the real run, allowed only when the dry run was
clean. The real run is all or nothing: if anything fails, nothing is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.formats.base_formats import XLSX

from . import permissions, services
from .resources import RESOURCES

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


def read_dataset(name: str, data: bytes) -> tablib.Dataset:
    """A dataset from an uploaded .xlsx or .csv, or a ValidationError in Chinese."""
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        try:
            dataset = XLSX().create_dataset(data)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise ValidationError(_("无法读取该 Excel 文件，请确认是 .xlsx 格式且没有损坏。")) from exc
    elif lowered.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("无法识别 CSV 文件的编码，请另存为“CSV UTF-8”。"))
        try:
            dataset = tablib.Dataset().load(io.StringIO(text), format="csv")
        except Exception as exc:
            raise ValidationError(_("CSV 文件格式有误：%(e)s") % {"e": exc}) from exc
    else:
        raise ValidationError(_("只支持 Excel（.xlsx）和 CSV（.csv）文件。"))
    # Spreadsheets often carry trailing empty rows; they are not data.
    keep = [row for row in dataset if any(cell not in (None, "") for cell in row)]
    headers = [str(h).strip() if h is not None else "" for h in (dataset.headers or [])]
    cleaned = tablib.Dataset(*keep, headers=headers) if headers else tablib.Dataset(*keep)
    if not headers or not any(headers):
        raise ValidationError(_("文件第一行应为列名。"))
    if not len(cleaned):
        raise ValidationError(_("文件中没有数据行。"))
    return cleaned


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def _report_from_result(resource, dataset, result) -> ImportReport:
    columns = {f.attribute: f.column_name for f in resource.get_import_fields() if f.attribute}
    report = ImportReport(headers=list(dataset.headers))
    for error in result.base_errors:
        report.file_errors.extend(_messages(error.error))
    for index, row_result in enumerate(result.rows):
        line = index + 2  # line 1 holds the column names
        errors = []
        if row_result.validation_error is not None:
            error = row_result.validation_error
            error_dict = getattr(error, "error_dict", None)
            if error_dict is None:
                errors.extend(_messages(error))
            else:
                for name, items in error.message_dict.items():
                    label = "" if name == NON_FIELD_ERRORS else f"{columns.get(name, name)}："
                    errors.extend(f"{label}{message}" for message in items)
        for error in row_result.errors:
            errors.extend(_("无法导入：%(e)s") % {"e": m} for m in _messages(error.error))
        values = list(dataset[index]) if index < len(dataset) else []
        report.rows.append(
            PreviewRow(line=line, status=row_result.import_type, values=values, errors=errors)
        )
    return report


def _run_resource(kind: str, dataset: tablib.Dataset, *, user, dry_run: bool) -> ImportReport:
    _label, resource_class = RESOURCES[kind]
    resource = resource_class(user=user)
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
    rows = [
        {key: "" if value is None else str(value) for key, value in row.items()}
        for row in dataset.dict
    ]
    report = ImportReport(headers=list(dataset.headers))
    missing = [c for c in services.DIVISION_COLUMNS if c not in dataset.headers]
    if missing:
        report.file_errors.append(_("缺少列：%(cols)s") % {"cols": "、".join(missing)})
        return report
    scope = permissions.get_scope(user)
    if not scope.is_superuser:
        allowed_codes = set(
            permissions.counties_editable_by(user).values_list("city__code", flat=True)
        )
        for line, row in enumerate(rows, start=2):
            if row.get("city_code", "").strip() not in allowed_codes:
                report.rows.append(
                    PreviewRow(line, "error", list(row.values()), [_("不在您的管理范围内的市")])
                )
        if report.rows:
            return report
    result = services.divisions_load(rows=rows, dry_run=dry_run)
    errors = dict()
    for line, message in result.errors:
        errors.setdefault(line, []).append(message)
    for line, row in enumerate(rows, start=2):
        status = "error" if line in errors else "update"
        report.rows.append(PreviewRow(line, status, list(row.values()), errors.get(line, [])))
    report.summary = result.summary()
    return report


def run_import(kind: str, dataset: tablib.Dataset, *, user, dry_run: bool) -> ImportReport:
    if kind not in kinds_for(user):
        raise PermissionDenied
    try:
        if kind == DIVISIONS:
            return _run_divisions(dataset, user=user, dry_run=dry_run)
        return _run_resource(kind, dataset, user=user, dry_run=dry_run)
    except ValidationError as exc:
        return ImportReport(headers=list(dataset.headers or []), file_errors=_messages(exc))


def template_dataset(kind: str) -> tablib.Dataset:
    """An empty sheet with the kind's Chinese column headers."""
    if kind == DIVISIONS:
        return tablib.Dataset(headers=services.DIVISION_COLUMNS)
    _label, resource_class = RESOURCES[kind]
    resource = resource_class()
    return tablib.Dataset(headers=[f.column_name for f in resource.get_export_fields()])
