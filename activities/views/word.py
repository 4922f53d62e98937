"""Starting a report from the Word file a station already wrote: upload the .docx,
get a draft with its title, subtitle, paragraphs and pictures, check it on the
edit page (activities/word_import/)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from activities import permissions, word_import
from activities.forms.reports import unit_key, unit_label
from stations.views.staff import staff_required

from ..models import ActivityKind

TEMPLATE = "activities/staff/reports/from_word.html"


class WordUploadForm(forms.Form):
    """The file, the unit filing the report (offered only to those who file for
    several) and the kind, which a Word file does not say."""

    file = forms.FileField(
        label=gettext_lazy("Word 文件"),
        widget=forms.FileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document"
            }
        ),
    )
    kind = forms.ModelChoiceField(
        label=gettext_lazy("活动类型"),
        queryset=ActivityKind.objects.filter(is_active=True),
        empty_label=gettext_lazy("请选择"),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, not at import, so it follows the request's language.
        self.fields["file"].help_text = _(
            "用 Word 或 WPS 保存的 .docx 文件，不超过 %(limit)s。"
            "旧版 .doc 文件请先另存为 .docx。"
        ) % {"limit": filesizeformat(word_import.MAX_BYTES)}
        self.units = {unit_key(level, unit): (level, unit) for level, unit in units}
        if len(self.units) > 1:
            self.fields["unit"] = forms.ChoiceField(
                label=gettext_lazy("填报单位"),
                choices=[
                    (key, unit_label(level, unit))
                    for key, (level, unit) in self.units.items()
                ],
            )
            self.order_fields(["file", "unit", "kind"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before the file is read into memory.
        if upload.size > word_import.MAX_BYTES:
            raise ValidationError(
                _("文件太大（上限 %(limit)s），请压缩图片后再上传。")
                % {"limit": filesizeformat(word_import.MAX_BYTES)}
            )
        return upload

    def unit(self):
        """The (level, unit) pair chosen, once the form is valid."""
        if len(self.units) == 1:
            return next(iter(self.units.values()))
        return self.units[self.cleaned_data["unit"]]

    @property
    def only_unit_label(self) -> str:
        if len(self.units) != 1:
            return ""
        return unit_label(*next(iter(self.units.values())))


@staff_required
@require_http_methods(["GET", "POST"])
def report_from_word(request):
    units = permissions.filing_units(request.user)
    if not units:
        # Supervisors comment on reports but file none (DESIGN.md §4).
        raise PermissionDenied
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": WordUploadForm(units=units)})
    # Bound on every POST, even an empty one, so a missing file is an error.
    form = WordUploadForm(request.POST, request.FILES, units=units)
    if form.is_valid():
        _level, unit = form.unit()
        try:
            report, warnings = word_import.report_from_word(
                data=form.cleaned_data["file"].read(),
                unit=unit,
                by=request.user,
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as exc:
            # As a list of messages: a refusal naming model fields (from
            # report_create) cannot be attached to the file field as it is.
            form.add_error("file", exc.messages)
        else:
            messages.success(request, _("已从 Word 文件生成草稿，请核对后提交"))
            for warning in warnings:
                messages.warning(request, warning)
            # Pictures come in marked as showing nobody (the model refuses people
            # without consent), so the worker is asked to look at each one.
            if report.photos.exists():
                messages.info(
                    request,
                    _("请逐张核对照片：照片中有可辨认的人时，请标明并确认已取得同意。"),
                )
            return redirect(reverse("activities_staff:report_edit", args=[report.pk]))
    return render(request, TEMPLATE, {"form": form}, status=400)
