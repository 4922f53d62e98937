"""Trainings and funded projects: who sees and manages them, the services that
write them, and the selectors that compute their figures.

Figures are never typed. A training's sessions, hours, unique trainees and
person-times come from its sessions and attendance rows; a project's progress
comes from the reports linked to it. Each figure set is one or two aggregate
queries, whatever the number of rows.

Scope (built on stations/permissions.py, DESIGN.md §4):

=================  ===================================  ============================
object             visible to                           managed by
=================  ===================================  ============================
training of a      the city's editors                   the city's editors
city
training of a      the county's reviewers and           the county's reviewers and
county             supervisors, the city's editors      the city's editors
project            as the station's reports: station    the station's head and
                   members, its supervisors, the        deputy heads, the county
                   county reviewer, the city editor     reviewer, the city editor
=================  ===================================  ============================

What a project counts (decided for the mid-term summary): a linked report counts
once it is submitted or approved. A station writes its mid-term summary while
some reports still wait for review, and leaving them out would understate the
work; drafts and returned reports do not count, since they may still change or
be dropped. The approved part is shown beside each figure, so a reader who
wants only reviewed figures has them.
"""

from .figures import (
    HOURS_FIELD,
    HoursRow,
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
from .progress import (
    CASE_KIND,
    COUNTED_STATUSES,
    Figure,
    Progress,
    get_project_for_user,
    linkable_reports,
    linked_reports,
    percent,
    project_progress,
    projects_progress,
    projects_with_place,
)
from .project_services import (
    project_create,
    project_link_report,
    project_unlink_report,
    project_update,
)
from .scope import (
    can_manage_project_of,
    can_manage_training,
    can_organise,
    organisers_for,
    project_manage_q,
    project_read_q,
    project_stations_for,
    projects_manageable_by,
    projects_visible_to,
    stations_of_training_area,
    trainees_eligible_for,
    training_area_q,
    training_manage_q,
    training_read_q,
    trainings_manageable_by,
    trainings_visible_to,
)
from .training_services import (
    MAX_SESSION_HOURS,
    training_attendance_set,
    training_create,
    training_session_add,
    training_session_delete,
    training_session_update,
    training_update,
)

__all__ = [
    "CASE_KIND",
    "COUNTED_STATUSES",
    "Figure",
    "HOURS_FIELD",
    "HoursRow",
    "MAX_SESSION_HOURS",
    "Progress",
    "can_manage_project_of",
    "can_manage_training",
    "can_organise",
    "get_project_for_user",
    "get_session_for_user",
    "get_training_for_user",
    "hours_by_worker_year",
    "hours_table",
    "linkable_reports",
    "linked_reports",
    "organisers_for",
    "percent",
    "project_create",
    "project_link_report",
    "project_manage_q",
    "project_progress",
    "project_read_q",
    "project_stations_for",
    "project_unlink_report",
    "project_update",
    "projects_manageable_by",
    "projects_progress",
    "projects_visible_to",
    "projects_with_place",
    "sessions_of",
    "stations_of_training_area",
    "trainees_eligible_for",
    "trainees_of",
    "training_area_q",
    "training_attendance_set",
    "training_create",
    "training_manage_q",
    "training_read_q",
    "training_session_add",
    "training_session_delete",
    "training_session_update",
    "training_update",
    "training_years",
    "trainings_manageable_by",
    "trainings_visible_to",
    "trainings_with_figures",
    "worker_training_hours",
]
