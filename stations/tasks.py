"""Celery tasks of the station network (found by ``app.autodiscover_tasks``)."""

from celery import shared_task


@shared_task(name="stations.tasks.notify_due_followups")
def notify_due_followups() -> int:
    """Hourly with beat (CELERY_BEAT_SCHEDULE): follow-ups falling due."""
    from stations.services.quality import followups_notify_due

    return followups_notify_due()
