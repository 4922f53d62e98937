"""The activities app's kinds of background job (core/jobs/), registered when
the app is ready (``register_kinds``): each runner reads its job's parameters
and file and calls the existing service as the job's starter, who is checked
again there.

- ``report_import_job``: the back-fill of past reports (activities/resources/).
  All or nothing; a repeated report is refused, so a second run adds nothing.
- ``photo_batch_job``: a large batch of report photos, each through
  ``report_photo_add`` (its own transaction), with a result per file. A photo
  already on the report (same bytes) is skipped, so a re-run adds nothing twice.
  A full disk stops the batch at the photo it met: the photos before it stay,
  and the job's message says so once.
"""

from __future__ import annotations

import io
import tempfile
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities import permissions
from core.jobs import JobResult, job_input
from core.sheets import read_dataset
from stations.services.imports import report_job_result

from .resources import import_reports
from .services import report_photo_add

REPORT_IMPORT = "report_import"
PHOTO_BATCH = "photo_batch"


def report_import_job(job, progress) -> JobResult:
    """Params: ``dry_run``."""
    dry_run = bool(job.params.get("dry_run"))
    progress(0, None, _("读取文件"))
    dataset = read_dataset(job.input_name, job_input(job))
    report = import_reports(
        dataset, user=job.started_by, dry_run=dry_run, progress=progress
    )
    return report_job_result(
        report, dry_run=dry_run, url=reverse("activities_staff:reports")
    )


# --- Photos ----------------------------------------------------------------------------


def photo_batch_file(uploads) -> tuple[File, list[str]]:
    """The uploaded photos packed into one stored (uncompressed) zip, the job's
    input file, and their names in order. Entries are numbered, so a name the
    phone gave twice is still two photos. The zip spills to a temporary file
    beyond a few megabytes: a batch may hold 30 camera photos."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    names = []
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:
        for n, upload in enumerate(uploads):
            with archive.open(f"{n:04d}", "w", force_zip64=True) as entry:
                for chunk in upload.chunks():
                    entry.write(chunk)
            names.append((upload.name or "")[:200])
    spool.seek(0)
    return File(spool, name="photos.zip"), names


def photo_batch_job(job, progress) -> JobResult:
    """Params: ``report`` (pk), ``names``, ``caption``, ``shows_people``,
    ``consent``. The input is the zip ``photo_batch_file`` made."""
    user = job.started_by
    report = (
        permissions.reports_writable_by(user)
        .select_related("city", "county", "station__town__county")
        .filter(pk=job.params["report"])
        .first()
    )
    if report is None:
        raise PermissionDenied
    names = job.params.get("names", [])
    total = len(names)
    files, saved = [], 0
    disk_full = ""
    with zipfile.ZipFile(io.BytesIO(job_input(job))) as archive:
        for n, name in enumerate(names):
            progress(
                n,
                total,
                _("处理第 %(n)d 张，共 %(total)d 张") % {"n": n + 1, "total": total},
            )
            entry = {"name": name, "status": "saved", "detail": ""}
            try:
                data = archive.read(f"{n:04d}")
                report_photo_add(
                    report=report,
                    by=user,
                    file=ContentFile(data, name=name),
                    caption=job.params.get("caption", ""),
                    shows_people=job.params.get("shows_people", False),
                    consent=job.params.get("consent", False),
                )
                saved += 1
            except ValidationError as exc:
                reason = " ".join(exc.messages)
                entry.update(
                    status="duplicate" if exc.code == "duplicate" else "failed",
                    detail=reason,
                )
                if exc.code == "storage_full":
                    # No room for this photo, nor for any after it: stop, and
                    # say why once, above the table. The photos saved stay.
                    disk_full = reason
                    not_saved = _("未保存：存储空间已满，见上方说明。")
                    files += [
                        {"name": rest, "status": "failed", "detail": not_saved}
                        for rest in names[n:]
                    ]
                    break
                if exc.code == "not_editable":
                    # The report was submitted meanwhile: none of the rest can go.
                    files.append(entry)
                    files += [
                        {"name": rest, "status": "failed", "detail": reason}
                        for rest in names[n + 1 :]
                    ]
                    break
            files.append(entry)
    progress(total, total)
    failed = sum(1 for f in files if f["status"] == "failed")
    skipped = sum(1 for f in files if f["status"] == "duplicate")
    message = _("已保存 %(saved)d 张照片。") % {"saved": saved}
    if skipped:
        message += _("%(n)d 张已上传过，跳过。") % {"n": skipped}
    if disk_full:
        message += disk_full + _("%(n)d 张未保存。") % {"n": failed}
    elif failed:
        message += _("%(n)d 张未保存，原因见下表。") % {"n": failed}
    return JobResult(
        # Nothing saved and something refused: the report is as it was.
        ok=not (failed and not saved and not skipped),
        message=message,
        summary={"files": files, "saved": saved, "failed": failed},
        url=report.get_absolute_url() + "#photos",
    )


def register_kinds() -> None:
    """Who may see a job, besides its starter, is who manages the unit it was
    filed under."""
    from core.jobs import JobKind, register
    from stations.permissions import job_units_q

    for name, label, runner, sensitive in (
        (REPORT_IMPORT, gettext_lazy("历史活动报告补录"), report_import_job, False),
        (PHOTO_BATCH, gettext_lazy("报告照片处理"), photo_batch_job, False),
    ):
        register(
            JobKind(
                name,
                label,
                runner,
                visible_to=job_units_q,
                sensitive_input=sensitive,
            )
        )
