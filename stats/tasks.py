"""Celery tasks of the statistics (run by beat, CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="stats.tasks.refresh_stats")
def refresh_stats() -> None:
    """The province's and every city's dashboards counted ahead of readers:
    ``manage.py refresh_stats`` itself, so the two never differ."""
    call_command("refresh_stats", verbosity=0)
