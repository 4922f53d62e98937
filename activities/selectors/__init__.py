"""Reads of reports, trainings and projects, each with the joins and counts its
pages need (a page's query count does not grow with its rows), split by
concept."""

from .projects import (
    get_project_for_user,
    linkable_reports,
    linked_reports,
    percent,
    project_progress,
    projects_progress,
    projects_with_place,
)
from .reports import (
    last_return,
    report_filed_with,
    report_for_page,
    report_list,
    review_list,
)
from .reviews import resubmission_changes
from .trainings import (
    get_session_for_user,
    get_training_for_user,
    hours_by_worker_year,
    hours_table,
    sessions_of,
    trainees_of,
    training_years,
    trainings_with_figures,
    worker_training_hours,
)

__all__ = [
    "get_project_for_user",
    "get_session_for_user",
    "get_training_for_user",
    "hours_by_worker_year",
    "hours_table",
    "last_return",
    "linkable_reports",
    "linked_reports",
    "percent",
    "project_progress",
    "projects_progress",
    "projects_with_place",
    "report_filed_with",
    "report_for_page",
    "report_list",
    "resubmission_changes",
    "review_list",
    "sessions_of",
    "trainees_of",
    "training_years",
    "trainings_with_figures",
    "worker_training_hours",
]
