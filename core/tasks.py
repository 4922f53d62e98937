"""Celery tasks. A job is one task, ``run_job_task(job_id)``: the state is in the
Job row, the work in the runner its kind registered (core/jobs/)."""

from celery import shared_task

from . import jobs


@shared_task(name="core.tasks.run_job", acks_late=True)
def run_job_task(job_id: int) -> None:
    # Delivered twice (a worker lost after the job finished): run_job leaves a
    # finished job alone. Delivered again after a crash mid-way: it runs again.
    jobs.run_job(job_id)


@shared_task(name="core.tasks.prune_jobs")
def prune_jobs() -> dict:
    """Nightly with ``celery -A portal beat`` (CELERY_BEAT_SCHEDULE)."""
    return jobs.jobs_prune()


@shared_task(name="core.tasks.send_notifications")
def send_notifications(ids=None) -> dict:
    """Every minute with beat: e-mails and robot posts whose wait is over; and,
    with ``ids``, the deliveries an action has just committed."""
    from .notifications import deliver

    return deliver(ids=ids)


@shared_task(name="core.tasks.prune_audit")
def prune_audit() -> int:
    """Daily with beat: what ``manage.py prune_audit`` does, audit rows older
    than AUDIT_RETENTION_DAYS (never fewer than 180 days) deleted."""
    from .models import AuditEntry

    return AuditEntry.objects.prune()
