"""Beneficiary files, their spreadsheets, cases and report attendance under
/staff/ (DESIGN.md §6). None of these pages is public."""

from django.urls import include, path

from .views import attendance, cases, files, offline, sheets

app_name = "beneficiaries_staff"

# Under /staff/beneficiaries/.
file_patterns = [
    path("", files.file_list, name="beneficiaries"),
    path("new/", files.file_new, name="beneficiary_new"),
    path("overdue/", files.overdue_list, name="overdue"),
    # The phone's offline queue (beneficiaries/views/offline.py).
    path("visits/new/", offline.visit_quick, name="visit_quick"),
    path("offline/people/", offline.people, name="offline_people"),
    path("export/", sheets.export_masked, name="beneficiary_export"),
    path("export/full/", sheets.export_full, name="beneficiary_export_full"),
    path("import/", sheets.import_upload, name="beneficiary_import"),
    path(
        "import/template/", sheets.import_template, name="beneficiary_import_template"
    ),
    path("import/confirm/", sheets.import_confirm, name="beneficiary_import_confirm"),
    path("import/cancel/", sheets.import_cancel, name="beneficiary_import_cancel"),
    path("<int:pk>/", files.file_detail, name="beneficiary"),
    path("<int:pk>/full/", files.file_full, name="beneficiary_full"),
    path("<int:pk>/edit/", files.file_edit, name="beneficiary_edit"),
    path("<int:pk>/visits/new/", files.visit_new, name="beneficiary_visit_new"),
    path("<int:pk>/transfer/", files.file_transfer, name="beneficiary_transfer"),
    path("<int:pk>/status/", files.file_status, name="beneficiary_status"),
    path("<int:pk>/delete/", files.file_delete, name="beneficiary_delete"),
    path("<int:pk>/cases/new/", cases.case_new, name="case_new"),
]

# Under /staff/cases/.
case_patterns = [
    path("", cases.case_list, name="cases"),
    path("caseload/", cases.caseload, name="caseload"),
    path("<int:pk>/", cases.case_detail, name="case"),
    path("<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("<int:pk>/notes/new/", cases.case_note_new, name="case_note_new"),
    path("<int:pk>/referrals/new/", cases.referral_new, name="case_referral_new"),
    path("<int:pk>/close/", cases.case_close, name="case_close"),
]

urlpatterns = [
    path("beneficiaries/", include(file_patterns)),
    path("cases/", include(case_patterns)),
    path(
        "reports/<int:pk>/attendance/",
        attendance.report_attendance,
        name="report_attendance",
    ),
]
