"""The newsletter's kinds of background job (core/jobs/), registered when the
app is ready (``register_kinds``).

- ``issue_word_job``: an issue as a Word file (newsletter/word_export.py), the
  result kept for download from the job page.
- ``archive_import_job``: a .zip of past issues, one issue per file
  (newsletter/legacy/archive.py), with a result per file.
- ``scan_read_job``: a scan uploaded on the single-file import screen
  (newsletter/views/legacy.py), read by OCR page by page; its result links to
  the import's preview.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from core.jobs import JobResult, job_input
from core.uploads import upload_drop, upload_peek

from . import permissions, selectors
from .legacy import ocr, scan_pages
from .legacy.archive import DRAFT, FAILED, IMPORTED, SKIPPED, archive_import
from .models import Publication
from .services.legacy import issue_import
from .word_export import build_docx, docx_filename

ISSUE_WORD = "issue_word"
ARCHIVE_IMPORT = "archive_import"
SCAN_READ = "legacy_scan_read"
# What the single-file import screen holds its upload under (core/uploads.py),
# from the upload to the confirmation; the scan job reads it from there.
IMPORT_PURPOSE = "legacy_issue"


def issue_word_job(job, progress) -> JobResult:
    """Params: ``issue`` (pk). The starter must still be able to open it, and
    the file holds what they may read of it (a county reviewer's, the county's
    articles only)."""
    issue = (
        permissions.issues_visible_to(job.started_by)
        .select_related("publication__city")
        .filter(pk=job.params["issue"])
        .first()
    )
    if issue is None:
        raise PermissionDenied
    progress(0, None, _("读取文章"))
    sections = selectors.issue_contents(issue, reader=job.started_by)
    progress(0, None, _("生成 Word 文件"))
    data = build_docx(issue, sections, progress=progress)
    return JobResult(
        message=_("Word 文件已生成。"),
        file_name=docx_filename(issue),
        file_data=data,
    )


def archive_import_job(job, progress) -> JobResult:
    """Params: ``publication`` (pk) and ``dry_run``. The input is the .zip."""
    dry_run = bool(job.params.get("dry_run"))
    publication = (
        Publication.objects.select_related("city")
        .filter(pk=job.params["publication"])
        .first()
    )
    if publication is None:
        raise ValidationError(_("这份简报已不存在，没有导入。"))
    progress(0, None, _("读取压缩包"))
    entries = archive_import(
        publication=publication,
        data=job_input(job),
        by=job.started_by,
        dry_run=dry_run,
        progress=progress,
    )
    counts = {
        status: sum(1 for e in entries if e.status == status)
        for status in (IMPORTED, DRAFT, SKIPPED, FAILED)
    }
    if dry_run:
        message = _(
            "检查了 %(n)d 个文件：%(ok)d 个可以导入，%(skipped)d 个已有这一期，"
            "%(failed)d 个不能导入。"
        ) % {
            "n": len(entries),
            "ok": len(entries) - counts[SKIPPED] - counts[FAILED],
            "skipped": counts[SKIPPED],
            "failed": counts[FAILED],
        }
    else:
        message = (
            _(
                "导入并发布 %(imported)d 期，导入为草稿 %(draft)d 期（请编辑处理后发布），"
                "跳过 %(skipped)d 个文件（已有这一期），%(failed)d 个文件未导入。"
            )
            % counts
        )
    # A full disk stopped the archive: why, once, above the table.
    message += next((e.stopped_by for e in entries if e.stopped_by), "")
    return JobResult(
        # Every file refused: nothing was written.
        ok=counts[FAILED] < len(entries),
        message=message,
        summary={"files": [e.as_json() for e in entries], "counts": counts},
        url="" if dry_run else reverse("newsletter:archive"),
    )


def held_params(meta: dict) -> dict:
    """The numbers the import screen's form gave, as the upload is held with
    them (``meta``), in the form ``issue_import`` takes."""
    issue_date = meta.get("issue_date")
    return {
        "year": meta.get("year"),
        "number": meta.get("number"),
        "running_number": meta.get("running_number"),
        "issue_date": datetime.date.fromisoformat(issue_date) if issue_date else None,
    }


def scan_read_job(job, progress) -> JobResult:
    """Params: ``token``, the upload the import screen holds for the starter
    (a scan), and ``publication`` (pk). Reads the scan by OCR page by page; the
    lines stay in the cache (``ocr.cache_key``), so the preview the result
    links to (``newsletter_staff:legacy_import_preview``) and the import after
    it do not read the pages again. The dry run here, on those lines, says in
    the result what the preview will show. A file OCR cannot read is refused:
    the job fails with the reason and the held upload is dropped (the editor
    uploads another); after an unexpected error it stays held for a retry
    until ``prune_jobs`` sweeps it."""
    publication = (
        permissions.publications_editable_by(job.started_by)
        .filter(pk=job.params["publication"])
        .first()
    )
    if publication is None:
        raise PermissionDenied
    token = job.params["token"]
    held = upload_peek(user=job.started_by, purpose=IMPORT_PURPOSE, token=token)
    if held is None:
        raise ValidationError(
            _(
                "上传的扫描件已失效（已经确认导入、被新的上传替换或超过一天），"
                "请重新上传。"
            )
        )
    data = bytes(held.data)
    try:
        pages = scan_pages.page_count(data)
        progress(0, pages, _("准备识别"))
        lines = ocr.read_scan(data, progress=progress)
        progress(pages, pages, _("整理识别出的文字"))
        result = issue_import(
            publication=publication,
            source=data,
            filename=held.name,
            by=job.started_by,
            dry_run=True,
            **held_params(held.meta),
        )
    except ValidationError:
        upload_drop(user=job.started_by, purpose=IMPORT_PURPOSE, token=token)
        raise
    doubtful = sum(1 for line in lines if line.low_confidence)
    read = _(
        "已识别 %(pages)d 页，读出 %(lines)d 段文字，其中 %(doubtful)d 段识别可信度低。"
    ) % {"pages": pages, "lines": len(lines), "doubtful": doubtful}
    if result.ok:
        advice = _("请点“查看结果”打开预览，对照原页核对后确认导入。")
    elif result.skipped:
        advice = result.summary()
    else:
        advice = _("但还不能导入：%(reason)s请点“查看结果”打开预览查看。") % {
            "reason": "".join(result.errors)
        }
    return JobResult(
        message=read + advice,
        summary={"pages": pages, "paragraphs": len(lines), "doubtful": doubtful},
        url=reverse("newsletter_staff:legacy_import_preview", args=[token]),
    )


def register_kinds() -> None:
    """Those who may see a job besides its starter: whoever manages its unit
    (a publication's city)."""
    from django.utils.translation import gettext_lazy

    from core.jobs import JobKind, register
    from stations.permissions import job_units_q

    register(
        JobKind(
            ISSUE_WORD,
            gettext_lazy("简报导出 Word"),
            issue_word_job,
            visible_to=job_units_q,
        )
    )
    register(
        JobKind(
            ARCHIVE_IMPORT,
            gettext_lazy("往期简报批量导入"),
            archive_import_job,
            visible_to=job_units_q,
        )
    )
    register(
        JobKind(
            SCAN_READ,
            gettext_lazy("识别扫描件"),
            scan_read_job,
            visible_to=job_units_q,
        )
    )
