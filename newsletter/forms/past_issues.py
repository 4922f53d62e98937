"""Forms of what an editor completes on an imported past issue: its running
number, and a picture in place of one the file did not hold. They parse and
check input; newsletter/services/past_issues.py writes (and checks again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

CONSENT_MESSAGE = _("照片中有可辨认的人，请确认已取得本人或监护人同意。")


class RunningNumberForm(forms.Form):
    running_number = forms.IntegerField(
        label=_("总期号"),
        required=False,
        min_value=1,
        max_value=99999,
        help_text=_("原刊上印的“总第N期”的 N；不知道时留空。"),
        error_messages={"invalid": _("总期号应为正整数，例如 45。")},
    )


class MissingPhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("换上的图片"),
        help_text=_("只接受 JPEG、PNG、WebP 照片。"),
        error_messages={"required": _("请选择一张图片再点“换上这张图片”。")},
    )
    caption = forms.CharField(label=_("图片说明"), max_length=200, required=False)
    shows_people = forms.BooleanField(label=_("照片中有可辨认的人"), required=False)
    consent = forms.BooleanField(
        label=_("已取得当事人（或监护人）同意"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("shows_people") and not data.get("consent"):
            self.add_error("consent", CONSENT_MESSAGE)
        return data
