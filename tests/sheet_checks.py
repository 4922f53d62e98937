"""What every spreadsheet the portal writes must hold up to when a user has typed
a formula into a field (OWASP "CSV injection"): shared by the export tests of
the network, the reports, the beneficiary files and the statistics.

- In .xlsx, user text is a text cell (openpyxl data type "s"), never a formula,
  and reads back exactly as typed.
- In .csv, no cell starts with a character that makes Excel, WPS or LibreOffice
  start a formula: such text carries a leading apostrophe."""

import csv
import io

import openpyxl

# Each starts a formula, or is dropped by some programs before they look.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HYPERLINK = '=HYPERLINK("http://x","y")'
# What may reach the database by other ways, untrimmed.
UNTRIMMED = ["\t=1+1", "\r=1"]


def xlsx_cells(content: bytes):
    """(sheet title, cell) of every non-empty cell of every sheet."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        (sheet.title, cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_xlsx_has_no_formulas(content: bytes, texts=()) -> list:
    """No formula cell anywhere; each of ``texts`` is in some text cell, as typed.
    Returns the values of all cells."""
    cells = xlsx_cells(content)
    formulas = [
        (title, c.coordinate, c.value) for title, c in cells if c.data_type == "f"
    ]
    assert not formulas, formulas
    values = [c.value for _title, c in cells]
    strings = {c.value for _title, c in cells if c.data_type == "s"}
    for text in texts:
        assert text in strings, (text, values)
    return values


def csv_rows(content: bytes | str) -> list[list[str]]:
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def assert_csv_is_neutralised(content: bytes | str, texts=()) -> list[list[str]]:
    """No cell starts a formula; each of ``texts`` is in some cell behind one
    apostrophe. Returns the rows."""
    rows = csv_rows(content)
    risky = [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    assert not risky, risky
    cells = {cell for row in rows for cell in row}
    for text in texts:
        assert "'" + text in cells, (text, rows)
    return rows
