"""Form pieces every app uses: the hidden field that catches a second editor's
save, and the upload of a spreadsheet for the import screens. Date inputs and
their ranges are in core/dates.py."""

from django import forms
from django.utils.dateparse import parse_datetime
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
