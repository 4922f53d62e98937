"""The statistics app's kind of background job: the dashboard as an Excel
workbook (the same as its direct download, for a large unit or a long period),
registered with the job framework when the app is ready."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.jobs import JobResult, job_start
from stations.permissions import unit_path

from .export import export_dashboard
from .request import requested_unit

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
    asked = requested_unit(user, QueryDict(job.params.get("query", "")))
    unit, period = asked.unit, asked.period
    content, file_name = export_dashboard(user, unit, period, progress=progress)
    progress(2, 2)
    return JobResult(
        message=_("统计表已生成：%(unit)s，%(period)s。")
        % {"unit": unit.label, "period": period.label},
        file_name=file_name,
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
