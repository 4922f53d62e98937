"""Reads of the station network. Each selector owns its joins, so a page built on
it runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth import get_user_model
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from core.people import display_name
from core.todo import TodoList, first_and_total

from .models import (
    City,
    County,
    FollowUpItem,
    Role,
    RoleAssignment,
    ServicePoint,
    SocialWorker,
    StandardsCheck,
    Station,
)
from .models.quality import Standard, StandardsCheckItem
from .permissions import STATION_LEAD_ROLES, STATION_MEMBER_ROLES


def subquery_aggregate(qs, group: str, aggregate, output_field):
    """An aggregate of ``qs`` grouped on ``group`` as a correlated subquery (0 when
    there are no rows), used instead of joins so that several figures on one row
    do not multiply each other."""
    return Coalesce(
        Subquery(
            qs.order_by().values(group).annotate(v=aggregate).values("v")[:1],
            output_field=output_field,
        ),
        Value(0),
        output_field=output_field,
    )


def _count_subquery(qs, field: str):
    return subquery_aggregate(qs, field, Count("*"), IntegerField())


def stations_with_summary(qs=None):
    """Stations with their place, number of points, active workers, and how many of
    the six standards the latest check found met (None: never checked)."""
    qs = Station.objects.all() if qs is None else qs
    latest_check = StandardsCheck.objects.filter(station=OuterRef("pk")).order_by(
        "-checked_on", "-pk"
    )
    return qs.select_related("town__county__city").annotate(
        point_count=_count_subquery(
            ServicePoint.objects.filter(station=OuterRef("pk")), "station"
        ),
        worker_count=_count_subquery(
            SocialWorker.objects.filter(
                station=OuterRef("pk"), status=SocialWorker.Status.ACTIVE
            ),
            "station",
        ),
        latest_check_id=Subquery(latest_check.values("pk")[:1]),
        standards_met=Subquery(
            StandardsCheckItem.objects.filter(
                check_record=OuterRef("latest_check_id"), met=True
            )
            .order_by()
            .values("check_record")
            .annotate(n=Count("*"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
    )


@dataclass
class CountyGroup:
    county: County
    stations: list


@dataclass
class CityGroup:
    city: object
    counties: list


def directory() -> list[CityGroup]:
    """The public directory: cities, their counties in display order, each with its
    towns' stations. Two queries: the counties, and the stations with summaries."""
    counties = list(
        County.objects.select_related("city").order_by(
            "city__code", "display_order", "code"
        )
    )
    stations = stations_with_summary().order_by(
        "town__county__city__code", "town__county__display_order", "town__display_order"
    )
    by_county: dict[int, list] = {}
    for station in stations:
        by_county.setdefault(station.town.county_id, []).append(station)
    result = []
    for city, group in groupby(counties, key=lambda c: c.city):
        result.append(
            CityGroup(
                city=city,
                counties=[
                    CountyGroup(county=c, stations=by_county.get(c.pk, []))
                    for c in group
                ],
            )
        )
    return result


@dataclass
class StandardsStatus:
    checked_on: object
    items: list  # (label, met, note) in the standard order
    met: int

    @property
    def total(self):
        return len(Standard.choices)

    @property
    def all_met(self):
        return self.met == self.total


def standards_status(station) -> StandardsStatus | None:
    """The latest six-standard check of a station. One query."""
    items = list(
        StandardsCheckItem.objects.filter(
            check_record=latest_check_subquery_for(station)
        ).select_related("check_record")
    )
    if not items:
        return None
    found = {item.standard: item for item in items}
    ordered = []
    for value, label in Standard.choices:
        item = found.get(value)
        ordered.append(
            (label, bool(item and item.met), item.note if item else "", item)
        )
    return StandardsStatus(
        checked_on=items[0].check_record.checked_on,
        items=ordered,
        met=sum(1 for _l, met, _n, _i in ordered if met),
    )


def latest_check_subquery_for(station):
    return Subquery(
        StandardsCheck.objects.filter(station=station)
        .order_by("-checked_on", "-pk")
        .values("pk")[:1]
    )


