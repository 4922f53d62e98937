"""Shared pieces of the background-job tests: files, and reading a job page."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Job, job_storage


def csv_upload(headers, rows, name="data.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"))


def job_of(response) -> Job:
    """The job a start view redirected to (``/staff/jobs/<pk>/``)."""
    assert response.status_code == 302, response.status_code
    path = response["Location"]
    assert path.startswith("/staff/jobs/"), path
    return Job.objects.get(pk=int(path.rstrip("/").rsplit("/", 1)[1]))


def stored_job_files() -> list[str]:
    found = []

    def walk(folder):
        try:
            dirs, files = job_storage.listdir(folder)
        except FileNotFoundError:
            return
        found.extend(f"{folder}/{name}" for name in files)
        for name in dirs:
            walk(f"{folder}/{name}")

    walk("jobs")
    return found


def point_celery_at(app, url: str) -> str:
    """Send the Celery app's next publish to ``url``; returns the URL it had.
    Both of the app's pools are made again: the connection pool and the
    producer pool built on it (``app.amqp``), which would otherwise keep
    publishing to the broker an earlier test pointed it at."""
    saved = app.conf.broker_url
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    return saved
