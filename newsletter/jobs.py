"""The newsletter's kinds of background job (core/jobs/), registered when the
app is ready (``register_kinds``).

- ``issue_word_job``: an issue as a Word file (newsletter/word_export.py), the
  result kept for download from the job page.
- ``archive_import_job``: a .zip of past issues, one issue per file
  (newsletter/legacy/archive.py), with a result per file.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from core.jobs import JobResult, job_input

from . import permissions, selectors
from .legacy.archive import DRAFT, FAILED, IMPORTED, SKIPPED, archive_import
from .models import Publication
from .word_export import build_docx, docx_filename

ISSUE_WORD = "issue_word"
ARCHIVE_IMPORT = "archive_import"


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
    return JobResult(
        # Every file refused: nothing was written.
        ok=counts[FAILED] < len(entries),
        message=message,
        summary={"files": [e.as_json() for e in entries], "counts": counts},
        url="" if dry_run else reverse("newsletter:archive"),
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
