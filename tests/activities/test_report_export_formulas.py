"""The report spreadsheet never carries a live formula: a title, subtitle, body
or partner typed as a formula is a text cell in the admin's .xlsx export and
starts with an apostrophe in its .csv; the export imports back (back-fill, and
the admin's import) with the same text; and the import template has no formula."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from activities import services
from activities.models import ActivityReport, Partner
from activities.resources import import_reports
from core.sheets import read_dataset
from tests.sheet_checks import (
    HYPERLINK,
    UNTRIMMED,
    assert_csv_is_neutralised,
    assert_xlsx_has_no_formulas,
    xlsx_cells,
)

pytestmark = pytest.mark.django_db
EXPORT_URL = "/admin/activities/activityreport/export/"
IMPORT_URL = "/admin/activities/activityreport/import/"
# The admin's formats, in the order it offers them.
FORMAT = {"xlsx": "0", "csv": "1"}
TYPED = {"title": HYPERLINK, "subtitle": "+1+1", "body": "-2+3"}


@pytest.fixture
def risky_reports(net, personas, kinds):
    """A report typed through the forms (trimmed), with a listed partner and a
    free one that start formulas, and one stored untrimmed."""
    partner = Partner.objects.create(name="=1+1")
    typed = services.report_create(
        report=ActivityReport(
            **TYPED,
            start_date=datetime.date(2023, 2, 25),
            kind=kinds["宣传"],
            person_times=21,
            other_partners="@SUM(A1)",
        ),
        unit=net.a1,
        by=personas.worker,
        partners=[partner],
    )
    untrimmed = services.report_create(
        report=ActivityReport(
            title=UNTRIMMED[0],
            subtitle=UNTRIMMED[1],
            start_date=datetime.date(2023, 2, 26),
            kind=kinds["宣传"],
            body="正文",
        ),
        unit=net.a1,
        by=personas.worker,
    )
    return typed, untrimmed


def _admin_export(client, fmt):
    form = client.get(EXPORT_URL).context["form"]
    fields = {name: "on" for name in form.fields if name.startswith("activity")}
    response = client.post(
        EXPORT_URL, {**fields, "format": FORMAT[fmt], "resource": "0"}
    )
    assert response.status_code == 200
    return response.content


def _text(report):
    return {
        "title": report.title,
        "subtitle": report.subtitle,
        "body": report.body,
        "other_partners": report.other_partners,
        "partners": [p.name for p in report.partners.all()],
        "person_times": report.person_times,
    }


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_admin_export_writes_typed_text_as_text(login, personas, risky_reports, fmt):
    content = _admin_export(login(personas.superuser), fmt)
    texts = [*TYPED.values(), "=1+1、@SUM(A1)", *UNTRIMMED]
    if fmt == "xlsx":
        assert_xlsx_has_no_formulas(content, texts)
        # Counts the portal writes stay numbers.
        assert 21 in [cell.value for _title, cell in xlsx_cells(content)]
    else:
        assert_csv_is_neutralised(content, texts)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_admin_export_back_fills_the_same_text(login, personas, risky_reports, fmt):
    typed, _untrimmed = risky_reports
    kept = _text(typed)
    content = _admin_export(login(personas.superuser), fmt)
    # The reports were lost and are back-filled from the export.
    ActivityReport.objects.all().delete()
    report = import_reports(
        read_dataset(f"back.{fmt}", content), user=personas.superuser, dry_run=False
    )
    assert report.ok, (report.file_errors, [r.errors for r in report.error_rows])
    assert _text(ActivityReport.objects.get(title=HYPERLINK)) == kept


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_admin_export_imports_back_through_the_admin(
    login, personas, risky_reports, fmt
):
    typed, _untrimmed = risky_reports
    kept = _text(typed)
    client = login(personas.superuser)
    content = _admin_export(client, fmt)
    ActivityReport.objects.all().delete()
    response = client.post(
        IMPORT_URL,
        {
            "import_file": SimpleUploadedFile(f"back.{fmt}", content),
            "format": FORMAT[fmt],
        },
    )
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context["result"].invalid_rows
    response = client.post(
        "/admin/activities/activityreport/process_import/",
        {
            name: confirm.initial[name]
            for name in confirm.fields
            if name in confirm.initial
        },
    )
    assert response.status_code == 302
    assert _text(ActivityReport.objects.get(title=HYPERLINK)) == kept


def test_import_template_has_no_formulas(login, personas, net):
    response = login(personas.reviewer).get("/staff/reports/import/template.xlsx")
    assert response.status_code == 200
    assert_xlsx_has_no_formulas(response.content)
