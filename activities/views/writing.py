"""The figure check for a text: the numbers of a pasted text (an article, a
mid-term summary) against the records of a report or a project, or the records
alone. Thin: activities/writing/ does the reading and the counting."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from activities import permissions, selectors, writing
from stations.views.staff import pk_param, staff_required


class FigureCheckForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("要核对的文字"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=gettext_lazy(
            "粘贴简报文章、中期总结等文字，核对其中的数字与记录是否一致。"
        ),
    )


def _check_source(request):
    """The report or project the text is checked against, out of scope → 404."""
    params = request.POST if request.method == "POST" else request.GET
    report_pk = pk_param(params.get("report", ""))
    project_pk = pk_param(params.get("project", ""))
    if report_pk:
        report = permissions.get_report_for_user(request.user, report_pk)
        return selectors.report_for_page(report), None
    if project_pk:
        return None, selectors.get_project_for_user(request.user, project_pk)
    return None, None


@staff_required
@require_http_methods(["GET", "POST"])
def figure_check(request):
    report, project = _check_source(request)
    form = FigureCheckForm(request.POST if request.method == "POST" else None)
    text = form.cleaned_data["text"] if form.is_bound and form.is_valid() else ""
    if report is None and project is None:
        checks = writing.text_figure_checks(text) if text else None
    else:
        checks = writing.text_figure_checks(text, report=report, project=project)
    return render(
        request,
        "activities/staff/writing/figure_check.html",
        {
            "form": form,
            "report": report,
            "project": project,
            "checks": checks,
            # Before any text is pasted, the records alone are shown.
            "not_checked": not text,
        },
    )
