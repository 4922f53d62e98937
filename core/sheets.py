"""Spreadsheets (.xlsx and .csv) in and out of the portal.

Reading: every import of the portal reads its file here (the network's in
stations/services/imports.py, the reports' in activities/resources/, the
beneficiary files' in beneficiaries/services/imports.py), so an upload gets the
same answers everywhere: the encodings Excel writes, blank rows dropped, each
row's line in the file kept for the messages, and a ValidationError in Chinese
for a file that cannot be read.

Writing: every sheet the portal hands out is written here too (``xlsx_bytes``,
``csv_text``, and ``SheetXLSX``/``SheetCSV`` for import-export and the admin),
so that text a user typed never runs as a formula when the file is opened
(OWASP's "CSV injection"). In .xlsx such text is a text cell, exactly as typed;
in .csv, where a cell has no type, text that would start a formula gets a
leading apostrophe, which the imports here take off again.
"""

from __future__ import annotations

import csv
import io
import warnings

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from tablib.formats._xlsx import XLSXFormat

# Excel, WPS and LibreOffice start a formula at "=", "+", "-" or "@", and some of
# them drop a leading tab or carriage return before they look.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What a spreadsheet program reads as "the rest is text".
TEXT_MARK = "'"
# The content types of the files written here, for the downloads.
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _starts_formula(text: str) -> bool:
    # Text that already starts with apostrophes before a formula gets one more,
    # so that taking one off on import gives back what was typed: "'=1" is
    # written "''=1" and read back as "'=1".
    return text.lstrip(TEXT_MARK).startswith(FORMULA_STARTS)


def mark_formula_text(value):
    """A .csv cell for ``value``: text that would start a formula behind an
    apostrophe. Numbers and dates the portal writes stay as they are (a negative
    count is a number, not something a user typed)."""
    if isinstance(value, str) and _starts_formula(value):
        return TEXT_MARK + value
    return value


def unmark_formula_text(value):
    """The value ``mark_formula_text`` was given: one apostrophe off, and only in
    front of what it marks."""
    if (
        isinstance(value, str)
        and value.startswith(TEXT_MARK)
        and _starts_formula(value[1:])
    ):
        return value[1:]
    return value


def _decode_csv(data: bytes) -> str:
    # Excel writes "CSV UTF-8" with a BOM and plain "CSV" on Chinese Windows in
    # GB18030 (a superset of GBK and GB2312).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("无法识别 CSV 文件的编码，请另存为“CSV UTF-8”。"))


