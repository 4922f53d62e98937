"""Every change to reports, their photos, trainings and projects goes through
these functions (CONVENTIONS.md), split by concept: the report workflow, report
photos, trainings with their sessions and attendance, funded projects."""

from .photos import (
    photos_check,
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
    report_approve,
    report_backfill,
    report_comment,
    report_create,
    report_repair,
    report_return,
    report_submit,
    report_update,
    report_withdraw,
)
from .trainings import (
    training_attendance_set,
    training_create,
    training_session_add,
    training_session_delete,
    training_session_update,
    training_update,
)

__all__ = [
    "photos_check",
    "project_create",
    "project_link_report",
    "project_unlink_report",
    "project_update",
    "report_approve",
    "report_backfill",
    "report_comment",
    "report_create",
    "report_photo_add",
    "report_photo_delete",
    "report_photo_update",
    "report_repair",
    "report_return",
    "report_submit",
    "report_update",
    "report_withdraw",
    "training_attendance_set",
    "training_create",
    "training_session_add",
    "training_session_delete",
    "training_session_update",
    "training_update",
]
