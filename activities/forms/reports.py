"""Forms of the staff report pages: the report itself (filing and editing), the
filters of the report list and the review queue, and the review actions."""

from __future__ import annotations

import uuid

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Case, Q, Value, When
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import (
    ActivityKind,
    ActivityReport,
    BeneficiaryCategory,
    Level,
    Partner,
    Project,
    Status,
)
from activities.selectors.reports import ReportFilters
from core.dates import DateInput, DateRangesForm
from core.forms import QuickSelect, VersionField
from stations.models import Town, Village

COUNT_FIELDS = ("person_times", "households", "persons", "volunteers", "service_hours")

# The counts are three different things (DESIGN.md §2); the form says so at each.
APART = _("各项数字分别统计，不要相加。")
COUNT_HELP = {
    "person_times": _("参加或接受服务的人次，同一人参加多次按多次计。"),
    "households": _("走访或服务的户数。"),
    "persons": _("服务的不重复人数，同一人只计一次。"),
    "volunteers": _("参与的志愿者人数。"),
    "service_hours": _("活动或服务的总时长，可填一位小数，如 2.5。"),
}
COUNT_LABELS = {
    "person_times": _("服务人次（人次）"),
    "households": _("户数（户）"),
    "persons": _("人数（人）"),
    "volunteers": _("志愿者（人）"),
    "service_hours": _("服务时长（小时）"),
}

BODY_HELP = _(
    "每段写成一行。以“一、”“（二）”等开头的短行是小标题。单独一行写“[照片1]”，"
    "就把第 1 张照片放在这里；没有标注位置的照片排在正文最后。"
)


def unit_key(level, unit) -> str:
    return f"{level}:{unit.pk}"


def unit_label(level, unit) -> str:
    if level == Level.STATION:
        return unit.full_name
    return f"{unit.name}民政局"


def _town_area_q(level, unit, prefix: str = "") -> Q:
    """Towns a report of ``unit`` may take place in: the county of a station or a
    county bureau, the whole city for the city bureau."""
    if level == Level.CITY:
        return Q(**{f"{prefix}county__city_id": unit.pk})
    county_id = unit.town.county_id if level == Level.STATION else unit.pk
    return Q(**{f"{prefix}county_id": county_id})


def _town_in_area(level, unit, town) -> bool:
    if level == Level.CITY:
        return town.county.city_id == unit.pk
    county_id = unit.town.county_id if level == Level.STATION else unit.pk
    return town.county_id == county_id


