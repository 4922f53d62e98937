"""Staff URLs of the activities app, under /staff/: reports (with their photos,
the Word start and the back-fill import), trainings and projects, and the
figure check of a text."""

from django.urls import path

from .views import photos, report_import, reports, trainings, word, writing

app_name = "activities_staff"

urlpatterns = [
    # Reports, their workflow and the review queue.
    path("reports/", reports.report_list, name="reports"),
    path("reports/new/", reports.report_new, name="report_new"),
    path("reports/new/from-word/", word.report_from_word, name="report_from_word"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/approve/", reports.report_approve, name="report_approve"),
    path("reports/<int:pk>/return/", reports.report_return, name="report_return"),
    path("reports/<int:pk>/withdraw/", reports.report_withdraw, name="report_withdraw"),
    path("reports/<int:pk>/comment/", reports.report_comment, name="report_comment"),
    path("review/", reports.review_queue, name="review"),
    path("reports/import/", report_import.report_import, name="report_import"),
    path(
        "reports/import/template.xlsx",
        report_import.report_import_template,
        name="report_import_template",
    ),
    # Report photos.
    path("reports/<int:pk>/photos/", photos.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/edit/", photos.photo_edit, name="photo_edit"),
    path("photos/<int:pk>/delete/", photos.photo_delete, name="photo_delete"),
    # Trainings, their sessions and attendance.
    path("trainings/", trainings.training_list, name="trainings"),
    path("trainings/new/", trainings.training_edit, name="training_new"),
    path("trainings/hours/", trainings.training_hours, name="training_hours"),
    path("trainings/<int:pk>/", trainings.training_detail, name="training"),
    path("trainings/<int:pk>/edit/", trainings.training_edit, name="training_edit"),
    path(
        "trainings/<int:pk>/sessions/new/",
        trainings.session_new,
        name="training_session_new",
    ),
    path(
        "trainings/sessions/<int:pk>/edit/",
        trainings.session_edit,
        name="training_session_edit",
    ),
    path(
        "trainings/sessions/<int:pk>/delete/",
        trainings.session_delete,
        name="training_session_delete",
    ),
    path(
        "trainings/sessions/<int:pk>/attendance/",
        trainings.attendance_edit,
        name="training_attendance",
    ),
    # Funded projects.
    path("projects/", trainings.project_list, name="projects"),
    path("projects/new/", trainings.project_edit, name="project_new"),
    path("projects/<int:pk>/", trainings.project_detail, name="project"),
    path("projects/<int:pk>/edit/", trainings.project_edit, name="project_edit"),
    path("projects/<int:pk>/link/", trainings.project_link, name="project_link"),
    path(
        "projects/<int:pk>/unlink/<int:report_pk>/",
        trainings.project_unlink,
        name="project_unlink",
    ),
    # The figure check of a text (its address kept from when the statistics
    # pages held it).
    path("stats/figures/", writing.figure_check, name="stats_figures"),
]
