"""``ActivityReportResource``: the report spreadsheet, exported for reading and
imported to back-fill approved historical reports (the decisions are in the
package docstring)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources

from activities import permissions, services
from activities.services.reports import BACKFILL_COMMENT  # noqa: E402,F401 - re-exported
from stations.models import City, Station
from stations.permissions import get_scope
from stations.resources import COUNTY_COL, TOWN_COL, ChineseDateWidget, TextWidget

from ..models import (
    ActivityReport,
    BeneficiaryCategory,
    Level,
    Partner,
    Status,
)
from .scope import _with_export_relations, reports_export_queryset
from .widgets import (
    CITY_COL,
    LEVEL_COL,
    NAME_SEPARATOR,
    BodyWidget,
    CountWidget,
    HoursWidget,
    KindWidget,
    LevelWidget,
    NamesWidget,
    ReportCityWidget,
    ReportCountyWidget,
    ReportTownWidget,
)

# The columns that together name the filing unit.
UNIT_FIELDS = frozenset({"level", "city", "county", "town"})
# Columns an import file must have; the others may be left out.
REQUIRED_COLUMNS = (LEVEL_COL, "标题", "开始日期", "活动类型")
# Columns written by the export that an import reads past.
EXPORT_ONLY_COLUMNS = ("状态",)


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

        # What makes the row an approved historical report (package docstring).
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
        if permissions.can_backfill(
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

    def do_instance_save(self, instance, is_create):
        # Back-filled reports go through the service like every other workflow
        # write: permission, validation and the one history step.
        services.report_backfill(report=instance, by=self.user)

    def save_m2m(self, instance, row, **kwargs):
        if not self._writes(kwargs):
            return
        instance.categories.set(getattr(instance, "_import_categories", []))
        instance.partners.set(getattr(instance, "_import_partners", []))
