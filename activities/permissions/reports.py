"""Scope for reports (DESIGN.md §4), built on stations/permissions.py.

=================  ======================================  ==========================
role               reads                                   files (draft, submit)
=================  ======================================  ==========================
social worker,     own station's reports                   own station
station head
supervisor         assigned stations' reports (comments)   –
county reviewer    county's station and county reports     the county bureau
city editor        every report in the city                the city bureau
=================  ======================================  ==========================

Review: a station report is approved or returned by its county's reviewer or the
city editor; a county-bureau or city-bureau report by the city editor.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from activities.models import ActivityReport, Level, Status
from stations.permissions import get_scope


def report_read_q(user) -> Q | None:
    scope = get_scope(user)
    if scope.is_superuser:
        return None
    q = Q(pk__in=[])
    if scope.editor_cities:
        q |= Q(city__in=scope.editor_cities)
    if scope.reviewer_counties:
        q |= Q(county__in=scope.reviewer_counties)
    if scope.supervisor_counties:
        q |= Q(level=Level.STATION, county__in=scope.supervisor_counties)
    stations = scope.member_stations | scope.supervisor_stations
    if stations:
        q |= Q(level=Level.STATION, station__in=stations)
    return q


def report_write_q(user) -> Q | None:
    """Reports the user may edit and submit, whatever their status: those of the
    units the user files for."""
    scope = get_scope(user)
    if scope.is_superuser:
        return None
    q = Q(pk__in=[])
    if scope.member_stations:
        q |= Q(level=Level.STATION, station__in=scope.member_stations)
    if scope.reviewer_counties:
        q |= Q(level=Level.COUNTY, county__in=scope.reviewer_counties)
    if scope.editor_cities:
        q |= Q(level=Level.CITY, city__in=scope.editor_cities)
    return q


def report_review_q(user) -> Q | None:
    scope = get_scope(user)
    if scope.is_superuser:
        return None
    q = Q(pk__in=[])
    if scope.reviewer_counties:
        q |= Q(level=Level.STATION, county__in=scope.reviewer_counties)
    if scope.editor_cities:
        q |= Q(city__in=scope.editor_cities)
    return q


def _filter(q: Q | None) -> QuerySet[ActivityReport]:
    qs = ActivityReport.objects.all()
    return qs if q is None else qs.filter(q)


def reports_visible_to(user) -> QuerySet[ActivityReport]:
    return _filter(report_read_q(user))


def reports_writable_by(user) -> QuerySet[ActivityReport]:
    return _filter(report_write_q(user))


def reports_reviewable_by(user) -> QuerySet[ActivityReport]:
    return _filter(report_review_q(user))


def get_report_for_user(user, pk, *, write: bool = False) -> ActivityReport:
    """The report if the user may read it (or, with ``write``, edit it); else 404."""
    qs = reports_writable_by(user) if write else reports_visible_to(user)
    return get_object_or_404(
        qs.select_related(
            "city",
            "county",
            "station__town__county",
            "kind",
            "town",
            "village__town",
            # 填报人: the person's name (core/people.py) in the same query.
            "author__social_worker",
        ),
        pk=pk,
    )


# Questions about one report already loaded: answered from the scope's id sets.


def can_write(user, report: ActivityReport) -> bool:
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    if report.level == Level.STATION:
        return report.station_id in scope.member_stations
    if report.level == Level.COUNTY:
        return report.county_id in scope.reviewer_counties
    return report.city_id in scope.editor_cities


def can_review(user, report: ActivityReport) -> bool:
    scope = get_scope(user)
    if scope.is_superuser or report.city_id in scope.editor_cities:
        return True
    return report.level == Level.STATION and report.county_id in scope.reviewer_counties


def can_comment(user, report: ActivityReport) -> bool:
    """Reviewers comment as they review; a supervisor of the station comments only."""
    scope = get_scope(user)
    if can_review(user, report):
        return True
    return report.level == Level.STATION and (
        report.station_id in scope.supervisor_stations
        or report.county_id in scope.supervisor_counties
    )


def can_backfill(user, *, level, city_id, county_id) -> bool:
    """Whether ``user`` may record a past report of the unit as approved history
    (the report import): only those who would review it."""
    scope = get_scope(user)
    if scope.is_superuser or city_id in scope.editor_cities:
        return True
    return level in (Level.STATION, Level.COUNTY) and (
        county_id in scope.reviewer_counties
    )


def filing_units(user) -> list[tuple[str, object]]:
    """The (level, unit) pairs the user may file a new report for, in the order a
    form offers them: stations, then county bureaus, then city bureaus."""
    from stations.models import City, County, Station

    scope = get_scope(user)
    units: list[tuple[str, object]] = []
    stations = Station.objects.with_place().filter(pk__in=scope.member_stations)
    units += [(Level.STATION, s) for s in stations]
    units += [
        (Level.COUNTY, c)
        for c in County.objects.select_related("city").filter(
            pk__in=scope.reviewer_counties
        )
    ]
    units += [(Level.CITY, c) for c in City.objects.filter(pk__in=scope.editor_cities)]
    return units


def reviews_reports(user) -> bool:
    """Whether the user decides on any reports at all (has a review queue)."""
    scope = get_scope(user)
    return scope.is_superuser or bool(scope.reviewer_counties or scope.editor_cities)


def review_queue(user) -> QuerySet[ActivityReport]:
    """Submitted reports waiting for this user's decision, oldest first."""
    return (
        reports_reviewable_by(user)
        .filter(status=Status.SUBMITTED)
        .order_by("submitted_at", "pk")
    )
