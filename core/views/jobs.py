"""Background jobs under /staff/jobs/: the list, a job's page with its progress
bar (static/js/job_progress.js polls ``job_status``), its row errors and its
download, and the buttons that confirm a checked import or run a failed job
again. A job out of the user's sight is a 404 (core/jobs/visibility.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import jobs
from ..models import Job
from ..people import name_related

PAGE_SIZE = 30

# How each per-file outcome reads (archive import, photo batch).
FILE_STATUS_LABELS = {
    "imported": _("已导入"),
    "draft": _("已导入为草稿"),
    "saved": _("已保存"),
    "skipped": _("已有这一期，跳过"),
    "duplicate": _("已上传过，跳过"),
    "checked": _("检查通过"),
    "failed": _("失败"),
}


@login_required
@require_GET
def job_list(request):
    # 发起人 is each starter's name (core/people.py), read in the same query.
    jobs_qs = jobs.jobs_visible_to(request.user).select_related(
        "started_by", *name_related("started_by")
    )
    page = Paginator(jobs_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/jobs/list.html", {"page": page})


def _files(job: Job) -> list[dict]:
    rows = []
    for entry in job.result.get("files", []):
        status = entry.get("status", "")
        rows.append({**entry, "status_label": FILE_STATUS_LABELS.get(status, status)})
    return rows


@login_required
@require_GET
def job_detail(request, pk):
    job = jobs.get_job_for_user(request.user, pk)
    mine = job.started_by_id == request.user.pk
    follow_up = None
    if job.is_finished and mine:
        key = f"confirm:{job.pk}" if job.is_dry_run else f"retry:{job.pk}"
        follow_up = Job.objects.filter(idempotency_key=key).only("pk", "title").first()
    state = jobs.live_state(job)
    duration = job.duration
    rate = None
    if duration and job.progress_total and job.status == Job.Status.SUCCEEDED:
        seconds = duration.total_seconds()
        rate = round(job.progress_total / seconds) if seconds > 0 else None
    return render(
        request,
        "core/jobs/detail.html",
        {
            "job": job,
            "state": state,
            "files": _files(job),
            "totals": job.result.get("totals"),
            "can_confirm": mine
            and follow_up is None
            and job.is_dry_run
            and job.status == Job.Status.SUCCEEDED
            and bool(job.input_file),
            "can_retry": mine
            and follow_up is None
            and job.status == Job.Status.FAILED
            and bool(job.result.get("retryable")),
            "follow_up": follow_up,
            "seconds": duration.total_seconds() if duration else None,
            "rate": rate,
        },
    )


@never_cache
@login_required
@require_GET
def job_status(request, pk):
    """What the progress bar polls: status, done, total, percent, message."""
    job = jobs.get_job_for_user(request.user, pk)
    return JsonResponse(jobs.live_state(job))


@login_required
@require_GET
def job_download(request, pk):
    job = jobs.get_job_for_user(request.user, pk)
    if not job.result_file:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except OSError as exc:  # removed by prune_jobs meanwhile
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=job.result_name or "result"
    )
    response["Cache-Control"] = "no-store, private"
    return response


def _follow_up_view(request, pk, start):
    job = jobs.get_job_for_user(request.user, pk)
    try:
        started = start(job=job, by=request.user)
    except PermissionDenied:
        # Seen as a manager of its unit, but started by someone else.
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(job)
    return redirect(started)


@login_required
@require_POST
def job_confirm(request, pk):
    return _follow_up_view(request, pk, jobs.job_confirm)


@login_required
@require_POST
def job_retry(request, pk):
    return _follow_up_view(request, pk, jobs.job_retry)
