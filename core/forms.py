"""Form pieces every app uses: the hidden field that catches a second editor's
save, the upload of a spreadsheet for the import screens, and a select that
renders its options without a template each. Date inputs and their ranges are
in core/dates.py."""

from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class VersionField(forms.CharField):
    """A hidden field holding a record's ``updated_at`` as the form was opened:
    the service refuses the save when the record has been saved since, so two
    people editing the same record do not silently overwrite each other. Cleans
    to an aware datetime, or None when the form carries none."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        raw = (super().clean(value) or "").strip()
        if not raw:
            return None
        try:
            parsed = parse_datetime(raw)
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise forms.ValidationError(
                _("页面已过期，请重新打开再编辑。"), code="stale_form"
            )
        return parsed


class SheetUploadForm(forms.Form):
    """The file of an import screen: a spreadsheet, read by core/sheets.py."""

    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel（.xlsx）或 CSV（UTF-8）文件，第一行为列名。"),
    )


def _attrs_html(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False left out, True as a bare name.
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """Django's Select, the same HTML to the byte, written in Python instead of
    through its templates: Django renders every ``<option>`` by including a
    template, which made a station filter of a city's stations cost more CPU
    than the list it filters (the staff lists the load test asks for). Only
    for the plain select; a subclass that changes ``template_name`` or
    ``option_template_name`` renders through its templates as before.
    tests/core/test_quick_select.py holds the output to Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        if (
            self.template_name != forms.Select.template_name
            or self.option_template_name != forms.Select.option_template_name
        ):
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            f'<select name="{conditional_escape(widget["name"])}"'
            f"{_attrs_html(widget['attrs'])}>"
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                label = conditional_escape(localize(group_name))
                parts.append(f'\n  <optgroup label="{label}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs_html(option['attrs'])}>"
                    f"{conditional_escape(localize(option['label']))}</option>\n"
                )
            # The option template's own last line break is part of Django's
            # output too.
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))