class VillagesByTown(ModelChoiceIterator):
    """Villages grouped under their town (an <optgroup> or a labelled group of
    checkboxes), so a long list stays readable on a phone."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for village in self.queryset:
            groups.setdefault(str(village.town), []).append(self.choice(village))
        yield from groups.items()


class ReportForm(DateRangesForm, forms.ModelForm):
    """A report as its author files it. ``units`` are the (level, unit) pairs the
    report may be filed for: one for an existing report, permissions.filing_units
    for a new one. With several, the form asks which."""

    class Meta:
        model = ActivityReport
        fields = [
            "title",
            "subtitle",
            "start_date",
            "end_date",
            "town",
            "village",
            "place_text",
            "villages_reached",
            "kind",
            "categories",
            "partners",
            "other_partners",
            *COUNT_FIELDS,
            "body",
            "project",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "villages_reached": forms.CheckboxSelectMultiple(),
            "categories": forms.CheckboxSelectMultiple(),
            "partners": forms.CheckboxSelectMultiple(),
            "body": forms.Textarea(attrs={"rows": 18}),
        }

    # The report's updated_at as the form was opened (editing only): a save
    # made by someone else since is refused, not overwritten (report_update).
    version = VersionField()
    # A new report's key, drawn when the form is opened (report_create): the
    # same form sent twice files one report.
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.initial.setdefault("version", self.instance.updated_at.isoformat())
        self.units = {unit_key(level, unit): (level, unit) for level, unit in units}
        if self.instance.pk:
            del self.fields["client_key"]
        else:
            self._preselect()
        if len(self.units) > 1:
            self.fields = {
                "unit": forms.ChoiceField(
                    label=_("填报单位"),
                    choices=[
                        (key, unit_label(level, unit))
                        for key, (level, unit) in self.units.items()
                    ],
                ),
                **self.fields,
            }
        self._limit_places()
        self._limit_lists()
        self._set_counts()
        self.fields["body"].help_text = BODY_HELP
        self.fields["start_date"].help_text = _("只有一天的活动，结束日期可以不填。")

    def _preselect(self):
        """What a new report most likely says: it happened today, and a worker
        of one station reports on the station's own town. With several units
        to file for, the town is left for the author to choose."""
        known = {"start_date": timezone.localdate(), "client_key": uuid.uuid4()}
        if len(self.units) == 1:
            level, unit = next(iter(self.units.values()))
            if level == Level.STATION:
                known["town"] = unit.town_id
        for name, value in known.items():
            # A blank new instance's fields are in ``initial`` as None.
            if self.initial.get(name) is None:
                self.initial[name] = value

    def _limit_places(self):
        area = Q(pk__in=[])
        own_towns = []
        for level, unit in self.units.values():
            area |= _town_area_q(level, unit)
            if level == Level.STATION:
                own_towns.append(unit.town_id)
        # A station reports mostly on its own town: offer it first.
        first = Case(When(pk__in=own_towns, then=Value(0)), default=Value(1))
        towns = Town.objects.filter(area).select_related("county")
        self.fields["town"].queryset = towns.order_by(
            first, "county__display_order", "display_order", "name"
        )
        self.fields["town"].empty_label = _("（不在某个镇街，或填写下面的其他地点）")
        first_village = Case(
            When(town_id__in=own_towns, then=Value(0)), default=Value(1)
        )
        villages = (
            Village.objects.filter(town__in=towns.values("pk"))
            .select_related("town__county")
            .order_by(
                first_village,
                "town__county__display_order",
                "town__display_order",
                "town__name",
                "name",
            )
        )
        for name in ("village", "villages_reached"):
            field = self.fields[name]
            field.iterator = VillagesByTown
            field.queryset = villages  # the setter hands the widget new choices
        self.fields["village"].empty_label = _("（不选）")
        self.fields["village"].help_text = _("只列出可选镇（街道）的村（居）。")

    def _limit_lists(self):
        instance = self.instance
        # Entries taken off the lists stay selectable on reports that already use them.
        kinds = Q(is_active=True)
        if instance.kind_id:
            kinds |= Q(pk=instance.kind_id)
        self.fields["kind"].queryset = ActivityKind.objects.filter(kinds)
        self.fields["kind"].empty_label = _("请选择")
        for name, model in (("categories", BeneficiaryCategory), ("partners", Partner)):
            active = Q(is_active=True)
            if instance.pk:
                active |= Q(pk__in=getattr(instance, name).values("pk"))
            self.fields[name].queryset = model.objects.filter(active)
        stations = [u.pk for level, u in self.units.values() if level == Level.STATION]
        if stations:
            self.fields["project"].queryset = Project.objects.filter(
                station__in=stations
            )
            self.fields["project"].empty_label = _("（不属于项目）")
            self.fields["project"].help_text = _("只有社工站的报告可以归入项目。")
        else:
            # County and city bureaus run no projects of their own.
            del self.fields["project"]

    def _set_counts(self):
        for name in COUNT_FIELDS:
            field = self.fields[name]
            field.label = COUNT_LABELS[name]
            field.help_text = f"{COUNT_HELP[name]}{APART}"
            field.error_messages["min_value"] = _("不能为负数。")
            field.widget.attrs.update({"min": 0, "inputmode": "numeric"})
        hours = self.fields["service_hours"]
        hours.validators.append(MinValueValidator(0))
        hours.widget.attrs.update({"inputmode": "decimal", "step": "0.1"})

    def unit(self):
        """The (level, unit) pair chosen, once the form is valid."""
        if len(self.units) == 1:
            return next(iter(self.units.values()))
        return self.units[self.cleaned_data["unit"]]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        if len(self.units) > 1 and "unit" not in data:
            return data
        level, unit = self.unit()
        town, village = data.get("town"), data.get("village")
        if town and not _town_in_area(level, unit, town):
            self.add_error("town", _("所选镇（街道）不在填报单位的辖区内。"))
        if village and not _town_in_area(level, unit, village.town):
            self.add_error("village", _("所选村（居）不在填报单位的辖区内。"))
        elif village and town and village.town_id != town.pk:
            self.add_error("village", _("所选村（居）不在所选镇（街道）。"))
        outside = [
            v.name
            for v in data.get("villages_reached") or ()
            if not _town_in_area(level, unit, v.town)
        ]
        if outside:
            self.add_error(
                "villages_reached",
                _("这些村（居）不在填报单位的辖区内：%(v)s")
                % {"v": "、".join(outside)},
            )
        project = data.get("project")
        if project and (level != Level.STATION or project.station_id != unit.pk):
            self.add_error("project", _("只能选择本站承接的项目。"))
        return data


class ReportFilterForm(forms.Form):
    """Filters of the report list (``with_status``) and the review queue."""

    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部状态")), *Status.choices],
        required=False,
        widget=QuickSelect,
    )
    station = forms.ModelChoiceField(
        label=_("社工站"),
        queryset=None,
        required=False,
        widget=QuickSelect,
        empty_label=_("全部社工站"),
    )
    kind = forms.ModelChoiceField(
        label=_("活动类型"),
        queryset=ActivityKind.objects.all(),
        required=False,
        widget=QuickSelect,
        empty_label=_("全部类型"),
    )
    date_from = forms.DateField(
        label=_("活动日期从"), required=False, widget=DateInput()
    )
    date_to = forms.DateField(label=_("至"), required=False, widget=DateInput())

    def __init__(self, *args, stations, with_status=True, **kwargs):
        super().__init__(*args, **kwargs)
        if stations is None:
            del self.fields["station"]
        else:
            self.fields["station"].queryset = stations
            self.fields["station"].label_from_instance = lambda s: s.full_name
        if not with_status:
            del self.fields["status"]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data

    def filters(self) -> ReportFilters:
        """The filters from the fields that are valid; a bad value is shown as an
        error and otherwise ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        station, kind = data.get("station"), data.get("kind")
        return ReportFilters(
            status=data.get("status") or None,
            station_id=station.pk if station else None,
            kind_id=kind.pk if kind else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class CommentForm(forms.Form):
    """The comment of a review action. Whether it is required is the service's
    rule (returning and withdrawing need one), so the form only bounds it."""

    comment = forms.CharField(
        label=_("意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
