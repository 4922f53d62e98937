"""Figures of the people served in a unit: files by category, unique persons
from attendance, visits and overdue files, cases. Counts only, never a name:
the dashboard shows no person's data, so these figures follow the same read
scope as the files themselves (``station_read_q``) and nothing more.

Unique persons come from attendance (a beneficiary who attended several
reports of the period is one person); the reports' typed ``persons`` are a
different figure and are shown apart from it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce

from activities.models import BeneficiaryCategory
from beneficiaries.models import Attendance, Beneficiary, Case, Visit
from beneficiaries.selectors import (
    last_visit_subquery,
    visit_cutoff_subquery,
    visit_cutoffs,
)
from stats.period import Period
from stats.reports import approved_reports
from stats.scope import StatsUnit, unit_station_q

ACTIVE = Beneficiary.Status.ACTIVE


def _files(user, unit: StatsUnit):
    return Beneficiary.objects.filter(unit_station_q(user, unit, "station__"))


def _served_q(reports, period: Period) -> Q:
    """A file was served in the period when it attended one of the period's
    approved reports or was visited in the period.

    The attendance is an uncorrelated IN subquery: the database builds the set
    once, and the unit's reports of a period are few. The visits are an EXISTS
    for each file, one look-up in the index of its visits by date: a set of
    visits must be built by a look-up for each of the unit's files anyway, and
    PostgreSQL hashes it only when it fits in work_mem, scanning it again for
    every file otherwise (the province's visits of a year, 600,000 at full
    scale, once made a county's dashboard take minutes)."""
    attended = Attendance.objects.filter(report__in=reports.values("pk")).values(
        "beneficiary_id"
    )
    visited = Visit.objects.filter(
        beneficiary=OuterRef("pk"), date__gte=period.first_day, date__lt=period.after
    )
    return Q(pk__in=attended) | Q(Exists(visited))


@dataclass
class CategoryFigures:
    """The active files on file in all are the file figures' (``FileFigures``,
    by station), not counted again here."""

    categories: list  # (BeneficiaryCategory, on file, served)
    served: int  # distinct files served in the period
    no_category: tuple = (0, 0)


def category_figures(user, unit: StatsUnit, period: Period) -> CategoryFigures:
    """Active files and files served in the period, by category (a person in two
    categories is in both rows), and the files served in all (each person
    once; the active files in all are ``file_figures``'). Three queries: the
    categories, the counts by category, the total served.

    The counts by category go from the unit's files to their category links,
    a LEFT JOIN whose row of None is the files without any category, so no
    set of the unit's files or links is built to be looked up; and a file has
    a category once (the link table's unique key), so no DISTINCT. At province
    scale (bench/scale_staff.py's county: 25,620 files, 31,337 links; median
    of 7 runs of each statement, buffers from EXPLAIN ANALYZE):

    - before: by category 114 ms, 261,657 buffers (the unit's files hashed
      and fetched again by key, a sort for each DISTINCT); totals 130 ms,
      237,468 buffers (the unit's links looked up and hashed twice, for the
      files without category);
    - after: by category 62 ms, 165,548 buffers; totals 31 ms, 73,405."""
    files = _files(user, unit)
    served = _served_q(approved_reports(user, unit, period), period)
    active = Q(status=ACTIVE)
    rows = {
        row["categories"]: row
        for row in files.values("categories")
        .annotate(on_file=Count("pk", filter=active), served=Count("pk", filter=served))
        .order_by()
    }
    bare = rows.pop(None, {})
    totals = files.aggregate(served=Count("pk", filter=served))
    categories = [
        (c, rows.get(c.pk, {}).get("on_file", 0), rows.get(c.pk, {}).get("served", 0))
        for c in BeneficiaryCategory.objects.order_by("display_order", "name")
        if c.is_active or c.pk in rows
    ]
    return CategoryFigures(
        categories=categories,
        served=totals["served"],
        no_category=(bare.get("on_file", 0), bare.get("served", 0)),
    )


@dataclass
class AttendanceFigures:
    """Attendance at the period's approved reports: ``persons`` distinct people,
    ``person_times`` attendances, over ``reports`` reports that have any."""

    persons: int
    person_times: int
    reports: int
    by_group: dict = field(default_factory=dict)  # key -> (persons, times, reports)


def attendance_figures(user, unit: StatsUnit, period: Period) -> AttendanceFigures:
    """Two queries: the distinct totals, and the same by the unit's breakdown
    (county or station of the report). A person who attended reports of two
    stations is one person in the total and one in each station's row."""
    rows = Attendance.objects.filter(
        report__in=approved_reports(user, unit, period).values("pk")
    )
    aggregates = {
        "persons": Count("beneficiary_id", distinct=True),
        "person_times": Count("pk"),
        "reports": Count("report_id", distinct=True),
    }
    totals = rows.aggregate(**aggregates)
    by_group = {}
    group = {
        "city": "report__city_id",
        "county": "report__county_id",
        "station": "report__station_id",
    }.get(unit.breakdown)
    if group:
        for row in rows.values(group).annotate(**aggregates).order_by():
            by_group[row[group]] = (row["persons"], row["person_times"], row["reports"])
    return AttendanceFigures(by_group=by_group, **totals)


@dataclass
class FileFigures:
    """Per station: active files, overdue ones, never visited; visits of the
    period by kind and the files they reached; cases."""

    by_station: dict  # station_id -> dict of counts

    KEYS = (
        "active",
        "overdue",
        "never_visited",
        "home",
        "phone",
        "office",
        "visited",
        "cases_opened",
        "cases_open",
        "cases_in_progress",
        "cases_closed",
    )

    def for_stations(self, station_ids) -> dict:
        total = dict.fromkeys(self.KEYS, 0)
        for pk in station_ids:
            for key, value in self.by_station.get(pk, {}).items():
                total[key] += value
        return total


def file_figures(
    user, unit: StatsUnit, period: Period, *, today: datetime.date
) -> FileFigures:
    """Four grouped queries by station: the categories' visit periods, the files
    (active, overdue, never visited; the overdue rule is the file list's, see
    overdue_list in beneficiaries/selectors.py), the period's visits by kind,
    and the cases."""
    by_station: dict = defaultdict(dict)
    # Each file's last contact is compared once, with the latest cutoff of its
    # categories (selectors.visit_cutoff_subquery), so its latest visit and its
    # categories are each looked up once; comparing with each period in use
    # looked them up once a period. The county above, 23,529 active files:
    # - before: 148 ms, 416,162 buffers, 7 SubPlans (23,529 + 22,565 + 14,466
    #   + 12,983 + 5,643 + 4,007 + 23,529 loops);
    # - after: 80 ms, 212,488 buffers, 3 SubPlans of 23,529 loops (latest
    #   visit, cutoff, any visit), each an index-only scan.
    files = (
        _files(user, unit)
        .filter(status=ACTIVE)
        .annotate(
            last_contact=Coalesce(last_visit_subquery(), "opened_on"),
            cutoff=visit_cutoff_subquery(visit_cutoffs(today)),
        )
        .values("station_id")
        .annotate(
            active=Count("pk"),
            overdue=Count("pk", filter=Q(last_contact__lt=F("cutoff"))),
            never_visited=Count(
                "pk", filter=~Exists(Visit.objects.filter(beneficiary=OuterRef("pk")))
            ),
        )
        .order_by()
    )
    for row in files:
        by_station[row.pop("station_id")].update(row)
    visits = (
        Visit.objects.filter(
            unit_station_q(user, unit, "beneficiary__station__"),
            date__gte=period.first_day,
            date__lt=period.after,
        )
        .values("beneficiary__station_id")
        .annotate(
            home=Count("pk", filter=Q(kind=Visit.Kind.HOME)),
            phone=Count("pk", filter=Q(kind=Visit.Kind.PHONE)),
            office=Count("pk", filter=Q(kind=Visit.Kind.OFFICE)),
            visited=Count("beneficiary_id", distinct=True),
        )
        .order_by()
    )
    for row in visits:
        by_station[row.pop("beneficiary__station_id")].update(row)
    in_period = Q(opened_on__gte=period.first_day, opened_on__lt=period.after)
    closed_in_period = Q(
        status=Case.Status.CLOSED,
        closed_on__gte=period.first_day,
        closed_on__lt=period.after,
    )
    cases = (
        Case.objects.filter(unit_station_q(user, unit, "beneficiary__station__"))
        .values("beneficiary__station_id")
        .annotate(
            cases_opened=Count("pk", filter=in_period),
            cases_open=Count("pk", filter=Q(status=Case.Status.OPEN)),
            cases_in_progress=Count("pk", filter=Q(status=Case.Status.IN_PROGRESS)),
            cases_closed=Count("pk", filter=closed_in_period),
        )
        .order_by()
    )
    for row in cases:
        by_station[row.pop("beneficiary__station_id")].update(row)
    return FileFigures(by_station=dict(by_station))
