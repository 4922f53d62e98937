"""Faults the production check injects into the running stack, and what the site
must do under each. Every fault says what was done, what the site answered, and
the rows before and after; every wait is bounded, and whatever a fault stops or
hides is brought back before the next one starts, even when the fault fails.

1. ``celery_worker_killed``: the Celery worker SIGKILLed in the middle of an
   import, first its pool process, then the whole worker (a machine crash).
2. ``postgres_restarted``: the database restarted while pages are requested.
3. ``redis_stopped``: the cache and the job queue's broker gone.
4. ``media_disk_full``: no space left where photos are written.
5. ``backup_restored``: scripts/backup.sh, then scripts/restore.sh into a new
   database and media folder, compared table by table and file by file.

Everything runs against the check's own PostgreSQL cluster, Redis and folders
(scripts/deploy_check/stack.py), never the machine's services. The faults
alone, after the stack is built (about a minute and a half in all):

    .venv/bin/python -m scripts.deploy_check --only faults

Fault 4 mounts a tmpfs, so it needs root; elsewhere it is skipped, saying why.
DEPLOY_CHECK_FAULT_ROWS sizes fault 1's sheets on a much faster machine.
"""

from __future__ import annotations

import csv
import datetime
import errno
import hashlib
import html
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

# The line a ``manage.py shell`` snippet prints its result on (JSON after it);
# the rest of its output (log lines) is passed over.
MARK = "@@deploy-check@@"

# Rows of the sheet fault 1 imports: enough to keep the worker busy for
# several seconds, so the kill lands mid-import. Overridable for a slower or
# faster machine.
IMPORT_ROWS = int(os.environ.get("DEPLOY_CHECK_FAULT_ROWS", 15000))
# Rows of the sheet fault 3 uploads through the page: just over the size that
# sends a sheet to a background job (JOBS_INLINE_MAX_BYTES, 64 KB by default).
PAGE_SHEET_ROWS = 1200

# Bounds (seconds) of every wait.
JOB_PICKED_UP = 60  # a queued job is running with some progress
JOB_FINISHED = 120  # a running job is over
WORKER_READY = 60
RECOVERY = 30  # pages answer 200 again after PostgreSQL is back
REDIS_RECOVERY = 90  # a job started after Redis is back has run
# How long pages are requested before and after the PostgreSQL restart.
LOAD_BEFORE = 3.0
LOAD_AFTER = 3.0
# Size of the tmpfs that plays the full media disk.
TMPFS_SIZE = "2m"

# The beneficiary sheet's columns (beneficiaries/resources.py), as the import
# template names them; 性别 and 出生日期 are read from the ID number.
SHEET_HEADERS = [
    "姓名",
    "身份证号",
    "联系电话",
    "镇（街道）",
    "村（居）",
    "服务对象类别",
]
# The portal's own apps: their tables are listed one by one after a restore.
PORTAL_TABLE_PREFIXES = (
    "core_",
    "stations_",
    "activities_",
    "beneficiaries_",
    "newsletter_",
    "stats_",
    "portal_",
)


def run(stack, report) -> None:
    """Each fault in turn, under its own heading; one that raises is a failure
    and the next one still runs."""
    started = time.monotonic()
    try:
        facts = _facts(stack)
    except Exception as error:  # noqa: BLE001 - nothing to run the faults on
        report.fail(f"faults: the demo data they need was not found: {error}")
        return
    for title, fault in FAULTS:
        report.section(f"fault: {title}")
        try:
            fault(stack, report, facts)
        except Exception as error:  # noqa: BLE001 - report, then the next fault
            report.fail(f"the fault check stopped: {type(error).__name__}: {error}")
    report.info(f"faults took {time.monotonic() - started:.0f} s in all")


# --- What the faults work on ---------------------------------------------------------

FACTS = """
import json
from django.contrib.auth import get_user_model
from activities import permissions as report_access
from activities.models import ActivityReport, ReportPhoto, Status
from beneficiaries import permissions as file_access
from beneficiaries.models import Beneficiary
from core.models import Job
from newsletter.models import Article, Issue
from stations.models import Village

User = get_user_model()
head = User.objects.get(username="head")
worker = User.objects.get(username="worker")
station = file_access.writable_stations(head).order_by("pk").first()
village = Village.objects.filter(town=station.town).order_by("pk").first()
issue = (
    Issue.objects.filter(status=Issue.Status.PUBLISHED)
    .order_by("-published_at", "-pk")
    .first()
)
article = Article.objects.filter(issue=issue).order_by("pk").first()
editable = ActivityReport.objects.filter(
    status__in=[Status.DRAFT, Status.RETURNED]
).order_by("pk")
report = next((r for r in editable if report_access.can_write(worker, r)), None)
print(MARK + json.dumps({
    "station": station.pk,
    "station_name": station.full_name,
    "town": station.town.name,
    "village": village.name,
    "issue_url": issue.get_absolute_url(),
    "article_url": article.get_absolute_url() if article else None,
    "report": report.pk if report else None,
    "job_table": Job._meta.db_table,
    "file_table": Beneficiary._meta.db_table,
    "photo_table": ReportPhoto._meta.db_table,
}))
"""


def _facts(stack) -> dict:
    """One Django start for what every fault looks up: head's station and one
    of its villages (the import), a published issue and article (public
    pages), a report ``worker`` may add photos to, and table names."""
    facts = _shell(stack, FACTS)
    if facts["report"] is None:
        facts["report"] = _shell(stack, NEW_REPORT)["report"]
    return facts


