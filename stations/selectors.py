"""Reads of the station network. Each selector owns its joins, so a page built on
it runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import (
    County,
    Role,
    RoleAssignment,
    ServicePoint,
    SocialWorker,
    StandardsCheck,
    Station,
)
from .models.quality import Standard, StandardsCheckItem


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
    names = []
    for row in rows:
        worker = getattr(row.user, "social_worker", None)
        names.append(
            worker.real_name
            if worker
            else (row.user.get_full_name() or row.user.username)
        )
    return names


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
