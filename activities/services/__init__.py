"""Every change to reports, their photos, trainings and projects goes through
these functions (CONVENTIONS.md), split by concept: the report workflow, report
photos, trainings with their sessions and attendance, funded projects."""

from .photos import (
    report_photo_add,
    report_photo_delete,
    report_photo_update,
)
from .projects import (
    project_create,
    project_link_report,
    project_unlink_report,
    project_update,
)
from .reports import (
    BACKFILL_COMMENT,
    Action,
    report_approve,
    report_backfill,
    report_comment,
    report_create,
    report_mark_published,
    report_repair,
    report_return,
    report_submit,
    report_update,
    report_withdraw,
    reviewers_of,
)
from .trainings import (
    MAX_SESSION_HOURS,
    training_attendance_set,
    training_create,
    training_session_add,
    training_session_delete,
    training_session_update,
    training_update,
)

__all__ = [
    "Action",
    "BACKFILL_COMMENT",
    "MAX_SESSION_HOURS",
    "project_create",
    "project_link_report",
    "project_unlink_report",
    "project_update",
    "report_approve",
    "report_backfill",
    "report_comment",
    "report_create",
    "report_mark_published",
    "report_photo_add",
    "report_photo_delete",
    "report_photo_update",
    "report_repair",
    "report_return",
    "report_submit",
    "report_update",
    "report_withdraw",
    "reviewers_of",
    "training_attendance_set",
    "training_create",
    "training_session_add",
    "training_session_delete",
    "training_session_update",
    "training_update",
]
