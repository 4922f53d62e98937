"""Long work in the background, with progress: one small module, not a framework.

A job is a Job row (core/models/jobs.py) and a runner: a function
``run(job, progress) -> JobResult`` next to the service it calls, registered
with its kind by the app that owns it (``register(JobKind(...))`` in its
``AppConfig.ready()``; core imports no app). The runner reads ``job.params`` and
the input file, calls the existing service as ``job.started_by`` (which checks
permission again) and reports how far it has come through
``progress(done, total, message)``. Who else may see a job is the kind's rule
(``JobKind.visible_to``), asked by ``jobs_visible_to``.

- ``job_start(...)`` records the job and hands it on, by ``settings.JOBS_MODE``:
  to a Celery worker ("celery", when REDIS_URL is set), to a daemon thread of
  this process ("thread", the embedded default), or runs it at once ("sync",
  the tests and the ``run_job`` command). Handing on waits for the commit.
- ``run_job(job_id)`` runs it: the same code whichever way it arrives. A job
  delivered again after a worker died mid-way is run again (imports are
  idempotent on natural keys and all-or-nothing per batch); a finished job
  delivered again is left alone.
- Progress is written at most every ``JOBS_PROGRESS_INTERVAL`` seconds, to the
  cache and to the job row. The runner's own connection is usually inside the
  batch's transaction, where a write would be invisible until the commit, so
  the row is written from a separate connection; SQLite allows one writer at a
  time, so there the cache alone carries progress until the batch commits (the
  embedded mode runs jobs in the web process, which shares the cache).
"""

from .housekeeping import jobs_prune
from .progress import Progress, TerminalBar, live_state, scrub
from .registry import JobKind, JobResult, get_kind, kind_label, kinds, register
from .running import delete_input, job_input, run_job
from .starting import dispatch, job_confirm, job_retry, job_start
from .visibility import get_job_for_user, jobs_visible_to

__all__ = [
    "JobKind",
    "JobResult",
    "Progress",
    "TerminalBar",
    "delete_input",
    "dispatch",
    "get_job_for_user",
    "get_kind",
    "job_confirm",
    "job_input",
    "job_retry",
    "job_start",
    "jobs_prune",
    "jobs_visible_to",
    "kind_label",
    "kinds",
    "live_state",
    "register",
    "run_job",
    "scrub",
]
