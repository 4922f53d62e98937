"""Forms for six-standard checks and supervision visits."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import DateInRangeField
from core.people import display_name, name_related
from stations.models import (
    FollowUpItem,
    Standard,
    StandardsCheck,
    SupervisionVisit,
)
from stations.selectors import supervisors_of

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class StandardsCheckForm(forms.Form):
    """One form for the whole check: a date, an overall note, and for each of the six
    standards whether it is met, a note and an optional evidence photo."""

    checked_on = DateInRangeField(
        label=_("检查日期"), date_range=StandardsCheck.date_ranges["checked_on"]
    )
    note = forms.CharField(
        label=_("总体意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, _label in Standard.choices:
            self.fields[f"{value}_met"] = forms.BooleanField(
                label=_("达标"), required=False
            )
            self.fields[f"{value}_note"] = forms.CharField(
                label=_("说明"), max_length=300, required=False
            )
            self.fields[f"{value}_photo"] = forms.ImageField(
                label=_("佐证照片"), required=False
            )
        self.fields["checked_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        for value, _label in Standard.choices:
            photo = cleaned.get(f"{value}_photo")
            if photo and photo.size > MAX_EVIDENCE_BYTES:
                self.add_error(f"{value}_photo", _("照片不能超过 10 MB。"))
        return cleaned

    def standard_rows(self):
        for value, label in Standard.choices:
            yield (
                label,
                self[f"{value}_met"],
                self[f"{value}_note"],
                self[f"{value}_photo"],
            )

    def items(self):
        return {
            value: {
                "met": self.cleaned_data.get(f"{value}_met", False),
                "note": self.cleaned_data.get(f"{value}_note", ""),
                "evidence_photo": self.cleaned_data.get(f"{value}_photo"),
            }
            for value, _label in Standard.choices
        }


class SupervisionVisitForm(forms.Form):
    FOLLOW_UPS = 3

    visited_on = DateInRangeField(
        label=_("督导日期"), date_range=SupervisionVisit.date_ranges["visited_on"]
    )
    supervisors = forms.ModelMultipleChoiceField(
        label=_("督导人员"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = forms.CharField(
        label=_("其他参加人员"), max_length=300, required=False
    )
    findings = forms.CharField(
        label=_("发现的问题"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    requirements = forms.CharField(
        label=_("提出的要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisors"].queryset = (
            supervisors_of(station)
            .select_related(*name_related())
            .order_by("first_name", "username")
        )
        # Each supervisor by name (core/people.py), read with the list.
        self.fields["supervisors"].label_from_instance = display_name
        self.fields["visited_on"].initial = timezone.localdate()
        for n in range(1, self.FOLLOW_UPS + 1):
            self.fields[f"follow_up_{n}"] = forms.CharField(
                label=_("整改事项 %(n)d") % {"n": n}, max_length=300, required=False
            )
            self.fields[f"follow_up_{n}_due"] = DateInRangeField(
                label=_("完成期限"),
                date_range=FollowUpItem.date_ranges["due_on"],
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        for n in range(1, self.FOLLOW_UPS + 1):
            text, due = cleaned.get(f"follow_up_{n}"), cleaned.get(f"follow_up_{n}_due")
            if text and not due:
                self.add_error(f"follow_up_{n}_due", _("请填写完成期限。"))
            if due and not text:
                self.add_error(f"follow_up_{n}", _("请填写整改事项。"))
            visited_on = cleaned.get("visited_on")
            if due and visited_on and due < visited_on:
                self.add_error(f"follow_up_{n}_due", _("完成期限不能早于督导日期。"))
        if not (cleaned.get("supervisors") or cleaned.get("other_participants")):
            self.add_error(
                "supervisors", _("请至少选择一名督导人员或填写其他参加人员。")
            )
        return cleaned

    def follow_up_rows(self):
        for n in range(1, self.FOLLOW_UPS + 1):
            yield self[f"follow_up_{n}"], self[f"follow_up_{n}_due"]

    def follow_ups(self):
        return [
            {
                "description": self.cleaned_data[f"follow_up_{n}"],
                "due_on": self.cleaned_data[f"follow_up_{n}_due"],
            }
            for n in range(1, self.FOLLOW_UPS + 1)
            if self.cleaned_data.get(f"follow_up_{n}")
        ]
