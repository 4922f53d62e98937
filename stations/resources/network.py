"""The resources of the station network, one per kind of row (counties, towns,
villages, stations, service points, workers), on a shared base that reads
Chinese headers with English aliases and refuses duplicate and out-of-scope
rows."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from .. import permissions
from ..models import County, ServicePoint, SocialWorker, Station, Town, Village
from .widgets import (
    COUNTY_COL,
    TOWN_COL,
    ChineseDateWidget,
    CityWidget,
    CountyWidget,
    OrderWidget,
    StationWidget,
    TextWidget,
    TownWidget,
    VillageWidget,
    choice_field,
)


class NetworkResource(resources.ModelResource):
    """Shared behaviour: Chinese headers with English aliases, duplicate rows in one
    file refused, rows outside the importing user's scope refused."""

    header_aliases: dict[str, str] = {}

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._seen_keys: dict[tuple, int] = {}
        self._lines: list[int] = []

    def before_import(self, dataset, **kwargs):
        self._seen_keys = {}
        # The file's own line numbers (core/sheets.py read_dataset keeps them
        # past dropped blank rows); otherwise line 1 is the header.
        self._lines = list(
            getattr(dataset, "line_numbers", None) or range(2, len(dataset) + 2)
        )
        if dataset.headers:
            dataset.headers = [
                self.header_aliases.get(str(h or "").strip(), str(h or "").strip())
                for h in dataset.headers
            ]
        missing = [
            f.column_name
            for f in self.get_import_fields()
            if f.column_name not in (dataset.headers or [])
            and f.column_name in self.required_columns()
        ]
        if missing:
            raise ValidationError(_("缺少列：%(cols)s") % {"cols": "、".join(missing)})

    def required_columns(self):
        return {self.fields[name].column_name for name in self._meta.import_id_fields}

    def get_instance(self, instance_loader, row):
        # The lookup of an existing row cleans the key columns before
        # import_instance() does; a ValueError there (an unknown town) would be
        # reported as a crash of the row rather than as a message on its column.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            errors = {}
            for name in self._meta.import_id_fields:
                field = self.fields[name]
                if field.column_name not in row:
                    continue
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors[name] = ValidationError(str(exc), code="invalid")
            if not errors:
                raise
            raise ValidationError(errors) from None

    def line_of(self, row_number) -> int | None:
        if row_number is None:
            return None
        if 0 < row_number <= len(self._lines):
            return self._lines[row_number - 1]
        return row_number + 1

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        key = tuple(
            getattr(instance, f"{name}_id", None) or getattr(instance, name)
            for name in self._meta.import_id_fields
        )
        line = self.line_of(kwargs.get("row_number"))
        if key in self._seen_keys:
            raise ValidationError(
                {
                    self._meta.import_id_fields[-1]: _("与第 %(n)s 行重复")
                    % {"n": self._seen_keys[key]}
                }
            )
        self._seen_keys[key] = line
        if self.user is not None and not self.in_scope(instance):
            raise ValidationError(
                {self._meta.import_id_fields[0]: _("不在您的管理范围内")}
            )

    def in_scope(self, instance) -> bool:
        county_id = self.county_id_of(instance)
        return (
            permissions.counties_manageable_by(self.user).filter(pk=county_id).exists()
        )

    def county_id_of(self, instance):
        raise NotImplementedError


class CountyResource(NetworkResource):
    city = fields.Field(attribute="city", column_name="市", widget=CityWidget())
    name = fields.Field(attribute="name", column_name="名称", widget=TextWidget())
    code = fields.Field(
        attribute="code", column_name="行政区划代码", widget=TextWidget()
    )
    kind = choice_field("kind", "类型", County.Kind.choices)
    short_name = fields.Field(
        attribute="short_name", column_name="简称", widget=TextWidget()
    )
    aliases = fields.Field(attribute="aliases", column_name="别名", widget=TextWidget())
    display_order = fields.Field(
        attribute="display_order", column_name="显示顺序", widget=OrderWidget()
    )

    class Meta:
        model = County
        fields = (
            "city",
            "name",
            "code",
            "kind",
            "short_name",
            "aliases",
            "display_order",
        )
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def in_scope(self, instance) -> bool:
        # Only the city level (or a superuser) adds or renames counties, and an
        # editor may not pull another city's county into their own by its code.
        scope = permissions.get_scope(self.user)
        if scope.is_superuser:
            return True
        cities = {instance.city_id}
        if instance.pk:
            cities.add(
                County.objects.filter(pk=instance.pk)
                .values_list("city_id", flat=True)
                .first()
            )
        return cities <= scope.editor_cities


class TownResource(NetworkResource):
    county = fields.Field(
        attribute="county", column_name=COUNTY_COL, widget=CountyWidget()
    )
    name = fields.Field(attribute="name", column_name="名称", widget=TextWidget())
    kind = choice_field("kind", "类型", Town.Kind.choices)
    display_order = fields.Field(
        attribute="display_order", column_name="显示顺序", widget=OrderWidget()
    )

    header_aliases = {
        "county": COUNTY_COL,
        "town": "名称",
        "town_kind": "类型",
        "town_order": "显示顺序",
    }

    class Meta:
        model = Town
        fields = ("county", "name", "kind", "display_order")
        import_id_fields = ("county", "name")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def county_id_of(self, instance):
        return instance.county_id