NEW_REPORT = """
import json
from django.contrib.auth import get_user_model
from activities.models import ActivityReport
from activities.services import report_create
from beneficiaries import permissions as file_access

worker = get_user_model().objects.get(username="worker")
station = file_access.writable_stations(worker).order_by("pk").first()
source = ActivityReport.objects.filter(station=station).order_by("pk").first()
draft = ActivityReport(
    title="故障检查用的报告草稿",
    start_date=source.start_date,
    kind=source.kind,
    body="用于检查磁盘已满时的照片上传。",
)
draft = report_create(report=draft, unit=station, by=worker)
print(MARK + json.dumps({"report": draft.pk}))
"""


def _shell(stack, code: str) -> dict:
    """Run ``code`` in ``manage.py shell`` with the production environment and
    return the JSON it printed after MARK."""
    output = stack.shell(f"MARK = {MARK!r}\n" + code)
    for line in reversed(output.splitlines()):
        if line.startswith(MARK):
            return json.loads(line[len(MARK) :])
    raise RuntimeError(f"manage.py shell printed no result: {output[-500:]!r}")


def _count(stack, query: str) -> int:
    return int(stack.sql(query) or 0)


def _wait(predicate, timeout: float, interval: float = 0.25):
    """``predicate()``'s first true value within ``timeout`` seconds, else None."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


# --- 1. The Celery worker killed mid-import ------------------------------------------


def _sheet(stack, facts: dict, rows: int, label: str) -> tuple[bytes, str]:
    """A beneficiary sheet of ``rows`` children for head's station, as a CSV
    with Excel's byte-order mark, and the prefix every name in it starts with.
    The ID numbers are valid GB 11643 numbers (the portal's own
    ``core.idcard``) under an area code drawn for this sheet, so they collide
    neither with the demo's nor with an earlier sheet's."""
    from core.idcard import make_id_number

    taken = set(
        stack.sql(
            f"SELECT DISTINCT left(id_number, 6) FROM {facts['file_table']}"
        ).split()
    )
    area = random.choice(
        [a for a in map("449{:03d}".format, range(1000)) if a not in taken]
    )
    prefix = f"故障{label}{area[3:]}号"
    born = datetime.date(2012, 1, 1)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SHEET_HEADERS)
    for i in range(rows):
        birth = born + datetime.timedelta(days=i // 1000)
        writer.writerow(
            [
                f"{prefix}{i:05d}",
                make_id_number(area, birth, i % 1000),
                f"138{random.randrange(10**8):08d}",
                facts["town"],
                facts["village"],
                "困境儿童",
            ]
        )
    return out.getvalue().encode("utf-8-sig"), prefix


START_IMPORT = """
import json
from pathlib import Path
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from beneficiaries.jobs import BENEFICIARY_IMPORT
from core.jobs import job_start
from stations.models import Station
from stations.permissions import unit_path

user = get_user_model().objects.get(username="head")
station = Station.objects.with_place().get(pk=STATION)
data = Path(SHEET).read_bytes()
job = job_start(
    kind=BENEFICIARY_IMPORT,
    by=user,
    title="导入服务对象档案：" + station.full_name + "（故障检查）",
    params={"station": station.pk, "dry_run": False},
    input_file=ContentFile(data, name="faults.csv"),
    input_name="faults.csv",
    unit=unit_path(station),
)
print(MARK + json.dumps({"job": job.pk}))
"""


def _start_import(stack, facts: dict, label: str) -> tuple[int, str, float]:
    """Start a real (not dry-run) import of a fresh sheet as head, through the
    service the import page's confirmation calls (``core.jobs.job_start``);
    returns the job, the names' prefix and when it was started."""
    data, prefix = _sheet(stack, facts, IMPORT_ROWS, label)
    folder = stack.dir / "faults"
    folder.mkdir(exist_ok=True)
    path = folder / f"sheet-{label}.csv"
    path.write_bytes(data)
    path.chmod(0o600)  # full ID numbers, even if made up
    try:
        code = START_IMPORT.replace("STATION", str(facts["station"])).replace(
            "SHEET", repr(str(path))
        )
        job = _shell(stack, code)["job"]
    finally:
        path.unlink(missing_ok=True)
    return job, prefix, time.monotonic()


def _job(stack, facts: dict, pk: int) -> dict:
    line = stack.sql(
        "SELECT status, attempts, progress_done, progress_total,"
        " replace(message, E'\\n', ' ')"
        f" FROM {facts['job_table']} WHERE id = {int(pk)}"
    )
    status, attempts, done, total, message = line.split("|", 4)
    return {
        "status": status,
        "attempts": int(attempts),
        "done": int(done),
        "total": int(total),
        "message": message,
    }


