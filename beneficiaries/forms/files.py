"""Forms of the beneficiary and case pages.

The ID number and the phones are never put back into an edit form: their inputs
start empty, show the masked value as a placeholder, and an empty input keeps
what is stored. Seeing the full values is a separate, logged action."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.forms.reports import VillagesByTown
from activities.models import BeneficiaryCategory
from beneficiaries.models import Beneficiary, BeneficiaryTransfer, Visit
from beneficiaries.selectors import FileFilters
from core.dates import DateInput, DateInRangeField, DateRangesForm
from core.forms import QuickSelect
from core.idcard import (
    mask_id_number,
    mask_phone,
    normalize_id_number,
    validate_id_number,
)
from stations.models import SocialWorker, Station, Village
from stations.models.org import phone_validator

LONG_NUMBER_RE = re.compile(r"[0-9０-９]{7,}")
SENSITIVE = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "guardian_phone": mask_phone,
}


def station_label(station: Station) -> str:
    return station.full_name


class BeneficiaryForm(DateRangesForm, forms.ModelForm):
    """A file as its station keeps it. ``stations`` are the stations the user may
    file at (only the file's own when editing)."""

    id_number = forms.CharField(
        label=_("身份证号"),
        required=False,
        max_length=30,
        validators=[validate_id_number],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=20,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    guardian_phone = forms.CharField(
        label=_("监护人电话"),
        required=False,
        max_length=20,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    confirm_distinct = forms.BooleanField(
        label=_("我已核对：这是另一个人，不是已有档案中的人，仍要建档"),
        required=False,
    )

    class Meta:
        model = Beneficiary
        fields = [
            "name",
            "gender",
            "birth_date",
            "village",
            "address",
            "categories",
            "living_situation",
            "guardian_name",
            "guardian_relation",
            "opened_on",
            "notes",
        ]
        widgets = {
            "birth_date": DateInput(),
            "opened_on": DateInput(),
            "categories": forms.CheckboxSelectMultiple(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.stations = {s.pk: s for s in stations}
        editing = self.instance.pk is not None
        if not editing and len(self.stations) > 1:
            self.fields = {
                "station": forms.TypedChoiceField(
                    label=_("建档社工站"),
                    coerce=int,
                    choices=[(pk, station_label(s)) for pk, s in self.stations.items()],
                ),
                **self.fields,
            }
        self.fields["gender"].required = False
        self.fields["gender"].help_text = _("填写身份证号时可不选，按身份证号识别。")
        self.fields["birth_date"].help_text = _(
            "填写身份证号时可不填，按身份证号识别。"
        )
        self.fields["id_number"].help_text = _(
            "18 位，最后一位可以是 X；暂无身份证号的留空。"
        )
        counties = {s.town.county_id for s in self.stations.values()}
        villages = (
            Village.objects.filter(town__county__in=counties)
            .select_related("town__county")
            .order_by("town__display_order", "town__name", "name")
        )
        field = self.fields["village"]
        field.iterator = VillagesByTown
        field.queryset = villages
        field.empty_label = _("（不选）")
        active = Q(is_active=True)
        if editing:
            active |= Q(pk__in=self.instance.categories.values("pk"))
        self.fields["categories"].queryset = BeneficiaryCategory.objects.filter(active)
        if editing:
            del self.fields["confirm_distinct"]
            for name, mask in SENSITIVE.items():
                stored = getattr(self.instance, name)
                field = self.fields[name]
                if stored:
                    field.widget.attrs["placeholder"] = mask(stored)
                    field.help_text = _(
                        "已登记 %(masked)s。留空表示不修改；要更正请输入新的号码。"
                    ) % {"masked": mask(stored)}
                    self.fields[f"clear_{name}"] = forms.BooleanField(
                        label=_("删除已登记的%(label)s") % {"label": field.label},
                        required=False,
                    )

    def station(self) -> Station | None:
        if self.instance.pk:
            return self.instance.station
        if len(self.stations) == 1:
            return next(iter(self.stations.values()))
        pk = self.cleaned_data.get("station")
        return self.stations.get(pk)

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data.get("id_number"))

    def clean(self):
        data = super().clean()
        for name in SENSITIVE:
            value = data.get(name) or ""
            if self.instance.pk and not value:
                value = (
                    "" if data.get(f"clear_{name}") else getattr(self.instance, name)
                )
            data[name] = value
        if not data.get("id_number"):
            if not data.get("gender") and "gender" not in self.errors:
                self.add_error("gender", _("没有身份证号时请选择性别。"))
        return data

    def _post_clean(self):
        # The sensitive fields are plain form fields (never filled back in), so the
        # model sees their final values before it validates.
        for name in SENSITIVE:
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        station = self.station() if hasattr(self, "cleaned_data") else None
        if station is not None and not self.instance.pk:
            self.instance.station = station
        super()._post_clean()


class FileFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("全部状态")), *Beneficiary.Status.choices]

    q = forms.CharField(
        label=_("姓名或证件、电话后四位"),
        required=False,
        max_length=10,
        # The browser refuses to send seven digits or more (LONG_NUMBER_RE), so
        # a pasted number never reaches the address bar or the server's access
        # log, where the view could no longer keep it out.
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "pattern": r"(?![\s\S]*[0-9０-９]{7})[\s\S]*",
                "title": _("请只输入身份证号或电话号码的后四位。"),
            }
        ),
    )
    station = forms.ModelChoiceField(
        label=_("社工站"),
        queryset=None,
        required=False,
        widget=QuickSelect,
        empty_label=_("全部社工站"),
    )
    category = forms.ModelChoiceField(
        label=_("类别"),
        queryset=BeneficiaryCategory.objects.all(),
        required=False,
        widget=QuickSelect,
        empty_label=_("全部类别"),
    )
    status = forms.ChoiceField(
        label=_("档案状态"), choices=(), required=False, widget=QuickSelect
    )

    def __init__(self, data, *, stations):
        # An unfiltered list opens on the files in care (active).
        data = data.copy()
        if "status" not in data:
            data["status"] = Beneficiary.Status.ACTIVE
        # A whole ID or phone number is neither searched for nor echoed back
        # into the page (it already sits in the address bar, which is why the
        # field asks for the last digits only).
        self.whole_number = bool(LONG_NUMBER_RE.search(data.get("q", "")))
        if self.whole_number:
            data["q"] = ""
        super().__init__(data)
        self.fields["status"].choices = self.STATUS_CHOICES
        if stations is None:
            del self.fields["station"]
        else:
            self.fields["station"].queryset = stations
            self.fields["station"].label_from_instance = station_label

    def clean(self):
        data = super().clean()
        if self.whole_number:
            self.add_error("q", _("请只输入身份证号或电话号码的后四位。"))
        return data

    def filters(self) -> FileFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        station, category = data.get("station"), data.get("category")
        query = (data.get("q") or "").replace("\x00", "").strip()
        return FileFilters(
            station_id=station.pk if station else None,
            status=data.get("status") or None,
            category_id=category.pk if category else None,
            query=query,
        )


