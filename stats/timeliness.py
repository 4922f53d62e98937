"""Timeliness and completeness of station reporting, as health information
systems measure it for their reporting units.

The rule (shown on the dashboard):

- Each station is expected to file at least ``STATS_MIN_REPORTS_PER_MONTH``
  reports for every month of the period, from the month it opened.
- A report is filed for the month its activity started in. It is *received*
  once submitted (waiting for review or approved; one sent back and not yet
  submitted again is not), and *on time* when it was submitted by day
  ``STATS_REPORT_DUE_DAY`` of the following month (Asia/Shanghai), judged by its
  latest submission. A report back-filled from paper has no submission time:
  it counts as received, not as on time.
- A month counts only once its due day has passed: until then a station may
  still file on time.
- Completeness is the expected reports received (a station's reports beyond
  the minimum do not make up for another month or station); timeliness is the
  expected reports received on time.

Two queries: received and on-time reports by station and month (grouped, with
one condition per month for the due dates), and the late reports to list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from activities.models import ActivityReport, Level, Status
from activities.permissions.reports import report_read_q
from stats.period import Period, add_months
from stats.scope import StatsUnit

RECEIVED = (Status.SUBMITTED, Status.APPROVED)
# The page lists this many late reports; the export lists them all.
LATE_LIST_LIMIT = 100


def min_reports() -> int:
    return max(0, int(getattr(settings, "STATS_MIN_REPORTS_PER_MONTH", 2)))


def due_day() -> int:
    # Day 29 to 31 do not exist in every month: 28 is the latest due day.
    return min(28, max(1, int(getattr(settings, "STATS_REPORT_DUE_DAY", 5))))


def due_date(month: datetime.date) -> datetime.date:
    """The last day a report for ``month`` counts as on time."""
    return add_months(month, 1).replace(day=due_day())


def deadline(month: datetime.date) -> datetime.datetime:
    """The first moment after the due date, in the project's time zone."""
    day = due_date(month) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day))


def due_months(period: Period, today: datetime.date) -> list[datetime.date]:
    return [m for m in period.months if due_date(m) < today]


def _on_time_q(months) -> Q:
    q = Q(pk__in=[])
    for month in months:
        q |= Q(
            start_date__gte=month,
            start_date__lt=add_months(month, 1),
            submitted_at__lt=deadline(month),
        )
    return q


def _station_reports(user, unit: StatsUnit, months):
    q = unit.report_q() & Q(level=Level.STATION)
    read = report_read_q(user)
    if read is not None:
        q &= read
    return ActivityReport.objects.filter(
        q,
        status__in=RECEIVED,
        start_date__gte=months[0],
        start_date__lt=add_months(months[-1], 1),
    )


@dataclass
class Tally:
    expected: int = 0
    received: int = 0
    on_time: int = 0
    complete: int = 0  # expected reports received (at most the minimum a month)
    timely: int = 0  # expected reports received on time
    missing: list = field(default_factory=list)  # (month, received, expected)

    @property
    def late(self) -> int:
        return self.received - self.on_time

    @property
    def shortfall(self) -> int:
        return self.expected - self.complete

    def add(self, other: Tally) -> None:
        self.expected += other.expected
        self.received += other.received
        self.on_time += other.on_time
        self.complete += other.complete
        self.timely += other.timely


@dataclass
class Timeliness:
    months: list  # the due months counted
    pending: list  # months of the period not yet due
    minimum: int
    due_day: int
    by_station: dict  # station_id -> Tally
    total: Tally
    late: list  # late reports (up to the limit), each with ``days_late``
    late_count: int

    def for_stations(self, station_ids) -> Tally:
        tally = Tally()
        for pk in station_ids:
            if pk in self.by_station:
                tally.add(self.by_station[pk])
        return tally


def _expected(station, month: datetime.date, minimum: int) -> int:
    """A station is expected to file from the month it opened."""
    opened = station.opened_on
    if opened is not None and opened >= add_months(month, 1):
        return 0
    return minimum


def timeliness(
    user,
    unit: StatsUnit,
    period: Period,
    stations: list,
    *,
    today: datetime.date | None = None,
    late_limit: int | None = LATE_LIST_LIMIT,
) -> Timeliness:
    """Timeliness of ``stations`` (the unit's, as loaded for the dashboard)."""
    today = today or timezone.localdate()
    months = due_months(period, today)
    pending = [m for m in period.months if m not in months]
    minimum = min_reports()
    by_station = {s.pk: Tally() for s in stations}
    total = Tally()
    late, late_count = [], 0
    if months:
        on_time = _on_time_q(months)
        reports = _station_reports(user, unit, months)
        grid = {
            (row["station_id"], _as_date(row["month"])): row
            for row in reports.annotate(month=TruncMonth("start_date"))
            .values("station_id", "month")
            .annotate(received=Count("pk"), on_time=Count("pk", filter=on_time))
            .order_by()
        }
        for station in stations:
            tally = by_station[station.pk]
            for month in months:
                row = grid.get((station.pk, month), {})
                received, timely = row.get("received", 0), row.get("on_time", 0)
                expected = _expected(station, month, minimum)
                tally.expected += expected
                tally.received += received
                tally.on_time += timely
                tally.complete += min(received, expected)
                tally.timely += min(timely, expected)
                if received < expected:
                    tally.missing.append((month, received, expected))
            total.add(tally)
        late_count = total.late
        late_qs = (
            reports.exclude(on_time)
            .filter(station_id__in=list(by_station))
            .select_related("station__town__county", "kind")
            .order_by(
                "station__town__county__display_order",
                "station__town__display_order",
                "start_date",
                "pk",
            )
        )
        if late_limit is not None:
            late_qs = late_qs[:late_limit]
        late = list(late_qs)
        for report in late:
            month = report.start_date.replace(day=1)
            report.due_date = due_date(month)
            # A report back-filled from paper has no submission time: it counts
            # as received, not as on time.
            report.days_late = (
                (timezone.localdate(report.submitted_at) - report.due_date).days
                if report.submitted_at
                else None
            )
    return Timeliness(
        months=months,
        pending=pending,
        minimum=minimum,
        due_day=due_day(),
        by_station=by_station,
        total=total,
        late=late,
        late_count=late_count,
    )


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    return value
