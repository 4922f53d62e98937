"""Beneficiary files, their spreadsheets, cases and report attendance under
/staff/ (DESIGN.md §6). None of these pages is public."""

from django.urls import path

from ..views import attendance, beneficiaries, beneficiary_io, cases

urlpatterns = [
    path("beneficiaries/", beneficiaries.file_list, name="beneficiaries"),
    path("beneficiaries/new/", beneficiaries.file_new, name="beneficiary_new"),
    path("beneficiaries/overdue/", beneficiaries.overdue_list, name="overdue"),
    path(
        "beneficiaries/export/",
        beneficiary_io.export_masked,
        name="beneficiary_export",
    ),
    path(
        "beneficiaries/export/full/",
        beneficiary_io.export_full,
        name="beneficiary_export_full",
    ),
    path(
        "beneficiaries/import/",
        beneficiary_io.import_upload,
        name="beneficiary_import",
    ),
    path(
        "beneficiaries/import/template/",
        beneficiary_io.import_template,
        name="beneficiary_import_template",
    ),
    path(
        "beneficiaries/import/confirm/",
        beneficiary_io.import_confirm,
        name="beneficiary_import_confirm",
    ),
    path(
        "beneficiaries/import/cancel/",
        beneficiary_io.import_cancel,
        name="beneficiary_import_cancel",
    ),
    path("beneficiaries/<int:pk>/", beneficiaries.file_detail, name="beneficiary"),
    path(
        "beneficiaries/<int:pk>/full/",
        beneficiaries.file_full,
        name="beneficiary_full",
    ),
    path(
        "beneficiaries/<int:pk>/edit/",
        beneficiaries.file_edit,
        name="beneficiary_edit",
    ),
    path(
        "beneficiaries/<int:pk>/visits/new/",
        beneficiaries.visit_new,
        name="beneficiary_visit_new",
    ),
    path(
        "beneficiaries/<int:pk>/transfer/",
        beneficiaries.file_transfer,
        name="beneficiary_transfer",
    ),
    path(
        "beneficiaries/<int:pk>/status/",
        beneficiaries.file_status,
        name="beneficiary_status",
    ),
    path(
        "beneficiaries/<int:pk>/delete/",
        beneficiaries.file_delete,
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
