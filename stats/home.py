"""The staff home's list of late monthly reports for a station head: the
timeliness rule of ``timeliness.py`` applied to the head's stations over the
last twelve months, nothing counted a second way."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from core.todo import TODO_LIMIT
from stations.models import Station
from stats.period import Period, add_months
from stats.scope import ASSIGNED, StatsUnit
from stats.timeliness import timeliness

# How far back the home looks for late and missing reports.
MONTHS_BACK = 12


@dataclass
class LateReports:
    items: list = field(default_factory=list)  # late reports, with ``days_late``
    total: int = 0
    missing: list = field(default_factory=list)  # (station, month, received, expected)
    period: Period | None = None
    stations: list = field(default_factory=list)

    @property
    def count(self) -> int:
        """Late reports and months short, the list's figure."""
        return self.total + len(self.missing)

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))

    def __bool__(self) -> bool:
        return bool(self.total or self.missing)


def late_reports_todo(
    user, station_ids, *, today: datetime.date | None = None
) -> LateReports:
    """Reports of ``station_ids`` submitted after their due date, and the months
    a station filed fewer than it should, over the last twelve months whose due
    day has passed. Three queries (the stations, the grid, the late reports);
    none without stations."""
    if not station_ids:
        return LateReports()
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    period = Period(add_months(this_month, 1 - MONTHS_BACK), this_month)
    stations = list(
        Station.objects.with_place().filter(pk__in=station_ids).order_by("pk")
    )
    unit = StatsUnit(
        ASSIGNED,
        "",
        station_ids=frozenset(s.pk for s in stations),
    )
    figures = timeliness(
        user, unit, period, stations, today=today, late_limit=TODO_LIMIT
    )
    missing = [
        (station, month, received, expected)
        for station in stations
        for month, received, expected in figures.by_station[station.pk].missing
    ]
    return LateReports(
        items=figures.late,
        total=figures.late_count,
        missing=missing,
        period=period,
        stations=stations,
    )
