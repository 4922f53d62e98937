"""Report pages under /staff/: the list, filing and editing, the report page and
its workflow actions, and the review queue."""

from django.urls import path

from ..views import report_import, reports

urlpatterns = [
    path("reports/", reports.report_list, name="reports"),
    path("reports/new/", reports.report_new, name="report_new"),
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
]
