"""Import screens: upload, dry-run preview with row errors, confirm. A sheet
larger than ``JOBS_INLINE_MAX_BYTES`` is checked and imported by a background
job instead (core/jobs/): the upload leads to the job's page, which shows
the progress, the row errors and the confirm button."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import sheets
from core.forms import SheetUploadForm
from core.jobs import job_start
from core.uploads import upload_hold, upload_take
from stations import permissions
from stations.services import imports

from ..jobs import NETWORK_IMPORT
from .staff import network_manager_required


def _purpose(kind: str) -> str:
    return f"network:{kind}"


def _kind_or_404(request, kind):
    """An unknown kind is a 404; a known one the user may not import is a 403
    (kinds are not objects, their names leak nothing)."""
    if kind not in imports.KIND_LABELS:
        raise Http404
    if kind not in imports.kinds_for(request.user):
        raise PermissionDenied
    return kind


def _start_job(request, kind, upload):
    label = imports.KIND_LABELS[kind]
    return job_start(
        kind=NETWORK_IMPORT,
        by=request.user,
        title=_("导入%(kind)s（检查）") % {"kind": label},
        params={
            "kind": kind,
            "dry_run": True,
            "run_title": _("导入%(kind)s") % {"kind": label},
        },
        input_file=upload,
        unit=permissions.widest_unit_path(request.user),
    )


@network_manager_required
def import_index(request):
    kinds = [
        (kind, imports.KIND_LABELS[kind]) for kind in imports.kinds_for(request.user)
    ]
    return render(request, "stations/staff/import_index.html", {"kinds": kinds})


@network_manager_required
def import_template(request, kind):
    _kind_or_404(request, kind)
    data = sheets.xlsx_bytes(imports.template_dataset(kind))
    response = HttpResponse(data, content_type=sheets.XLSX_CONTENT_TYPE)
    filename = f"template-{kind}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@network_manager_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind):
    _kind_or_404(request, kind)
    # Bound on every POST, even an empty one, so a missing file is an error too.
    form = (
        SheetUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else SheetUploadForm()
    )
    context = {"form": form, "kind": kind, "kind_label": imports.KIND_LABELS[kind]}
    if request.method == "POST" and not form.is_valid():
        # No file, or an empty one: the form says which, in Chinese.
        return render(request, "stations/staff/import_upload.html", context, status=400)
    if request.method == "POST":
        upload = form.cleaned_data["file"]
        try:
            if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
                raise ValidationError(
                    _("文件太大（上限 %(limit)s），请拆分后分批导入。")
                    % {"limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)}
                )
            if upload.size > settings.JOBS_INLINE_MAX_BYTES:
                # A large sheet is checked in the background, with progress.
                sheets.check_sheet_name(upload.name)
                return redirect(_start_job(request, kind, upload))
            data = upload.read()
            dataset = sheets.read_dataset(upload.name, data)
        except ValidationError as exc:
            form.add_error("file", exc)
            return render(
                request, "stations/staff/import_upload.html", context, status=400
            )
        report = imports.run_import(kind, dataset, user=request.user, dry_run=True)
        context["report"] = report
        if report.ok:
            # Held until the user confirms, for this user on this kind's screen
            # only: the latest preview of a kind is the one that can be confirmed.
            context["token"] = upload_hold(
                user=request.user, purpose=_purpose(kind), name=upload.name, data=data
            )
        return render(
            request,
            "stations/staff/import_upload.html",
            context,
            status=200 if report.ok else 400,
        )
    return render(request, "stations/staff/import_upload.html", context)


@network_manager_required
@require_POST
def import_confirm(request, kind):
    _kind_or_404(request, kind)
    # A token confirms once, whatever happens next.
    held = upload_take(
        user=request.user,
        purpose=_purpose(kind),
        token=request.POST.get("token", ""),
    )
    if held is None:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("stations_staff:import_upload", kind=kind)
    try:
        dataset = sheets.read_dataset(held.name, bytes(held.data))
    except ValidationError:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("stations_staff:import_upload", kind=kind)
    report = imports.run_import(kind, dataset, user=request.user, dry_run=False)
    if not report.ok:
        # The data changed between preview and confirm; nothing was written.
        context = {
            "form": SheetUploadForm(),
            "kind": kind,
            "kind_label": imports.KIND_LABELS[kind],
            "report": report,
            "changed_since_preview": True,
        }
        return render(request, "stations/staff/import_upload.html", context, status=400)
    totals = report.totals
    messages.success(
        request,
        report.summary
        or _("导入完成：新增 %(new)d 行，更新 %(update)d 行，未变 %(skip)d 行。")
        % totals,
    )
    return redirect("stations_staff:import_index")