def _running_with_progress(stack, facts, pk):
    job = _job(stack, facts, pk)
    # A tenth of the rows checked: well inside the import's transaction.
    if job["status"] == "running" and job["done"] >= max(1, job["total"] // 10):
        return job
    if job["status"] in ("succeeded", "failed"):
        return job
    return None


def _file_counts(stack, facts: dict, prefixes: dict) -> dict:
    table = facts["file_table"]
    counts = {
        "station's files": _count(
            stack, f"SELECT count(*) FROM {table} WHERE station_id = {facts['station']}"
        )
    }
    for name, prefix in prefixes.items():
        counts[name] = _count(
            stack, f"SELECT count(*) FROM {table} WHERE name LIKE '{prefix}%'"
        )
    return counts


def _cpu_ticks(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = stat[stat.rfind(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _busiest(pids: list[int]) -> int:
    """The pool process running the job: the one whose CPU time grows."""
    before = {pid: _cpu_ticks(pid) for pid in pids}
    time.sleep(0.2)
    return max(pids, key=lambda pid: _cpu_ticks(pid) - before[pid])


def _kill(pids) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def celery_worker_killed(stack, report, facts) -> None:
    """Why: a worker dies mid-import (the out-of-memory killer, a crash, a
    reboot). The import is one transaction, and the job's message is
    acknowledged only when the job is done (acks_late): (a) a pool process
    lost is noticed by the worker, which hands the message back
    (reject_on_worker_lost), and the job runs again from the start; (b) a
    whole worker lost leaves the message unacknowledged in Redis, and it is
    delivered again after the visibility timeout to the restarted worker. Either
    way the job ends, never stuck "running", and no half of a sheet is ever
    written."""
    visibility = int(stack.env.get("JOBS_VISIBILITY_TIMEOUT") or 0)
    worker_log = stack.log_path("worker")
    report.info(
        f"sheets of {IMPORT_ROWS} rows imported as head into {facts['station_name']};"
        f" JOBS_VISIBILITY_TIMEOUT={visibility or 'unset'} s"
    )

    # (a) The pool process running the import.
    prefixes = {}
    job, prefixes["sheet A rows"], started = _start_import(stack, facts, "甲")
    before = _file_counts(stack, facts, prefixes)
    state = _wait(lambda: _running_with_progress(stack, facts, job), JOB_PICKED_UP)
    if state is None or state["status"] != "running":
        report.fail(
            f"(a) job {job} was not running with progress within {JOB_PICKED_UP} s:"
            f" {state or _job(stack, facts, job)} (raise DEPLOY_CHECK_FAULT_ROWS?)"
        )
        _wait(lambda: _finished(stack, facts, job), JOB_FINISHED)
        return
    main, children = stack.worker_pids()
    if not children:
        report.fail("(a) the worker has no pool process to kill")
        return
    victim = _busiest(children)
    state = _job(stack, facts, job)
    log_from = worker_log.stat().st_size if worker_log.exists() else 0
    _kill([victim])
    killed = time.monotonic()
    report.info(
        f"(a) job {job} running {killed - started:.1f} s after it was started,"
        f" {state['done']}/{state['total']} rows: SIGKILL to pool process {victim}"
        f" (worker {main}, pool {children})"
    )
    again = _wait(
        lambda: (lambda j: j if j["attempts"] >= 2 or _over(j) else None)(
            _job(stack, facts, job)
        ),
        JOB_FINISHED,
    )
    rerun_after = time.monotonic() - killed
    lost = _log_line(worker_log, log_from, "WorkerLostError")
    if lost:
        report.info(f"(a) worker log: {lost}")
    final = _wait(lambda: _finished(stack, facts, job), JOB_FINISHED)
    finished_after = time.monotonic() - killed
    after = _file_counts(stack, facts, prefixes)
    report.rows(f"beneficiary files ({facts['file_table']})", before, after)
    if final is None:
        report.fail(
            f"(a) job {job} not finished {JOB_FINISHED} s after the kill:"
            f" {_job(stack, facts, job)}"
        )
    else:
        report.info(
            f"(a) run again {rerun_after:.1f} s after the kill"
            f" (attempt {again['attempts'] if again else '?'}), {final['status']}"
            f" {finished_after:.1f} s after it: “{final['message']}”"
        )
        duplicates = _count(
            stack,
            f"SELECT count(*) - count(DISTINCT id_number) FROM {facts['file_table']}"
            f" WHERE name LIKE '{prefixes['sheet A rows']}%'",
        )
        report.check(
            final["status"] == "succeeded"
            and final["attempts"] == 2
            and after["sheet A rows"] == IMPORT_ROWS
            and duplicates == 0
            and after["station's files"] == before["station's files"] + IMPORT_ROWS,
            f"(a) pool process killed: the job ran again (attempt 2) and imported"
            f" exactly the sheet's {IMPORT_ROWS} rows, no duplicate",
            f"status {final['status']}, attempts {final['attempts']},"
            f" rows {after['sheet A rows']}, duplicates {duplicates}",
        )

    # (b) The whole worker, as a machine crash would take it.
    job, prefixes["sheet B rows"], started = _start_import(stack, facts, "乙")
    before = _file_counts(stack, facts, prefixes)
    state = _wait(lambda: _running_with_progress(stack, facts, job), JOB_PICKED_UP)
    if state is None or state["status"] != "running":
        report.fail(
            f"(b) job {job} was not running with progress within {JOB_PICKED_UP} s:"
            f" {state or _job(stack, facts, job)}"
        )
        _wait(lambda: _finished(stack, facts, job), JOB_FINISHED)
        return
    main, children = stack.worker_pids()
    state = _job(stack, facts, job)
    try:
        _kill([main, *children])
        killed = time.monotonic()
        report.info(
            f"(b) job {job} at {state['done']}/{state['total']} rows: SIGKILL to the"
            f" worker {main} and its pool {children}"
        )
        # systemd's Restart=always would start it again after RestartSec.
        restart_sec = _restart_sec(stack)
        time.sleep(restart_sec)
    finally:
        log_from = worker_log.stat().st_size if worker_log.exists() else 0
        stack.worker_start()
    # Its own "ready" line, not the killed worker's.
    ready = _wait(lambda: _log_line(worker_log, log_from, " ready."), WORKER_READY)
    restarted = time.monotonic() - killed
    report.info(
        f"(b) worker started again {restarted:.1f} s after the kill"
        f" (RestartSec={restart_sec:g}), "
        + ("ready" if ready else f"not ready in {WORKER_READY} s")
    )
    bound = visibility + 15 + JOB_FINISHED
    again = _wait(
        lambda: (lambda j: j if j["attempts"] >= 2 or _over(j) else None)(
            _job(stack, facts, job)
        ),
        bound,
        interval=0.5,
    )
    redelivered = time.monotonic() - killed
    final = _wait(lambda: _finished(stack, facts, job), JOB_FINISHED)
    finished_after = time.monotonic() - killed
    after = _file_counts(stack, facts, prefixes)
    report.rows(f"beneficiary files ({facts['file_table']})", before, after)
    if final is None:
        report.fail(
            f"(b) job {job} still not finished {finished_after:.0f} s after the"
            f" crash: {_job(stack, facts, job)}"
        )
        return
    report.info(
        f"(b) delivered again {redelivered:.1f} s after the crash"
        f" (attempt {again['attempts'] if again else '?'}), {final['status']}"
        f" {finished_after:.1f} s after it: “{final['message']}”"
    )
    written = after["sheet B rows"]
    whole = written == (IMPORT_ROWS if final["status"] == "succeeded" else 0)
    report.check(
        final["status"] in ("succeeded", "failed")
        and bool(final["message"])
        and whole
        and after["station's files"] == before["station's files"] + written,
        "(b) worker crashed: the job was delivered again after the visibility"
        " timeout and ended "
        + final["status"]
        + (f" with all {IMPORT_ROWS} rows" if written else " with no row written"),
        f"status {final['status']}, rows {written}, message “{final['message']}”",
    )


def _log_line(log: Path, start: int, needle: str) -> str:
    """The first line holding ``needle`` written to ``log`` after ``start``."""
    try:
        with log.open("rb") as handle:
            handle.seek(start)
            for raw in handle:
                line = raw.decode("utf-8", "replace").strip()
                if needle in line:
                    return line[:200]
    except OSError:
        pass
    return ""


def _over(job: dict) -> bool:
    return job["status"] in ("succeeded", "failed")


def _finished(stack, facts, pk):
    job = _job(stack, facts, pk)
    return job if _over(job) else None


def _restart_sec(stack) -> float:
    try:
        value = stack.unit("portal-worker.service")["Service"]["RestartSec"][-1]
        return min(float(value.rstrip("s")), 5.0)
    except (KeyError, IndexError, ValueError, RuntimeError):
        return 1.0


# --- 2. PostgreSQL restarted under load ------------------------------------------------

# Each kind of page one thread asks for, over and over: none of them comes from
# the page cache, so each request reaches the database.
STAFF_PAGES = ("/staff/", "/staff/reports/", "/staff/jobs/")
SEARCHES = ("社工", "困境儿童", "养老", "双百工程")
UNAVAILABLE_TEXT = "网站暂时无法使用"


class _Load:
    """Threads requesting pages until ``stop()``; every answer kept with when
    it was asked for."""

    def __init__(self, stack):
        self.records: list[dict] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        search = [f"/search/?q={urllib.parse.quote(q)}" for q in SEARCHES]
        self.threads = [
            threading.Thread(
                target=self._loop, args=(session, kind, paths), daemon=True
            )
            for session, kind, paths in (
                (stack.session("editor"), "staff", STAFF_PAGES),
                (stack.session(), "healthz", ("/healthz",)),
                (stack.session(), "search", search),
            )
        ]

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(30)

    def _loop(self, session, kind, paths):
        i = 0
        while not self.stopping.is_set():
            path = paths[i % len(paths)]
            i += 1
            asked = time.monotonic()
            record = {"t": asked, "kind": kind, "path": path}
            try:
                answer = session.get(path, timeout=20)
                record["status"] = answer.status
                record["end"] = time.monotonic()
                if answer.status == 503:
                    record["page_ok"] = (
                        '"database": "unavailable"' in answer.text
                        if kind == "healthz"
                        else UNAVAILABLE_TEXT in answer.text
                        and bool(answer.headers.get("Retry-After"))
                    )
            except Exception as error:  # noqa: BLE001 - no answer at all
                record["status"] = 0
                record["end"] = time.monotonic()
                record["error"] = f"{type(error).__name__}: {error}"
            with self.lock:
                self.records.append(record)
            # Light load: the machine has two cores and the web two workers.
            self.stopping.wait(0.05)

    def since(self, moment: float) -> list[dict]:
        with self.lock:
            return [r for r in self.records if r["t"] >= moment]


def postgres_restarted(stack, report, facts) -> None:
    """Why: PostgreSQL restarts for a minor upgrade, a changed setting or a
    failover. A request meanwhile must get the portal's Chinese 503 page with
    Retry-After (never a server error or a hang), and the same gunicorn must
    answer normally again once the database is back: each connection is
    checked before use (CONN_HEALTH_CHECKS) and a dead one replaced, so nobody
    has to restart the site."""
    web = stack.processes.get("web")
    master = web.pid if web else None
    workers = _child_pids(master) if master else []
    load = _Load(stack)
    load.start()
    begun = time.monotonic()
    try:
        time.sleep(LOAD_BEFORE)
        restart_started = time.monotonic()
        try:
            stack.postgres_restart(mode="fast")
        finally:
            restart_ended = time.monotonic()
            if not stack.postgres_ready():
                # The restart failed half-way: the next faults need a database.
                stack.postgres_start()
        report.info(
            f"pg_ctl restart -m fast under load: {restart_ended - restart_started:.1f} s"
        )

        def recovered():
            after = load.since(restart_ended)
            for kind in ("staff", "healthz", "search"):
                tail = [r for r in after if r["kind"] == kind][-3:]
                if len(tail) < 3 or any(r["status"] != 200 for r in tail):
                    return False
            return time.monotonic() - restart_ended >= LOAD_AFTER

        back = _wait(recovered, RECOVERY)
    finally:
        load.stop()
    records = load.records

    def phase(record):
        if record["t"] < restart_started:
            return "before"
        return "during" if record["t"] < restart_ended else "after"

    counts = {p: Counter() for p in ("before", "during", "after")}
    for record in records:
        counts[phase(record)][f"{record['kind']} {record['status']}"] += 1
    names = sorted({name for c in counts.values() for name in c})
    report.info(f"{len(records)} requests in {time.monotonic() - begun:.0f} s:")
    report.info(f"  {'kind status':<16} {'before':>7} {'during':>7} {'after':>7}")
    for name in names:
        report.info(
            f"  {name:<16} "
            + " ".join(f"{counts[p][name]:>7}" for p in ("before", "during", "after"))
        )

    unavailable = [r for r in records if r["status"] == 503]
    bad_pages = [r for r in unavailable if not r.get("page_ok")]
    if unavailable:
        report.check(
            not bad_pages,
            f"{len(unavailable)} requests answered 503 while PostgreSQL restarted,"
            f" each the Chinese page “{UNAVAILABLE_TEXT}” with Retry-After"
            " (/healthz: JSON database unavailable)",
            f"{len(bad_pages)} without them, e.g. {bad_pages[0]['path']}"
            if bad_pages
            else "",
        )
    else:
        report.info("no request fell in the restart's window (it was that quick)")
    other = [r for r in records if r["status"] not in (200, 503)]
    report.check(
        not other,
        "no other answer than 200 and 503 (no 500, no 502/504 from nginx, no hang)",
        ", ".join(
            f"{r['kind']} {r['path']} → {r['status'] or r.get('error')}"
            for r in other[:5]
        ),
    )
    if back is None:
        report.fail(
            f"pages did not all answer 200 again within {RECOVERY} s of PostgreSQL"
            " being back"
        )
    else:
        last_bad = max(
            (r["end"] for r in records if r["status"] != 200), default=restart_ended
        )
        report.ok(
            "every kind of page answers 200 again"
            f" {max(0.0, last_bad - restart_ended):.1f} s after PostgreSQL was back"
        )
    web = stack.processes.get("web")
    now = web.pid if web and web.alive() else None
    report.check(
        master is not None and now == master,
        f"the same gunicorn answered throughout (master pid {master}, workers"
        f" {workers} → {_child_pids(now) if now else []}): not restarted",
        f"master now {now}",
    )


def _child_pids(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2 :].split()
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


# --- 3. Redis stopped ----------------------------------------------------------------

LOCKED_OUT_TEXT = "登录已被暂时锁定"
QUEUE_TEXT = "任务队列"
LOCKOUT_USER = "supervisor"


def _public_pages(facts) -> list[str]:
    """The home page, an issue, an article and a search (never cached)."""
    pages = ["/", facts["issue_url"]]
    if facts.get("article_url"):
        pages.append(facts["article_url"])
    return [*pages, f"/search/?q={urllib.parse.quote('社工')}"]


def _upload_sheet(session, facts, data: bytes):
    return session.post(
        "/staff/beneficiaries/import/",
        {"station": facts["station"]},
        files={"file": ("faults.csv", data, "text/csv")},
    )


def _message_near(text: str, needle: str) -> str:
    """The text of the page's element that holds ``needle`` (a message)."""
    found = re.search(r">([^<>]*" + re.escape(needle) + r"[^<>]*)<", text)
    return html.unescape(" ".join(found.group(1).split())) if found else ""


def _files_under(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def redis_stopped(stack, report, facts) -> None:
    """Why: Redis (the page cache and the job queue's broker) stops or is
    restarted. The public site must keep answering from the database (cache
    errors ignored, within short timeouts); starting a job must be refused
    with a Chinese message and leave no job row or upload behind, rather than
    leave a job queued that no worker will ever see; the sign-in lock-out
    (kept in the database) must keep counting; /healthz must stay 200 and say
    what is down. Once Redis is back, the site and the jobs work again."""
    anon = stack.session()
    head = stack.session("head")
    jobs_root = Path(stack.env.get("JOBS_ROOT") or stack.dir / "data" / "jobfiles")
    sheet, _prefix = _sheet(stack, facts, PAGE_SHEET_ROWS, "丙")
    jobs_table = facts["job_table"]
    before = {
        "jobs": _count(stack, f"SELECT count(*) FROM {jobs_table}"),
        "files under JOBS_ROOT": _files_under(jobs_root),
    }
    stopped_at = time.monotonic()
    stack.redis_stop()
    try:
        report.info("Redis stopped (SIGTERM to the check's redis-server)")
        for path in [*_public_pages(facts), "/staff/"]:
            answer = (head if path.startswith("/staff/") else anon).get(path)
            report.check(
                answer.status == 200,
                f"{path} → {answer.status} in {answer.elapsed * 1000:.0f} ms",
            )
        answer = _upload_sheet(head, facts, sheet)
        message = _message_near(answer.text, QUEUE_TEXT)
        after = {
            "jobs": _count(stack, f"SELECT count(*) FROM {jobs_table}"),
            "files under JOBS_ROOT": _files_under(jobs_root),
        }
        report.rows(
            "starting a job (a 1,200-row sheet through the page)", before, after
        )
        report.check(
            answer.status < 500 and answer.status != 302 and bool(message),
            f"starting an import as head is refused in {answer.elapsed:.1f} s"
            f" ({answer.status}): “{message}”",
            f"status {answer.status}, Location {answer.headers.get('Location')}",
        )
        report.check(after == before, "no job row and no stored upload left behind")

        _lock_out(stack, report)

        answer = anon.get("/healthz")
        try:
            health = answer.json()
        except ValueError:
            health = {}
        report.check(
            answer.status == 200
            and health.get("database") == "ok"
            and health.get("cache") == "unavailable"
            and health.get("queue") == "unavailable",
            f"/healthz → {answer.status} {json.dumps(health)}",
            "expected 200 with cache and queue unavailable",
        )
    finally:
        down_for = time.monotonic() - stopped_at
        stack.redis_start()
        back_at = time.monotonic()
    report.info(f"Redis started again after {down_for:.1f} s down")

    health = _wait(
        lambda: (lambda a: a.json() if a.status == 200 else None)(anon.get("/healthz")),
        REDIS_RECOVERY,
        interval=1,
    )
    report.info(f"/healthz after Redis is back: {json.dumps(health)}")
    for path in _public_pages(facts):
        answer = anon.get(path)
        report.check(answer.status == 200, f"{path} → {answer.status} again")
    answer = _upload_sheet(head, facts, sheet)
    location = answer.headers.get("Location") or ""
    found = re.search(r"/staff/jobs/(\d+)/", location)
    if answer.status != 302 or not found:
        report.fail(
            f"starting a job after Redis came back: {answer.status}"
            f" {_message_near(answer.text, '任务') or location}"
        )
        return
    job = int(found.group(1))
    final = _wait(lambda: _finished(stack, facts, job), REDIS_RECOVERY, interval=0.5)
    report.check(
        final is not None and final["status"] == "succeeded",
        f"a new job (the sheet's check, job {job}) ran on the worker"
        f" {time.monotonic() - back_at:.1f} s after Redis came back",
        f"{final or _job(stack, facts, job)}",
    )


def _lock_out(stack, report) -> None:
    """Wrong passwords for one account until the lock-out page; the count is
    kept in the database, so Redis being down changes nothing. The account is
    unlocked again afterwards (``axes_reset_username``)."""
    limit = int(stack.env.get("AXES_FAILURE_LIMIT") or 5)
    session = stack.session()
    session.get("/accounts/login/")
    statuses = []
    answer = None
    for _attempt in range(limit + 1):
        answer = session.post(
            "/accounts/login/",
            {"username": LOCKOUT_USER, "password": "wrong-password-deploy-check"},
        )
        statuses.append(answer.status)
        if answer.status == 429:
            break
    report.check(
        statuses[-1] == 429
        and len(statuses) == limit
        and LOCKED_OUT_TEXT in answer.text
        and bool(answer.headers.get("Retry-After")),
        f"sign-in lock-out still counts: {LOCKOUT_USER} locked out at wrong"
        f" password {len(statuses)} (AXES_FAILURE_LIMIT={limit}): {statuses},"
        f" “{LOCKED_OUT_TEXT}”, Retry-After {answer.headers.get('Retry-After')}",
    )
    stack.manage("axes_reset_username", LOCKOUT_USER)
    try:
        stack.session(LOCKOUT_USER)
        report.ok(f"{LOCKOUT_USER} unlocked (axes_reset_username) and signs in again")
    except Exception as error:  # noqa: BLE001
        report.fail(f"{LOCKOUT_USER} cannot sign in after axes_reset_username: {error}")


# --- 4. The media disk full ----------------------------------------------------------

PHOTO_FULL_TEXT = "存储空间已满"


def _jpeg() -> bytes:
    """A photo no one has uploaded before (noise), 800×600."""
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((800, 600), 60).convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def _fill(folder: Path) -> Path:
    """Write one file until the file system says it is full."""
    filler = folder / ".deploy-check-filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    chunk = b"\0" * 65536
    try:
        while True:
            try:
                if os.write(fd, chunk) == 0:
                    break
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                if len(chunk) == 1:
                    break
                chunk = chunk[: len(chunk) // 2]
    finally:
        os.close(fd)
    return filler


def _files(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file()
    }


def media_disk_full(stack, report, facts) -> None:
    """Why: the disk that keeps uploads fills up. A photo must then be refused
    with a Chinese message, with no photo row whose files are missing and no
    half-written rendition left on the disk.

    How: a 2 MB tmpfs is mounted over the running site's MEDIA_ROOT (the files
    already there are hidden meanwhile, and come back when it is unmounted; no
    restart needed, since every upload resolves its path anew) and filled; then
    ``worker`` uploads a photo through the photo form of a report being drafted.
    Where mounting is not permitted (no root, a container without
    CAP_SYS_ADMIN), the fault is skipped and says why."""
    media = Path(stack.env.get("MEDIA_ROOT") or stack.dir / "data" / "media")
    owner = media.stat()
    options = (
        f"size={TMPFS_SIZE},mode={owner.st_mode & 0o7777:o},"
        f"uid={owner.st_uid},gid={owner.st_gid}"
    )
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "deploy-check-media", str(media)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        report.info(
            "skipped: a tmpfs cannot be mounted here"
            f" ({(mounted.stderr or mounted.stdout).strip()})"
        )
        return
    photos = facts["photo_table"]
    where = f"WHERE report_id = {facts['report']}"
    page = f"/staff/reports/{facts['report']}/"
    worker = stack.session("worker")
    photo = _jpeg()
    try:
        filler = _fill(media)
        free = os.statvfs(media)
        report.info(
            f"tmpfs of {TMPFS_SIZE.upper()}B mounted over MEDIA_ROOT {media} and filled"
            f" ({filler.stat().st_size // 1024} KB, {free.f_bavail * free.f_frsize} bytes"
            " free)"
        )
        before = {
            "photos of the report": _count(
                stack, f"SELECT count(*) FROM {photos} {where}"
            )
        }
        answer = worker.post(
            f"{page}photos/",
            {"caption": "磁盘已满检查"},
            files={"photos": ("full-disk.jpg", photo, "image/jpeg")},
        )
        shown = worker.get(page) if answer.status == 302 else answer
        message = _message_near(shown.text, PHOTO_FULL_TEXT)
        after = {
            "photos of the report": _count(
                stack, f"SELECT count(*) FROM {photos} {where}"
            )
        }
        left = {k: v for k, v in _files(media).items() if k != filler.name}
        report.rows(
            f"a {len(photo) // 1024} KB photo uploaded as worker", before, after
        )
        report.check(
            answer.status in (200, 302, 400) and bool(message),
            f"the upload is refused ({answer.status}): “{message}”",
            f"answer {answer.status}; page: {_message_near(shown.text, '未保存')}",
        )
        report.check(after == before, "no photo row was added")
        report.check(
            not left,
            "no rendition file was left on the full disk",
            f"left: {left}",
        )
    finally:
        unmounted = subprocess.run(
            ["umount", str(media)], capture_output=True, text=True
        )
        if unmounted.returncode != 0:
            subprocess.run(["umount", "-l", str(media)], capture_output=True)
    report.info("tmpfs unmounted: MEDIA_ROOT is the real folder again")
    answer = worker.post(
        f"{page}photos/",
        {"caption": "磁盘恢复后"},
        files={"photos": ("after-full-disk.jpg", photo, "image/jpeg")},
    )
    now = _count(stack, f"SELECT count(*) FROM {photos} {where}")
    report.check(
        answer.status == 302 and now == before["photos of the report"] + 1,
        "the same photo is saved once the disk has room again",
        f"answer {answer.status}, photos {now}",
    )


# --- 5. Backup, then restore ---------------------------------------------------------


def _pg_url(stack, database: str) -> str:
    url = urllib.parse.urlsplit(stack.env["DATABASE_URL"])
    return urllib.parse.urlunsplit(url._replace(path=f"/{database}"))


def _psql(stack, url: str, query: str) -> str:
    return stack.run(
        ["psql", "-d", url, "-At", "-v", "ON_ERROR_STOP=1", "-c", query],
        env={**stack.base_env(), "PGCONNECT_TIMEOUT": "5"},
        timeout=120,
    ).stdout


def _tables(stack, url: str) -> list[str]:
    return _psql(
        stack,
        url,
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    ).split()


def _checksums(stack, url: str, tables: list[str]) -> dict[str, tuple[int, str]]:
    """Each table's row count and the md5 of its rows as text, in the order of
    that text (the same rows give the same sum whatever order they are stored
    in, and whatever their key)."""
    parts = [
        f"SELECT '{t}', count(*), md5(coalesce(string_agg(x::text, E'\\n'"
        f" ORDER BY x::text), '')) FROM public.\"{t}\" x"
        for t in tables
    ]
    sums = {}
    for line in _psql(stack, url, " UNION ALL ".join(parts)).splitlines():
        name, count, digest = line.split("|")
        sums[name] = (int(count), digest)
    return sums


def _media_sums(folder: Path) -> dict[str, str]:
    sums = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256()
            with path.open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
            sums[str(path.relative_to(folder))] = digest.hexdigest()
    return sums


def _backup_files(out: Path, stdout: str) -> list[Path]:
    """The files backup.sh made: the paths it printed, else what is in OUTDIR."""
    printed = [Path(line.strip()) for line in stdout.splitlines() if line.strip()]
    made = [p for p in printed if p.is_file()]
    return made or sorted(p for p in out.iterdir() if p.is_file())


def backup_restored(stack, report, facts) -> None:
    """Why: a backup is only as good as its restore. scripts/backup.sh is run
    as the nightly service runs it (with a key made by ``openssl rand``), then
    scripts/restore.sh into a new database on the check's cluster and a new
    media folder; every table (row count and a checksum of its rows) and every
    media file (sha256) must be the same as the site's at the time of the
    backup."""
    work = stack.dir / "faults" / "backup"
    shutil.rmtree(work, ignore_errors=True)
    out = work / "out"
    out.mkdir(parents=True)
    key = work / "backup.key"
    with key.open("wb") as handle:
        subprocess.run(["openssl", "rand", "-base64", "48"], stdout=handle, check=True)
    key.chmod(0o600)
    media = Path(stack.env.get("MEDIA_ROOT") or stack.dir / "data" / "media")
    restored_media = work / "media-restored"
    database = f"portal_restored_{os.getpid()}"
    source_url = stack.env["DATABASE_URL"]
    target_url = _pg_url(stack, database)
    env = {
        **stack.base_env(),
        **stack.env,
        "BACKUP_KEY_FILE": str(key),
        "MEDIA_ROOT": str(media),
    }
    try:
        tables = _tables(stack, source_url)
        source_before = _checksums(stack, source_url, tables)
        media_before = _media_sums(media)
        started = time.monotonic()
        made = stack.run(
            [stack.code / "scripts" / "backup.sh", out], env=env, timeout=300
        )
        backup_took = time.monotonic() - started
        source_after = _checksums(stack, source_url, tables)
        media_after = _media_sums(media)
        files = _backup_files(out, made.stdout)
        report.info(
            f"scripts/backup.sh {out}: {backup_took:.1f} s → "
            + ", ".join(f"{p.name} ({p.stat().st_size // 1024} KB)" for p in files)
        )
        _check_encrypted(report, files)

        stack.run(
            [
                stack.pg_bin / "createdb",
                "-h",
                stack.pg_socket,
                "-p",
                stack.pg_port,
                "-U",
                "postgres",
                database,
            ],
            env=stack.base_env(),
        )
        started = time.monotonic()
        restore_args = _restore_args(files)
        stack.run(
            [stack.code / "scripts" / "restore.sh", *restore_args],
            env={**env, "DATABASE_URL": target_url, "MEDIA_ROOT": str(restored_media)},
            timeout=300,
        )
        report.info(
            f"scripts/restore.sh into database {database} and {restored_media}:"
            f" {time.monotonic() - started:.1f} s"
        )
        restored = _checksums(stack, target_url, _tables(stack, target_url))
        _compare_tables(report, tables, source_before, source_after, restored)
        _compare_media(report, media_before, media_after, _media_sums(restored_media))
    finally:
        stack.run(
            [
                stack.pg_bin / "dropdb",
                "-h",
                stack.pg_socket,
                "-p",
                stack.pg_port,
                "-U",
                "postgres",
                "--if-exists",
                database,
            ],
            env=stack.base_env(),
            check=False,
        )
        # The backup holds beneficiary files in full: nothing of it is kept.
        shutil.rmtree(work, ignore_errors=True)


def _check_encrypted(report, files: list[Path]) -> None:
    """No file of the backup may hold the database or the media in clear."""
    clear = []
    for path in files:
        head = path.read_bytes()[:5]
        if head.startswith(b"PGDMP") or head.startswith(b"\x1f\x8b"):
            clear.append(path.name)
    report.check(
        bool(files) and not clear,
        "the backup is encrypted (no file starts as a pg_dump or a gzip)",
        f"in clear: {clear}",
    )


def _restore_args(files: list[Path]) -> list[str]:
    """restore.sh's arguments: the database dump, then the media archive."""
    names = [p for p in files if not p.name.endswith((".sha256", ".sha256.asc"))]
    dump = [p for p in names if "media" not in p.name]
    tar = [p for p in names if "media" in p.name]
    return [str(p) for p in dump[:1] + tar[:1]]


def _compare_tables(report, tables, before, after, restored) -> None:
    mine = [t for t in tables if t.startswith(PORTAL_TABLE_PREFIXES)]
    others = [t for t in tables if t not in mine]
    moved = [t for t in tables if before.get(t) != after.get(t)]
    if moved:
        report.info(
            "changed while the backup ran (the site is live): " + ", ".join(moved)
        )
    width = max(len(t) for t in mine) if mine else 10
    report.info(f"  {'table':<{width}}  {'site':>7}  {'restored':>8}  rows' md5")
    wrong = []
    for table in tables:
        got = restored.get(table)
        same = got is not None and got in (before.get(table), after.get(table))
        if not same:
            wrong.append(table)
        if table in mine or not same:
            count, digest = before.get(table, (None, ""))
            report.info(
                f"  {table:<{width}}  {count if count is not None else '-':>7}"
                f"  {got[0] if got else '-':>8}  "
                + (
                    "same " + digest[:12]
                    if same
                    else f"DIFFERENT ({digest[:8]} vs {got[1][:8] if got else '-'})"
                )
            )
    missing = sorted(set(restored) - set(tables))
    report.info(
        f"  and {len(others)} tables of Django and the libraries"
        f" ({', '.join(sorted({t.split('_')[0] + '_*' for t in others}))})"
    )
    report.check(
        not wrong and not missing,
        f"all {len(tables)} tables restored with the same rows"
        f" ({sum(before[t][0] for t in tables):,} rows; {len(mine)} of the portal's apps)",
        f"different: {wrong}; only in the restore: {missing}",
    )


def _compare_media(report, before, after, restored) -> None:
    differ = [
        name
        for name in set(before) | set(restored)
        if restored.get(name) not in (before.get(name), after.get(name))
    ]
    report.info(f"media: {len(before)} files at the backup, {len(restored)} restored")
    report.check(
        not differ,
        f"every media file restored with the same sha256 ({len(restored)} files)",
        f"{len(differ)} differ, e.g. {sorted(differ)[:3]}",
    )


FAULTS = (
    ("Celery worker SIGKILLed mid-import", celery_worker_killed),
    ("PostgreSQL restarted under load", postgres_restarted),
    ("Redis stopped", redis_stopped),
    ("media disk full", media_disk_full),
    ("backup, then restore", backup_restored),
)
