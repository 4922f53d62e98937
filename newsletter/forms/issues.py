"""Forms of the staff issue pages. They parse and check input; the services do the
writing (and check again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DateInRangeField
from core.forms import VersionField
from newsletter.models import Issue, Section
from stations.models import County, Station

BODY_HELP = _(
    "每段写成一行。以“一、”“（二）”“1.”等开头的短行是小标题；其他小标题在行首写“## ”。"
    "单独一行写“[照片1]”，就把第 1 张照片放在这里；没有标注位置的照片排在正文最后。"
    "需要加粗时用 <strong>…</strong>。"
)
REASON_HELP = _("更正理由会和更正时间一起显示在公开页面上。")


class AssembleForm(forms.Form):
    """The publication, and dates that only narrow: left empty, assembly takes
    every approved report not yet in an issue, whatever its date."""

    publication = forms.ModelChoiceField(
        label=_("简报"), queryset=None, empty_label=None
    )
    start = DateInRangeField(
        label=_("起始日期"),
        required=False,
        help_text=_("选填。"),
        date_range=Issue.date_ranges["period_start"],
    )
    end = DateInRangeField(
        label=_("截止日期"),
        required=False,
        date_range=Issue.date_ranges["period_end"],
        help_text=_(
            "选填。起止日期都留空时收入全部已审核通过、尚未刊登的活动报告，不论开展日期；"
            "填写后只收开展日期在这个范围内的。"
        ),
    )

    def __init__(self, *args, publications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publication"].queryset = publications

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        return data


class NewIssueForm(forms.Form):
    publication = forms.ModelChoiceField(
        label=_("简报"), queryset=None, empty_label=None
    )

    def __init__(self, *args, publications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publication"].queryset = publications


class IssueMetaForm(forms.Form):
    issue_date = DateInRangeField(
        label=_("出刊日期"),
        required=False,
        date_range=Issue.date_ranges["issue_date"],
        help_text=_("留空时，发布当天即为出刊日期。"),
    )
    editor_note = forms.CharField(
        label=_("编者按"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    subtitle = forms.CharField(
        label=_("副标题"),
        max_length=200,
        required=False,
        help_text=_("不用写开头的破折号，显示时会自动加上“——”。"),
    )
    body = forms.CharField(
        label=_("正文"),
        required=False,
        max_length=60000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=BODY_HELP,
    )
    county = forms.ModelChoiceField(
        label=_("所涉县（市、区）"), queryset=None, required=False
    )
    station = forms.ModelChoiceField(
        label=_("所涉社工站"), queryset=None, required=False
    )
    section = forms.ModelChoiceField(
        label=_("栏目"), queryset=None, empty_label=None, required=False
    )
    correction_reason = forms.CharField(
        label=_("更正理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )
    override_reason = forms.CharField(
        label=_("放行理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "隐私检查发现问题时，填写理由可放行上面列出的每一处；更好的做法是修改文字。"
        ),
    )

    # When the editor opened the article (its updated_at): a save made by
    # someone else since is refused instead of overwritten (article_update).
    version = VersionField()

    def __init__(self, *args, issue, with_section=False, **kwargs):
        super().__init__(*args, **kwargs)
        city_id = issue.publication.city_id
        self.fields["county"].queryset = County.objects.filter(city_id=city_id)
        self.fields["station"].queryset = Station.objects.with_place().filter(
            town__county__city_id=city_id
        )
        self.fields["station"].label_from_instance = lambda s: s.full_name
        if with_section:
            self.fields["section"].queryset = Section.objects.filter(issue=issue)
            self.fields["section"].required = True
        else:
            del self.fields["section"]
        if not issue.is_published:
            del self.fields["correction_reason"]
            del self.fields["override_reason"]
        else:
            self.fields["correction_reason"].required = True

    def clean_subtitle(self):
        return self.cleaned_data["subtitle"].strip().lstrip("—").strip()

    def clean(self):
        data = super().clean()
        county, station = data.get("county"), data.get("station")
        if county and station and station.town.county_id != county.pk:
            self.add_error("station", _("社工站不在所选县（市、区）。"))
        return data


class SectionForm(forms.Form):
    title = forms.CharField(label=_("栏目名称"), max_length=40)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectionForm(forms.Form):
    editor_note = forms.CharField(
        label=_("编者按"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("更正理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )
