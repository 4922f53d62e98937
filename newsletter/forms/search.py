"""The search form: the query, and the county and year filters. The choices
are given (the view reads them once per publication version, as plain values:
newsletter.selectors.county_choices), so rendering and checking the form costs
no query, and the selects are written without a template per option
(core.forms.QuickSelect): with a province's counties the form was most of an
empty search's time."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import QuickSelect
from newsletter.privacy import personal_number_in
from newsletter.search.text import QUERY_MAX, split_terms

# Seven digits or more in a row, spaces, dots or dashes between them or not: the
# browser refuses to send them (the input's pattern), so a pasted phone or ID
# number never reaches the address bar or the access log. The form refuses the
# shapes themselves for a browser that does not check, and the language links
# leave such a query out of the address they write (portal/templatetags/chrome.py).
LONG_NUMBER = r"[0-9０-９](?:[\s.·\-－—]?[0-9０-９]){6}"
NO_LONG_NUMBER = rf"(?![\s\S]*{LONG_NUMBER})[\s\S]*"

PERSONAL_NUMBER = _(
    "不能用手机号、身份证号或带区号的电话号码查找：简报不公开个人信息。"
    "可以输入文章中的字词，短号码（如 12345 热线）可以查找。"
)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("查找"),
        max_length=QUERY_MAX,
        required=False,
        error_messages={"max_length": _("搜索词太长：最多 %(limit_value)d 个字。")},
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "pattern": NO_LONG_NUMBER,
                "title": PERSONAL_NUMBER,
            }
        ),
    )
    county = forms.ChoiceField(
        label=_("县（市、区）"),
        required=False,
        widget=QuickSelect,
        error_messages={
            "invalid_choice": _("没有这个县（市、区）的文章，请从列表中选择。")
        },
    )
    year = forms.TypedChoiceField(
        label=_("年份"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=QuickSelect,
        error_messages={"invalid_choice": _("这一年没有简报，请从列表中选择。")},
    )

    def __init__(self, data=None, *args, counties, years, **kwargs):
        """``counties``: (code, id, label) of each county to offer; ``years``:
        the years, newest first."""
        # A query that looks for a person is neither searched for nor echoed
        # back into the page.
        self.personal = bool(data) and personal_number_in(data.get("q", ""))
        if self.personal:
            data = data.copy()
            data["q"] = ""
        super().__init__(data, *args, **kwargs)
        # (code, id, label) of each county with news, in the directory's order.
        self._county_ids = {code: pk for code, pk, _label in counties}
        self.fields["county"].choices = [("", _("全部"))] + [
            (code, label) for code, _pk, label in counties
        ]
        self.fields["year"].choices = [("", _("全部"))] + [
            (str(year), _("%(year)s年") % {"year": year}) for year in years
        ]

    def clean_county(self):
        """The chosen county's id, or None for all of them."""
        code = self.cleaned_data.get("county")
        return self._county_ids.get(code) if code else None

    def clean(self):
        data = super().clean()
        query = data.get("q") or ""
        data["terms"] = split_terms(query)
        if self.personal:
            self.add_error("q", PERSONAL_NUMBER)
        elif query and not data["terms"]:
            self.add_error("q", _("请输入要查找的文字：只有标点符号无法查找。"))
        return data
