"""``jobs_prune``: what ``manage.py prune_jobs`` (or Celery beat) does daily."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Job
from ..uploads import HOLD_FOR, uploads_sweep
from .running import delete_input

logger = logging.getLogger("core.jobs")

# --- Housekeeping --------------------------------------------------------------------

# Uploads held between a preview and its confirmation (core/uploads.py) go
# after a day. Versions before that held them as files under MEDIA_ROOT's
# "imports" folder: any left there from before the upgrade go the same way.
LEGACY_UPLOADS_ROOT = "imports"


def sweep_unconfirmed(*, now) -> int:
    """Delete the uploads nobody confirmed within ``HOLD_FOR``."""
    before = now - HOLD_FOR
    deleted = uploads_sweep(before=before)
    try:
        folders, _files = default_storage.listdir(LEGACY_UPLOADS_ROOT)
    except (FileNotFoundError, NotADirectoryError):
        folders = []
    for folder in folders:
        _dirs, files = default_storage.listdir(f"{LEGACY_UPLOADS_ROOT}/{folder}")
        for name in files:
            path = f"{LEGACY_UPLOADS_ROOT}/{folder}/{name}"
            try:
                if default_storage.get_modified_time(path) < before:
                    default_storage.delete(path)
                    deleted += 1
            except OSError:
                logger.warning("unconfirmed upload %s could not be deleted", path)
    return deleted


def jobs_prune(*, now=None) -> dict:
    """Delete job input files past their time, result files and job rows past
    theirs, and mark as failed the jobs whose process died under them (a thread
    of a restarted web process). Returns what it did, for the command."""
    now = now or timezone.now()
    storage = Job._meta.get_field("input_file").storage
    done = {"inputs": 0, "results": 0, "jobs": 0, "stale": 0, "unconfirmed": 0}
    done["unconfirmed"] = sweep_unconfirmed(now=now)
    expired = Job.objects.exclude(input_file="").filter(input_expires_at__lt=now)
    for name in set(expired.values_list("input_file", flat=True)):
        delete_input(name)
        done["inputs"] += 1
    result_cutoff = now - timedelta(days=settings.JOBS_FILE_RETENTION_DAYS)
    old_results = Job.objects.exclude(result_file="").filter(
        finished_at__lt=result_cutoff
    )
    for pk, name in old_results.values_list("pk", "result_file"):
        try:
            storage.delete(name)
        except OSError:
            logger.warning("job result file %s could not be deleted", name)
        Job.objects.filter(pk=pk).update(result_file="")
        done["results"] += 1
    stale_cutoff = now - timedelta(hours=24)
    done["stale"] = (
        Job.objects.unfinished()
        .filter(updated_at__lt=stale_cutoff)
        .update(
            status=Job.Status.FAILED,
            finished_at=now,
            result={"retryable": True},
            message=_("任务中断（处理它的进程已停止），本批数据已回滚。可以重新运行。"),
        )
    )
    old_jobs = Job.objects.filter(
        created_at__lt=now - timedelta(days=settings.JOBS_KEEP_DAYS)
    )
    for name in old_jobs.exclude(input_file="").values_list("input_file", flat=True):
        delete_input(name)
    done["jobs"], _counts = old_jobs.delete()
    return done
