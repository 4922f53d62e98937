"""Imports 20,000 beneficiary rows through the background job, the path a large
upload takes (job_start → a thread of this process, as in the embedded mode →
read the sheet, check every row, then on "确认导入" write them), and polls the
job's status the way the job page does (GET /staff/jobs/<id>/status/, the JSON
static/js/job_progress.js reads), printing the progress it saw. The baseline,
in the same run, is the import service called directly on the same sheet.

    .venv/bin/python bench/job_import.py [--rows 20000] [--poll 0.5]

Runs in a throwaway test database: SQLite in a file (the job's thread and the
polling request each open it, as under runserver), or the PostgreSQL server
DATABASE_URL names (a test_… database is created and dropped).
"""

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

# The sheet and the network of the beneficiary import bench.
from beneficiary_import import build_network, csv_bytes, make_rows  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


class Rollback(Exception):
    pass


def service_baseline(station, user, data):
    """The import service called directly, as the inline screen does; rolled
    back, so the job then imports into the same empty station."""
    from beneficiaries.services.imports import import_files
    from core.sheets import read_dataset

    start = time.perf_counter()
    try:
        with transaction.atomic():
            report = import_files(
                read_dataset("files.csv", data),
                user=user,
                station=station,
                dry_run=False,
            )
            assert report.ok, report.file_errors or report.error_rows[:3]
            elapsed = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    return elapsed


def watch(client, job, every):
    """Poll the status JSON until the job is finished; returns the samples
    (seconds since start, status, done, total, message) and the wall time."""
    start = time.perf_counter()
    samples = []
    while True:
        state = client.get(f"/staff/jobs/{job.pk}/status/").json()
        samples.append(
            (
                time.perf_counter() - start,
                state["status"],
                state["done"],
                state["total"],
                state["message"],
            )
        )
        if state["finished"]:
            return samples, time.perf_counter() - start
        time.sleep(every)


def show(label, job, samples, wall, rows):
    from core.models import Job

    job = Job.objects.get(pk=job.pk)
    run = (job.finished_at - job.started_at).total_seconds()
    print(f"\n{label}: {job.get_status_display()}, {job.message}")
    print(
        f"  job ran {run:.2f} s ({rows / run:,.0f} rows/s); "
        f"seen finished by the page after {wall:.2f} s"
    )
    moving = [s for s in samples if s[1] == "running"]
    done_values = [s[2] for s in moving]
    print(
        f"  {len(samples)} polls, {len(moving)} while running, "
        f"{len(set(done_values))} distinct progress values; samples:"
    )
    step = max(1, len(samples) // 12)
    for t, status, done, total, message in samples[::step] + samples[-1:]:
        print(f"    {t:6.2f} s  {status:9} {done:>6}/{total:<6} {message}")
    assert done_values == sorted(done_values), "progress went backwards"
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--poll", type=float, default=0.5)
    args = parser.parse_args()

    setup_test_environment()
    folder = tempfile.TemporaryDirectory()
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(Path(folder.name) / "bench.db")
    settings.JOBS_MODE = "thread"
    settings.JOBS_ROOT = Path(folder.name) / "jobfiles"
    settings.JOBS_INLINE_MAX_BYTES = 0
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from core.jobs import job_confirm, job_start
        from core.models import Job

        station, user = build_network()
        data = csv_bytes(make_rows(args.rows))
        print(
            f"{connection.vendor}, {args.rows} rows ({len(data) / 1e6:.1f} MB CSV), "
            f"job mode {settings.JOBS_MODE}, page polls every {args.poll} s"
        )
        base = service_baseline(station, user, data)
        print(
            f"baseline, the service called directly: {base:.2f} s, "
            f"{args.rows / base:,.0f} rows/s"
        )

        client = Client()
        client.force_login(user)
        checked = job_start(
            kind="beneficiary_import",
            by=user,
            title="bench（检查）",
            params={"station": station.pk, "dry_run": True},
            input_file=ContentFile(data, name="files.csv"),
            station=station,
        )
        samples, wall = watch(client, checked, args.poll)
        check_run = show("check (dry run)", checked, samples, wall, args.rows)

        imported = job_confirm(job=Job.objects.get(pk=checked.pk), by=user)
        samples, wall = watch(client, imported, args.poll)
        import_run = show("import (confirmed)", imported, samples, wall, args.rows)

        from beneficiaries.models import Beneficiary

        assert Beneficiary.objects.filter(station=station).count() == args.rows
        print(
            f"\nthrough the job: check {args.rows / check_run:,.0f} rows/s, "
            f"import {args.rows / import_run:,.0f} rows/s; "
            f"import job / direct service time: {import_run / base:.2f}"
        )
        for thread in threading.enumerate():
            if thread.name.startswith("job-"):
                thread.join(timeout=10)  # its connection closed, the thread ends
                assert not thread.is_alive(), thread
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        folder.cleanup()


if __name__ == "__main__":
    main()
