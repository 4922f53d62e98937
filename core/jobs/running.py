"""Running a job: claiming it, calling its runner as its starter, and recording
what came of it (status, message, row errors, result file, log)."""

from __future__ import annotations

import logging
import traceback
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import logcontext
from ..models import Job
from .progress import Progress, cache_key, scrub
from .registry import MAX_ROW_ERRORS, JobResult, get_kind

logger = logging.getLogger("core.jobs")


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


# --- Running -------------------------------------------------------------------------


def _claim(job_id: int) -> Job | None:
    with transaction.atomic():
        job = (
            Job.objects.select_related("started_by")
            .select_for_update(of=("self",))
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.is_finished:
            return None
        again = job.status == Job.Status.RUNNING
        job.status = Job.Status.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.progress_done = 0
        job.message = _("重新开始（上次运行中断）") if again else _("开始处理")
        job.save(
            update_fields=[
                "status",
                "started_at",
                "attempts",
                "progress_done",
                "message",
                "updated_at",
            ]
        )
    return job


def run_job(job_id: int, *, on_progress=None) -> Job | None:
    """Run the job if it is not finished; returns it, or None when there was
    nothing to do. ``on_progress(progress)`` is called at every report (the
    command-line bar). Every line logged meanwhile names ``job-<id>``."""
    with logcontext.bound(f"job-{job_id}"):
        return _run(job_id, on_progress=on_progress)


def _run(job_id: int, *, on_progress=None) -> Job | None:
    job = _claim(job_id)
    if job is None:
        return None
    progress = Progress(job, on_update=on_progress)
    if job.attempts > settings.JOBS_MAX_ATTEMPTS:
        # Its worker died every time (a file that crashes it, perhaps): each
        # try rolled back, and it is not tried again.
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            _finish(job, _gave_up(job), progress)
        return Job.objects.get(pk=job.pk)
    if job.attempts > 1:
        progress.log(
            _("第 %(n)d 次运行：上次运行中断，本批从头再做。") % {"n": job.attempts}
        )
    language = job.params.get("language") or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            # The runner acts as the starter: an account closed since is refused.
            require(job.started_by is not None and job.started_by.is_active)
            kind = get_kind(job.kind)
            if kind is None:
                # A kind whose app is no longer installed: nothing runs it.
                raise ValidationError(_("这类任务已不再支持，无法运行。"))
            result = kind.runner(job, progress)
        except (PermissionDenied, Http404):
            # Out of the starter's reach, as a page would answer 404.
            result = JobResult(
                ok=False, message=_("没有权限执行这项任务，未写入任何数据。")
            )
        except ValidationError as exc:
            result = JobResult(ok=False, message="；".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 - any failure ends the job as failed
            logger.error(
                "job %s (%s) failed:\n%s",
                job.pk,
                job.kind,
                _traceback_for_log(exc, kind=get_kind(job.kind)),
            )
            progress.log(scrub(f"{type(exc).__name__}: {exc}"))
            result = JobResult(
                ok=False,
                message=_(
                    "任务出错，本批数据已回滚，没有写入。可以重新运行，或联系管理员。"
                ),
                # Unlike a refusal (a file with errors), this may go another time.
                summary={"retryable": True},
            )
        _finish(job, result, progress)
    return Job.objects.get(pk=job.pk)


def _traceback_for_log(exc: BaseException, *, kind) -> str:
    """The failure's traceback for the server log. For a kind whose upload
    holds personal data, each exception's message is left out: a library
    quoting the row it choked on would write a name there, which no masking
    recognises. The job's own log (seen by who may see the job) keeps it."""
    if kind is None or not kind.sensitive_input:
        return scrub(traceback.format_exc())
    lines = []
    for link in traceback.TracebackException.from_exception(exc).format():
        if not link.startswith((" ", "Traceback", "\n")):
            # "ValueError: <message>" (perhaps over several lines): its type only.
            name = link.split(":", 1)[0].strip()
            link = f"{name}: (message withheld: the job's upload holds personal data)\n"
        lines.append(link)
    return scrub("".join(lines))


def _gave_up(job: Job) -> JobResult:
    logger.error(
        "job %s (%s) stopped after %d interrupted runs",
        job.pk,
        job.kind,
        job.attempts - 1,
    )
    return JobResult(
        ok=False,
        message=_(
            "任务运行中断次数过多（%(n)d 次），已停止重试，本批数据已回滚，"
            "没有写入。请检查上传的文件，或联系管理员。"
        )
        % {"n": job.attempts - 1},
    )


def _finish(job: Job, result: JobResult, progress: Progress) -> None:
    if result.message:
        progress.log(result.message)
    fields = {
        "status": Job.Status.SUCCEEDED if result.ok else Job.Status.FAILED,
        "finished_at": timezone.now(),
        "message": (result.message or "")[:300],
        "result": result.summary,
        "row_errors": result.row_errors[:MAX_ROW_ERRORS],
        "result_url": result.url[:300],
        "log_tail": progress.log_tail(),
        "progress_total": progress.total,
        "progress_done": progress.total if result.ok else progress.done,
        "updated_at": timezone.now(),
    }
    if len(result.row_errors) > MAX_ROW_ERRORS:
        fields["result"] = {**result.summary, "row_errors_cut": len(result.row_errors)}
    if result.file_data is not None:
        suffix = PurePath(result.file_name).suffix.lower()[:10]
        job.result_file.save(
            f"{uuid.uuid4().hex}{suffix}", ContentFile(result.file_data), save=False
        )
        fields["result_file"] = job.result_file.name
        fields["result_name"] = result.file_name[:200]
    Job.objects.filter(pk=job.pk).update(**fields)
    cache.delete(cache_key(job.pk))
    if result.ok and not job.is_dry_run and job.input_file:
        # The batch is in: its upload (a sheet of ID numbers, perhaps) goes now,
        # from every job that named it (the dry run that checked it).
        delete_input(job.input_file.name)


def delete_input(name: str) -> None:
    if not name:
        return
    Job.objects.filter(input_file=name).update(input_file="", input_expires_at=None)
    try:
        Job._meta.get_field("input_file").storage.delete(name)
    except OSError:
        logger.warning("job input file %s could not be deleted", name)


def job_input(job: Job) -> bytes:
    """The uploaded file's bytes, or a ValidationError when it is gone."""
    if not job.input_file:
        raise ValidationError(_("上传的文件已过保留期限被删除，请重新上传。"))
    try:
        with job.input_file.open("rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ValidationError(_("上传的文件已过保留期限被删除，请重新上传。")) from exc
