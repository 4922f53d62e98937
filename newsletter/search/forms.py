"""The search form: the query, and the county and year filters. The choices
are given (the view reads them once), so rendering and checking the form costs
no query."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .text import QUERY_MAX, split_terms


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("查找"),
        max_length=QUERY_MAX,
        required=False,
        error_messages={"max_length": _("搜索词太长：最多 %(limit_value)d 个字。")},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    county = forms.ChoiceField(
        label=_("县（市、区）"),
        required=False,
        error_messages={
            "invalid_choice": _("没有这个县（市、区）的文章，请从列表中选择。")
        },
    )
    year = forms.TypedChoiceField(
        label=_("年份"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("这一年没有简报，请从列表中选择。")},
    )

    def __init__(self, *args, counties, years, **kwargs):
        super().__init__(*args, **kwargs)
        self._counties = {county.code: county for county in counties}
        several_cities = len({county.city_id for county in counties}) > 1
        self.fields["county"].choices = [("", _("全部"))] + [
            (
                county.code,
                f"{county.city.name}{county.name}" if several_cities else county.name,
            )
            for county in counties
        ]
        self.fields["year"].choices = [("", _("全部"))] + [
            (str(year), _("%(year)s年") % {"year": year}) for year in years
        ]

    def clean_county(self):
        code = self.cleaned_data.get("county")
        return self._counties.get(code) if code else None

    def clean(self):
        data = super().clean()
        query = data.get("q") or ""
        data["terms"] = split_terms(query)
        if query and not data["terms"]:
            self.add_error("q", _("请输入要查找的文字：只有标点符号无法查找。"))
        return data
