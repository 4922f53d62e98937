"""Starting a job, confirming a checked import, running a failed job again, and
handing a job on to where it runs (``settings.JOBS_MODE``)."""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnreachable

from ..models import Job, job_storage
from ..outages import JobQueueUnavailable, files_kept_or_removed
from .registry import get_kind
from .running import require, run_job

logger = logging.getLogger("core.jobs")

# --- Starting ------------------------------------------------------------------------


def job_start(
    *,
    kind: str,
    by,
    title: str,
    params: dict | None = None,
    input_file=None,
    input_name: str = "",
    unit: str = "",
    idempotency_key: str = "",
    reuse_input_of: Job | None = None,
    hand_on: bool = True,
) -> Job:
    """Record a job and hand it on (see the module docstring). ``input_file`` is
    an uploaded file or a ContentFile; it is kept in the job file storage until
    the job no longer needs it (``reuse_input_of`` names another job's stored
    file instead). ``unit`` is the unit of the organisation the job works on,
    as the app writes it for its kind's rule of who may see the job. With
    ``idempotency_key``, starting again returns the job already started under
    that key. The caller has checked that ``by`` may do the work; the runner's
    service checks it again. ``hand_on=False`` only records the job: the
    caller runs it (the ``run_job`` command)."""
    registered = get_kind(kind)
    require(by is not None and by.is_authenticated and registered is not None)
    if idempotency_key:
        existing = Job.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    params = dict(params or {})
    # Messages are written in the language of the person who started the job.
    params.setdefault("language", translation.get_language() or settings.LANGUAGE_CODE)
    job = Job(
        kind=kind,
        title=title[:200],
        started_by=by,
        unit=unit,
        params=params,
        idempotency_key=idempotency_key,
        message=_("排队等待处理"),
    )
    name = input_name or getattr(input_file, "name", "") or ""
    job.input_name = PurePath(name).name[:200]
    if reuse_input_of is not None:
        job.input_file = reuse_input_of.input_file.name
        job.input_expires_at = reuse_input_of.input_expires_at
    elif input_file is not None:
        days = 1 if registered.sensitive_input else settings.JOBS_FILE_RETENTION_DAYS
        job.input_expires_at = timezone.now() + timedelta(days=days)
    job.full_clean(exclude=["input_file", "result_file"], validate_constraints=False)
    saved_file = ""
    try:
        with transaction.atomic():
            if input_file is not None and reuse_input_of is None:
                suffix = PurePath(name).suffix.lower()[:10]
                # A full disk: the part written is removed, and the user told.
                with files_kept_or_removed():
                    job.input_file.save(
                        f"{uuid.uuid4().hex}{suffix}", input_file, save=False
                    )
                saved_file = job.input_file.name
            job.save()
            if hand_on and settings.JOBS_MODE != "sync":
                # A worker must find the row: hand it on once it is committed.
                transaction.on_commit(lambda: _hand_on(job))
    except BaseException as exc:
        if saved_file:
            # No row names the stored upload: nothing would ever delete it.
            job_storage.delete(saved_file)
        existing = (
            Job.objects.filter(idempotency_key=idempotency_key).first()
            if idempotency_key and isinstance(exc, IntegrityError)
            else None
        )
        if existing is None:
            raise
        # The same key started at the same moment by a second request.
        return existing
    if hand_on and settings.JOBS_MODE == "sync":
        dispatch(job.pk)
        job.refresh_from_db()
    return job


def job_confirm(*, job: Job, by) -> Job:
    """Run for real the import a clean dry run checked: same file, same
    parameters, titled ``params["run_title"]``. Only its starter may; confirming
    twice returns the same job."""
    require(job.started_by_id == by.pk)
    if not (job.is_dry_run and job.status == Job.Status.SUCCEEDED):
        raise ValidationError(_("只有检查通过的导入才能确认。"))
    key = f"confirm:{job.pk}"
    existing = Job.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    _require_input(job)
    return job_start(
        kind=job.kind,
        by=by,
        title=job.params.get("run_title") or job.title,
        params={**job.params, "dry_run": False, "checked_by_job": job.pk},
        unit=job.unit,
        idempotency_key=key,
        input_name=job.input_name,
        reuse_input_of=job,
    )


def job_retry(*, job: Job, by) -> Job:
    """Run again, as it was started, a job that failed for a reason that may
    pass (an error, an interrupted process): not one that refused its input.
    Only its starter may."""
    require(job.started_by_id == by.pk)
    if job.status != Job.Status.FAILED:
        raise ValidationError(_("只有未完成的任务可以重新运行。"))
    if not job.result.get("retryable"):
        raise ValidationError(
            _(
                "这个任务是因为内容有误而没有完成的，重新运行结果相同。请改正后重新上传。"
            )
        )
    key = f"retry:{job.pk}"
    existing = Job.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if job.input_name:
        _require_input(job)
    return job_start(
        kind=job.kind,
        by=by,
        title=job.title,
        params={**job.params, "retry_of": job.pk},
        unit=job.unit,
        idempotency_key=key,
        input_name=job.input_name,
        reuse_input_of=job if job.input_file else None,
    )


def _require_input(job: Job) -> None:
    if not job.input_file or not job.input_file.storage.exists(job.input_file.name):
        raise ValidationError(_("上传的文件已过保留期限被删除，请重新上传。"))


# --- Handing on ----------------------------------------------------------------------


def _hand_on(job: Job) -> None:
    """Hand the committed job on. A broker that cannot be reached (within
    CELERY_BROKER_CONNECTION_TIMEOUT and CELERY_TASK_PUBLISH_RETRY_POLICY) takes
    the job back: its row is deleted, so nothing waits queued forever, and
    ``JobQueueUnavailable`` reaches the starter's page; ``job_start`` deletes
    the stored upload as it raises."""
    try:
        dispatch(job.pk)
    except BrokerUnreachable as exc:
        logger.warning(
            "job %s (%s) not started: the broker cannot be reached (%s)",
            job.pk,
            job.kind,
            exc,
        )
        Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).delete()
        raise JobQueueUnavailable from exc


def dispatch(job_id: int) -> None:
    mode = settings.JOBS_MODE
    if mode == "celery":
        from ..tasks import run_job_task

        run_job_task.apply_async(args=[job_id], queue=settings.JOBS_QUEUE)
    elif mode == "thread":
        threading.Thread(
            target=_run_in_thread, args=(job_id,), name=f"job-{job_id}", daemon=True
        ).start()
    else:
        run_job(job_id)


def _run_in_thread(job_id: int) -> None:
    try:
        run_job(job_id)
    finally:
        # The thread's own connections; the web process's stay as they are.
        connections.close_all()
