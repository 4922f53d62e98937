"""The statistics dashboard and its Excel export. Thin: the unit and period
come from the query string (stats.request.requested_unit), and the app's modules
count everything in grouped queries."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.sheets import XLSX_CONTENT_TYPE
from stations.views.staff import staff_required

from . import snapshots
from .dashboard import dashboard_url
from .export import export_dashboard
from .jobs import stats_export_start
from .request import requested_unit


@staff_required
@require_http_methods(["GET", "POST"])
def dashboard(request):
    """The dashboard; a POST ("重新统计") counts a kept unit's snapshot again
    and comes back to the same unit and period."""
    asked = requested_unit(request.user, request.GET)
    unit, period, options = asked.unit, asked.period, asked.options
    if request.method == "POST":
        if not snapshots.reads_all(request.user, unit) or asked.empty:
            pass  # counted live on every request anyway, or nothing to count
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
    if unit.key not in {o.key for o in options}:
        options = [*options, unit]  # a station opened from a breakdown table
    context = {
        "asked": asked,
        "unit": unit,
        "period": period,
        "options": options,
        "errors": asked.errors,
        "board": None,
        "snapshot": None,
    }
    if asked.empty:
        # No approved report in the unit at all: the page says so rather than
        # count a page of zeros.
        return render(request, "stats/staff/dashboard.html", context)
    snapshot = snapshots.dashboard_snapshot(request.user, unit, period)
    board = snapshot.board
    context.update(
        board=board,
        snapshot=snapshot if snapshot.kept else None,
        max_age_minutes=snapshots.max_age() // 60,
        span_url=board.data_span and dashboard_url(unit.key, board.data_span),
    )
    return render(request, "stats/staff/dashboard.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def dashboard_export(request):
    """The dashboard as an .xlsx workbook (stats.export.export_dashboard); a
    POST starts the same as a background job."""
    asked = requested_unit(request.user, request.GET)
    unit, period = asked.unit, asked.period
    if request.method == "POST":
        # A city over years: made by a background job, downloaded from its page
        # (the unit and period are in the query string, as for the download).
        return redirect(stats_export_start(request, unit, period))
    content, filename = export_dashboard(request.user, unit, period, request=request)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    return response
