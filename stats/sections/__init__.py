"""The dashboard's tables and charts, one module per part of the dashboard,
built from figures already computed (no queries here)."""

from stats.sections.common import LIST_LIMIT, month_label
from stats.sections.network import station_table, training_table, worker_table
from stats.sections.people import (
    attendance_table,
    case_table,
    category_table,
    file_table,
)
from stats.sections.reports import report_tables, village_table
from stats.sections.timeliness import timeliness_rule, timeliness_tables

__all__ = [
    "attendance_table",
    "case_table",
    "category_table",
    "file_table",
    "LIST_LIMIT",
    "month_label",
    "report_tables",
    "station_table",
    "timeliness_rule",
    "timeliness_tables",
    "training_table",
    "village_table",
    "worker_table",
]
