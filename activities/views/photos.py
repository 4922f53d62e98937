"""Report photos: the batch upload, and editing or deleting one photo. The forms
live on the report page (templates/activities/staff/photos/_manage.html), so every
action answers with messages and a redirect back to it. A batch larger than
``JOBS_INLINE_PHOTO_BYTES`` goes to a background job instead (activities/jobs.py),
and the answer is the job's page with its progress and a result per file.

The report is fetched with ``write=True``: a photo of a report out of the user's
filing scope is a 404, whether the report is merely unseen or only readable."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import permissions
from activities.forms.photos import PhotoEditForm, PhotoUploadForm
from core.jobs import job_start
from stations.permissions import unit_path_of
from stations.views.staff import staff_required

from ..jobs import PHOTO_BATCH, photo_batch_file
from ..models import ReportPhoto
from ..services import report_photo_add, report_photo_delete, report_photo_update
from ..services.photos import NAME_IN_MESSAGE


def _back(report):
    return redirect(report.get_absolute_url() + "#photos")


def _form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def _photo_for_user(user, pk) -> ReportPhoto:
    photo = get_object_or_404(ReportPhoto, pk=pk)
    photo.report = permissions.get_report_for_user(user, photo.report_id, write=True)
    return photo


def _start_photo_job(request, report, data):
    file, names = photo_batch_file(data["photos"])
    with file:
        return job_start(
            kind=PHOTO_BATCH,
            by=request.user,
            title=_("处理报告照片：%(title)s（%(n)d 张）")
            % {"title": report.title, "n": len(names)},
            params={
                "report": report.pk,
                "names": names,
                "caption": data["caption"],
                "shows_people": data["shows_people"],
                "consent": data["consent"],
            },
            input_file=file,
            unit=unit_path_of(report.city_id, report.county_id, report.station_id),
        )


@staff_required
@require_POST
def photo_upload(request, pk):
    report = permissions.get_report_for_user(request.user, pk, write=True)
    form = PhotoUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(report)
    data = form.cleaned_data
    if sum(upload.size or 0 for upload in data["photos"]) > (
        settings.JOBS_INLINE_PHOTO_BYTES
    ):
        # A large batch is processed in the background, with progress.
        return redirect(_start_photo_job(request, report, data))
    added = 0
    for position, upload in enumerate(data["photos"], start=1):
        try:
            report_photo_add(
                report=report,
                by=request.user,
                file=upload,
                caption=data["caption"],
                shows_people=data["shows_people"],
                consent=data["consent"],
            )
        except ValidationError as exc:
            if exc.code in ("not_editable", "storage_full"):
                # The same for every file of the batch: say it once.
                messages.error(request, " ".join(exc.messages))
                break
            messages.error(
                request,
                _("第 %(n)d 个文件（%(name)s）未保存：%(reason)s")
                % {
                    "n": position,
                    "name": (upload.name or "")[:NAME_IN_MESSAGE],
                    "reason": " ".join(exc.messages),
                },
            )
        else:
            added += 1
    if added:
        messages.success(
            request,
            _(
                "已保存 %(n)d 张照片。在正文中单独一行写“[照片N]”，可把第 N 张照片放在那里。"
            )
            % {"n": added},
        )
    return _back(report)


@staff_required
@require_POST
def photo_edit(request, pk):
    photo = _photo_for_user(request.user, pk)
    form = PhotoEditForm(request.POST, instance=photo)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(photo.report)
    try:
        report_photo_update(
            photo=photo,
            by=request.user,
            caption=form.cleaned_data["caption"],
            shows_people=form.cleaned_data["shows_people"],
            consent=form.cleaned_data["consent"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("照片信息已保存。"))
    return _back(photo.report)


@staff_required
@require_POST
def photo_delete(request, pk):
    photo = _photo_for_user(request.user, pk)
    try:
        report_photo_delete(photo=photo, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("照片已删除，正文中的照片编号已随之调整。"))
    return _back(photo.report)
