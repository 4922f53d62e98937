"""The statistics dashboard, its Excel export, and the figure check for a text
(issue 8). Thin: the unit and period come from the query string through
activities/stats/, which computes everything in grouped queries."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.audit import audit_record
from core.models import AuditEntry
from stations.views.staff import pk_param, staff_required

from .. import permissions, selectors, stats, trainings
from ..jobs import stats_export_start
from ..stats import snapshots

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dashboard_params(request):
    """The unit and period asked for, and what was wrong with them (messages
    shown on the page; bad input falls back to the defaults, never a 500)."""
    options = stats.unit_options(request.user)
    unit, unit_error = stats.resolve_unit(
        request.user, request.GET.get("unit", ""), options
    )
    if unit is None:
        # A superuser of an installation without any city: nothing to count.
        raise PermissionDenied
    period, period_error = stats.period_from_params(request.GET)
    errors = [e for e in (unit_error, period_error) if e]
    return options, unit, period, errors


@staff_required
@require_http_methods(["GET", "POST"])
def dashboard(request):
    """The dashboard; a POST ("重新统计") counts a wide unit's snapshot again and
    comes back to the same unit and period."""
    options, unit, period, errors = _dashboard_params(request)
    if request.method == "POST":
        if not unit.wide:
            pass  # counted live on every request anyway
        elif snapshots.counting(unit, period, today=timezone.localdate()):
            messages.info(request, _("正在重新统计，请稍后刷新本页。"))
        else:
            snapshot = snapshots.dashboard_snapshot(
                request.user, unit, period, refresh=True
            )
            messages.success(
                request,
                _("已重新统计，用时 %(s)s 秒。") % {"s": snapshot.seconds},
            )
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    snapshot = snapshots.dashboard_snapshot(request.user, unit, period)
    board = snapshot.board
    if unit.key not in {o.key for o in options}:
        options = [*options, unit]  # a station opened from a breakdown table
    return render(
        request,
        "activities/staff/stats/dashboard.html",
        {
            "board": board,
            "snapshot": snapshot if unit.wide else None,
            "max_age_minutes": snapshots.max_age() // 60,
            "unit": unit,
            "period": period,
            "options": options,
            "errors": errors,
            "export_query": request.GET.urlencode(),
            "span_url": board.data_span
            and stats.dashboard_url(unit.key, board.data_span),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def dashboard_export(request):
    """Every table of the dashboard, unabridged, as an .xlsx workbook. Figures
    only, no person's data; the export is still recorded in the audit log."""
    _options, unit, period, _errors = _dashboard_params(request)
    if request.method == "POST":
        # A city over years: made by a background job, downloaded from its page
        # (the unit and period are in the query string, as for the download).
        return redirect(stats_export_start(request, unit, period))
    board = stats.build_dashboard(
        request.user, unit, period, late_limit=None, list_limit=None
    )
    content = stats.dashboard_workbook(board, request.user)
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        target=unit.obj,
        request=request,
        label=unit.label,
        detail=_("统计表导出：%(p)s") % {"p": period.label},
    )
    response = HttpResponse(content, content_type=XLSX)
    response.headers["Content-Disposition"] = content_disposition_header(
        True, stats.export_filename(board)
    )
    return response


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
        return None, trainings.get_project_for_user(request.user, project_pk)
    return None, None


@staff_required
@require_http_methods(["GET", "POST"])
def figure_check(request):
    report, project = _check_source(request)
    form = FigureCheckForm(request.POST if request.method == "POST" else None)
    text = form.cleaned_data["text"] if form.is_bound and form.is_valid() else ""
    if report is None and project is None:
        checks = stats.text_figure_checks(text) if text else None
    else:
        checks = stats.text_figure_checks(text, report=report, project=project)
    return render(
        request,
        "activities/staff/stats/figure_check.html",
        {
            "form": form,
            "report": report,
            "project": project,
            "checks": checks,
            # Before any text is pasted, the records alone are shown.
            "not_checked": not text,
        },
    )