def _read_csv(data: bytes) -> list[tuple[int, list]]:
    text = _decode_csv(data)
    if "\x00" in text:
        raise ValidationError(
            _("CSV 文件格式有误：文件中有无法识别的字符，可能不是 CSV 文件。")
        )
    try:
        return [
            (n, row) for n, row in enumerate(csv.reader(io.StringIO(text)), start=1)
        ]
    except csv.Error as exc:
        raise ValidationError(_("CSV 文件格式有误：%(e)s") % {"e": exc}) from exc


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise ValidationError(
            _("无法读取该 Excel 文件，请确认是 .xlsx 格式且没有损坏。")
        ) from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return []
        return [
            (n, list(values))
            for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except Exception as exc:
        raise ValidationError(
            _("无法读取该 Excel 文件，请确认是 .xlsx 格式且没有损坏。")
        ) from exc
    finally:
        book.close()


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


SHEET_SUFFIXES = (".xlsx", ".csv")


def check_sheet_name(name: str) -> None:
    """Refuse a file that is not .xlsx or .csv by its name, before it is kept for
    a background job (read_dataset says the same when it reads one)."""
    if not (name or "").lower().endswith(SHEET_SUFFIXES):
        raise ValidationError(_("只支持 Excel（.xlsx）和 CSV（.csv）文件。"))


def read_dataset(name: str, data: bytes) -> tablib.Dataset:
    """A dataset from an uploaded .xlsx or .csv, or a ValidationError in Chinese.

    Blank rows are dropped; ``dataset.line_numbers`` keeps each remaining row's line
    in the file, so messages point at the line the user sees in Excel."""
    lowered = (name or "").lower()
    marked = lowered.endswith(".csv")
    if lowered.endswith(".xlsx"):
        records = _read_xlsx(data)
    elif marked:
        records = _read_csv(data)
    else:
        raise ValidationError(_("只支持 Excel（.xlsx）和 CSV（.csv）文件。"))
    records = [(n, row) for n, row in records if not all(_blank(cell) for cell in row)]
    if not records:
        raise ValidationError(_("文件是空的，没有列名也没有数据。"))
    _header_line, raw_headers = records[0]
    body = records[1:]
    headers = ["" if _blank(h) else _cell(str(h), marked=marked) for h in raw_headers]
    # Columns without a name are dropped when they are empty; data in them is an error.
    keep = [i for i, h in enumerate(headers) if h]
    if not keep:
        raise ValidationError(_("文件第一行应为列名。"))
    for line, row in body:
        for i, cell in enumerate(row):
            if (i >= len(headers) or not headers[i]) and not _blank(cell):
                raise ValidationError(
                    _("第 %(line)d 行第 %(col)d 列有数据，但这一列没有列名。")
                    % {"line": line, "col": i + 1}
                )
    names = [headers[i] for i in keep]
    repeated = sorted({h for h in names if names.count(h) > 1})
    if repeated:
        raise ValidationError(_("列名重复：%(cols)s") % {"cols": "、".join(repeated)})
    if not body:
        raise ValidationError(_("文件中没有数据行。"))
    dataset = tablib.Dataset(headers=names)
    for _line, row in body:
        padded = list(row) + [None] * (len(headers) - len(row))
        dataset.append([_cell(padded[i], marked=marked) for i in keep])
    dataset.line_numbers = [line for line, _row in body]
    return dataset


def _cell(value, *, marked: bool):
    # A tab in front of "=" is trimmed like any other space, behind the export's
    # apostrophe too, and what is left stays text, which the exports write as
    # text. Only a .csv carries that apostrophe; in an .xlsx a leading apostrophe
    # is what was typed.
    if isinstance(value, str):
        value = value.strip()
        return unmark_formula_text(value).strip() if marked else value
    return value


def _each_cell(dataset: tablib.Dataset, change) -> tablib.Dataset:
    """A copy of ``dataset`` with ``change`` applied to every cell, the header
    row's included."""
    headers = dataset.headers
    copy = tablib.Dataset(
        headers=[change(h) for h in headers] if headers else None,
        title=dataset.title,
    )
    for row in dataset:
        copy.append([change(value) for value in row])
    return copy


def _unmarked(dataset: tablib.Dataset) -> tablib.Dataset:
    return _each_cell(dataset, unmark_formula_text)


# --- Writing ------------------------------------------------------------------------


class TextCellsXLSXFormat(XLSXFormat):
    """tablib's .xlsx writer, with every string a text cell: openpyxl makes a
    formula of a string that starts with "=" (and an error cell of "#N/A").
    Numbers and dates keep their types."""

    @classmethod
    def dset_sheet(cls, dataset, ws, freeze_panes=True, escape=False):
        # tablib's ``escape`` cuts the "=" off; the text is kept whole instead.
        super().dset_sheet(dataset, ws, freeze_panes=freeze_panes, escape=False)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"


def _storable(value):
    # The XML inside an .xlsx cannot hold most control characters; openpyxl
    # refuses the cell (IllegalCharacterError). A form takes a pasted BEL or
    # form feed without a word, so the writer drops them: they show as nothing
    # in a spreadsheet anyway.
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _storable_set(dataset: tablib.Dataset) -> tablib.Dataset:
    return _each_cell(dataset, _storable)


def xlsx_bytes(data: tablib.Dataset | tablib.Databook) -> bytes:
    """An .xlsx file of one sheet or a book of sheets, user text as text cells,
    control characters an .xlsx cannot hold dropped."""
    with warnings.catch_warnings():
        # openpyxl's own deprecation warnings (import-export silences them too).
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        if isinstance(data, tablib.Databook):
            book = tablib.Databook([_storable_set(sheet) for sheet in data.sheets()])
            return TextCellsXLSXFormat.export_book(book)
        return TextCellsXLSXFormat.export_set(_storable_set(data))


def csv_text(dataset: tablib.Dataset) -> str:
    """A .csv of ``dataset``, text that would start a formula behind an
    apostrophe (in the header row too: the readers take it off there as well)."""
    return _each_cell(dataset, mark_formula_text).export("csv")


class SheetXLSX(base_formats.XLSX):
    """import-export's .xlsx (the admin's import and export), written as above;
    read as import-export reads it, since an .xlsx carries no marks."""

    def export_data(self, dataset, **kwargs):
        return xlsx_bytes(dataset)


class SheetCSV(base_formats.CSV):
    """import-export's .csv (the admin's import and export), written and read
    as above."""

    def export_data(self, dataset, **kwargs):
        return csv_text(dataset)

    def create_dataset(self, in_stream, **kwargs):
        return _unmarked(super().create_dataset(in_stream, **kwargs))


# The formats the admin offers, in the order of settings.IMPORT_EXPORT_FORMATS.
SHEET_FORMATS = [SheetXLSX, SheetCSV]
