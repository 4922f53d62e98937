"""Loading the administrative divisions (cities, counties, towns) from a file
shaped like ../shared/data/yunfu_divisions.csv: all or nothing, idempotent, and
with every problem reported against its line."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.sheets import unmark_formula_text

from ..models import City, County, Town

DIVISION_COLUMNS = [
    "province",
    "city",
    "city_code",
    "county",
    "county_code",
    "county_kind",
    "county_short",
    "county_order",
    "town",
    "town_kind",
    "town_order",
]
# The Chinese header of each column, as the import template writes it. Files may use
# either the English names (../shared/data/yunfu_divisions.csv) or these.
DIVISION_HEADERS = {
    "province": "省",
    "city": "市",
    "city_code": "市行政区划代码",
    "county": "县（市、区）",
    "county_code": "县行政区划代码",
    "county_kind": "县级类型",
    "county_short": "县简称",
    "county_order": "县显示顺序",
    "town": "镇（街道）",
    "town_kind": "镇级类型",
    "town_order": "镇显示顺序",
}
_DIVISION_KEYS = {label: key for key, label in DIVISION_HEADERS.items()} | {
    key: key for key in DIVISION_COLUMNS
}
_STATUS_RANK = {"skip": 0, "update": 1, "new": 2}


@dataclass
class DivisionsResult:
    created: dict = field(default_factory=lambda: {"city": 0, "county": 0, "town": 0})
    updated: dict = field(default_factory=lambda: {"city": 0, "county": 0, "town": 0})
    unchanged: dict = field(default_factory=lambda: {"city": 0, "county": 0, "town": 0})
    errors: list = field(default_factory=list)  # (line number, message)
    # Per line: "new", "update" or "skip", the most a line did to its city, county
    # and town. Filled only for a run without errors.
    line_status: dict = field(default_factory=dict)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def summary(self) -> str:
        parts = []
        for key, label in (
            ("city", _("市")),
            ("county", _("县（市、区）")),
            ("town", _("镇（街道）")),
        ):
            parts.append(
                _("%(label)s：新增 %(c)d，更新 %(u)d，未变 %(n)d")
                % {
                    "label": label,
                    "c": self.created[key],
                    "u": self.updated[key],
                    "n": self.unchanged[key],
                }
            )
        text = "；".join(parts)
        if self.ok and not self.changed:
            text += _("（数据已是最新，没有改动）")
        return text


def _division_label(column: str) -> str:
    return f"{DIVISION_HEADERS[column]}（{column}）"


def divisions_rows(headers, rows) -> list[dict]:
    """Rows keyed by the English column names, whichever header set the file used.
    A missing column is a ValidationError naming it in Chinese."""
    keys = [_DIVISION_KEYS.get(str(h or "").strip(), "") for h in headers]
    missing = [_division_label(c) for c in DIVISION_COLUMNS if c not in keys]
    if missing:
        raise ValidationError(_("缺少列：%(cols)s") % {"cols": "、".join(missing)})
    result = []
    for values in rows:
        row = {}
        for key, value in zip(keys, values, strict=False):
            if key and key not in row:
                row[key] = "" if value is None else str(value)
        result.append(row)
    return result


def divisions_read_csv(data: bytes | str) -> list[dict]:
    """Rows of a divisions file as dicts keyed by the English column names. UTF-8
    with or without a BOM (as Excel writes "CSV UTF-8") and GB18030 (as Excel on
    Chinese Windows writes plain "CSV") are both read."""
    if isinstance(data, bytes):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                data = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(
                _("无法识别文件的编码，请在 Excel 中另存为“CSV UTF-8”。")
            )
    try:
        # Without the apostrophe a .csv export puts before text that would start
        # a formula (core/sheets.py), as every import of the portal reads it.
        records = [
            [unmark_formula_text(cell) for cell in record]
            for record in csv.reader(io.StringIO(data))
        ]
    except csv.Error as exc:
        raise ValidationError(_("CSV 文件格式有误：%(e)s") % {"e": exc}) from exc
    if not any(any(cell.strip() for cell in record) for record in records):
        raise ValidationError(_("文件是空的。"))
    # Blank lines stay as empty rows so that a row's place is its line in the file;
    # divisions_load() passes over them.
    return divisions_rows(records[0], records[1:])


def _upsert(model, lookup: dict, values: dict, result: DivisionsResult, key: str):
    """Create or update one row; returns it and "new", "update" or "skip"."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        result.created[key] += 1
        return obj, "new"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save(update_fields=changed)
        result.updated[key] += 1
        return obj, "update"
    result.unchanged[key] += 1
    return obj, "skip"


