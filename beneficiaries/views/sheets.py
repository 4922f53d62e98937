"""Spreadsheets of beneficiary files: the masked export (anyone who reads the
files), the unmasked export (a station's own files, its members only, with a
stated reason), and the import of a station's existing sheets with a dry-run
preview (the network imports' machinery, stations/services/imports.py).

Every export and import leaves an audit row; the preview shows ID numbers and
phones masked like every other list. Between the preview and "确认导入" the
sheet is held as every import screen holds its upload (core/uploads.py), in
the database: it holds full ID numbers, and media may be served.

A sheet larger than ``JOBS_INLINE_MAX_BYTES`` is checked and imported by a
background job instead (beneficiaries/jobs.py): its file waits in the private
job storage (never served, deleted once imported or after a day) and the preview
is the job's page, with the progress, the row errors (masked) and "确认导入"."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beneficiaries import permissions as access
from beneficiaries import selectors
from beneficiaries.audit import Action, record
from beneficiaries.forms.files import (
    BeneficiarySheetForm,
    FileFilterForm,
    FullExportForm,
)
from beneficiaries.jobs import BENEFICIARY_IMPORT
from beneficiaries.services import imports
from beneficiaries.views.files import TEMPLATES, files_required
from core.jobs import job_start
from core.sheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    check_sheet_name,
    csv_text,
    read_dataset,
    xlsx_bytes,
)
from core.uploads import upload_drop, upload_hold, upload_take
from stations.permissions import filter_stations, unit_path

# Written by the portal's sheet writers: typed text never runs as a formula.
FORMATS = {
    "xlsx": (xlsx_bytes, XLSX_CONTENT_TYPE),
    "csv": (csv_text, CSV_CONTENT_TYPE),
}


def _download(dataset, fmt: str, stem: str) -> HttpResponse:
    write, content_type = FORMATS.get(fmt, FORMATS["xlsx"])
    data = write(dataset)
    if isinstance(data, str):
        # Excel opens a UTF-8 CSV correctly only with the byte-order mark.
        data = "\ufeff" + data
    response = HttpResponse(data, content_type=content_type)
    name = f"{stem}-{timezone.localdate():%Y%m%d}.{fmt if fmt in FORMATS else 'xlsx'}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


@files_required
@require_GET
def export_masked(request):
    """The list as filtered on screen, ID numbers and phones masked."""
    form = FileFilterForm(request.GET, stations=filter_stations(request.user))
    files = selectors.file_list(request.user, form.filters())
    dataset = imports.export_dataset(files, full=False)
    record(
        by=request.user,
        action=Action.EXPORT,
        request=request,
        label=_("服务对象档案（脱敏）"),
        detail=_("导出 %(n)d 份档案，身份证号和电话已脱敏") % {"n": len(dataset)},
    )
    fmt = request.GET.get("format", "xlsx")
    return _download(dataset, fmt, "beneficiaries-masked")


@files_required
@require_http_methods(["GET", "POST"])
def export_full(request):
    """The unmasked sheet of one of the user's own stations, with a reason."""
    stations = list(access.writable_stations(request.user))
    if not stations:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = FullExportForm(data, stations=stations)
    if data is not None and form.is_valid():
        station = form.cleaned_data["station"]
        reason = form.cleaned_data["reason"]
        files = selectors.file_list(
            request.user, selectors.FileFilters(station_id=station.pk, status=None)
        )
        dataset = imports.export_dataset(files, full=True)
        record(
            by=request.user,
            action=Action.EXPORT_FULL,
            request=request,
            label=station.full_name,
            detail=_("导出未脱敏的服务对象档案 %(n)d 份") % {"n": len(dataset)},
            reason=reason,
        )
        return _download(dataset, form.cleaned_data["format"], "beneficiaries-full")
    return render(
        request,
        TEMPLATES + "export_full.html",
        {"form": form},
        status=400 if data is not None else 200,
    )


def _importing_stations(request):
    stations = list(access.writable_stations(request.user))
    if not stations:
        raise PermissionDenied
    return stations


