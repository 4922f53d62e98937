"""How far a job has come: ``Progress`` (what a runner calls), the state the
job page polls, the masking of log lines, and the command line's progress bar."""

from __future__ import annotations

import logging
import re
import sys
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from ..models import Job
from .registry import CACHE_SECONDS, LOG_TAIL_CHARS

logger = logging.getLogger("core.jobs")

# --- Progress ------------------------------------------------------------------------


def cache_key(job_id: int) -> str:
    return f"job-progress:{job_id}"


class Progress:
    """``progress(done, total=None, message=None)``: how far the job has come.
    Cheap to call for every row; writes are throttled. ``progress.log(line)``
    adds a line to the job's log tail."""

    def __init__(self, job: Job, *, on_update=None):
        self.job_id = job.pk
        self.done = 0
        self.total = job.progress_total
        self.message = job.message
        self.on_update = on_update
        self._lines: list[str] = []
        self._written_at = 0.0
        self._started = time.monotonic()

    def __call__(self, done: int, total: int | None = None, message=None) -> None:
        if total is not None:
            self.total = max(0, int(total))
        self.done = max(0, int(done))
        if self.total:
            self.done = min(self.done, self.total)
        new_message = message is not None and str(message) != self.message
        if new_message:
            self.message = str(message)[:300]
            self.log(self.message)
        if self.on_update is not None:
            self.on_update(self)
        due = time.monotonic() - self._written_at >= settings.JOBS_PROGRESS_INTERVAL
        if new_message or due or (self.total and self.done == self.total):
            self.flush()

    def log(self, line: str) -> None:
        stamp = timezone.localtime().strftime("%H:%M:%S")
        self._lines.append(f"{stamp} {scrub(str(line))}")
        del self._lines[:-200]

    def log_tail(self) -> str:
        return "\n".join(self._lines)[-LOG_TAIL_CHARS:]

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self._started

    def snapshot(self) -> dict:
        return {
            "progress_done": self.done,
            "progress_total": self.total,
            "message": self.message,
            "log_tail": self.log_tail(),
        }

    def flush(self) -> None:
        self._written_at = time.monotonic()
        fields = self.snapshot()
        cache.set(cache_key(self.job_id), fields, CACHE_SECONDS)
        connection = connections[DEFAULT_DB_ALIAS]
        if not connection.in_atomic_block:
            _write_row(self.job_id, fields)
        elif connection.vendor != "sqlite" and settings.JOBS_MODE != "sync":
            writer = threading.Thread(
                target=_write_row_elsewhere, args=(self.job_id, fields), daemon=True
            )
            writer.start()
            writer.join(timeout=10)


def _write_row(job_id: int, fields: dict) -> None:
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
        **fields, updated_at=timezone.now()
    )


def _write_row_elsewhere(job_id: int, fields: dict) -> None:
    # A thread has its own connection: this write commits at once, outside the
    # runner's transaction.
    try:
        _write_row(job_id, fields)
    except Exception:  # noqa: BLE001 - progress is a courtesy, never a failure
        logger.warning("progress of job %s not written", job_id, exc_info=True)
    finally:
        connections.close_all()


def live_state(job: Job) -> dict:
    """The job as the polling page sees it: the row, with the latest progress
    from the cache while it runs."""
    done, total, message = job.progress_done, job.progress_total, job.message
    if job.status == Job.Status.RUNNING:
        cached = cache.get(cache_key(job.pk))
        if cached:
            done = cached["progress_done"]
            total = cached["progress_total"]
            message = cached["message"]
    percent = 100 if job.status == Job.Status.SUCCEEDED else None
    if percent is None and total:
        percent = min(100, done * 100 // total)
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": done,
        "total": total,
        "percent": percent,
        "message": message,
        "finished": job.is_finished,
    }


# --- Privacy of logs -----------------------------------------------------------------

# Runs of digits as long as a phone or an ID number (with its X check digit).
_LONG_NUMBER = re.compile(r"\d{7,}[\dXx]?")


def scrub(text: str) -> str:
    """Mask long numbers in a log line: a driver's message may quote the ID number
    or phone of the row that failed, and logs must never hold one."""
    return _LONG_NUMBER.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 3), text)


# --- The terminal ----------------------------------------------------------------------


class TerminalBar:
    """A progress bar for the command line: ``bar(done, total, message)``, the
    same call a runner makes. On a terminal it redraws one line; in a log file
    it writes a line at each tenth and at each new message."""

    WIDTH = 30

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.done = 0
        self.total = 0
        self.message = ""
        self._tenth = -1
        self._open = False

    def __call__(self, done, total=None, message=None) -> None:
        if total is not None:
            self.total = total
        self.done = done
        new_message = message is not None and str(message) != self.message
        if new_message:
            self.message = str(message)
        self.draw(force=new_message)

    def update(self, progress: Progress) -> None:
        """As ``on_progress`` of ``run_job``."""
        self(progress.done, progress.total, progress.message)

    def line(self) -> str:
        if self.total:
            share = min(1.0, self.done / self.total)
            filled = int(share * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            return (
                f"[{bar}] {share * 100:5.1f}% {self.done}/{self.total} {self.message}"
            )
        return f"[{'.' * self.WIDTH}] {self.done} {self.message}"

    def draw(self, *, force=False) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K" + self.line())
            self.stream.flush()
            self._open = True
            return
        tenth = self.done * 10 // self.total if self.total else -1
        if force or tenth != self._tenth:
            self._tenth = tenth
            self.stream.write(self.line() + "\n")

    def close(self) -> None:
        if self._open:
            self.stream.write("\n")
            self._open = False
