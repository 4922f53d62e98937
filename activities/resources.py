"""Spreadsheet export and import of activity reports (django-import-export).

Export gives the reports the user may read (activities/permissions.py), in a fixed
number of queries whatever their number: ``reports_export_queryset(user)``.

Import is for back-filling reports written before the portal existed, so that the
statistics and the archive start from the real history. Decisions:

- A back-filled row becomes an **approved** report straight away: the work was
  done and reported long ago, and sending hundreds of old reports through the
  review queue would bury the current ones. Its history holds one step, "创建 →
  已通过", by the importing user with the comment "历史数据导入"; the importing
  user is recorded as author and approver. It is not marked as published
  (``published_at`` stays empty): if a row turns out wrong, the reviewer can still
  withdraw it and the author correct it.
- Only users who review the unit may back-fill it, since the rows skip review: a
  county reviewer for their county's stations and their county bureau, a city
  editor for everything in their city, a superuser for all. Workers and
  supervisors may not back-fill.
- Rows only add reports; nothing is updated or deleted. A row that repeats a
  report (same filing unit, title and start date) in the file or in the database
  is refused, so running the same file twice adds nothing.
- "状态" is exported for reading and ignored on import. Partner names that are not
  in the editable list go to "其他合作单位" rather than being refused, as on the
  filing form; an unknown activity kind or beneficiary category is an error.
- Every problem is reported against its row in Chinese, and nothing is written
  unless the whole file is clean (``import_reports`` runs a dry run first; the
  admin only offers to confirm a clean dry run and rolls back on any error).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from stations.imports import ImportReport, _report_from_result
from stations.models import City, County, Station
from stations.permissions import get_scope
from stations.resources import (
    COUNTY_COL,
    TOWN_COL,
    ChineseDateWidget,
    CityWidget,
    CountyWidget,
    LookupWidget,
    TextWidget,
    TownWidget,
)

from . import permissions
from .models import (
    ActivityKind,
    ActivityReport,
    BeneficiaryCategory,
    Level,
    Partner,
    ReportTransition,
    Status,
)

LEVEL_COL = "填报层级"
CITY_COL = "市"
NAME_SEPARATOR = "、"
BACKFILL_COMMENT = "历史数据导入"
# The columns that together name the filing unit.
UNIT_FIELDS = frozenset({"level", "city", "county", "town"})
# Columns an import file must have; the others may be left out.
REQUIRED_COLUMNS = (LEVEL_COL, "标题", "开始日期", "活动类型")
# Columns written by the export that an import reads past.
EXPORT_ONLY_COLUMNS = ("状态",)

# Spellings of the filing level people type besides the labels themselves.
LEVEL_ALIASES = {
    "社工站": Level.STATION,
    "镇（街道）社工站": Level.STATION,
    "县（市、区）民政局": Level.COUNTY,
    "县区民政局": Level.COUNTY,
    "县级": Level.COUNTY,
    "市民政局": Level.CITY,
    "市级": Level.CITY,
}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def reports_export_queryset(user):
    """The reports ``user`` may read, with everything the export shows loaded up
    front: one query for the reports and one per many-to-many list."""
    return _with_export_relations(permissions.reports_visible_to(user)).order_by(
        "start_date", "pk"
    )


def _with_export_relations(qs):
    return qs.select_related(
        "city", "county", "station__town", "town", "kind"
    ).prefetch_related("categories", "partners")


def can_backfill(user, *, level, city_id, county_id) -> bool:
    """Whether ``user`` may add an approved historical report for the unit: only
    those who would review it (see the module docstring)."""
    scope = get_scope(user)
    if scope.is_superuser or city_id in scope.editor_cities:
        return True
    return level in (Level.STATION, Level.COUNTY) and (
        county_id in scope.reviewer_counties
    )


# --- Widgets --------------------------------------------------------------------------


class LevelWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            raise ValueError(_("“%(col)s”不能为空") % {"col": LEVEL_COL})
        for stored, label in Level.choices:
            if text in (stored, str(label)):
                return stored
        if text in LEVEL_ALIASES:
            return LEVEL_ALIASES[text]
        raise ValueError(
            _("“%(v)s”无效，应为：%(ok)s")
            % {"v": text, "ok": "、".join(str(label) for _s, label in Level.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return str(Level(value).label) if value else ""


class _Optional:
    """A lookup column that may be left blank (the level decides whether it must
    be filled; that is checked once the whole row is read)."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        return super().clean(value, row, **kwargs)


