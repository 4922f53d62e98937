"""Scope: which org units a user may see and act on (DESIGN.md §4).

Every other module asks here. Scope is computed once per request from the user's
role assignments (one query) and applied in querysets, so a list never shows an
object out of scope and a lookup out of scope is a 404, never a 403: ids leak
nothing.

Reading the matrix for the organisation:

=================  ==========================  ==========================
role               sees stations and workers   manages (edits)
=================  ==========================  ==========================
social worker      own station                 nothing
station head,      own station                 own station's service points
deputy head
supervisor         assigned county / stations  nothing
county reviewer    county's stations           county's stations, points, workers,
                                               towns and villages of the county
city editor        city's stations             city's stations, points, workers,
                                               counties, towns, villages
superuser          everything                  everything
=================  ==========================  ==========================

Roles are granted and revoked one level down: see ``can_manage_roles_at``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import (
    City,
    County,
    Role,
    ServicePoint,
    SocialWorker,
    Station,
    Town,
    Village,
)

STATION_MEMBER_ROLES = {Role.STATION_HEAD, Role.DEPUTY_HEAD, Role.SOCIAL_WORKER}
STATION_LEAD_ROLES = {Role.STATION_HEAD, Role.DEPUTY_HEAD}


@dataclass(frozen=True)
class Scope:
    """The org units a user holds each kind of role over, as id sets."""

    is_superuser: bool = False
    roles: frozenset = frozenset()
    editor_cities: frozenset = frozenset()
    reviewer_counties: frozenset = frozenset()
    supervisor_counties: frozenset = frozenset()
    supervisor_stations: frozenset = frozenset()
    member_stations: frozenset = frozenset()
    lead_stations: frozenset = frozenset()
    assignments: tuple = field(default=(), compare=False)

    @property
    def is_staff_member(self) -> bool:
        return self.is_superuser or bool(self.roles)

    @property
    def manages_network(self) -> bool:
        return self.is_superuser or bool(self.editor_cities or self.reviewer_counties)

    @property
    def manages_points(self) -> bool:
        return self.manages_network or bool(self.lead_stations)


EMPTY_SCOPE = Scope()


def require(allowed: bool) -> None:
    """Raise PermissionDenied unless ``allowed``: how services refuse."""
    if not allowed:
        raise PermissionDenied


def get_scope(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_portal_scope", None)
    if cached is not None:
        return cached
    rows = list(
        user.role_assignments.values_list("role", "city_id", "county_id", "station_id")
    )
    sets: dict[str, set] = {
        "editor_cities": set(),
        "reviewer_counties": set(),
        "supervisor_counties": set(),
        "supervisor_stations": set(),
        "member_stations": set(),
        "lead_stations": set(),
    }
    for role, city_id, county_id, station_id in rows:
        if role == Role.CITY_EDITOR and city_id:
            sets["editor_cities"].add(city_id)
        elif role == Role.COUNTY_REVIEWER and county_id:
            sets["reviewer_counties"].add(county_id)
        elif role == Role.SUPERVISOR:
            if county_id:
                sets["supervisor_counties"].add(county_id)
            if station_id:
                sets["supervisor_stations"].add(station_id)
        elif role in STATION_MEMBER_ROLES and station_id:
            sets["member_stations"].add(station_id)
            if role in STATION_LEAD_ROLES:
                sets["lead_stations"].add(station_id)
    scope = Scope(
        is_superuser=user.is_superuser,
        roles=frozenset(role for role, *_ in rows),
        assignments=tuple(rows),
        **{name: frozenset(ids) for name, ids in sets.items()},
    )
    user._portal_scope = scope
    return scope


def station_read_q(user, prefix: str = "") -> Q | None:
    """A filter on a Station path (``prefix`` such as ``"station__"``) matching the
    stations the user may read. ``None`` means everything (a superuser); an empty
    scope yields a filter that matches nothing."""
    scope = get_scope(user)
    if scope.is_superuser:
        return None
    q = Q(pk__in=[])
    if scope.editor_cities:
        q |= Q(**{f"{prefix}town__county__city__in": scope.editor_cities})
    counties = scope.reviewer_counties | scope.supervisor_counties
    if counties:
        q |= Q(**{f"{prefix}town__county__in": counties})
    stations = scope.member_stations | scope.supervisor_stations
    if stations:
        q |= Q(**{f"{prefix}pk__in" if not prefix else f"{prefix[:-2]}__in": stations})
    return q


def station_manage_q(user, prefix: str = "") -> Q | None:
    """Stations whose record, points and workers the user may edit."""
    scope = get_scope(user)
    if scope.is_superuser:
        return None
    q = Q(pk__in=[])
    if scope.editor_cities:
        q |= Q(**{f"{prefix}town__county__city__in": scope.editor_cities})
    if scope.reviewer_counties:
        q |= Q(**{f"{prefix}town__county__in": scope.reviewer_counties})
    return q


# Questions about one station already loaded with its place (``with_place()``):
# answered from the scope's id sets, without a query.


def can_manage_station(user, station: Station) -> bool:
    scope = get_scope(user)
    county = station.town.county
    return (
        scope.is_superuser
        or county.city_id in scope.editor_cities
        or county.pk in scope.reviewer_counties
    )


def can_manage_points_of(user, station: Station) -> bool:
    return (
        can_manage_station(user, station) or station.pk in get_scope(user).lead_stations
    )


def can_supervise_station(user, station: Station) -> bool:
    """May record six-standard checks and supervision visits for the station."""
    scope = get_scope(user)
    return (
        can_manage_station(user, station)
        or station.pk in scope.supervisor_stations
        or station.town.county_id in scope.supervisor_counties
    )


def stations_supervisable_by(user) -> QuerySet[Station]:
    """Stations whose 六有 checks and supervision visits the user may record: those
    they manage (county reviewer, city editor) and those they supervise."""
    manage_q = station_manage_q(user)
    if manage_q is None:
        return Station.objects.all()
    scope = get_scope(user)
    q = (
        manage_q
        | Q(pk__in=scope.supervisor_stations)
        | Q(town__county__in=scope.supervisor_counties)
    )
    return Station.objects.filter(q)


def _filtered(qs: QuerySet, q: Q | None) -> QuerySet:
    return qs if q is None else qs.filter(q)


def stations_visible_to(user) -> QuerySet[Station]:
    return _filtered(Station.objects.all(), station_read_q(user))


def filter_stations(user):
    """Stations to offer in a filter, or None when the user sees only one."""
    scope = get_scope(user)
    wide = scope.is_superuser or (
        scope.editor_cities or scope.reviewer_counties or scope.supervisor_counties
    )
    if not wide and len(scope.member_stations | scope.supervisor_stations) <= 1:
        return None
    return stations_visible_to(user).with_place()


def stations_manageable_by(user) -> QuerySet[Station]:
    return _filtered(Station.objects.all(), station_manage_q(user))


def stations_with_points_manageable_by(user) -> QuerySet[Station]:
    """Stations whose service points the user may edit: the managed ones, plus a
    station head's or deputy head's own station."""
    q = station_manage_q(user)
    if q is None:
        return Station.objects.all()
    scope = get_scope(user)
    if scope.lead_stations:
        q |= Q(pk__in=scope.lead_stations)
    return Station.objects.filter(q)


def counties_manageable_by(user) -> QuerySet[County]:
    scope = get_scope(user)
    if scope.is_superuser:
        return County.objects.all()
    return County.objects.filter(
        Q(city__in=scope.editor_cities) | Q(pk__in=scope.reviewer_counties)
    )


def counties_editable_by(user) -> QuerySet[County]:
    """Counties whose own record (name, order, aliases) the user may change: only
    the city level edits the divisions themselves."""
    scope = get_scope(user)
    if scope.is_superuser:
        return County.objects.all()
    return County.objects.filter(city__in=scope.editor_cities)


def can_manage_roles_at(user, unit) -> bool:
    """May grant and revoke roles over ``unit`` (a City, County or Station); the
    same rule both ways, so whoever may give a role may also take it back.

    - a superuser: anywhere;
    - a city editor: the roles below the city in their city, that is county
      reviewers and county supervisors of its counties, and every station-level
      role (head, deputy head, social worker, station supervisor) of its
      stations. Not city editors: an editor could otherwise appoint or remove
      fellow editors with nobody above them in the portal to answer to, so the
      top of a city's tree is the superuser's to staff;
    - a county reviewer: the station-level roles of their county's stations. Not
      county-level roles (other reviewers, county supervisors), for the same
      reason one level down;
    - everyone else (social workers, station heads, supervisors): nothing.

    A station costs one query; a county or city none."""
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    if isinstance(unit, Station):
        # A query rather than unit.town.county: the unit may come from a form
        # without its place loaded, and a query is one round trip, not two.
        return stations_manageable_by(user).filter(pk=unit.pk).exists()
    if isinstance(unit, County):
        return unit.city_id in scope.editor_cities
    return False


def towns_manageable_by(user) -> QuerySet[Town]:
    return Town.objects.filter(county__in=counties_manageable_by(user))


def villages_manageable_by(user) -> QuerySet[Village]:
    return Village.objects.filter(town__county__in=counties_manageable_by(user))


def points_visible_to(user) -> QuerySet[ServicePoint]:
    return _filtered(ServicePoint.objects.all(), station_read_q(user, "station__"))


def points_manageable_by(user) -> QuerySet[ServicePoint]:
    return ServicePoint.objects.filter(
        station__in=stations_with_points_manageable_by(user)
    )


def workers_visible_to(user) -> QuerySet[SocialWorker]:
    return _filtered(SocialWorker.objects.all(), station_read_q(user, "station__"))


def workers_manageable_by(user) -> QuerySet[SocialWorker]:
    return _filtered(SocialWorker.objects.all(), station_manage_q(user, "station__"))


def get_station_for_user(user, pk, *, write: bool = False) -> Station:
    qs = stations_manageable_by(user) if write else stations_visible_to(user)
    return get_object_or_404(qs.with_place(), pk=pk)


def get_point_for_user(user, pk, *, write: bool = False) -> ServicePoint:
    qs = points_manageable_by(user) if write else points_visible_to(user)
    return get_object_or_404(
        qs.select_related("station__town__county", "village"), pk=pk
    )


def get_worker_for_user(user, pk, *, write: bool = False) -> SocialWorker:
    qs = workers_manageable_by(user) if write else workers_visible_to(user)
    return get_object_or_404(qs.select_related("station__town__county", "user"), pk=pk)


# Background jobs (core/jobs/): the starter sees a job, and so do those who
# manage the unit it was filed under: the editors of its city, the reviewers of
# its county, a station's head and deputy heads. Nobody else, not even by id.
# A job's unit is a path, "city:1/county:5/station:12" (to the unit it was
# filed under), so that who manages it is read from the path without a join
# and the job framework knows nothing of the organisation.


def unit_path(unit) -> str:
    """The path of a City, County or Station (a County's city and a Station's
    town and county are read: load them with the unit)."""
    if isinstance(unit, Station):
        county = unit.town.county
        return unit_path_of(county.city_id, county.pk, unit.pk)
    if isinstance(unit, County):
        return unit_path_of(unit.city_id, unit.pk)
    if isinstance(unit, City):
        return unit_path_of(unit.pk)
    raise TypeError(f"not a unit: {unit!r}")


def unit_path_of(city_id, county_id=None, station_id=None) -> str:
    """The same path from the ids a record keeps of its units (a report keeps
    all three): no query."""
    parts = [f"city:{city_id}"]
    if county_id:
        parts.append(f"county:{county_id}")
    if station_id:
        parts.append(f"station:{station_id}")
    return "/".join(parts)


def widest_unit_path(user) -> str:
    """The unit to file a job under when the work has no single one (a network
    or back-fill import): the widest the user holds, so its managers see it.
    One query for a county or a station, none for a city."""
    scope = get_scope(user)
    if scope.editor_cities:
        return f"city:{min(scope.editor_cities)}"
    if scope.reviewer_counties:
        return unit_path(County.objects.get(pk=min(scope.reviewer_counties)))
    if scope.member_stations:
        return unit_path(
            Station.objects.select_related("town__county").get(
                pk=min(scope.member_stations)
            )
        )
    return ""


def job_units_q(user) -> Q:
    """The jobs filed under a unit ``user`` manages, as a Q on the jobs' unit
    path: what a job kind registers as who may see its jobs."""
    scope = get_scope(user)
    q = Q(pk__in=[])
    for city in scope.editor_cities:
        q |= Q(unit=f"city:{city}") | Q(unit__startswith=f"city:{city}/")
    for county in scope.reviewer_counties:
        q |= Q(unit__endswith=f"/county:{county}") | Q(
            unit__contains=f"/county:{county}/"
        )
    for station in scope.lead_stations:
        q |= Q(unit__endswith=f"/station:{station}")
    return q
