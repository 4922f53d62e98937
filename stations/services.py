"""Writes to the station network. Views, commands and imports call these; none
of them saves an org object behind their back."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import permissions
from .models import City, County, Role, RoleAssignment, ServicePoint, SocialWorker, Station, Town

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


@dataclass
class DivisionsResult:
    created: dict = field(default_factory=lambda: {"city": 0, "county": 0, "town": 0})
    updated: dict = field(default_factory=lambda: {"city": 0, "county": 0, "town": 0})
    unchanged: dict = field(default_factory=lambda: {"city": 0, "county": 0, "town": 0})
    errors: list = field(default_factory=list)  # (line number, message)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        parts = []
        for key, label in (("city", _("市")), ("county", _("县（市、区）")), ("town", _("镇（街道）"))):
            parts.append(
                _("%(label)s：新增 %(c)d，更新 %(u)d，未变 %(n)d")
                % {
                    "label": label,
                    "c": self.created[key],
                    "u": self.updated[key],
                    "n": self.unchanged[key],
                }
            )
        return "；".join(parts)


def divisions_read_csv(data: bytes | str) -> list[dict]:
    """Rows of a divisions file as dicts; a UTF-8 BOM (as Excel writes) is fine."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("文件不是 UTF-8 编码的 CSV，请在 Excel 中另存为“CSV UTF-8”。")) from exc
    reader = csv.DictReader(io.StringIO(data))
    missing = [c for c in DIVISION_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(_("缺少列：%(cols)s") % {"cols": "、".join(missing)})
    return list(reader)


def _upsert(model, lookup: dict, values: dict, result: DivisionsResult, key: str):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        result.created[key] += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save(update_fields=changed)
        result.updated[key] += 1
    else:
        result.unchanged[key] += 1
    return obj


def _validate_division_row(row: dict) -> list[str]:
    errors = []
    for column in DIVISION_COLUMNS:
        if not (row.get(column) or "").strip():
            errors.append(_("“%(col)s”不能为空") % {"col": column})
    if errors:
        return errors
    for column in ("city_code", "county_code"):
        if not (row[column].isdigit() and len(row[column]) == 6):
            errors.append(_("“%(col)s”应为 6 位数字") % {"col": column})
    for column in ("county_order", "town_order"):
        if not row[column].isdigit():
            errors.append(_("“%(col)s”应为正整数") % {"col": column})
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


def divisions_load(*, rows: list[dict], dry_run: bool = False) -> DivisionsResult:
    """Create or update cities, counties and towns from rows shaped like
    ../shared/data/yunfu_divisions.csv. Idempotent: a second run changes nothing.
    All or nothing: with any bad row, nothing is written."""
    result = DivisionsResult(rows=len(rows))
    cleaned = []
    for line, raw in enumerate(rows, start=2):  # line 1 is the header
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        problems = _validate_division_row(row)
        if problems:
            result.errors.append((line, "；".join(problems)))
        else:
            cleaned.append((line, row))
    if result.errors:
        return result

    try:
        with transaction.atomic():
            cities: dict[str, City] = {}
            counties: dict[str, County] = {}
            seen_towns = set()
            for line, row in cleaned:
                if (row["county_code"], row["town"]) in seen_towns:
                    result.errors.append((line, _("镇（街道）“%(t)s”重复") % {"t": row["town"]}))
                    continue
                seen_towns.add((row["county_code"], row["town"]))
                try:
                    # A city or county repeats on every town row: write it once.
                    city = cities.get(row["city_code"])
                    if city is None:
                        city = cities[row["city_code"]] = _upsert(
                            City,
                            {"code": row["city_code"]},
                            {"name": row["city"], "province": row["province"]},
                            result,
                            "city",
                        )
                    county = counties.get(row["county_code"])
                    if county is None:
                        county = counties[row["county_code"]] = _upsert(
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
                    _upsert(
                        Town,
                        {"county": county, "name": row["town"]},
                        {"kind": row["town_kind"], "display_order": int(row["town_order"])},
                        result,
                        "town",
                    )
                except ValidationError as exc:
                    result.errors.append((line, "；".join(exc.messages)))
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


class _Rollback(Exception):
    """Raised inside the atomic block to undo a dry run or a run with errors."""


# --- Network edits outside the admin -------------------------------------------------


def _require(condition: bool):
    if not condition:
        raise PermissionDenied


@transaction.atomic
def station_save(*, station: Station, by) -> Station:
    """Create or update a station. The town must lie in a county the user manages."""
    _require(
        permissions.counties_manageable_by(by).filter(pk=station.town.county_id).exists()
    )
    station.full_clean()
    station.save()
    return station


@transaction.atomic
def point_save(*, point: ServicePoint, by) -> ServicePoint:
    _require(
        permissions.stations_with_points_manageable_by(by).filter(pk=point.station_id).exists()
    )
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def point_delete(*, point: ServicePoint, by) -> None:
    _require(
        permissions.stations_with_points_manageable_by(by).filter(pk=point.station_id).exists()
    )
    point.delete()


@transaction.atomic
def worker_save(*, worker: SocialWorker, by) -> SocialWorker:
    _require(
        worker.station_id is not None
        and permissions.stations_manageable_by(by).filter(pk=worker.station_id).exists()
    )
    worker.full_clean()
    worker.save()
    return worker


@transaction.atomic
def role_assign(*, user, role: str, unit, by=None) -> RoleAssignment:
    """Give ``user`` ``role`` over ``unit`` (a City, County or Station). Idempotent.
    ``by`` is None only for commands run by an operator (load_demo)."""
    scope_field = {City: "city", County: "county", Station: "station"}[type(unit)]
    if by is not None:
        if scope_field == "station":
            allowed = permissions.stations_manageable_by(by).filter(pk=unit.pk).exists()
            allowed = allowed and role in {Role.STATION_HEAD, Role.DEPUTY_HEAD, Role.SOCIAL_WORKER, Role.SUPERVISOR}
        else:
            allowed = permissions.get_scope(by).is_superuser or (
                scope_field == "county"
                and permissions.counties_editable_by(by).filter(pk=unit.pk).exists()
            )
        _require(allowed)
    existing = RoleAssignment.objects.filter(user=user, role=role, **{scope_field: unit}).first()
    if existing:
        return existing
    assignment = RoleAssignment(user=user, role=role, granted_by=by, **{scope_field: unit})
    assignment.full_clean()
    assignment.save()
    user.__dict__.pop("_portal_scope", None)
    return assignment
