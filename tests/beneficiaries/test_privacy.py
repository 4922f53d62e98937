"""No ID number or phone appears unmasked in any list, export, audit row or log
line; the full values appear only on the file page, to the keeping station,
after an explicit action that writes a view_full audit row."""

import io
import logging

import openpyxl
import pytest

from beneficiaries.models import Beneficiary
from beneficiaries.services import files as services
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def secrets(file_a1):
    """The unmasked values of file_a1 and their masks."""
    b = Beneficiary.objects.get(pk=file_a1.pk)
    full = [b.id_number, b.phone, b.guardian_phone]
    masked = [b.id_number_masked, b.phone_masked, b.guardian_phone_masked]
    assert all(full) and all(masked)
    return full, masked


def _assert_masked(text, secrets):
    full, _masked = secrets
    for value in full:
        assert value not in text


def _sheet_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        "\t".join("" if c is None else str(c) for c in row)
        for row in book.worksheets[0].iter_rows(values_only=True)
    )


def _busy(personas, file_a1, case_a1):
    """Some history on the file, so every list has something to show."""
    services.visit_add(
        beneficiary=file_a1, by=personas.worker, kind="home", date=file_a1.opened_on
    )


LISTS = [
    "/staff/beneficiaries/",
    "/staff/beneficiaries/?status=",
    "/staff/beneficiaries/overdue/",
    "/staff/cases/",
    "/staff/cases/caseload/",
]


@pytest.mark.parametrize(
    "persona", ["worker", "head", "reviewer", "editor", "superuser"]
)
def test_lists_show_masked_numbers_only(
    login, personas, file_a1, case_a1, secrets, persona
):
    _busy(personas, file_a1, case_a1)
    client = login(getattr(personas, persona))
    page = client.get("/staff/beneficiaries/").content.decode()
    _full, masked = secrets
    assert masked[0] in page and masked[1] in page
    for url in LISTS:
        _assert_masked(client.get(url).content.decode(), secrets)


@pytest.mark.parametrize("persona", ["worker", "reviewer", "editor", "superuser"])
def test_file_and_case_pages_are_masked_until_asked(
    login, personas, file_a1, case_a1, secrets, persona
):
    client = login(getattr(personas, persona))
    page = client.get(f"/staff/beneficiaries/{file_a1.pk}/").content.decode()
    _assert_masked(page, secrets)
    assert secrets[1][0] in page
    _assert_masked(client.get(f"/staff/cases/{case_a1.pk}/").content.decode(), secrets)


def test_edit_form_never_fills_the_numbers_back_in(login, personas, file_a1, secrets):
    page = login(personas.worker).get(f"/staff/beneficiaries/{file_a1.pk}/edit/")
    html = page.content.decode()
    _assert_masked(html, secrets)
    assert secrets[1][0] in html  # as the placeholder


def test_edit_with_blank_numbers_keeps_them(login, personas, file_a1, secrets):
    response = login(personas.worker).post(
        f"/staff/beneficiaries/{file_a1.pk}/edit/",
        {
            "name": file_a1.name,
            "gender": "男",
            "opened_on": "2023-01-10",
            "address": "示例路 2 号",
            "categories": [c.pk for c in file_a1.categories.all()],
        },
    )
    assert response.status_code == 302
    b = Beneficiary.objects.get(pk=file_a1.pk)
    assert [b.id_number, b.phone, b.guardian_phone] == secrets[0]
    assert b.address == "示例路 2 号"


def test_viewing_a_file_writes_a_view_row(login, personas, file_a1):
    login(personas.reviewer).get(
        f"/staff/beneficiaries/{file_a1.pk}/", REMOTE_ADDR="10.9.8.7"
    )
    row = AuditEntry.objects.filter(action="view").latest("pk")
    assert row.username == personas.reviewer.username
    assert row.target_type == "beneficiaries.beneficiary"
    assert row.target_id == str(file_a1.pk)
    assert row.ip == "10.9.8.7"


def test_viewing_a_case_writes_a_view_row(login, personas, case_a1):
    login(personas.editor).get(f"/staff/cases/{case_a1.pk}/")
    row = AuditEntry.objects.filter(action="view").latest("pk")
    assert (row.username, row.target_type) == (
        personas.editor.username,
        "beneficiaries.case",
    )


