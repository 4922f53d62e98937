"""Which org unit a dashboard is about, and which of them a user may choose.

=================  ===========================================  ==================
role               may choose                                   broken down by
=================  ===========================================  ==================
superuser          the province (every city of the              city / county /
                   installation), any city, any county          station
city editor        their city, each county of it                county / station
county reviewer    their county                                 station
supervisor         their counties; their assigned stations      station
                   together
station member     their station                                (months only)
=================  ===========================================  ==================

Any of them may also open one station they can read (``station:<id>``, the
links of a breakdown table). A unit is applied on top of the scope module's
filters (``report_read_q``, ``station_read_q``), never instead of them: a unit
cannot widen what the user reads, and one outside scope is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from activities.models import Level
from activities.permissions.reports import report_read_q
from stations.models import City, County, Station
from stations.permissions import get_scope, station_read_q
from stations.views.staff import pk_param

ASSIGNED = "assigned"
PROVINCE = "province"


@dataclass(frozen=True)
class StatsUnit:
    """One unit a dashboard can show. ``kind`` is province (every city of the
    installation: a province hosts all of its cities), city, county, station or
    assigned (a supervisor's assigned stations together)."""

    kind: str
    label: str
    city: City | None = None
    county: County | None = None
    station: Station | None = None
    station_ids: frozenset = field(default_factory=frozenset)

    @property
    def key(self) -> str:
        if self.kind in (ASSIGNED, PROVINCE):
            return self.kind
        return f"{self.kind}:{self.obj.pk}"

    @property
    def obj(self):
        return self.station or self.county or self.city

    @property
    def breakdown(self) -> str | None:
        """What the unit's tables are broken down by: cities for the province,
        counties for a city, stations for a county or a set of stations, nothing
        for one station."""
        return {
            PROVINCE: "city",
            "city": "county",
            "county": "station",
            ASSIGNED: "station",
        }.get(self.kind)

    @property
    def by_area(self) -> bool:
        """The breakdown's rows are areas (cities or counties), each keyed by its
        own id in the grouped figures, not sets of stations."""
        return self.breakdown in ("city", "county")

    @property
    def wide(self) -> bool:
        """A unit of several counties (the province, a city): its dashboard is
        kept as a snapshot (``snapshots.py``), since counting it live at
        province scale takes seconds, and it is offered only to those who read
        all of it. (A county is kept too, by one more rule: see
        ``snapshots.reads_all``.)"""
        return self.kind in (PROVINCE, "city")

    @property
    def town_level(self) -> bool:
        return self.kind in ("station", ASSIGNED)

    def report_q(self) -> Q:
        """The unit's own reports (every level filed within it)."""
        if self.kind == PROVINCE:
            return Q()
        if self.kind == "city":
            return Q(city=self.city)
        if self.kind == "county":
            return Q(county=self.county)
        if self.kind == "station":
            return Q(station=self.station)
        return Q(level=Level.STATION, station__in=self.station_ids)

    def station_q(self, prefix: str = "") -> Q:
        """The unit's stations; ``prefix`` leads from another model to a Station
        (``"station__"``)."""
        if self.kind == PROVINCE:
            return Q()
        if self.kind == "city":
            return Q(**{f"{prefix}town__county__city": self.city})
        if self.kind == "county":
            return Q(**{f"{prefix}town__county": self.county})
        key = f"{prefix[:-2]}__in" if prefix else "pk__in"
        ids = [self.station.pk] if self.kind == "station" else self.station_ids
        return Q(**{key: ids})

    def town_q(self, prefix: str = "") -> Q:
        """The unit's towns (for villages: ``prefix="town__"``)."""
        if self.kind == PROVINCE:
            return Q()
        if self.kind == "city":
            return Q(**{f"{prefix}county__city": self.city})
        if self.kind == "county":
            return Q(**{f"{prefix}county": self.county})
        ids = [self.station.pk] if self.kind == "station" else self.station_ids
        return Q(**{f"{prefix}station__in": ids})


def _and(q: Q, extra: Q | None) -> Q:
    return q if extra is None else q & extra


def unit_report_q(user, unit: StatsUnit) -> Q:
    """The unit's reports that the user may read."""
    return _and(unit.report_q(), report_read_q(user))


def unit_station_q(user, unit: StatsUnit, prefix: str = "") -> Q:
    """The unit's stations that the user may read."""
    return _and(unit.station_q(prefix), station_read_q(user, prefix))


def _city_unit(city) -> StatsUnit:
    return StatsUnit("city", city.name, city=city)


def _county_unit(county) -> StatsUnit:
    return StatsUnit(
        "county", f"{county.city.name}{county.name}", city=county.city, county=county
    )


def _station_unit(station) -> StatsUnit:
    county = station.town.county
    return StatsUnit(
        "station",
        station.full_name,
        city=county.city,
        county=county,
        station=station,
    )


def unit_options(user) -> list[StatsUnit]:
    """The units the user may choose, broadest first. One query per kind of
    role the user holds (cities, counties, stations), none per row."""
    scope = get_scope(user)
    options: list[StatsUnit] = []
    if scope.is_superuser or scope.editor_cities:
        cities = City.objects.order_by("code")
        if not scope.is_superuser:
            cities = cities.filter(pk__in=scope.editor_cities)
        options += [_city_unit(c) for c in cities]
        if scope.is_superuser and len(options) > 1:
            # The province, when the installation hosts several cities: what a
            # provincial department reads. No role below a superuser spans
            # cities (DESIGN.md §4), so nobody else may choose it.
            options.insert(0, StatsUnit(PROVINCE, _("全省（所有城市）")))
    counties = County.objects.select_related("city").order_by(
        "city__code", "display_order", "code"
    )
    if not scope.is_superuser:
        counties = counties.filter(
            Q(city__in=scope.editor_cities)
            | Q(pk__in=scope.reviewer_counties | scope.supervisor_counties)
        )
    if (
        scope.is_superuser
        or scope.editor_cities
        or scope.reviewer_counties
        or scope.supervisor_counties
    ):
        options += [_county_unit(c) for c in counties]
    if scope.supervisor_stations:
        options.append(
            StatsUnit(
                ASSIGNED,
                _("督导的社工站（%(n)d 个）") % {"n": len(scope.supervisor_stations)},
                station_ids=frozenset(scope.supervisor_stations),
            )
        )
    if scope.member_stations:
        stations = Station.objects.with_place().filter(pk__in=scope.member_stations)
        options += [_station_unit(s) for s in stations]
    return options


def resolve_unit(user, key: str, options: list[StatsUnit]):
    """``(unit, error)`` for the ``unit`` parameter. Empty: the first option. A
    malformed value: the first option and a message. A well-formed value naming
    a unit outside the user's scope (or none at all): 404, as for any object."""
    key = (key or "").strip()
    by_key = {o.key: o for o in options}
    if not key:
        return (options[0] if options else None), None
    if key in by_key:
        return by_key[key], None
    if key == PROVINCE:
        raise Http404  # only a superuser of several cities has it
    kind, _sep, raw_pk = key.partition(":")
    pk = pk_param(raw_pk)
    if kind not in ("city", "county", "station") or pk is None:
        return (options[0] if options else None), _(
            "没有这个统计范围，已显示默认范围。"
        )
    if kind == "station":
        qs = Station.objects.with_place()
        q = station_read_q(user)
        if q is not None:
            qs = qs.filter(q)
        station = qs.filter(pk=pk).first()
        if station is not None:
            return _station_unit(station), None
    raise Http404