def _validate_division_row(row: dict) -> list[str]:
    errors = []
    for column in DIVISION_COLUMNS:
        if not (row.get(column) or "").strip():
            errors.append(_("“%(col)s”不能为空") % {"col": _division_label(column)})
    if errors:
        return errors
    for column in ("city_code", "county_code"):
        if not (row[column].isdigit() and len(row[column]) == 6):
            errors.append(
                _("“%(col)s”应为 6 位数字，而不是“%(v)s”")
                % {"col": _division_label(column), "v": row[column]}
            )
    for column in ("county_order", "town_order"):
        if not row[column].isdigit():
            errors.append(
                _("“%(col)s”应为正整数，而不是“%(v)s”")
                % {"col": _division_label(column), "v": row[column]}
            )
    if row["county_kind"] not in County.Kind.values:
        errors.append(
            _("县级类型“%(v)s”无效，应为：%(ok)s")
            % {"v": row["county_kind"], "ok": "、".join(County.Kind.values)}
        )
    if row["town_kind"] not in Town.Kind.values:
        errors.append(
            _("镇级类型“%(v)s”无效，应为：%(ok)s")
            % {"v": row["town_kind"], "ok": "、".join(Town.Kind.values)}
        )
    return errors


def _scope_problem(row: dict, city_codes) -> str | None:
    """Why a row lies outside the cities the importing user edits, or None."""
    if row["city_code"] not in city_codes:
        return _("市“%(city)s”（%(code)s）不在您的管理范围内") % {
            "city": row["city"],
            "code": row["city_code"],
        }
    existing = (
        County.objects.filter(code=row["county_code"])
        .values_list("city__code", flat=True)
        .first()
    )
    if existing is not None and existing not in city_codes:
        # Listing another city's county under one's own city would move it.
        return _("县（市、区）%(code)s 属于其他市，不在您的管理范围内") % {
            "code": row["county_code"]
        }
    return None


def divisions_load(
    *, rows: list[dict], dry_run: bool = False, city_codes=None, line_numbers=None
) -> DivisionsResult:
    """Create or update cities, counties and towns from rows shaped like
    ../shared/data/yunfu_divisions.csv. Idempotent: a second run changes nothing.
    All or nothing: with any bad row, nothing is written. ``city_codes``, when
    given, are the only cities the rows may touch (a city editor's own).
    ``line_numbers`` are the rows' lines in the file; by default the row after
    the header is line 2. Blank rows are passed over."""
    if line_numbers is None:
        line_numbers = range(2, len(rows) + 2)  # line 1 is the header
    result = DivisionsResult()
    cleaned = []
    for line, raw in zip(line_numbers, rows, strict=True):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        result.rows += 1
        problems = _validate_division_row(row)
        if not problems and city_codes is not None:
            problem = _scope_problem(row, set(city_codes))
            if problem:
                problems.append(problem)
        if problems:
            result.errors.append((line, "；".join(problems)))
        else:
            cleaned.append((line, row))
    if result.errors:
        return result

    # A city or county repeats on every town row; its columns must agree.
    first_seen: dict[tuple, tuple[int, tuple]] = {}
    seen_towns: dict[tuple, int] = {}
    for line, row in cleaned:
        for level, key, values in (
            ("city", row["city_code"], (row["province"], row["city"])),
            (
                "county",
                row["county_code"],
                (
                    row["city_code"],
                    row["county"],
                    row["county_kind"],
                    row["county_short"],
                    row["county_order"],
                ),
            ),
        ):
            seen = first_seen.setdefault((level, key), (line, values))
            if seen[1] != values:
                result.errors.append(
                    (
                        line,
                        _("%(level)s %(code)s 的信息与第 %(n)d 行不一致")
                        % {
                            "level": _("市") if level == "city" else _("县（市、区）"),
                            "code": key,
                            "n": seen[0],
                        },
                    )
                )
        town_key = (row["county_code"], row["town"])
        if town_key in seen_towns:
            result.errors.append(
                (
                    line,
                    _("镇（街道）“%(t)s”与第 %(n)d 行重复")
                    % {"t": row["town"], "n": seen_towns[town_key]},
                )
            )
        else:
            seen_towns[town_key] = line
    if result.errors:
        return result

    try:
        with transaction.atomic():
            cities: dict[str, City] = {}
            counties: dict[str, County] = {}
            for line, row in cleaned:
                statuses = []
                try:
                    # A city or county repeats on every town row: write it once.
                    city = cities.get(row["city_code"])
                    if city is None:
                        city, status = _upsert(
                            City,
                            {"code": row["city_code"]},
                            {"name": row["city"], "province": row["province"]},
                            result,
                            "city",
                        )
                        cities[row["city_code"]] = city
                        statuses.append(status)
                    county = counties.get(row["county_code"])
                    if county is None:
                        county, status = _upsert(
                            County,
                            {"code": row["county_code"]},
                            {
                                "city": city,
                                "name": row["county"],
                                "kind": row["county_kind"],
                                "short_name": row["county_short"],
                                "display_order": int(row["county_order"]),
                            },
                            result,
                            "county",
                        )
                        counties[row["county_code"]] = county
                        statuses.append(status)
                    _town, status = _upsert(
                        Town,
                        {"county": county, "name": row["town"]},
                        {
                            "kind": row["town_kind"],
                            "display_order": int(row["town_order"]),
                        },
                        result,
                        "town",
                    )
                    statuses.append(status)
                    result.line_status[line] = max(
                        statuses, key=_STATUS_RANK.__getitem__
                    )
                except ValidationError as exc:
                    result.errors.append((line, "；".join(exc.messages)))
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if result.errors:
        result.line_status = {}
    return result


class _Rollback(Exception):
    """Raised inside the atomic block to undo a dry run or a run with errors."""
