"""Report figures of a unit and period, each one grouped query in the database.

Which reports count: approved ones whose activity started in the period (a
report belongs to the month of its start date, once). Drafts, reports waiting
for review and returned ones do not count: they may still change. The counts a
report carries (人次, 户, 人, volunteers, hours) are summed each on its own and
never added to each other (DESIGN.md §2); a report that left a count blank adds
nothing to it, and how many reports filled each count is kept beside the sum."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from activities.models import ActivityKind, ActivityReport, Status
from stations.models import Village
from stats.period import Period
from stats.scope import StatsUnit, unit_report_q
from stats.tables import one_decimal

COUNT_FIELDS = ("person_times", "households", "persons", "volunteers", "service_hours")


@dataclass
class Counts:
    """Sums of one group of reports. ``filled[name]`` is how many of them gave
    that count (the rest left it blank)."""

    reports: int = 0
    person_times: int = 0
    households: int = 0
    persons: int = 0
    volunteers: int = 0
    service_hours: Decimal = Decimal("0.0")
    filled: dict = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        self.reports += other.reports
        for name in COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
            self.filled[name] = self.filled.get(name, 0) + other.filled.get(name, 0)

    def blank(self, name: str) -> int:
        return self.reports - self.filled.get(name, 0)


def _aggregates() -> dict:
    sums = {f"{name}_sum": Sum(name) for name in COUNT_FIELDS}
    filled = {f"{name}_filled": Count(name) for name in COUNT_FIELDS}
    return {"n_reports": Count("pk"), **sums, **filled}


def _counts(row: dict) -> Counts:
    counts = Counts(reports=row["n_reports"])
    for name in COUNT_FIELDS:
        value = row[f"{name}_sum"]
        if value is not None:
            setattr(
                counts, name, one_decimal(value) if name == "service_hours" else value
            )
        counts.filled[name] = row[f"{name}_filled"]
    return counts


def approved_reports(user, unit: StatsUnit, period: Period) -> QuerySet:
    """The approved reports of the unit that the user may read, whose activity
    started in the period."""
    return ActivityReport.objects.filter(
        unit_report_q(user, unit),
        status=Status.APPROVED,
        start_date__gte=period.first_day,
        start_date__lt=period.after,
    )


def approved_span(user, unit: StatsUnit) -> Period | None:
    """The months in which the unit's approved reports started, whatever the
    period: offered when the chosen period holds none (a demo of 2023 opened in
    another year would otherwise show a page of zeros). One query."""
    span = ActivityReport.objects.filter(
        unit_report_q(user, unit), status=Status.APPROVED
    ).aggregate(first=Min("start_date"), last=Max("start_date"))
    if span["first"] is None:
        return None
    return Period(span["first"].replace(day=1), span["last"].replace(day=1))


def latest_approved_start(user, unit: StatsUnit) -> datetime.date | None:
    """The start date of the unit's latest approved report that the user may
    read, or None when there is none: what the page opens on. One query."""
    return ActivityReport.objects.filter(
        unit_report_q(user, unit), status=Status.APPROVED
    ).aggregate(latest=Max("start_date"))["latest"]


def reports_fingerprint(user, unit: StatsUnit, period: Period) -> tuple:
    """How many of the unit's reports of the period the user reads, whatever
    their status, and when the latest of them changed (every transition and
    edit saves ``updated_at``): it changes when a report is filed, submitted,
    approved, returned, edited or deleted, so a kept dashboard whose
    fingerprint differs is counted again (stats/snapshots.py). One query, on
    the index of a county's reports by start date."""
    row = ActivityReport.objects.filter(
        unit_report_q(user, unit),
        start_date__gte=period.first_day,
        start_date__lt=period.after,
    ).aggregate(n=Count("pk"), changed=Max("updated_at"))
    return row["n"], row["changed"]


@dataclass
class ReportFigures:
    total: Counts
    by_month: dict  # month (date) -> Counts
    by_kind: list  # (ActivityKind, Counts) in the kinds' order, zero rows too
    by_group: dict  # county_id / station_id / None (the bureau) -> Counts


def report_figures(user, unit: StatsUnit, period: Period) -> ReportFigures:
    """Three queries: the sums by month and kind (totals, months and kinds are
    rolled up from those grouped rows, never from report rows), the kinds' names,
    and the sums by the unit's breakdown (city, county or station)."""
    reports = approved_reports(user, unit, period)
    grid = (
        reports.annotate(month=TruncMonth("start_date"))
        .values("month", "kind_id")
        .annotate(**_aggregates())
        .order_by()
    )
    total = Counts()
    by_month: dict = defaultdict(Counts)
    by_kind_id: dict = defaultdict(Counts)
    for row in grid:
        counts = _counts(row)
        total.add(counts)
        month = row["month"]
        if isinstance(month, datetime.datetime):  # a backend's truncated date
            month = month.date()
        by_month[month].add(counts)
        by_kind_id[row["kind_id"]].add(counts)
    kinds = list(ActivityKind.objects.order_by("display_order", "name"))
    by_kind = [
        (kind, by_kind_id.get(kind.pk, Counts()))
        for kind in kinds
        if kind.is_active or kind.pk in by_kind_id
    ]
    by_group = {}
    group = {"city": "city_id", "county": "county_id", "station": "station_id"}.get(
        unit.breakdown
    )
    if group:
        rows = reports.values(group).annotate(**_aggregates()).order_by()
        by_group = {row[group]: _counts(row) for row in rows}
    return ReportFigures(
        total=total, by_month=dict(by_month), by_kind=by_kind, by_group=by_group
    )


@dataclass
class VillageFigures:
    """Villages of the unit's towns, and how many of them the period's approved
    reports reached, by town (``{town_id: (reached, total)}``)."""

    by_town: dict
    town_county: dict  # town_id -> county_id
    town_city: dict = field(default_factory=dict)  # town_id -> city_id

    def total(self, towns=None) -> tuple[int, int]:
        reached = total = 0
        for town_id, (r, t) in self.by_town.items():
            if towns is None or town_id in towns:
                reached += r
                total += t
        return reached, total

    def for_area(self, breakdown: str, area_id) -> tuple[int, int]:
        """The villages of one county (``breakdown="county"``) or city."""
        areas = self.town_city if breakdown == "city" else self.town_county
        return self.total({t for t, a in areas.items() if a == area_id})


def village_figures(user, unit: StatsUnit, period: Period) -> VillageFigures:
    """One grouped query over the villages of the unit's towns: a village is
    reached when an approved report of the unit in the period lists it among the
    villages reached or took place in it. Villages outside the unit's towns that
    a report reached are not counted: the figure is a share of the unit's own."""
    reports = approved_reports(user, unit, period)
    through = ActivityReport.villages_reached.through
    # Two uncorrelated sets, each built once: the villages the reports list,
    # and those they took place in.
    listed = through.objects.filter(activityreport__in=reports.values("pk")).values(
        "village_id"
    )
    held_there = reports.filter(village__isnull=False).values("village_id")
    rows = (
        Village.objects.filter(unit.town_q("town__"))
        .values("town_id", "town__county_id", "town__county__city_id")
        .annotate(
            total=Count("pk"),
            reached=Count("pk", filter=Q(pk__in=listed) | Q(pk__in=held_there)),
        )
        .order_by()
    )
    by_town = {}
    town_county, town_city = {}, {}
    for row in rows:
        by_town[row["town_id"]] = (row["reached"], row["total"])
        town_county[row["town_id"]] = row["town__county_id"]
        town_city[row["town_id"]] = row["town__county__city_id"]
    return VillageFigures(by_town=by_town, town_county=town_county, town_city=town_city)
