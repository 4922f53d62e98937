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

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from ..beneficiaries.selectors import last_visit_subquery, visit_period_subquery
from ..models import Attendance, Beneficiary, BeneficiaryCategory, Case, Visit
from .period import Period
from .reports import approved_reports
from .scope import StatsUnit, unit_station_q

ACTIVE = Beneficiary.Status.ACTIVE


def _files(user, unit: StatsUnit):
    return Beneficiary.objects.filter(unit_station_q(user, unit, "station__"))


def _served_q(user, unit: StatsUnit, reports, period: Period, field="pk") -> Q:
    """A file was served in the period when it attended one of the period's
    approved reports or was visited in the period. Written as two uncorrelated
    IN subqueries (the database builds each set once), not EXISTS per row.

    Both sets are the unit's own (the reports are; the visits are narrowed to
    the unit's stations): PostgreSQL keeps such a set in a hash only when it
    fits in work_mem, and otherwise scans it again for every file. The
    province's visits of a year (600,000 at full scale, bench/scale_staff.py)
    made a county's dashboard take minutes; its own few thousand, 0.2 s."""
    attended = Attendance.objects.filter(report__in=reports.values("pk")).values(
        "beneficiary_id"
    )
    visited = Visit.objects.filter(
        unit_station_q(user, unit, "beneficiary__station__"),
        date__gte=period.first_day,
        date__lt=period.after,
    ).values("beneficiary_id")
    return Q(**{f"{field}__in": attended}) | Q(**{f"{field}__in": visited})


@dataclass
class CategoryFigures:
    categories: list  # (BeneficiaryCategory, on file, served)
    on_file: int  # distinct active files, whatever their categories
    served: int  # distinct files served in the period
    no_category: tuple = (0, 0)


def category_figures(user, unit: StatsUnit, period: Period) -> CategoryFigures:
    """Active files and files served in the period, by category (a person in two
    categories is in both rows) and in all (each person once). Three queries:
    the categories, the grouped counts, the distinct totals."""
    reports = approved_reports(user, unit, period)
    files = _files(user, unit)
    through = Beneficiary.categories.through
    rows = {
        row["beneficiarycategory_id"]: row
        for row in through.objects.filter(beneficiary__in=files.values("pk"))
        .values("beneficiarycategory_id")
        .annotate(
            on_file=Count(
                "beneficiary_id",
                distinct=True,
                filter=Q(beneficiary__status=ACTIVE),
            ),
            served=Count(
                "beneficiary_id",
                distinct=True,
                filter=_served_q(user, unit, reports, period, "beneficiary_id"),
            ),
        )
        .order_by()
    }
    served = _served_q(user, unit, reports, period)
    # The unit's files that have a category, for the same reason as above: the
    # whole province's links (3 million) cannot be hashed.
    categorised = through.objects.filter(beneficiary__in=files.values("pk"))
    uncategorised = ~Q(pk__in=categorised.values("beneficiary_id"))
    totals = files.aggregate(
        on_file=Count("pk", filter=Q(status=ACTIVE)),
        served=Count("pk", filter=served),
        bare_on_file=Count("pk", filter=Q(status=ACTIVE) & uncategorised),
        bare_served=Count("pk", filter=uncategorised & served),
    )
    categories = [
        (c, rows.get(c.pk, {}).get("on_file", 0), rows.get(c.pk, {}).get("served", 0))
        for c in BeneficiaryCategory.objects.order_by("display_order", "name")
        if c.is_active or c.pk in rows
    ]
    return CategoryFigures(
        categories=categories,
        on_file=totals["on_file"],
        served=totals["served"],
        no_category=(totals["bare_on_file"], totals["bare_served"]),
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
    group = {"county": "report__county_id", "station": "report__station_id"}.get(
        unit.breakdown
    )
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
    """Four grouped queries by station: the visit periods in use, the files
    (active, overdue, never visited; the overdue rule is the file list's, see
    activities/beneficiaries/selectors.overdue_list), the period's visits by
    kind, and the cases."""
    by_station: dict = defaultdict(dict)
    periods = sorted(
        set(
            BeneficiaryCategory.objects.filter(
                visit_every_days__isnull=False
            ).values_list("visit_every_days", flat=True)
        )
    )
    due = Q(pk__in=[])
    for days in periods:
        due |= Q(period=days, last_contact__lt=today - datetime.timedelta(days=days))
    files = (
        _files(user, unit)
        .filter(status=ACTIVE)
        .annotate(last_visit=last_visit_subquery(), period=visit_period_subquery())
        .annotate(last_contact=Coalesce("last_visit", "opened_on"))
        .values("station_id")
        .annotate(
            active=Count("pk"),
            overdue=Count("pk", filter=due),
            never_visited=Count("pk", filter=Q(last_visit__isnull=True)),
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
