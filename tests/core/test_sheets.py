"""The cells of the portal's sheets (core/sheets.py): text that would start a
formula is a text cell in .xlsx and carries one apostrophe in .csv, numbers and
dates keep their types, and the readers give back exactly what was written."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib

from core.sheets import (
    SheetCSV,
    SheetXLSX,
    csv_text,
    mark_formula_text,
    read_dataset,
    unmark_formula_text,
    xlsx_bytes,
)
from stations.services import divisions_read_csv
from stations.services.divisions import DIVISION_COLUMNS
from tests.sheet_checks import HYPERLINK, UNTRIMMED, csv_rows

RISKY = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1)", *UNTRIMMED]
PLAIN = ["", "东村", "1+1", "a=b", "'", "'备注", "x'=1", " =1"]
# What a user may have typed with an apostrophe of their own in front.
QUOTED = ["'=1+1", "''-2", "'\t=1"]


@pytest.mark.parametrize("text", RISKY)
def test_text_that_starts_a_formula_gets_one_apostrophe(text):
    assert mark_formula_text(text) == "'" + text
    assert unmark_formula_text("'" + text) == text


@pytest.mark.parametrize("text", PLAIN)
def test_other_text_is_left_alone(text):
    assert mark_formula_text(text) == text
    assert unmark_formula_text(text) == text


@pytest.mark.parametrize("text", QUOTED)
def test_an_apostrophe_the_user_typed_survives_the_round_trip(text):
    assert mark_formula_text(text) == "'" + text
    assert unmark_formula_text(mark_formula_text(text)) == text


@pytest.mark.parametrize(
    "value", [-5, -1.5, Decimal("-0.5"), datetime.date(2023, 1, 2), None, True]
)
def test_numbers_and_dates_are_not_marked(value):
    assert mark_formula_text(value) is value
    assert unmark_formula_text(value) is value


def _dataset():
    data = tablib.Dataset(headers=["文本", "数", "日期"])
    for text in [*RISKY, *PLAIN, *QUOTED]:
        data.append([text, -3, datetime.date(2023, 1, 2)])
    return data


def test_xlsx_has_text_cells_and_keeps_numbers_and_dates():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(_dataset()))).active
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[0].value or "" for row in rows] == [*RISKY, *PLAIN, *QUOTED]
    assert {row[0].data_type for row in rows if row[0].value} == {"s"}
    assert {(row[1].value, row[1].data_type) for row in rows} == {(-3, "n")}
    assert {row[2].data_type for row in rows} == {"d"}


def test_a_book_of_sheets_has_text_cells_too():
    book = tablib.Databook()
    for title in ("一", "二"):
        sheet = _dataset()
        sheet.title = title
        book.add_sheet(sheet)
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(book)))
    assert workbook.sheetnames == ["一", "二"]
    kinds = {c.data_type for ws in workbook for row in ws.iter_rows() for c in row}
    assert "f" not in kinds


def test_csv_marks_text_and_not_numbers():
    rows = csv_rows(csv_text(_dataset()))
    texts = [row[0] for row in rows[1:]]
    assert texts[: len(RISKY)] == ["'" + t for t in RISKY]
    assert {row[1] for row in rows[1:]} == {"-3"}  # a number the portal wrote


@pytest.mark.parametrize("name", ["back.csv", "back.xlsx"])
def test_read_dataset_gives_back_what_was_written(name):
    data = _dataset()
    content = xlsx_bytes(data) if name.endswith("xlsx") else csv_text(data).encode()
    texts = list(read_dataset(name, content)["文本"])
    # The import trims, as everywhere: a tab or a carriage return in front goes.
    expected = [t.strip() for t in [*RISKY, *PLAIN, *QUOTED] if t.strip()]
    assert [t for t in texts if t] == expected


def test_an_apostrophe_typed_in_an_xlsx_is_kept():
    # Only a .csv carries the export's apostrophe; in an .xlsx it was typed.
    data = tablib.Dataset(["'=1+1"], headers=["备注"])
    assert read_dataset("f.xlsx", xlsx_bytes(data))["备注"] == ["'=1+1"]
    assert read_dataset("f.csv", "备注\n'=1+1\n".encode())["备注"] == ["=1+1"]


def test_admin_formats_write_and_read_the_same():
    data = _dataset()
    back = SheetCSV(encoding="utf-8").create_dataset(SheetCSV().export_data(data))
    assert list(back["文本"]) == [*RISKY, *PLAIN, *QUOTED]
    back = SheetXLSX().create_dataset(SheetXLSX().export_data(data))
    assert [t or "" for t in back["文本"]] == [*RISKY, *PLAIN, *QUOTED]


def test_control_characters_an_xlsx_cannot_hold_are_dropped_not_a_failure():
    data = tablib.Dataset(["铃\x07声\x0c"], ["=1\x1b"], headers=["备注\x01"])
    for content in (SheetXLSX().export_data(data), xlsx_bytes(data)):
        back = read_dataset("f.xlsx", content)
        assert back.headers == ["备注"]
        assert list(back["备注"]) == ["铃声", "=1"]
    book = tablib.Databook([data])
    assert read_dataset("f.xlsx", xlsx_bytes(book))["备注"] == ["铃声", "=1"]


def test_divisions_file_loses_the_export_apostrophe():
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DIVISION_COLUMNS)
    writer.writeheader()
    for short in ("'+1+1", "'备注"):
        writer.writerow(
            {column: "x" for column in DIVISION_COLUMNS} | {"county_short": short}
        )
    rows = divisions_read_csv(out.getvalue().encode())
    assert [row["county_short"] for row in rows] == ["+1+1", "'备注"]