def worker_counts_by_post(station) -> list[tuple[str, int]]:
    """Active workers by post type, every post type listed (zero included). One query."""
    counts = dict(
        SocialWorker.objects.filter(station=station, status=SocialWorker.Status.ACTIVE)
        .order_by()
        .values_list("post_type")
        .annotate(n=Count("*"))
    )
    return [
        (label, counts.get(value, 0)) for value, label in SocialWorker.PostType.choices
    ]


def station_head_names(station) -> list[str]:
    """Names of the station's head(s), for the public page when the station chose to
    publish them. One query."""
    rows = RoleAssignment.objects.filter(
        station=station, role=Role.STATION_HEAD
    ).select_related("user__social_worker")
    return [display_name(row.user) for row in rows]


def station_public(pk):
    return stations_with_summary().filter(pk=pk)


def points_of(station):
    return station.points.select_related("village").order_by("name")


def station_filter_q(search: str) -> Q:
    return (
        Q(name__contains=search)
        | Q(town__name__contains=search)
        | Q(town__county__name__contains=search)
    )


# --- Who is told of an event, and which group robots ------------------------------


def station_members(station_id, *, leads_only: bool = False):
    """Active users holding a role at the station: its workers and heads, or
    with ``leads_only`` its head and deputy heads."""
    roles = STATION_LEAD_ROLES if leads_only else STATION_MEMBER_ROLES
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__station=station_id,
            role_assignments__role__in=roles,
        )
        .distinct()
    )


def supervisors_of(station):
    """Active users who supervise ``station``: assigned to it, or to its county."""
    return (
        get_user_model()
        .objects.filter(
            Q(role_assignments__station=station.pk)
            | Q(role_assignments__county=station.town.county_id),
            is_active=True,
            role_assignments__role=Role.SUPERVISOR,
        )
        .distinct()
    )


def robots_for(unit) -> list:
    """The group robots to tell of an event about ``unit`` (a Station, County or
    City), as ``core.notifications.RobotTarget``s. The rule: an event in a
    county (about a station of it, or the county bureau's own report) goes to
    that county bureau's robot; a city-level event (the city bureau's report, a
    published issue) goes to the city bureau's robot. A county without a robot
    is not passed up to the city's: each bureau's group hears of its own level.
    One query for a station, none for a county or a city."""
    if isinstance(unit, Station):
        bureau = County.objects.only("robot_kind", "robot_webhook", "robot_secret").get(
            towns__station=unit
        )
    elif isinstance(unit, County | City):
        bureau = unit
    else:  # pragma: no cover - a programming error
        raise TypeError(unit)
    robot = bureau.robot
    return [robot] if robot else []


# --- The staff home's lists ---------------------------------------------------

# A supervisor's list holds follow-ups overdue and those due within this many days.
FOLLOW_UP_SOON_DAYS = 7


def follow_ups_todo(stations, *, until=None) -> TodoList:
    """Open follow-up items of supervision visits to ``stations`` (a queryset or
    ids), the earliest deadline first, each with its visit and station; with
    ``until``, only those due by then. One query."""
    qs = FollowUpItem.objects.filter(
        visit__station__in=stations, status=FollowUpItem.Status.OPEN
    )
    if until is not None:
        qs = qs.filter(due_on__lte=until)
    return first_and_total(
        qs.select_related("visit__station__town__county").order_by(
            "due_on", "visit__visited_on", "pk"
        )
    )


def stations_below_standards_todo(stations) -> TodoList:
    """Of ``stations`` (a queryset), those whose latest six-standard check found
    fewer than six met, and those never checked, the longest unchecked first,
    each with ``standards_met`` and ``checked_on``. One query."""
    latest_check = StandardsCheck.objects.filter(station=OuterRef("pk")).order_by(
        "-checked_on", "-pk"
    )
    return first_and_total(
        stations_with_summary(stations)
        .annotate(checked_on=Subquery(latest_check.values("checked_on")[:1]))
        .filter(Q(standards_met__isnull=True) | Q(standards_met__lt=len(Standard)))
        .order_by(F("checked_on").asc(nulls_first=True), "pk")
    )
