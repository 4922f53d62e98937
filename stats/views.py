"""The statistics dashboard and its Excel export. Thin: the unit and period come
from the query string, and the app's modules count everything in grouped
queries."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.audit import audit_record
from core.models import AuditEntry
from stations.views.staff import staff_required

from . import snapshots
from .dashboard import build_dashboard, dashboard_url
from .export import dashboard_workbook, export_filename
from .jobs import stats_export_start
from .period import period_from_params
from .scope import resolve_unit, unit_options

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dashboard_params(request):
    """The unit and period asked for, and what was wrong with them (messages
    shown on the page; bad input falls back to the defaults, never a 500)."""
    options = unit_options(request.user)
    unit, unit_error = resolve_unit(request.user, request.GET.get("unit", ""), options)
    if unit is None:
        # A superuser of an installation without any city: nothing to count.
        raise PermissionDenied
    period, period_error = period_from_params(request.GET)
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
        "stats/staff/dashboard.html",
        {
            "board": board,
            "snapshot": snapshot if unit.wide else None,
            "max_age_minutes": snapshots.max_age() // 60,
            "unit": unit,
            "period": period,
            "options": options,
            "errors": errors,
            "export_query": request.GET.urlencode(),
            "span_url": board.data_span and dashboard_url(unit.key, board.data_span),
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
    board = build_dashboard(
        request.user, unit, period, late_limit=None, list_limit=None
    )
    content = dashboard_workbook(board, request.user)
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
        True, export_filename(board)
    )
    return response