class StationFilterForm(forms.Form):
    station = forms.ModelChoiceField(
        label=_("社工站"),
        queryset=None,
        required=False,
        empty_label=_("全部社工站"),
    )

    def __init__(self, data, *, stations):
        super().__init__(data)
        if stations is None:
            del self.fields["station"]
        else:
            self.fields["station"].queryset = stations
            self.fields["station"].label_from_instance = station_label

    def station_id(self) -> int | None:
        self.is_valid()
        station = getattr(self, "cleaned_data", {}).get("station")
        return station.pk if station else None


class VisitForm(DateRangesForm, forms.ModelForm):
    # Drawn when the form is opened and sent with it (hidden): a second send of
    # the same form returns the visit the first one made (services.visit_add).
    client_key = forms.UUIDField(
        required=False,
        widget=forms.HiddenInput(),
        error_messages={"invalid": _("表单标识无效，请刷新页面后重新填写。")},
    )

    class Meta:
        model = Visit
        fields = ["date", "kind", "worker", "notes", "needs_found", "follow_up_due"]
        widgets = {
            "date": DateInput(),
            "follow_up_due": DateInput(),
            "kind": forms.RadioSelect(),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "needs_found": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, beneficiary=None, station_ids=(), **kwargs):
        """For one file's page, ``beneficiary``; for the page that chooses the
        file on the phone, the user's ``station_ids`` (their workers)."""
        super().__init__(*args, **kwargs)
        if beneficiary is not None:
            station_ids = [beneficiary.station_id]
        self.fields["worker"].queryset = SocialWorker.objects.filter(
            station_id__in=station_ids
        ).exclude(status=SocialWorker.Status.LEFT)
        self.fields["worker"].empty_label = _("（不指定）")
        # Radio buttons: no blank "---------" choice.
        self.fields["kind"].choices = Visit.Kind.choices
        self.fields["follow_up_due"].help_text = _(
            "发现需要跟进的事项时，填写最迟跟进日期。"
        )
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4())


class TransferForm(forms.Form):
    to_station = forms.ModelChoiceField(label=_("转入社工站"), queryset=None)
    on = DateInRangeField(
        label=_("转移日期"),
        date_range=BeneficiaryTransfer.date_ranges["on"],
        required=False,
    )
    reason = forms.CharField(
        label=_("转移原因"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：随父母迁居至某镇")}),
    )

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_station"]
        field.queryset = Station.objects.with_place().exclude(pk=beneficiary.station_id)
        field.label_from_instance = station_label


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("改为"), choices=())
    reason = forms.CharField(
        label=_("原因"), max_length=200, required=False, widget=forms.TextInput()
    )

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label)
            for value, label in Beneficiary.Status.choices
            if value != beneficiary.status
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        min_length=4,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("请写明原因。"),
            "min_length": _("原因请至少写 4 个字。"),
        },
    )


class ExportForm(forms.Form):
    FORMATS = [("xlsx", "Excel（.xlsx）"), ("csv", "CSV")]

    format = forms.ChoiceField(label=_("格式"), choices=FORMATS, initial="xlsx")


class FullExportForm(ExportForm, ReasonForm):
    station = forms.TypedChoiceField(label=_("社工站"), coerce=int, choices=())

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.stations = {s.pk: s for s in stations}
        self.fields["station"].choices = [(s.pk, s.full_name) for s in stations]
        self.fields["reason"].label = _("导出原因（将记入审计日志）")
        self.order_fields(["station", "reason", "format"])

    def clean_station(self):
        return self.stations[self.cleaned_data["station"]]


class BeneficiarySheetForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 或 CSV 文件"),
        help_text=_("第一行为列名，请使用下载的模板。"),
        error_messages={
            "required": _("请选择要上传的文件。"),
            "empty": _("上传的文件是空的。"),
        },
    )
    station = forms.TypedChoiceField(label=_("导入到社工站"), coerce=int, choices=())

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.stations = {s.pk: s for s in stations}
        self.fields["station"].choices = [(s.pk, s.full_name) for s in stations]
        if len(stations) == 1:
            # Nothing to choose: the user's one station.
            del self.fields["station"]

    def chosen_station(self) -> Station:
        if "station" not in self.fields:
            return next(iter(self.stations.values()))
        return self.stations[self.cleaned_data["station"]]
