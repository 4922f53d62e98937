"""End to end on a real Celery worker: the Redis on this machine (127.0.0.1:6379,
which .ci/run starts), a worker subprocess on a queue of its own, and an import
uploaded through the page, checked by the worker, confirmed, and imported by
the worker. The rest of the suite runs jobs inline (tests/conftest.py).

The worker is another process, so it must see the test's database: PostgreSQL's
test database it opens by name; SQLite's is in memory, so the test copies it to
a file for the worker and back again (``SharedDatabase``), with the test's own
writes committed (``transaction=True``)."""

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection

from core.models import Job
from portal.celery import app
from stations.models import Village
from tests.jobs.helpers import csv_upload, job_of, point_celery_at

ROOT = Path(__file__).resolve().parents[2]
# A database of its own, away from anything a developer keeps in Redis.
REDIS_URL = "redis://127.0.0.1:6379/14"
TIMEOUT = 90
HEADERS = ["县（市、区）", "镇（街道）", "名称", "类型", "备注"]

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


class SharedDatabase:
    """The test database as the worker opens it."""

    def __init__(self, tmp_path):
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            self.path = tmp_path / "worker.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            s = connection.settings_dict
            auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
            self.url = f"postgres://{auth}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"

    def push(self):
        """The test's rows to where the worker reads them."""
        if self.sqlite:
            connection.ensure_connection()
            with sqlite3.connect(self.path) as target:
                connection.connection.backup(target)

    def pull(self):
        """The worker's writes back into the test's database."""
        if self.sqlite:
            with sqlite3.connect(self.path) as source:
                source.backup(connection.connection)

    def status(self, job_pk) -> str:
        if self.sqlite:
            with sqlite3.connect(self.path, timeout=30) as db:
                row = db.execute(
                    "SELECT status FROM stations_job WHERE id = ?", [job_pk]
                ).fetchone()
            return row[0] if row else ""
        return Job.objects.get(pk=job_pk).status


@pytest.fixture
def broker():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        pytest.fail("Redis does not answer at 127.0.0.1:6379 (.ci/run starts it).")
    saved = point_celery_at(app, REDIS_URL)
    yield REDIS_URL
    point_celery_at(app, saved)


@pytest.fixture
def worker(broker, settings, tmp_path):
    """start() -> the worker process, on its own queue; stopped at the end."""
    queue = f"test-jobs-{uuid.uuid4().hex[:12]}"
    settings.JOBS_MODE = "celery"
    settings.JOBS_QUEUE = queue
    database = SharedDatabase(tmp_path)
    log = tmp_path / "worker.log"
    started = []

    def start():
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": database.url,
            "REDIS_URL": broker,
            "JOBS_MODE": "celery",
            "JOBS_QUEUE": queue,
            "JOBS_ROOT": str(settings.JOBS_ROOT),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "JOBS_PROGRESS_INTERVAL": "0",
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ]
        with log.open("ab") as out:
            started.append(
                subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
            )
        return started[-1]

    def wait(job_pk):
        """Until the worker has finished the job; then its writes are ours."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if database.status(job_pk) in (Job.Status.SUCCEEDED, Job.Status.FAILED):
                database.pull()
                return Job.objects.get(pk=job_pk)
            assert started[-1].poll() is None, log.read_text()[-3000:]
            time.sleep(0.3)
        pytest.fail(f"job {job_pk} not done in {TIMEOUT} s:\n{log.read_text()[-3000:]}")

    yield type("Worker", (), {"start": start, "wait": wait, "db": database})
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    redis.Redis.from_url(broker).delete(queue)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason=(
        "the worker is a separate process and cannot open the in-memory SQLite "
        "test database; copying it to a file and back raced with the worker under "
        "load. CI's PostgreSQL run gives the worker the real test database."
    ),
)
def test_an_import_runs_end_to_end_on_a_real_celery_worker(
    worker, login, personas, net, settings
):
    settings.JOBS_INLINE_MAX_BYTES = 0
    client = login(personas.editor)
    rows = [["甲一区", "东镇", f"云{i}村", "村", ""] for i in range(60)]
    # The upload queues the check: the message waits in Redis for the worker.
    checked = job_of(
        client.post("/staff/import/villages/", {"file": csv_upload(HEADERS, rows)})
    )
    assert checked.status == Job.Status.QUEUED
    worker.db.push()
    worker.start()
    checked = worker.wait(checked.pk)
    assert checked.status == Job.Status.SUCCEEDED, checked.log_tail
    assert (checked.progress_done, checked.progress_total) == (60, 60)
    assert "检查通过：将新增 60 行" in checked.message
    assert not Village.objects.filter(name__startswith="云").exists()

    imported = job_of(client.post(f"/staff/jobs/{checked.pk}/confirm/"))
    assert imported.status == Job.Status.QUEUED
    worker.db.push()
    imported = worker.wait(imported.pk)
    assert imported.status == Job.Status.SUCCEEDED, imported.log_tail
    assert imported.attempts == 1
    assert Village.objects.filter(town=net.a1.town, name__startswith="云").count() == 60
    # The worker deleted the upload once it was imported.
    imported.refresh_from_db()
    assert not imported.input_file
    page = client.get(imported.get_absolute_url()).content.decode()
    assert "已完成" in page and "job_progress.js" not in page
