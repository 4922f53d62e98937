"""Housekeeping (``prune_jobs``: uploads, results and rows past their time,
jobs whose process died) and the command-line twin of every job (``run_job``)."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.jobs import jobs_prune
from core.models import Job, job_storage
from stations.jobs import NETWORK_IMPORT
from stations.models import Village
from tests.jobs.helpers import stored_job_files

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _job(by, **fields):
    fields.setdefault("status", Job.Status.SUCCEEDED)
    fields.setdefault("kind", NETWORK_IMPORT)
    return Job.objects.create(title="t", started_by=by, **fields)


def _stored(name, data=b"x"):
    return job_storage.save(name, ContentFile(data))


def test_uploads_go_after_their_time_and_not_before(personas):
    old = _job(
        personas.editor,
        input_file=_stored("jobs/in/old.csv"),
        input_expires_at=NOW - datetime.timedelta(minutes=1),
    )
    fresh = _job(
        personas.editor,
        input_file=_stored("jobs/in/fresh.csv"),
        input_expires_at=NOW + datetime.timedelta(days=6),
    )
    # The dry run and its confirmed run name the same stored file.
    shared = _job(
        personas.editor,
        input_file=old.input_file.name,
        input_expires_at=old.input_expires_at,
    )
    done = jobs_prune(now=NOW)
    assert done["inputs"] == 1
    assert stored_job_files() == ["jobs/in/fresh.csv"]
    for job in (old, shared):
        job.refresh_from_db()
        assert not job.input_file and job.input_expires_at is None
    fresh.refresh_from_db()
    assert fresh.input_file.name == "jobs/in/fresh.csv"


def test_results_rows_and_dead_jobs(personas, settings):
    settings.JOBS_FILE_RETENTION_DAYS = 7
    settings.JOBS_KEEP_DAYS = 90
    week_old = _job(
        personas.editor,
        result_file=_stored("jobs/out/a.docx"),
        finished_at=NOW - datetime.timedelta(days=8),
    )
    recent = _job(
        personas.editor,
        result_file=_stored("jobs/out/b.docx"),
        finished_at=NOW - datetime.timedelta(days=1),
    )
    ancient = _job(personas.editor)
    Job.objects.filter(pk=ancient.pk).update(
        created_at=NOW - datetime.timedelta(days=91)
    )
    running = _job(personas.editor, status=Job.Status.RUNNING)
    Job.objects.filter(pk=running.pk).update(
        updated_at=NOW - datetime.timedelta(hours=25)
    )
    busy = _job(personas.editor, status=Job.Status.RUNNING)
    done = jobs_prune(now=NOW)
    assert done == {"inputs": 0, "results": 1, "jobs": 1, "stale": 1, "unconfirmed": 0}
    assert stored_job_files() == ["jobs/out/b.docx"]
    week_old.refresh_from_db()
    recent.refresh_from_db()
    assert not week_old.result_file and recent.result_file
    assert not Job.objects.filter(pk=ancient.pk).exists()
    running.refresh_from_db()
    busy.refresh_from_db()
    assert running.status == Job.Status.FAILED and "任务中断" in running.message
    assert busy.status == Job.Status.RUNNING


def test_prune_jobs_command_says_what_it_did(personas):
    _job(
        personas.editor,
        input_file=_stored("jobs/in/old.csv"),
        input_expires_at=NOW - datetime.timedelta(days=1),
    )
    out = io.StringIO()
    call_command("prune_jobs", stdout=out)
    assert out.getvalue().startswith("已删除上传文件 1 个、结果文件 0 个")


def _villages_csv(tmp_path, rows):
    path = tmp_path / "villages.csv"
    lines = ["县（市、区）,镇（街道）,名称,类型,备注"] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_run_job_runs_an_import_in_the_foreground(personas, net, tmp_path):
    path = _villages_csv(
        tmp_path, [["甲一区", "东镇", f"新{i}村", "村", ""] for i in range(25)]
    )
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "run_job",
        "network_import",
        str(path),
        user=personas.editor.username,
        param=["kind=villages"],
        stdout=out,
        stderr=err,
    )
    assert "已完成" in out.getvalue()
    assert Village.objects.filter(name__startswith="新").count() == 25
    job = Job.objects.get()
    assert (job.started_by, job.input_name, job.progress_done) == (
        personas.editor,
        "villages.csv",
        25,
    )
    assert "25/25" in err.getvalue()
    assert stored_job_files() == []


def test_run_job_dry_run_with_errors_fails_with_the_rows(personas, net, tmp_path):
    path = _villages_csv(tmp_path, [["甲一区", "无此镇", "新村", "村", ""]])
    err = io.StringIO()
    with pytest.raises(CommandError, match="未完成"):
        call_command(
            "run_job",
            "network_import",
            str(path),
            "--dry-run",
            user=personas.editor.username,
            param=["kind=villages"],
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "第 2 行" in err.getvalue()
    assert not Village.objects.filter(name="新村").exists()


def test_run_job_refuses_bad_arguments(personas, tmp_path):
    with pytest.raises(CommandError, match="找不到用户"):
        call_command("run_job", "network_import", "x.csv", user="nobody-here")
    with pytest.raises(CommandError, match="找不到文件"):
        call_command(
            "run_job", "network_import", str(tmp_path / "none.csv"), user="erin"
        )
    with pytest.raises(CommandError, match="KEY=VALUE"):
        call_command("run_job", "network_import", user="erin", param=["oops"])


def test_uploads_nobody_confirmed_go_after_a_day(personas, net):
    """Every import screen holds its upload between preview and confirmation
    (core/uploads.py); one nobody confirmed goes after a day, and so do the
    files earlier versions left under MEDIA_ROOT/imports."""
    from django.core.files.storage import default_storage

    from core.models import HeldUpload
    from core.uploads import upload_hold

    left_over = [
        default_storage.save(f"imports/{folder}/{name}", ContentFile(b"x"))
        for folder in ("pending", "legacy")
        for name in ("a.csv", "b.docx")
    ]
    for purpose in ("beneficiaries", "network:villages", "legacy_issue"):
        upload_hold(user=personas.worker, purpose=purpose, name="档案.xlsx", data=b"x")
    now = timezone.now()  # not the module's NOW: the files are younger than it
    # Within the day, nothing goes.
    assert jobs_prune(now=now)["unconfirmed"] == 0
    assert all(default_storage.exists(p) for p in left_over)
    assert HeldUpload.objects.count() == 3
    # A day and a minute later, every one of them does.
    done = jobs_prune(now=now + datetime.timedelta(days=1, minutes=1))
    assert done["unconfirmed"] == 7
    assert not any(default_storage.exists(p) for p in left_over)
    assert not HeldUpload.objects.exists()
