"""The columns of a report spreadsheet that need more than a text cell: the
filing level, the unit's place names, the activity kind, counts, hours and lists
of names, each read with a Chinese message for a bad cell."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from import_export import widgets

from stations.models import County
from stations.resources import CityWidget, CountyWidget, LookupWidget, TownWidget

from ..models import ActivityKind, Level

LEVEL_COL = "填报层级"
CITY_COL = "市"
NAME_SEPARATOR = "、"

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