class ReportCityWidget(_Optional, CityWidget):
    pass


class ReportCountyWidget(_Optional, CountyWidget):
    """A county by name or code, within the row's city when one is given: two
    cities may both have a 城区."""

    def get_queryset(self, value, row, *args, **kwargs):
        qs = County.objects.all()
        city = str((row or {}).get(CITY_COL) or "").strip()
        return qs.filter(city__name=city) if city else qs


class ReportTownWidget(_Optional, TownWidget):
    def get_queryset(self, value, row, *args, **kwargs):
        qs = super().get_queryset(value, row, *args, **kwargs)
        city = str((row or {}).get(CITY_COL) or "").strip()
        return qs.filter(county__city__name=city) if city else qs


class KindWidget(LookupWidget):
    label = "活动类型"

    def __init__(self):
        super().__init__(ActivityKind, "name")

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class BodyWidget(widgets.Widget):
    """Paragraph text: one paragraph a line, as typed in an Excel cell."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(line.strip() for line in lines if line.strip())

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CountWidget(widgets.Widget):
    """A whole, non-negative count; Excel hands numbers over as floats (21.0)."""

    LIMIT = 2_147_483_647  # PositiveIntegerField on PostgreSQL

    def __init__(self, label):
        super().__init__()
        self.label = label

    def _number(self, value) -> Decimal | None:
        if _blank(value):
            return None
        text = str(value).strip().replace(",", "").replace("，", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                _("“%(col)s”应为数字，“%(v)s”不是数字") % {"col": self.label, "v": text}
            ) from None
        if not number.is_finite():
            raise ValueError(
                _("“%(col)s”应为数字，“%(v)s”不是数字") % {"col": self.label, "v": text}
            )
        if number < 0:
            raise ValueError(_("“%(col)s”不能为负数") % {"col": self.label})
        if number > self.LIMIT:
            raise ValueError(_("“%(col)s”数值过大") % {"col": self.label})
        return number

    def clean(self, value, row=None, **kwargs):
        number = self._number(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValueError(
                _("“%(col)s”应为整数，“%(v)s”不是整数")
                % {"col": self.label, "v": value}
            )
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class HoursWidget(CountWidget):
    def clean(self, value, row=None, **kwargs):
        number = self._number(value)
        if number is None:
            return None
        if number != number.quantize(Decimal("0.1")):
            raise ValueError(_("“%(col)s”最多保留一位小数") % {"col": self.label})
        return number.quantize(Decimal("0.1"))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(int(value)) if value == value.to_integral_value() else str(value)


class NamesWidget(widgets.Widget):
    """Names from an editable list separated by 、 (also ，, ; or a new line)."""

    def __init__(self, model, label):
        super().__init__()
        self.model = model
        self.label = label

    @staticmethod
    def split(value) -> list[str]:
        if _blank(value):
            return []
        text = str(value)
        # Not "/": it is part of names such as 独居/空巢老人.
        for separator in ("，", ",", "；", ";", "\n"):
            text = text.replace(separator, NAME_SEPARATOR)
        names = []
        for name in text.split(NAME_SEPARATOR):
            name = name.strip()
            if name and name not in names:
                names.append(name)
        return names

    def lookup(self, value) -> tuple[list, list[str]]:
        """(known objects in the file's order, unknown names)."""
        names = self.split(value)
        found = {obj.name: obj for obj in self.model.objects.filter(name__in=names)}
        return (
            [found[n] for n in names if n in found],
            [n for n in names if n not in found],
        )

    def clean(self, value, row=None, **kwargs):
        known, unknown = self.lookup(value)
        if unknown:
            raise ValueError(
                _("未知的%(label)s：%(names)s")
                % {
                    "label": self.label,
                    "names": NAME_SEPARATOR.join(f"“{n}”" for n in unknown),
                }
            )
        return known

    def render(self, value, obj=None, **kwargs):
        return NAME_SEPARATOR.join(item.name for item in value.all()) if value else ""


# --- The resource ------------------------------------------------------------------


def _field(attribute, column, widget, **kwargs):
    return fields.Field(
        attribute=attribute, column_name=column, widget=widget, **kwargs
    )


class ActivityReportResource(resources.ModelResource):
    level = _field("level", LEVEL_COL, LevelWidget())
    city = _field("city", CITY_COL, ReportCityWidget())
    county = _field("county", COUNTY_COL, ReportCountyWidget())
    # For a station report: the station's town, which names the station. For a
    # county or city report: the town where it happened, if any.
    town = _field("town", TOWN_COL, ReportTownWidget())
    title = _field("title", "标题", TextWidget())
    subtitle = _field("subtitle", "副标题", TextWidget())
    start_date = _field("start_date", "开始日期", ChineseDateWidget())
    end_date = _field("end_date", "结束日期", ChineseDateWidget())
    kind = _field("kind", "活动类型", KindWidget())
    categories = _field(
        "categories", "服务对象类别", NamesWidget(BeneficiaryCategory, "服务对象类别")
    )
    partners = _field("partners", "合作单位", NamesWidget(Partner, "合作单位"))
    person_times = _field("person_times", "服务人次", CountWidget("服务人次"))
    households = _field("households", "户数", CountWidget("户数"))
    persons = _field("persons", "人数", CountWidget("人数"))
    volunteers = _field("volunteers", "志愿者人数", CountWidget("志愿者人数"))
    service_hours = _field("service_hours", "服务时长", HoursWidget("服务时长"))
    body = _field("body", "正文", BodyWidget())
    status = fields.Field(column_name="状态", readonly=True)

    # Filled in by hand in import_instance(), not by import-export's field loop.
    MANUAL = ("categories", "partners")

    class Meta:
        model = ActivityReport
        fields = (
            "level",
            "city",
            "county",
            "town",
            "title",
            "subtitle",
            "start_date",
            "end_date",
            "kind",
            "categories",
            "partners",
            "person_times",
            "households",
            "persons",
            "volunteers",
            "service_hours",
            "body",
            "status",
        )
        import_order = fields
        export_order = fields
        # Every row is a new report: nothing is looked up to be updated.
        force_init_instance = True
        clean_model_instances = True
        skip_diff = True
        # The export reads reports in pages (to keep the prefetches); a city's
        # reports of several years fit in one page of this size.
        chunk_size = 1000

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._seen: dict[tuple, int] = {}
        self._lines: list[int] = []
        self._now = timezone.now()

    # --- Export -----------------------------------------------------------------

    def get_queryset(self):
        if self.user is not None:
            return reports_export_queryset(self.user)
        return _with_export_relations(ActivityReport.objects.all())

    def filter_export(self, queryset, **kwargs):
        # The admin hands over its change list (already scoped there); a caller
        # that passes any other queryset still gets only what the user may read.
        if self.user is not None:
            q = permissions.report_read_q(self.user)
            if q is not None:
                queryset = queryset.filter(q)
        return _with_export_relations(queryset)

    def dehydrate_level(self, report):
        return str(report.get_level_display())

    def dehydrate_city(self, report):
        return report.city.name

    def dehydrate_county(self, report):
        return report.county.name if report.county_id else ""

    def dehydrate_town(self, report):
        if report.level == Level.STATION:
            return report.station.town.name
        return report.town.name if report.town_id else ""

    def dehydrate_kind(self, report):
        return report.kind.name

    def dehydrate_categories(self, report):
        return NAME_SEPARATOR.join(c.name for c in report.categories.all())

    def dehydrate_partners(self, report):
        names = [p.name for p in report.partners.all()]
        names += NamesWidget.split(report.other_partners)
        return NAME_SEPARATOR.join(names)

    def dehydrate_status(self, report):
        return str(report.get_status_display())

    # --- Import -----------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        if self.user is None:
            raise ValidationError(_("补录历史报告须指明导入人。"))
        self._seen = {}
        self._lines = list(
            getattr(dataset, "line_numbers", None) or range(2, len(dataset) + 2)
        )
        headers = [str(h or "").strip() for h in dataset.headers or []]
        if dataset.headers:
            dataset.headers = headers
        problems = []
        missing = [c for c in REQUIRED_COLUMNS if c not in headers]
        if missing:
            problems.append(_("缺少列：%(cols)s") % {"cols": "、".join(missing)})
        known = {f.column_name for f in self.get_import_fields()}
        unknown = [h for h in headers if h and h not in known]
        if unknown:
            problems.append(
                _("无法识别的列：%(cols)s（可用的列：%(ok)s）")
                % {
                    "cols": "、".join(unknown),
                    "ok": "、".join(
                        f.column_name
                        for f in self.get_import_fields()
                        if f.column_name not in EXPORT_ONLY_COLUMNS
                    ),
                }
            )
        if problems:
            raise ValidationError(problems)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute in self.MANUAL:
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)

        if "county" in errors:
            # The town is looked up within the county: with the county unknown,
            # "unknown town" would only repeat the same mistake.
            errors.pop("town", None)
        self._read_lists(instance, row, errors)
        if not errors.keys() & UNIT_FIELDS:
            self._set_unit(instance, errors)
        if not errors.keys() & UNIT_FIELDS:
            self._check_scope(instance, errors)
        if not errors.keys() & (UNIT_FIELDS | {"title"}):
            self._check_duplicate(instance, kwargs.get("row_number"), errors)

        # What makes the row an approved historical report (module docstring).
        instance.author = self.user
        instance.status = Status.APPROVED
        instance.approved_by = self.user
        instance.approved_at = self._now
        if errors:
            raise ValidationError(errors)

    def _read_lists(self, instance, row, errors):
        instance._import_categories = []
        instance._import_partners = []
        categories = self.fields["categories"]
        if categories.column_name in row:
            try:
                instance._import_categories = categories.widget.clean(
                    row[categories.column_name]
                )
            except ValueError as exc:
                errors.setdefault("categories", []).append(str(exc))
        partners = self.fields["partners"]
        if partners.column_name in row:
            known, unknown = partners.widget.lookup(row[partners.column_name])
            instance._import_partners = known
            instance.other_partners = NAME_SEPARATOR.join(unknown)
            if len(instance.other_partners) > 200:
                errors.setdefault("partners", []).append(
                    _("列表以外的合作单位太长（最多 200 字）")
                )

    def _set_unit(self, instance, errors):
        """Fill level, city, county and station from the row's columns, each
        mistake reported on the column where it was made."""
        level = instance.level
        county = instance.county
        town = instance.town
        city_given = instance.city if instance.city_id else None
        instance.station = None
        if level in (Level.STATION, Level.COUNTY) and county is None:
            errors["county"] = [
                _("%(level)s填报的报告须填写县（市、区）")
                % {"level": Level(level).label}
            ]
            return
        if level == Level.STATION:
            if town is None:
                errors["town"] = [_("社工站填报的报告须填写社工站所在的镇（街道）")]
                return
            station = Station.objects.filter(town=town).first()
            if station is None:
                errors["town"] = [_("%(t)s还没有社工站") % {"t": town.name}]
                return
            instance.station = station
        if level == Level.CITY:
            if county is not None:
                errors["county"] = [
                    _("市民政局填报的报告不填县（市、区），请留空或改填报层级")
                ]
                return
            city = city_given or self._default_city()
            if city is None:
                errors["city"] = [_("市民政局填报的报告须填写“市”")]
                return
            instance.city = city
            instance.county = None
            if town is not None and town.county.city_id != city.pk:
                errors["town"] = [
                    _("%(t)s不在%(c)s") % {"t": town.name, "c": city.name}
                ]
        else:
            instance.city = county.city

    def _default_city(self) -> City | None:
        """The city of a city-bureau row with a blank 市: the importing editor's
        city when they edit only one, or the only city there is."""
        scope = get_scope(self.user)
        ids = scope.editor_cities
        if len(ids) == 1:
            return City.objects.filter(pk__in=ids).first()
        cities = list(City.objects.all()[:2])
        return cities[0] if len(cities) == 1 else None

    def _check_scope(self, instance, errors):
        if can_backfill(
            self.user,
            level=instance.level,
            city_id=instance.city_id,
            county_id=instance.county_id,
        ):
            return
        column = {Level.STATION: "town", Level.COUNTY: "county"}.get(
            instance.level, "city"
        )
        errors[column] = [
            _("不在您的管理范围内：只能补录您负责审核的社工站和民政局的报告")
        ]

    def _check_duplicate(self, instance, row_number, errors):
        if not instance.title or not instance.start_date:
            return
        key = (
            instance.level,
            instance.city_id,
            instance.county_id,
            instance.station_id,
            instance.title,
            instance.start_date,
        )
        if key in self._seen:
            errors.setdefault("title", []).append(
                _("与第 %(n)s 行重复（同一填报单位、标题和开始日期）")
                % {"n": self._seen[key]}
            )
            return
        self._seen[key] = self._line_of(row_number)
        if ActivityReport.objects.filter(
            level=instance.level,
            city=instance.city_id,
            county=instance.county_id,
            station=instance.station_id,
            title=instance.title,
            start_date=instance.start_date,
        ).exists():
            errors.setdefault("title", []).append(
                _("系统中已有这份报告（同一填报单位、标题和开始日期）")
            )

    def _line_of(self, row_number) -> int:
        if row_number and 0 < row_number <= len(self._lines):
            return self._lines[row_number - 1]
        return (row_number or 0) + 1

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        errors = dict(import_validation_errors or {})
        exclude = set(errors)
        if exclude & UNIT_FIELDS:
            # The unit was not worked out; the model's "required" messages on
            # city or station would only repeat the row's real mistake.
            exclude |= UNIT_FIELDS | {"station"}
        try:
            instance.full_clean(exclude=exclude, validate_unique=validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _writes(self, kwargs) -> bool:
        # Without a transaction a dry run must not touch the database.
        return not (
            self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs)
        )

    def after_save_instance(self, instance, row, **kwargs):
        if not self._writes(kwargs):
            return
        # The audit trail of a back-filled report: one step, from nothing to
        # approved. This is the only write of a transition outside services.py;
        # review would refuse a county reviewer's approval of their own bureau's
        # report, which back-filling needs (module docstring).
        ReportTransition.objects.create(
            report=instance,
            action=ReportTransition.Action.CREATE,
            from_status="",
            to_status=Status.APPROVED,
            by=self.user,
            comment=BACKFILL_COMMENT,
        )

    def save_m2m(self, instance, row, **kwargs):
        if not self._writes(kwargs):
            return
        instance.categories.set(getattr(instance, "_import_categories", []))
        instance.partners.set(getattr(instance, "_import_partners", []))


def import_reports(dataset, *, user, dry_run: bool) -> ImportReport:
    """Back-fill the reports of ``dataset`` (from stations.imports.read_dataset) as
    ``user``: every row checked, and nothing written unless all rows are clean
    and ``dry_run`` is false."""
    resource = ActivityReportResource(user=user)
    try:
        with transaction.atomic():
            result = resource.import_data(
                dataset, dry_run=dry_run, raise_errors=False, use_transactions=True
            )
            report = _report_from_result(resource, dataset, result)
            if dry_run or not report.ok:
                transaction.set_rollback(True)
    except ValidationError as exc:
        return ImportReport(
            headers=list(dataset.headers or []), file_errors=list(exc.messages)
        )
    return report


def template_headers() -> list[str]:
    """The column names of an import file, in order."""
    return [
        f.column_name
        for f in ActivityReportResource().get_export_fields()
        if f.column_name not in EXPORT_ONLY_COLUMNS
    ]
