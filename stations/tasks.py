"""Celery tasks. A job is one task, ``run_job_task(job_id)``: the state is in the
Job row, the work in the runner the job's kind names (stations/jobs.py)."""

from celery import shared_task

from . import jobs


@shared_task(name="stations.tasks.run_job", acks_late=True)
def run_job_task(job_id: int) -> None:
    # Delivered twice (a worker lost after the job finished): run_job leaves a
    # finished job alone. Delivered again after a crash mid-way: it runs again.
    jobs.run_job(job_id)


@shared_task(name="stations.tasks.prune_jobs")
def prune_jobs() -> dict:
    """Nightly with ``celery -A portal beat`` (CELERY_BEAT_SCHEDULE)."""
    return jobs.jobs_prune()
