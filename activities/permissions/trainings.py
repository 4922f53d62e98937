"""Who sees and manages trainings and projects (the table below), as Q filters,
querysets and query-free checks on the scope's id sets.

Scope (built on stations/permissions.py, DESIGN.md §4):

=================  ===================================  ============================
object             visible to                           managed by
=================  ===================================  ============================
training of a      the city's editors                   the city's editors
city
training of a      the county's reviewers and           the county's reviewers and
county             supervisors, the city's editors      the city's editors
project            as the station's reports: station    the station's head and
                   members, its supervisors, the        deputy heads, the county
                   county reviewer, the city editor     reviewer, the city editor
=================  ===================================  ============================
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from activities.models import Project, Training
from stations.models import City, County, SocialWorker, Station
from stations.permissions import get_scope, station_read_q

# --- Training scope ------------------------------------------------------------------


def training_manage_q(user) -> Q | None:
    """Trainings the user may edit, add sessions to and record attendance for.
    ``None`` means all (a superuser)."""
    scope = get_scope(user)
    if scope.is_superuser:
        return None
    # The city editor manages the city's own trainings and its counties' ones.
    return Q(city__in=scope.editor_cities) | Q(county__in=scope.reviewer_counties)


def training_read_q(user) -> Q | None:
    q = training_manage_q(user)
    if q is None:
        return None
    scope = get_scope(user)
    if scope.supervisor_counties:
        q |= Q(county__in=scope.supervisor_counties)
    return q


def _filtered(qs: QuerySet, q: Q | None) -> QuerySet:
    return qs if q is None else qs.filter(q)


def trainings_visible_to(user) -> QuerySet[Training]:
    return _filtered(Training.objects.all(), training_read_q(user))


def trainings_manageable_by(user) -> QuerySet[Training]:
    return _filtered(Training.objects.all(), training_manage_q(user))


def can_manage_training(user, training: Training) -> bool:
    """Answered from the scope's id sets, without a query."""
    return can_organise(user, city_id=training.city_id, county_id=training.county_id)


def can_organise(user, *, city_id, county_id=None) -> bool:
    scope = get_scope(user)
    return (
        scope.is_superuser
        or city_id in scope.editor_cities
        or (county_id is not None and county_id in scope.reviewer_counties)
    )


def organisers_for(user) -> list[tuple[City, County | None]]:
    """The (city, county) pairs the user may organise a training for, as a form
    offers them: each city the user edits for, then the counties, by city."""
    scope = get_scope(user)
    if scope.is_superuser:
        cities = list(City.objects.all())
        counties = list(County.objects.select_related("city"))
    else:
        cities = list(City.objects.filter(pk__in=scope.editor_cities))
        counties = list(
            County.objects.select_related("city").filter(
                Q(city__in=scope.editor_cities) | Q(pk__in=scope.reviewer_counties)
            )
        )
    return [(city, None) for city in cities] + [(c.city, c) for c in counties]


def training_area_q(training: Training, prefix: str = "") -> Q:
    """Stations in the organiser's city or county; with ``prefix="station__"``,
    the workers of those stations."""
    if training.county_id:
        return Q(**{f"{prefix}town__county": training.county_id})
    return Q(**{f"{prefix}town__county__city": training.city_id})


def trainees_eligible_for(training: Training) -> QuerySet[SocialWorker]:
    """The workers who may be recorded as attending: those of the stations in the
    organiser's city or county."""
    return SocialWorker.objects.filter(training_area_q(training, "station__"))


def stations_of_training_area(training: Training) -> QuerySet[Station]:
    return Station.objects.with_place().filter(training_area_q(training))


# --- Project scope -----------------------------------------------------------------


def project_read_q(user) -> Q | None:
    """Projects are seen by whoever sees their station's reports."""
    return station_read_q(user, "station__")


def project_manage_q(user) -> Q | None:
    scope = get_scope(user)
    if scope.is_superuser:
        return None
    return (
        Q(station__town__county__city__in=scope.editor_cities)
        | Q(station__town__county__in=scope.reviewer_counties)
        | Q(station__in=scope.lead_stations)
    )


def projects_visible_to(user) -> QuerySet[Project]:
    return _filtered(Project.objects.all(), project_read_q(user))


def projects_manageable_by(user) -> QuerySet[Project]:
    return _filtered(Project.objects.all(), project_manage_q(user))


def can_manage_project_of(user, station: Station) -> bool:
    """For a station loaded with its place: answered without a query."""
    scope = get_scope(user)
    county = station.town.county
    return (
        scope.is_superuser
        or county.city_id in scope.editor_cities
        or county.pk in scope.reviewer_counties
        or station.pk in scope.lead_stations
    )


def project_stations_for(user) -> QuerySet[Station]:
    """Stations the user may start a project for."""
    scope = get_scope(user)
    qs = Station.objects.with_place()
    if scope.is_superuser:
        return qs
    return qs.filter(
        Q(town__county__city__in=scope.editor_cities)
        | Q(town__county__in=scope.reviewer_counties)
        | Q(pk__in=scope.lead_stations)
    )
