"""The upload form of the legacy import screen. It parses input; the service
checks permission and the numbers again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import PAST, DateInRangeField
from newsletter.legacy.archive import ARCHIVE_MAX_BYTES
from newsletter.legacy.source import MAX_DOCX_BYTES


class ImportUploadForm(forms.Form):
    publication = forms.ModelChoiceField(
        label=_("简报"), queryset=None, empty_label=None
    )
    file = forms.FileField(
        label=_("往期简报文件"),
        help_text=_(
            "Word（.docx 或旧版 .doc）、WPS（.wps）、PDF 或文本（.txt）文件，"
            "或纸质简报的扫描图片（.jpg、.png），一个文件一期。"
            "设置了打开密码的文件请先取消密码。"
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,.doc,.wps,.pdf,.txt,.jpg,.jpeg,.png"}
        ),
    )
    year = forms.IntegerField(
        label=_("年份"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("文件中写明“2023年第3期”时可不填。"),
    )
    number = forms.IntegerField(
        label=_("当年期号"), required=False, min_value=1, max_value=999
    )
    running_number = forms.IntegerField(
        label=_("总期号"),
        required=False,
        min_value=1,
        max_value=99999,
        help_text=_(
            "不填时取文件中的“总第N期”；文件中也没有时不设总期号，以后可补上。"
        ),
    )
    # A past issue came out on its date: the rule of an imported Issue.
    issue_date = DateInRangeField(
        label=_("出刊日期"),
        required=False,
        date_range=PAST,
        help_text=_("不填时取文件中的日期，没有则取文中提到的最晚日期。"),
    )

    def __init__(self, *args, publications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publication"].queryset = publications

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCX_BYTES:
            raise forms.ValidationError(
                _("文件太大（上限 %(mb)d MB），请压缩图片后再上传。")
                % {"mb": MAX_DOCX_BYTES // (1024 * 1024)}
            )
        return upload

    def clean_year(self):
        # An issue of a year outside the dates the portal takes would be refused
        # only when written, after a preview that looked fine.
        year = self.cleaned_data.get("year")
        floor, ceiling = PAST.bounds()
        if year is not None and not floor.year <= year <= ceiling.year:
            raise forms.ValidationError(
                _("年份应在 %(first)d 至 %(last)d 之间。")
                % {"first": floor.year, "last": ceiling.year}
            )
        return year

    def clean(self):
        data = super().clean()
        if data.get("issue_date") and data.get("year"):
            if data["issue_date"].year != data["year"]:
                self.add_error("issue_date", _("出刊日期应在所填年份之内。"))
        return data


class ArchiveUploadForm(forms.Form):
    """A .zip of past issues, imported in the background (archive.py)."""

    publication = forms.ModelChoiceField(
        label=_("简报"), queryset=None, empty_label=None
    )
    file = forms.FileField(
        label=_("往期简报压缩包"),
        help_text=_(
            "把多期往期简报（.docx、.doc、.wps、.pdf、.txt 或扫描图片 .jpg、.png，"
            "可以混在一起，一个文件一期）打包成一个 .zip 文件。"
            "每个文件应写明或以文件名标明年份和期号，如“2023年第3期.docx”。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )
    dry_run = forms.BooleanField(
        label=_("只检查，不导入"),
        required=False,
        help_text=_("先看每个文件能否导入；不勾选则直接导入可以导入的各期。"),
    )

    def __init__(self, *args, publications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publication"].queryset = publications

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".zip"):
            raise forms.ValidationError(_("请上传 .zip 压缩包。"))
        if upload.size > ARCHIVE_MAX_BYTES:
            raise forms.ValidationError(
                _("压缩包太大（上限 %(mb)d MB），请分成几个压缩包。")
                % {"mb": ARCHIVE_MAX_BYTES // (1024 * 1024)}
            )
        return upload
