"""The statistics app's kind of background job: the dashboard as an Excel
workbook (the same as its direct download, for a large unit or a long period),
registered with the job framework when the app is ready."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_record
from core.jobs import JobResult, job_start
from core.models import AuditEntry
from stations.permissions import unit_path

from .dashboard import build_dashboard
from .export import dashboard_workbook, export_filename
from .period import period_from_params
from .scope import resolve_unit, unit_options

STATS_EXPORT = "stats_export"


def stats_export_start(request, unit, period):
    """Start the Excel export of the dashboard the request asks for (its query
    string: unit and period), filed under the dashboard's unit."""
    filed_under = (
        unit_path(unit.obj) if unit.kind in ("city", "county", "station") else ""
    )
    return job_start(
        kind=STATS_EXPORT,
        by=request.user,
        title=_("导出统计表：%(unit)s，%(period)s")
        % {"unit": unit.label, "period": period.label},
        params={"query": request.GET.urlencode()},
        unit=filed_under,
    )


def stats_export_job(job, progress) -> JobResult:
    """Params: ``query``, the dashboard's query string (unit and period), read
    again for the starter: a unit out of their reach falls back as on the page.
    Figures only, no person's data; recorded in the audit log."""
    user = job.started_by
    query = QueryDict(job.params.get("query", ""))
    unit, _error = resolve_unit(user, query.get("unit", ""), unit_options(user))
    if unit is None:
        raise PermissionDenied
    period, _error = period_from_params(query)
    progress(0, 2, _("统计各项数字"))
    board = build_dashboard(user, unit, period, late_limit=None, list_limit=None)
    progress(1, 2, _("生成 Excel 文件"))
    content = dashboard_workbook(board, user)
    audit_record(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        target=unit.obj,
        label=unit.label,
        detail=_("统计表导出：%(p)s") % {"p": period.label},
    )
    progress(2, 2)
    return JobResult(
        message=_("统计表已生成：%(unit)s，%(period)s。")
        % {"unit": unit.label, "period": period.label},
        file_name=export_filename(board),
        file_data=content,
    )


def register_kinds() -> None:
    """Who may see the export besides its starter: who manages its unit."""
    from core.jobs import JobKind, register
    from stations.permissions import job_units_q

    register(
        JobKind(
            STATS_EXPORT,
            gettext_lazy("统计表导出 Excel"),
            stats_export_job,
            visible_to=job_units_q,
        )
    )
