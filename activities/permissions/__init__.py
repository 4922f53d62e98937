"""Who may see and do what with reports, trainings and projects (DESIGN.md §4),
built on stations/permissions.py: reports, and trainings with projects."""

from .reports import (
    can_backfill,
    can_comment,
    can_review,
    can_write,
    filing_units,
    get_report_for_user,
    report_read_q,
    reports_visible_to,
    reports_writable_by,
    review_queue,
    reviews_reports,
)
from .trainings import (
    can_manage_project_of,
    can_manage_training,
    organisers_for,
    project_stations_for,
    projects_visible_to,
    stations_of_training_area,
    trainees_eligible_for,
    trainings_visible_to,
)

__all__ = [
    "can_backfill",
    "can_comment",
    "can_manage_project_of",
    "can_manage_training",
    "can_review",
    "can_write",
    "filing_units",
    "get_report_for_user",
    "organisers_for",
    "project_stations_for",
    "projects_visible_to",
    "report_read_q",
    "reports_visible_to",
    "reports_writable_by",
    "review_queue",
    "reviews_reports",
    "stations_of_training_area",
    "trainees_eligible_for",
    "trainings_visible_to",
]
