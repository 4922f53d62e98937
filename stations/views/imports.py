"""Import screens: upload, dry-run preview with row errors, confirm. A sheet
larger than ``JOBS_INLINE_MAX_BYTES`` is checked and imported by a background
job instead (core/jobs/): the upload leads to the job's page, which shows
the progress, the row errors and the confirm button."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import sheets
from core.forms import SheetUploadForm
from core.jobs import job_start

from .. import imports, permissions
from ..jobs import NETWORK_IMPORT
from .staff import network_manager_required

SESSION_KEY = "network_imports"
TMP_DIR = "imports/pending"


def _kind_or_404(request, kind):
    """An unknown kind is a 404; a known one the user may not import is a 403
    (kinds are not objects, their names leak nothing)."""
    if kind not in imports.KIND_LABELS:
        raise Http404
    if kind not in imports.kinds_for(request.user):
        raise PermissionDenied
    return kind


def _forget(request, pending: dict, token: str):
    entry = pending.pop(token, None)
    if entry:
        try:
            default_storage.delete(entry["path"])
        except OSError:
            pass
    request.session[SESSION_KEY] = pending


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
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
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
            # Keep the file until the user confirms; the session maps a random token
            # to it, so one user cannot confirm another's upload.
            token = uuid.uuid4().hex
            suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
            pending = request.session.get(SESSION_KEY, {})
            # Only the latest preview of a kind can be confirmed; older files go.
            for old_token in [t for t, e in pending.items() if e.get("kind") == kind]:
                _forget(request, pending, old_token)
            path = default_storage.save(f"{TMP_DIR}/{token}{suffix}", ContentFile(data))
            pending[token] = {"kind": kind, "path": path, "name": upload.name}
            request.session[SESSION_KEY] = pending
            context["token"] = token
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
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    if not entry or entry.get("kind") != kind:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("stations_staff:import_upload", kind=kind)
    try:
        with default_storage.open(entry["path"], "rb") as handle:
            data = handle.read()
    except OSError:
        data = None
    # A token confirms once, whatever happens next.
    _forget(request, pending, token)
    if data is None:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("stations_staff:import_upload", kind=kind)
    try:
        dataset = sheets.read_dataset(entry["name"], data)
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
