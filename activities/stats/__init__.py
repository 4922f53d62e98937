"""Statistics: what the stations did, for whom, and whether they reported on time
(issue 8).

- ``scope.py``: the unit a dashboard is about (city, county, station, a
  supervisor's stations) and which units a user may choose; always on top of
  the scope module's filters.
- ``period.py``: whole months from/to, parsed from the query string.
- ``reports.py``, ``timeliness.py``, ``network.py``, ``beneficiaries.py``: the
  figures, each a grouped query in the database (``values().annotate()``,
  conditional aggregation, ``TruncMonth``); Python arranges grouped rows, it
  never loads report rows to count them.
- ``dashboard.py`` and ``sections/``: the figures as tiles and tables;
  ``charts.py`` draws their bar charts as SVG; ``export.py`` writes the same
  tables to an Excel workbook.
- ``writing/``: figures for writing, ``text_figure_checks`` (how to call it:
  its docstring).

Counts of different kinds (人次, 户, 人) are summed each on its own and never
added to each other (DESIGN.md §2).
"""

from .dashboard import Dashboard, build_dashboard, dashboard_url
from .export import dashboard_workbook, export_filename
from .period import Period, default_period, period_from_params
from .scope import StatsUnit, resolve_unit, unit_options
from .writing import (
    FigureChecks,
    Mention,
    Record,
    find_mentions,
    project_records,
    report_records,
    text_figure_checks,
    training_records,
)

__all__ = [
    "Dashboard",
    "FigureChecks",
    "Mention",
    "Period",
    "Record",
    "StatsUnit",
    "build_dashboard",
    "dashboard_url",
    "dashboard_workbook",
    "default_period",
    "export_filename",
    "find_mentions",
    "period_from_params",
    "project_records",
    "report_records",
    "resolve_unit",
    "text_figure_checks",
    "training_records",
    "unit_options",
]
