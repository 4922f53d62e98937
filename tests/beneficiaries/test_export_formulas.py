"""Beneficiary sheets never carry a live formula: what a worker typed into a file
(name, address, guardian, notes, phones) is a text cell in .xlsx and starts with
an apostrophe in .csv when it would start a formula, in the masked export, the
full export and the template; and a full export imported back gives the same
files (the apostrophe comes off again)."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from beneficiaries.models import Beneficiary
from tests.sheet_checks import (
    HYPERLINK,
    UNTRIMMED,
    assert_csv_is_neutralised,
    assert_xlsx_has_no_formulas,
    csv_rows,
)

pytestmark = pytest.mark.django_db

# Every text field of a file, each with a value that would start a formula.
TYPED_FIELDS = {
    "name": HYPERLINK,
    "address": "+1+1",
    "guardian_name": "-2+3",
    "guardian_relation": "@SUM(A1)",
    "notes": "=1+1",
}
PHONES = {"phone": "+86 138 1234 5678", "guardian_phone": "-0766-1234567"}
TEXT_FIELDS = [*TYPED_FIELDS, *PHONES]


@pytest.fixture
def risky_files(personas, net, make_file):
    """One file typed through a form (trimmed), one with a tab and a carriage
    return in front (as an older import or the shell may have stored)."""
    typed = make_file(personas.worker, net.a1, **TYPED_FIELDS, **PHONES)
    untrimmed = make_file(
        personas.worker,
        net.a1,
        name=UNTRIMMED[0],
        notes=UNTRIMMED[1],
        phone="",
        guardian_phone="",
    )
    return typed, untrimmed


def _full_export(client, station, fmt):
    response = client.post(
        "/staff/beneficiaries/export/full/",
        {"station": station.pk, "reason": "核对档案", "format": fmt},
    )
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_masked_export_writes_typed_text_as_text(login, personas, risky_files, fmt):
    response = login(personas.editor).get(f"/staff/beneficiaries/export/?format={fmt}")
    assert response.status_code == 200
    texts = [*TYPED_FIELDS.values(), *UNTRIMMED]
    if fmt == "xlsx":
        assert_xlsx_has_no_formulas(response.content, texts)
    else:
        assert_csv_is_neutralised(response.content, texts)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_full_export_writes_typed_text_and_phones_as_text(
    login, personas, net, risky_files, fmt
):
    content = _full_export(login(personas.worker), net.a1, fmt)
    texts = [*TYPED_FIELDS.values(), *PHONES.values(), *UNTRIMMED]
    if fmt == "xlsx":
        assert_xlsx_has_no_formulas(content, texts)
    else:
        assert_csv_is_neutralised(content, texts)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_template_has_no_formulas(login, personas, net, fmt):
    response = login(personas.worker).get(
        f"/staff/beneficiaries/import/template/?format={fmt}"
    )
    if fmt == "xlsx":
        assert_xlsx_has_no_formulas(response.content)
    else:
        assert_csv_is_neutralised(response.content)


def _import(client, name, content):
    response = client.post(
        "/staff/beneficiaries/import/", {"file": SimpleUploadedFile(name, content)}
    )
    report = response.context["report"]
    assert response.status_code == 200, (
        report and (report.file_errors, report.error_rows),
        response.context["form"].errors,
    )
    response = client.post(
        "/staff/beneficiaries/import/confirm/", {"token": response.context["token"]}
    )
    assert response.status_code == 302


def _values(file):
    names = ("id_number", "gender", "birth_date", "living_situation", "opened_on")
    values = {name: getattr(file, name) for name in (*names, *TEXT_FIELDS)}
    return values | {"categories": sorted(c.name for c in file.categories.all())}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_full_export_imports_back_unchanged(login, personas, net, make_file, fmt):
    typed = make_file(personas.worker, net.a1, **TYPED_FIELDS, **PHONES)
    client = login(personas.worker)
    content = _full_export(client, net.a1, fmt)
    kept = _values(typed)
    # The station lost its files and restores them from its last export.
    Beneficiary.objects.all().delete()
    _import(client, f"back.{fmt}", content)
    restored = Beneficiary.objects.get()
    assert _values(restored) == kept


def test_a_tab_before_a_formula_imports_as_text_and_exports_neutralised(
    login, personas, net
):
    # Some programs drop a leading tab before they look for a formula; the
    # import trims it like any other space, and the value stays text.
    out = io.StringIO()
    csv.writer(out).writerows(
        [
            ["姓名", "性别", "出生日期", "详细地址", "备注"],
            ["示例·王五", "男", "2015-01-02", *UNTRIMMED],
        ]
    )
    upload = out.getvalue().encode()
    client = login(personas.worker)
    _import(client, "tab.csv", upload)
    file = Beneficiary.objects.get()
    assert (file.address, file.notes) == ("=1+1", "=1")
    assert_xlsx_has_no_formulas(_full_export(client, net.a1, "xlsx"), ["=1+1", "=1"])
    rows = assert_csv_is_neutralised(
        _full_export(client, net.a1, "csv"), ["=1+1", "=1"]
    )
    assert len(rows) == 2


def test_an_apostrophe_the_user_typed_before_a_formula_survives(
    login, personas, net, make_file
):
    # Only the apostrophe the export adds comes off on import.
    make_file(personas.worker, net.a1, notes="'=1+1", address="'备注")
    client = login(personas.worker)
    content = _full_export(client, net.a1, "csv")
    header, row = csv_rows(content)
    assert dict(zip(header, row, strict=True))["备注"] == "''=1+1"
    Beneficiary.objects.all().delete()
    _import(client, "back.csv", content)
    file = Beneficiary.objects.get()
    assert (file.notes, file.address) == ("'=1+1", "'备注")


def test_xlsx_note_is_a_text_cell_and_dates_are_written_as_before(
    login, personas, net, make_file
):
    make_file(personas.worker, net.a1, notes="=1+1")
    content = _full_export(login(personas.worker), net.a1, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["备注"].value == "=1+1" and row["备注"].data_type == "s"
    assert row["出生日期"].value == "2014-05-06"


def test_a_control_character_typed_into_a_file_does_not_break_the_exports(
    login, personas, net, make_file
):
    make_file(personas.worker, net.a1, name="铃\x07声", notes="换页\x0c")
    response = login(personas.editor).get("/staff/beneficiaries/export/?format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert "铃声" in [cell.value for row in sheet.iter_rows() for cell in row]
    content = _full_export(login(personas.worker), net.a1, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert "换页" in [cell.value for row in sheet.iter_rows() for cell in row]
