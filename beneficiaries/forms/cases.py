"""Forms of the case pages and of report attendance."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import Partner
from beneficiaries.forms.files import StationFilterForm
from beneficiaries.models import Beneficiary, Case, CaseNote, Referral
from beneficiaries.selectors import CaseFilters
from core.dates import DateInput, DateInRangeField, DateRangesForm
from stations.models import SocialWorker


class CaseForm(DateRangesForm, forms.ModelForm):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[
            (Case.Status.OPEN, Case.Status.OPEN.label),
            (Case.Status.IN_PROGRESS, Case.Status.IN_PROGRESS.label),
        ],
    )

    class Meta:
        model = Case
        fields = [
            "title",
            "worker",
            "opened_on",
            "status",
            "assessment",
            "goals",
            "plan",
        ]
        widgets = {
            "opened_on": DateInput(),
            "assessment": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "plan": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        workers = SocialWorker.objects.filter(station_id=beneficiary.station_id)
        if self.instance.pk:
            workers = workers.filter(
                Q(pk=self.instance.worker_id) | ~Q(status=SocialWorker.Status.LEFT)
            )
        else:
            workers = workers.exclude(status=SocialWorker.Status.LEFT)
            del self.fields["status"]
        self.fields["worker"].queryset = workers
        self.fields["title"].help_text = _("如：关于某某学业支持的个案。")


class CaseCloseForm(forms.Form):
    closed_on = DateInRangeField(
        label=_("结案日期"), date_range=Case.date_ranges["closed_on"]
    )
    summary = forms.CharField(
        label=_("结案小结"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写结案小结。")},
    )


class CaseNoteForm(forms.Form):
    date = DateInRangeField(
        label=_("服务日期"), date_range=CaseNote.date_ranges["date"]
    )
    text = forms.CharField(
        label=_("记录内容"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写记录内容。")},
    )
    corrects = forms.ModelChoiceField(
        label=_("更正此前的记录（选填）"),
        queryset=CaseNote.objects.none(),
        required=False,
        empty_label=_("（不是更正）"),
        help_text=_("记录一经保存不能修改；写错时新增一条更正记录，原记录保留。"),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].queryset = CaseNote.objects.filter(case=case).order_by(
            "at", "pk"
        )
        self.fields["corrects"].label_from_instance = lambda n: (
            f"{n.date:%Y-%m-%d} {n.author_name}：{n.text[:20]}"
        )


class ReferralForm(forms.Form):
    referred_on = DateInRangeField(
        label=_("转介日期"), date_range=Referral.date_ranges["referred_on"]
    )
    partner = forms.ModelChoiceField(
        label=_("转介单位"),
        queryset=Partner.objects.filter(is_active=True),
        required=False,
        empty_label=_("（不在列表中）"),
    )
    partner_other = forms.CharField(
        label=_("其他单位"),
        max_length=100,
        required=False,
        help_text=_("不在列表中时填写单位名称。"),
    )
    purpose = forms.CharField(
        label=_("转介事由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写转介事由。")},
    )
    outcome = forms.CharField(
        label=_("转介结果（选填）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        partner, other = data.get("partner"), (data.get("partner_other") or "").strip()
        if partner and other:
            self.add_error(
                "partner_other", _("请在列表中选择或填写其他单位，只选一项。")
            )
        elif not partner and not other and "partner" not in self.errors:
            self.add_error("partner", _("请选择转介单位或填写其他单位。"))
        data["partner_other"] = other
        return data


class CaseFilterForm(StationFilterForm):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部状态")), *Case.Status.choices],
        required=False,
    )

    def filters(self) -> CaseFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        station = data.get("station")
        return CaseFilters(
            station_id=station.pk if station else None,
            status=data.get("status") or None,
        )


class AttendanceForm(forms.Form):
    beneficiaries = forms.ModelMultipleChoiceField(
        label=_("参加本次活动的服务对象"),
        queryset=Beneficiary.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["beneficiaries"]
        field.queryset = choices
        field.label_from_instance = lambda b: (
            f"{b.name}（{b.village.name}）" if b.village_id else b.name
        )
