"""Beneficiary files, their spreadsheets, cases and report attendance under
/staff/ (DESIGN.md §6). None of these pages is public."""

from django.urls import path

from .views import attendance, cases, files, sheets

app_name = "beneficiaries_staff"

urlpatterns = [
    path("beneficiaries/", files.file_list, name="beneficiaries"),
    path("beneficiaries/new/", files.file_new, name="beneficiary_new"),
    path("beneficiaries/overdue/", files.overdue_list, name="overdue"),
    path(
        "beneficiaries/export/",
        sheets.export_masked,
        name="beneficiary_export",
    ),
    path(
        "beneficiaries/export/full/",
        sheets.export_full,
        name="beneficiary_export_full",
    ),
    path(
        "beneficiaries/import/",
        sheets.import_upload,
        name="beneficiary_import",
    ),
    path(
        "beneficiaries/import/template/",
        sheets.import_template,
        name="beneficiary_import_template",
    ),
    path(
        "beneficiaries/import/confirm/",
        sheets.import_confirm,
        name="beneficiary_import_confirm",
    ),
    path(
        "beneficiaries/import/cancel/",
        sheets.import_cancel,
        name="beneficiary_import_cancel",
    ),
    path("beneficiaries/<int:pk>/", files.file_detail, name="beneficiary"),
    path(
        "beneficiaries/<int:pk>/full/",
        files.file_full,
        name="beneficiary_full",
    ),
    path(
        "beneficiaries/<int:pk>/edit/",
        files.file_edit,
        name="beneficiary_edit",
    ),
    path(
        "beneficiaries/<int:pk>/visits/new/",
        files.visit_new,
        name="beneficiary_visit_new",
    ),
    path(
        "beneficiaries/<int:pk>/transfer/",
        files.file_transfer,
        name="beneficiary_transfer",
    ),
    path(
        "beneficiaries/<int:pk>/status/",
        files.file_status,
        name="beneficiary_status",
    ),
    path(
        "beneficiaries/<int:pk>/delete/",
        files.file_delete,
        name="beneficiary_delete",
    ),
    path("beneficiaries/<int:pk>/cases/new/", cases.case_new, name="case_new"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/caseload/", cases.caseload, name="caseload"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:pk>/notes/new/", cases.case_note_new, name="case_note_new"),
    path("cases/<int:pk>/referrals/new/", cases.referral_new, name="case_referral_new"),
    path("cases/<int:pk>/close/", cases.case_close, name="case_close"),
    path(
        "reports/<int:pk>/attendance/",
        attendance.report_attendance,
        name="report_attendance",
    ),
]
