"""The cells of a network spreadsheet: dates written the Chinese way, trimmed
text, display orders, places looked up by name within the row's county or town,
and choice columns that take the stored value or its label."""

from __future__ import annotations

import datetime

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.utils.translation import gettext as _
from import_export import fields, widgets

from ..models import City, County, Station, Town, Village

COUNTY_COL = "县（市、区）"
TOWN_COL = "镇（街道）"


class ChineseDateWidget(widgets.Widget):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(
            _("日期“%(v)s”无法识别，请写成 2023-03-01 的格式") % {"v": text}
        )

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class TextWidget(widgets.CharWidget):
    """Text cells, trimmed; numbers typed into a phone column come back as text."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


class OrderWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return 0
        try:
            number = int(float(str(value).strip()))
        except ValueError:
            raise ValueError(_("“%(v)s”不是整数") % {"v": value}) from None
        if number < 0:
            raise ValueError(_("顺序不能为负数"))
        if number > 32767:
            # PositiveSmallIntegerField; SQLite would take it, PostgreSQL would not.
            raise ValueError(_("顺序不能大于 32767"))
        return number


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key looked up by name, with a Chinese message when it is unknown."""

    label = ""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            raise ValueError(_("“%(col)s”不能为空") % {"col": self.label})
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist:
            raise ValueError(
                _("未知的%(label)s：“%(v)s”") % {"label": self.label, "v": value}
            ) from None
        except MultipleObjectsReturned:
            raise ValueError(
                _("%(label)s“%(v)s”不唯一，请写出所属上级")
                % {"label": self.label, "v": value}
            ) from None


class CityWidget(LookupWidget):
    label = "市"

    def __init__(self):
        super().__init__(City, "name")


class CountyWidget(LookupWidget):
    """A county by its name (云城区) or its six-digit code (445302)."""

    label = "县（市、区）"

    def __init__(self):
        super().__init__(County, "name")

    def get_lookup_kwargs(self, value, row, **kwargs):
        value = str(value).strip()
        return {"code": value} if value.isdigit() else {"name": value}

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class TownWidget(LookupWidget):
    """A town by name, within the county named in the same row."""

    label = "镇（街道）"

    def __init__(self):
        super().__init__(Town, "name")

    def get_queryset(self, value, row, *args, **kwargs):
        county = str(row.get(COUNTY_COL) or "").strip()
        qs = Town.objects.all()
        if county:
            qs = (
                qs.filter(county__code=county)
                if county.isdigit()
                else qs.filter(county__name=county)
            )
        return qs

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class StationWidget(TownWidget):
    """A station by its town's name (and county), as staff lists name it."""

    # Named as its column is: an unknown town reads the same on every screen.
    label = TOWN_COL

    def clean(self, value, row=None, **kwargs):
        town = super().clean(value, row, **kwargs)
        try:
            return town.station
        except Station.DoesNotExist:
            raise ValueError(
                _("%(t)s还没有社工站，请先导入社工站") % {"t": town}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.town.name if value else ""


class VillageWidget(LookupWidget):
    label = "村（居）"

    def __init__(self):
        super().__init__(Village, "name")

    def get_queryset(self, value, row, *args, **kwargs):
        qs = Village.objects.all()
        town = str(row.get(TOWN_COL) or "").strip()
        county = str(row.get(COUNTY_COL) or "").strip()
        if town:
            qs = qs.filter(town__name=town)
        if county:
            qs = (
                qs.filter(town__county__code=county)
                if county.isdigit()
                else qs.filter(town__county__name=county)
            )
        return qs


def choice_field(attribute, column, choices, default=fields.NOT_PROVIDED):
    """A choice column that takes the stored value or its label; a blank cell
    means ``default`` when one is given."""

    class ChoiceWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            text = "" if value is None else str(value).strip()
            if not text:
                return ""
            for stored, label in choices:
                if text in (stored, str(label)):
                    return stored
            raise ValueError(
                _("“%(v)s”无效，应为：%(ok)s")
                % {"v": text, "ok": "、".join(str(label) for _s, label in choices)}
            )

        def render(self, value, obj=None, **kwargs):
            return dict(choices).get(value, value or "")

    return fields.Field(
        attribute=attribute, column_name=column, widget=ChoiceWidget(), default=default
    )
