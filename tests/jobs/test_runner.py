"""The job machinery (core/jobs/): progress reporting, a failure that
leaves the batch unwritten, a re-run after a crash that duplicates nothing, a
finished job delivered again, the idempotency key, and a closed account."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction

from core import jobs
from core.models import Job
from newsletter.jobs import ISSUE_WORD
from stations.jobs import NETWORK_IMPORT
from stations.models import Village
from tests.jobs import runners

pytestmark = pytest.mark.django_db


def _villages(net, **params):
    return {"town": net.a1.town.pk, "n": 5, **params}


def test_a_job_runs_and_reports_its_progress(plug, start, net, settings):
    plug()
    # Every report is written: the throttle is tested below.
    settings.JOBS_PROGRESS_INTERVAL = 0
    job = start(params=_villages(net, n=40))
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.percent) == (40, 40, 100)
    assert job.message == "已写入 40 个村（居）。"
    assert job.result == {"n": 40}
    assert job.started_at <= job.finished_at
    assert job.attempts == 1
    # The runner saw its reports counted up one by one to the total, and the
    # job's log has the phase it announced and the closing line.
    assert runners.SEEN == [(n, 40) for n in range(1, 41)]
    assert "写入村（居）" in job.log_tail
    assert job.log_tail.rstrip().endswith("已写入 40 个村（居）。")
    assert (
        Village.objects.filter(town=net.a1.town, name__startswith="新建").count() == 40
    )
    # Finished: nothing left in the cache to shadow the row.
    assert cache.get(f"job-progress:{job.pk}") is None


def test_progress_is_throttled_but_the_last_step_always_written(net, settings):
    settings.JOBS_PROGRESS_INTERVAL = 3600
    job = Job.objects.create(kind=NETWORK_IMPORT, title="t", status=Job.Status.RUNNING)
    progress = jobs.Progress(job)
    written = []
    flush = progress.flush

    def recording_flush():
        written.append((progress.done, progress.total))
        flush()

    progress.flush = recording_flush
    progress(0, 1000, "逐行检查")  # a new message: written
    for n in range(1, 1000):
        progress(n)
    progress(1000)  # the last step: written
    assert written == [(0, 1000), (1000, 1000)]


def _row_seen_elsewhere(job_id):
    """The job row as another connection (another process) sees it."""
    seen = {}

    def read():
        try:
            row = Job.objects.get(pk=job_id)
            seen["row"] = (row.progress_done, row.progress_total)
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return seen["row"]


@pytest.mark.django_db(transaction=True)
def test_the_page_sees_the_progress_of_a_batch_not_yet_committed(
    net, settings, login, personas
):
    settings.JOBS_PROGRESS_INTERVAL = 0
    job = Job.objects.create(
        kind=NETWORK_IMPORT,
        title="t",
        status=Job.Status.RUNNING,
        started_by=personas.editor,
    )
    progress = jobs.Progress(job)
    progress(0, 200, "逐行检查")
    progress(50)
    client = login(personas.editor)
    state = client.get(f"/staff/jobs/{job.pk}/status/").json()
    assert state == {
        "id": job.pk,
        "status": "running",
        "status_label": "进行中",
        "done": 50,
        "total": 200,
        "percent": 25,
        "message": "逐行检查",
        "finished": False,
    }
    # Outside a transaction the row itself is written at once.
    assert _row_seen_elsewhere(job.pk) == (50, 200)
    # Inside the batch's transaction (where an import runs), the page still
    # sees the progress: from the cache, and on PostgreSQL from the row,
    # written over a separate connection.
    settings.JOBS_MODE = "thread"
    with transaction.atomic():
        Village.objects.create(town=net.a1.town, name="批内村", kind="村")
        progress(120)
        state = client.get(f"/staff/jobs/{job.pk}/status/").json()
        assert (state["done"], state["percent"]) == (120, 60)
        if connection.vendor != "sqlite":
            assert _row_seen_elsewhere(job.pk) == (120, 200)


def test_a_failure_mid_batch_writes_nothing_and_says_so(plug, start, net, caplog):
    plug()
    job = start(params=_villages(net, n=10, fail_at=6))
    assert job.status == Job.Status.FAILED
    assert "本批数据已回滚" in job.message
    # Villages 1 to 5 were written before the failure, then rolled back.
    assert not Village.objects.filter(name__startswith="新建").exists()
    assert job.progress_done == 5
    # The log says what broke, with the ID number and phone masked, in the
    # job's tail and in the server log alike.
    assert "RuntimeError" in job.log_tail
    for text in (job.log_tail, caplog.text):
        assert "445302201405060011" not in text
        assert "13812345678" not in text
    assert "445***************" in job.log_tail


def test_a_job_rerun_after_a_crash_duplicates_nothing(plug, start, net):
    plug()
    done = start(params=_villages(net, n=8))
    assert done.status == Job.Status.SUCCEEDED
    # A second job over the same rows (the same file imported again, or a
    # crashed job's message delivered to another worker) adds nothing.
    again = start(params=_villages(net, n=8))
    assert again.status == Job.Status.SUCCEEDED
    assert Village.objects.filter(name__startswith="新建").count() == 8
    # A worker died mid-way: the row says running, the batch was rolled back.
    crashed = Job.objects.create(
        kind=NETWORK_IMPORT,
        title="t",
        started_by=done.started_by,
        params=_villages(net, n=12),
        status=Job.Status.RUNNING,
        attempts=1,
        progress_done=3,
        progress_total=12,
    )
    rerun = jobs.run_job(crashed.pk)
    assert rerun.status == Job.Status.SUCCEEDED
    assert rerun.attempts == 2
    assert "上次运行中断" in rerun.log_tail
    assert Village.objects.filter(name__startswith="新建").count() == 12


def test_a_finished_job_delivered_again_is_left_alone(plug, start, net):
    plug()
    job = start(params=_villages(net))
    assert runners.CALLS == [(job.pk, 1)]
    assert jobs.run_job(job.pk) is None
    assert jobs.run_job(999999) is None
    assert runners.CALLS == [(job.pk, 1)]
    job.refresh_from_db()
    assert job.attempts == 1


def test_the_same_key_starts_one_job(plug, start, net):
    plug()
    first = start(params=_villages(net), idempotency_key="k-1")
    second = start(params=_villages(net, n=50), idempotency_key="k-1")
    assert second.pk == first.pk
    assert Job.objects.count() == 1
    assert runners.CALLS == [(first.pk, 1)]


def test_a_refusal_ends_failed_with_its_row_errors(plug, start, net):
    plug(name="refuse")
    job = start(params={})
    assert job.status == Job.Status.FAILED
    assert job.message == "有 1 行存在错误，未导入任何数据。"
    assert job.row_errors == [{"line": 2, "errors": ["名称：不能为空"]}]


def test_a_closed_account_runs_nothing(plug, start, net, personas):
    plug()
    job = Job.objects.create(
        kind=NETWORK_IMPORT,
        title="t",
        started_by=personas.editor,
        params=_villages(net),
    )
    personas.editor.is_active = False
    personas.editor.save()
    job = jobs.run_job(job.pk)
    assert job.status == Job.Status.FAILED
    assert "没有权限" in job.message
    assert runners.CALLS == []


def test_only_known_kinds_and_signed_in_users_start_jobs(net, personas):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        jobs.job_start(kind="nonsense", by=personas.editor, title="t")
    with pytest.raises(PermissionDenied):
        jobs.job_start(kind=ISSUE_WORD, by=AnonymousUser(), title="t")
    assert not Job.objects.exists()


def test_modes_hand_jobs_on_as_configured(plug, net, personas, settings, monkeypatch):
    """Thread mode runs the job in a daemon thread after the commit; Celery mode
    sends the task to the configured queue."""
    plug()
    sent = []
    from core import tasks
    from core.jobs import starting

    monkeypatch.setattr(
        tasks.run_job_task,
        "apply_async",
        lambda args, queue: sent.append((args, queue)),
    )
    settings.JOBS_MODE = "celery"
    settings.JOBS_QUEUE = "q-test"
    job = jobs.job_start(
        kind=NETWORK_IMPORT,
        by=personas.editor,
        title="t",
        params=_villages(net),
    )
    # Inside the test's transaction nothing is sent before the commit.
    assert sent == []
    assert job.status == Job.Status.QUEUED
    started = []
    monkeypatch.setattr(
        starting.threading,
        "Thread",
        lambda target, args, name, daemon: (
            started.append((target, args, daemon))
            or type("T", (), {"start": lambda self: None})()
        ),
    )
    jobs.dispatch(job.pk)
    assert sent == [([job.pk], "q-test")]
    settings.JOBS_MODE = "thread"
    jobs.dispatch(job.pk)
    assert started == [(starting._run_in_thread, (job.pk,), True)]


def test_a_job_interrupted_too_often_is_failed_not_run_again(
    plug, start, net, settings
):
    plug()
    settings.JOBS_MAX_ATTEMPTS = 3
    user = start(params=_villages(net, n=1)).started_by
    # Claimed three times already, its worker killed each time (a file that
    # crashes it): the fourth delivery stops it instead of running it.
    poison = Job.objects.create(
        kind=NETWORK_IMPORT,
        title="t",
        started_by=user,
        params=_villages(net, n=12),
        status=Job.Status.RUNNING,
        attempts=3,
    )
    runners.CALLS.clear()
    stopped = jobs.run_job(poison.pk)
    assert runners.CALLS == []
    assert stopped.status == Job.Status.FAILED
    assert stopped.attempts == 4
    assert "中断次数过多" in stopped.message and "已停止重试" in stopped.message
    assert "本批数据已回滚" in stopped.message
    assert Village.objects.filter(name__startswith="新建").count() == 1
    # Delivered again: finished, so left alone.
    assert jobs.run_job(poison.pk) is None
    # The third claim still runs.
    third = Job.objects.create(
        kind=NETWORK_IMPORT,
        title="t",
        started_by=user,
        params=_villages(net, n=2),
        status=Job.Status.RUNNING,
        attempts=2,
    )
    assert jobs.run_job(third.pk).status == Job.Status.SUCCEEDED
