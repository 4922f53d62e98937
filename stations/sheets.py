"""Reading an uploaded spreadsheet (.xlsx or .csv) into a tablib Dataset.

Every import of the portal reads its file here (the network's in
stations/imports.py, reports and beneficiary files in activities), so an
upload gets the same answers everywhere: the encodings Excel writes, blank
rows dropped, each row's line in the file kept for the messages, and a
ValidationError in Chinese for a file that cannot be read.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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
    if lowered.endswith(".xlsx"):
        records = _read_xlsx(data)
    elif lowered.endswith(".csv"):
        records = _read_csv(data)
    else:
        raise ValidationError(_("只支持 Excel（.xlsx）和 CSV（.csv）文件。"))
    records = [(n, row) for n, row in records if not all(_blank(cell) for cell in row)]
    if not records:
        raise ValidationError(_("文件是空的，没有列名也没有数据。"))
    _header_line, raw_headers = records[0]
    body = records[1:]
    headers = ["" if _blank(h) else str(h).strip() for h in raw_headers]
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
        dataset.append([_cell(padded[i]) for i in keep])
    dataset.line_numbers = [line for line, _row in body]
    return dataset


def _cell(value):
    if isinstance(value, str):
        return value.strip()
    return value
