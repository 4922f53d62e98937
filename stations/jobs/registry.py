"""The kinds of job and where each one's runner lives (a dotted path, so that
stations never imports activities or newsletter), and what a runner returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Job

RUNNERS = {
    Job.Kind.NETWORK_IMPORT: "stations.imports.network_import_job",
    Job.Kind.BENEFICIARY_IMPORT: "activities.jobs.beneficiary_import_job",
    Job.Kind.REPORT_IMPORT: "activities.jobs.report_import_job",
    Job.Kind.PHOTO_BATCH: "activities.jobs.photo_batch_job",
    Job.Kind.STATS_EXPORT: "activities.jobs.stats_export_job",
    Job.Kind.ISSUE_WORD: "newsletter.jobs.issue_word_job",
    Job.Kind.ARCHIVE_IMPORT: "newsletter.jobs.archive_import_job",
}

# Kinds whose upload holds personal data: its file goes after a day.
SENSITIVE_INPUT_KINDS = {Job.Kind.BENEFICIARY_IMPORT}
MAX_ROW_ERRORS = 1000
LOG_TAIL_CHARS = 4000
CACHE_SECONDS = 24 * 3600


@dataclass
class JobResult:
    """What a runner hands back. ``ok=False`` means nothing was written for the
    batch (a file with errors, a refused request): the job ends as failed, with
    ``message`` and ``row_errors`` saying why."""

    ok: bool = True
    message: str = ""
    summary: dict = field(default_factory=dict)
    # [{"line": 3, "errors": ["…"]}, …]; line None for a whole-file problem.
    row_errors: list = field(default_factory=list)
    file_name: str = ""
    file_data: bytes | None = None
    url: str = ""