@files_required
@require_GET
def import_template(request):
    _importing_stations(request)
    fmt = request.GET.get("format", "xlsx")
    return _download(imports.template_dataset(), fmt, "beneficiaries-template")


# A preview of a large sheet lists what the user must act on, not every row.
PREVIEW_ROWS = 100
PREVIEW_ERROR_ROWS = 500


def _upload_context(form, report=None, **extra):
    context = {"form": form, "report": report, **extra}
    if report is not None:
        context["preview_rows"] = (
            report.rows[:PREVIEW_ROWS]
            if report.ok
            else report.error_rows[:PREVIEW_ERROR_ROWS]
        )
    return context


def _start_job(request, station, upload):
    return job_start(
        kind=BENEFICIARY_IMPORT,
        by=request.user,
        title=_("导入服务对象档案：%(station)s（检查）")
        % {"station": station.full_name},
        params={
            "station": station.pk,
            "dry_run": True,
            "run_title": _("导入服务对象档案：%(station)s")
            % {"station": station.full_name},
        },
        input_file=upload,
        unit=unit_path(station),
    )


@files_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    stations = _importing_stations(request)
    if request.method != "POST":
        return render(
            request,
            TEMPLATES + "import.html",
            _upload_context(BeneficiarySheetForm(stations=stations)),
        )
    form = BeneficiarySheetForm(request.POST, request.FILES, stations=stations)
    if not form.is_valid():
        return render(
            request, TEMPLATES + "import.html", _upload_context(form), status=400
        )
    upload = form.cleaned_data["file"]
    station = form.chosen_station()
    try:
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("文件太大（上限 %(limit)s），请拆分后分批导入。")
                % {"limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)}
            )
        if upload.size > settings.JOBS_INLINE_MAX_BYTES:
            # A large sheet is checked in the background, with progress.
            check_sheet_name(upload.name)
            return redirect(_start_job(request, station, upload))
        data = upload.read()
        dataset = read_dataset(upload.name, data)
    except ValidationError as exc:
        form.add_error("file", exc)
        return render(
            request, TEMPLATES + "import.html", _upload_context(form), status=400
        )
    report = imports.import_files(
        dataset, user=request.user, station=station, dry_run=True, request=request
    )
    context = _upload_context(form, report=report, station=station)
    if report.ok:
        context["token"] = upload_hold(
            user=request.user,
            purpose=imports.UPLOAD_PURPOSE,
            name=upload.name,
            data=data,
            meta={"station": station.pk},
        )
    return render(
        request,
        TEMPLATES + "import.html",
        context,
        status=200 if report.ok else 400,
    )


@files_required
@require_POST
def import_confirm(request):
    stations = {s.pk: s for s in _importing_stations(request)}
    # A token confirms once, whatever happens next.
    held = upload_take(
        user=request.user,
        purpose=imports.UPLOAD_PURPOSE,
        token=request.POST.get("token", ""),
    )
    station = stations.get(held.meta.get("station")) if held else None
    dataset = None
    if station is not None:
        try:
            dataset = read_dataset(held.name, bytes(held.data))
        except ValidationError:
            dataset = None
    if dataset is None:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("beneficiaries_staff:beneficiary_import")
    report = imports.import_files(
        dataset, user=request.user, station=station, dry_run=False, request=request
    )
    if not report.ok:
        context = _upload_context(
            BeneficiarySheetForm(stations=list(stations.values())),
            report=report,
            station=station,
            changed_since_preview=True,
        )
        return render(request, TEMPLATES + "import.html", context, status=400)
    messages.success(
        request,
        _("导入完成：%(station)s新建档案 %(n)d 份。")
        % {"station": station.full_name, "n": report.totals["new"]},
    )
    return redirect("beneficiaries_staff:beneficiaries")


@files_required
@require_POST
def import_cancel(request):
    upload_drop(
        user=request.user,
        purpose=imports.UPLOAD_PURPOSE,
        token=request.POST.get("token", ""),
    )
    messages.success(request, _("已取消导入，上传的文件已删除。"))
    return redirect("beneficiaries_staff:beneficiary_import")
