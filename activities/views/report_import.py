"""Back-filling past reports from a spreadsheet (activities/resources/): the
upload starts a background job that checks every row (activities/jobs.py); its
page shows the progress and the row errors, and "确认导入" runs the import for
real. Only those who review reports may back-fill (they are recorded as
approved history); anyone else gets a 403, as on the network import screens."""

from __future__ import annotations

import tablib
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from activities import permissions
from core.forms import SheetUploadForm
from core.jobs import job_start
from core.sheets import XLSX_CONTENT_TYPE, check_sheet_name, xlsx_bytes
from stations.permissions import widest_unit_path
from stations.views.staff import staff_required

from ..jobs import REPORT_IMPORT
from ..resources import template_headers

TEMPLATE = "activities/staff/reports/import.html"


def _backfiller_only(request) -> None:
    if not permissions.reviews_reports(request.user):
        raise PermissionDenied


@staff_required
@require_http_methods(["GET", "POST"])
def report_import(request):
    _backfiller_only(request)
    if request.method == "GET":
        return render(request, TEMPLATE, {"form": SheetUploadForm()})
    form = SheetUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_sheet_name(upload.name)
        except ValidationError as exc:
            form.add_error("file", exc)
        if form.is_valid() and upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            form.add_error(
                "file",
                _("文件太大（上限 %(limit)s），请拆分后分批导入。")
                % {"limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)},
            )
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    job = job_start(
        kind=REPORT_IMPORT,
        by=request.user,
        title=_("补录历史活动报告（检查）"),
        params={"dry_run": True, "run_title": _("补录历史活动报告")},
        input_file=form.cleaned_data["file"],
        unit=widest_unit_path(request.user),
    )
    return redirect(job)


@staff_required
@require_GET
def report_import_template(request):
    _backfiller_only(request)
    data = xlsx_bytes(tablib.Dataset(headers=template_headers()))
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="template-reports.xlsx"'
    return response