class VillageResource(NetworkResource):
    county = fields.Field(column_name=COUNTY_COL, readonly=True)
    town = fields.Field(attribute="town", column_name=TOWN_COL, widget=TownWidget())
    name = fields.Field(attribute="name", column_name="名称", widget=TextWidget())
    kind = choice_field(
        "kind", "类型", Village.Kind.choices, default=Village.Kind.VILLAGE
    )
    note = fields.Field(attribute="note", column_name="备注", widget=TextWidget())

    header_aliases = {
        "county": COUNTY_COL,
        "town": TOWN_COL,
        "village": "名称",
        "village_kind": "类型",
        "note": "备注",
    }

    class Meta:
        model = Village
        fields = ("county", "town", "name", "kind", "note")
        import_id_fields = ("town", "name")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_county(self, village):
        return village.town.county.name

    def county_id_of(self, instance):
        return instance.town.county_id


class StationResource(NetworkResource):
    county = fields.Field(column_name=COUNTY_COL, readonly=True)
    town = fields.Field(attribute="town", column_name=TOWN_COL, widget=TownWidget())
    name = fields.Field(attribute="name", column_name="名称", widget=TextWidget())
    address = fields.Field(attribute="address", column_name="地址", widget=TextWidget())
    phone = fields.Field(attribute="phone", column_name="联系电话", widget=TextWidget())
    opened_on = fields.Field(
        attribute="opened_on", column_name="启用日期", widget=ChineseDateWidget()
    )

    class Meta:
        model = Station
        fields = ("county", "town", "name", "address", "phone", "opened_on")
        import_id_fields = ("town",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_county(self, station):
        return station.town.county.name

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # Station.save() names a nameless station after its town; doing it here too
        # lets an unchanged re-import with a blank 名称 count as unchanged.
        if not instance.name and instance.town_id:
            instance.name = f"{instance.town.name}社工站"

    def county_id_of(self, instance):
        return instance.town.county_id


class ServicePointResource(NetworkResource):
    county = fields.Field(column_name=COUNTY_COL, readonly=True)
    station = fields.Field(
        attribute="station", column_name=TOWN_COL, widget=StationWidget()
    )
    village = fields.Field(
        attribute="village", column_name="村（居）", widget=VillageWidget()
    )
    name = fields.Field(attribute="name", column_name="名称", widget=TextWidget())
    address = fields.Field(attribute="address", column_name="地址", widget=TextWidget())
    opened_on = fields.Field(
        attribute="opened_on", column_name="启用日期", widget=ChineseDateWidget()
    )

    class Meta:
        model = ServicePoint
        fields = ("county", "station", "village", "name", "address", "opened_on")
        import_id_fields = ("station", "name")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_county(self, point):
        return point.station.town.county.name

    def in_scope(self, instance) -> bool:
        return (
            permissions.stations_with_points_manageable_by(self.user)
            .filter(pk=instance.station_id)
            .exists()
        )


class SocialWorkerResource(NetworkResource):
    county = fields.Field(column_name=COUNTY_COL, readonly=True)
    station = fields.Field(
        attribute="station", column_name=TOWN_COL, widget=StationWidget()
    )
    real_name = fields.Field(
        attribute="real_name", column_name="姓名", widget=TextWidget()
    )
    gender = choice_field("gender", "性别", SocialWorker.Gender.choices)
    post_type = choice_field("post_type", "岗位类型", SocialWorker.PostType.choices)
    qualification = choice_field(
        "qualification", "职业资格", SocialWorker.Qualification.choices
    )
    hire_date = fields.Field(
        attribute="hire_date", column_name="入职日期", widget=ChineseDateWidget()
    )
    phone = fields.Field(attribute="phone", column_name="手机号", widget=TextWidget())
    status = choice_field("status", "状态", SocialWorker.Status.choices)

    class Meta:
        model = SocialWorker
        fields = (
            "county",
            "station",
            "real_name",
            "gender",
            "post_type",
            "qualification",
            "hire_date",
            "phone",
            "status",
        )
        import_id_fields = ("station", "real_name")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_county(self, worker):
        return worker.station.town.county.name if worker.station_id else ""

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # Blank optional choices fall back to the model's defaults.
        instance.qualification = (
            instance.qualification or SocialWorker.Qualification.NONE
        )
        instance.status = instance.status or SocialWorker.Status.ACTIVE

    def county_id_of(self, instance):
        return instance.station.town.county_id


# The import screens and the admin offer these, in this order.
RESOURCES = {
    "counties": (gettext_lazy("县（市、区）"), CountyResource),
    "towns": (gettext_lazy("镇（街道）"), TownResource),
    "villages": (gettext_lazy("村（居）"), VillageResource),
    "stations": (gettext_lazy("社工站"), StationResource),
    "points": (gettext_lazy("社工点"), ServicePointResource),
    "workers": (gettext_lazy("社工"), SocialWorkerResource),
}
