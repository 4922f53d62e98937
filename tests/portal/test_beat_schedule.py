"""Celery beat's schedule (CELERY_BEAT_SCHEDULE, run by portal-beat.service in
production): every entry names a task the worker has registered, every
periodic command the README lists has its entry, and the tasks do what their
commands do."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import AuditEntry
from portal.celery import app

PERIODIC = {
    "core.tasks.prune_jobs",
    "core.tasks.prune_audit",
    "core.tasks.send_notifications",
    "stations.tasks.notify_due_followups",
    "stats.tasks.refresh_stats",
}


def _registered() -> set[str]:
    # What a worker started with `celery -A portal worker` finds: the tasks.py
    # of every installed app (portal/celery.py autodiscover_tasks).
    app.loader.import_default_modules()
    return set(app.tasks)


def test_every_scheduled_task_is_registered_on_the_jobs_queue():
    registered = _registered()
    schedule = settings.CELERY_BEAT_SCHEDULE
    for name, entry in schedule.items():
        assert entry["task"] in registered, name
        assert entry["options"]["queue"] == settings.JOBS_QUEUE, name
        assert entry["schedule"] > 0, name
    assert PERIODIC <= {entry["task"] for entry in schedule.values()}


def test_stats_are_refreshed_before_their_snapshot_is_stale():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "stats.tasks.refresh_stats"
    )
    assert entry["schedule"] < settings.STATS_SNAPSHOT_MAX_AGE
    daily = [
        e["schedule"]
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] in {"core.tasks.prune_audit", "core.tasks.prune_jobs"}
    ]
    assert daily == [24 * 3600, 24 * 3600]


@pytest.mark.django_db
def test_prune_audit_task_deletes_only_rows_past_retention():
    from core.tasks import prune_audit

    old = AuditEntry.objects.create(
        action=AuditEntry.Action.choices[0][0],
        at=timezone.now() - timedelta(days=400),
    )
    recent = AuditEntry.objects.create(
        action=AuditEntry.Action.choices[0][0],
        at=timezone.now() - timedelta(days=100),
    )
    assert prune_audit.run() >= 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()


def test_refresh_stats_task_runs_the_command(monkeypatch):
    import stats.tasks

    calls = []
    monkeypatch.setattr(
        stats.tasks, "call_command", lambda *a, **kw: calls.append((a, kw))
    )
    stats.tasks.refresh_stats.run()
    assert calls == [(("refresh_stats",), {"verbosity": 0})]