def test_full_view_is_for_the_station_and_writes_a_view_full_row(
    login, personas, file_a1, secrets
):
    client = login(personas.worker)
    response = client.post(f"/staff/beneficiaries/{file_a1.pk}/full/")
    html = response.content.decode()
    for value in secrets[0]:
        assert value in html
    row = AuditEntry.objects.get(action="view_full")
    assert row.username == personas.worker.username
    assert row.target_id == str(file_a1.pk)
    _assert_masked(row.target_label + row.detail, secrets)
    # A GET shows nothing and logs nothing.
    assert client.get(f"/staff/beneficiaries/{file_a1.pk}/full/").status_code == 405
    # Readers outside the station never get the full values.
    for persona in ("reviewer", "editor", "superuser", "supervisor"):
        other = login(getattr(personas, persona))
        assert other.post(f"/staff/beneficiaries/{file_a1.pk}/full/").status_code == 404
    assert AuditEntry.objects.filter(action="view_full").count() == 1


def test_masked_export_is_masked_and_logged(login, personas, file_a1, secrets):
    response = login(personas.editor).get("/staff/beneficiaries/export/")
    assert response.status_code == 200
    text = _sheet_text(response.content)
    assert file_a1.name in text
    _assert_masked(text, secrets)
    assert secrets[1][0] in text
    row = AuditEntry.objects.get(action="export")
    assert row.username == personas.editor.username
    assert "1" in row.detail


def test_masked_csv_export_is_masked(login, personas, file_a1, secrets):
    response = login(personas.worker).get("/staff/beneficiaries/export/?format=csv")
    text = response.content.decode("utf-8-sig")
    assert file_a1.name in text
    _assert_masked(text, secrets)


def test_unmasked_export_needs_a_reason_and_is_logged(
    login, personas, file_a1, secrets
):
    client = login(personas.worker)
    refused = client.post(
        "/staff/beneficiaries/export/full/",
        {"station": file_a1.station_id, "reason": ""},
    )
    assert refused.status_code == 400
    assert "请写明原因" in refused.content.decode()
    assert not AuditEntry.objects.filter(action="export_full").exists()
    response = client.post(
        "/staff/beneficiaries/export/full/",
        {
            "station": file_a1.station_id,
            "reason": "报送街道核对低保名单",
            "format": "xlsx",
        },
    )
    assert response.status_code == 200
    text = _sheet_text(response.content)
    for value in secrets[0]:
        assert value in text
    row = AuditEntry.objects.get(action="export_full")
    assert row.reason == "报送街道核对低保名单"
    _assert_masked(row.target_label + row.detail, secrets)


def test_unmasked_export_of_another_station_is_refused(
    login, personas, file_a1, file_a2
):
    response = login(personas.worker).post(
        "/staff/beneficiaries/export/full/",
        {"station": file_a2.station_id, "reason": "想看看别站的"},
    )
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="export_full").exists()


def test_no_audit_row_ever_holds_a_full_number(
    login, personas, net, file_a1, case_a1, secrets
):
    client = login(personas.worker)
    client.get(f"/staff/beneficiaries/{file_a1.pk}/")
    client.post(f"/staff/beneficiaries/{file_a1.pk}/full/")
    client.get("/staff/beneficiaries/export/")
    client.post(
        "/staff/beneficiaries/export/full/",
        {"station": file_a1.station_id, "reason": "核对名单用途", "format": "csv"},
    )
    client.post(
        f"/staff/cases/{case_a1.pk}/notes/new/", {"date": "2023-03-01", "text": "面谈"}
    )
    assert AuditEntry.objects.count() >= 6
    for row in AuditEntry.objects.all():
        _assert_masked(" ".join([row.target_label, row.detail, row.reason]), secrets)


def test_no_log_line_holds_a_full_number(
    login, personas, net, file_a1, case_a1, secrets, caplog
):
    caplog.set_level(logging.DEBUG)
    client = login(personas.worker)
    pages = [
        f"/staff/beneficiaries/{file_a1.pk}/",
        "/staff/beneficiaries/",
        "/staff/beneficiaries/overdue/",
        f"/staff/cases/{case_a1.pk}/",
        "/staff/beneficiaries/export/",
        f"/staff/beneficiaries/{file_a1.pk + 999}/",  # a 404 is logged as a warning
    ]
    for url in pages:
        client.get(url)
    client.post(f"/staff/beneficiaries/{file_a1.pk}/full/")
    # A refused create with a duplicate ID number: the error is logged nowhere.
    client.post(
        "/staff/beneficiaries/new/",
        {"name": "示例·重复", "id_number": secrets[0][0], "opened_on": "2023-01-10"},
    )
    assert caplog.records  # the 404 at least
    text = "\n".join(r.getMessage() for r in caplog.records)
    _assert_masked(text, secrets)
