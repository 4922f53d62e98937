"""Figures of the station network in a unit: stations with their points,
active workers and six-standard status; workers by post type and
qualification; training attendance and hours in the period."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from activities.models import TrainingAttendance
from stations.models import SocialWorker, Station
from stations.models.quality import Standard
from stations.selectors import stations_with_summary
from stats.period import Period
from stats.scope import StatsUnit, unit_station_q
from stats.tables import Ratio, one_decimal

STANDARDS_TOTAL = len(Standard.choices)


def unit_stations(user, unit: StatsUnit) -> list[Station]:
    """The unit's stations the user reads, each with ``point_count``,
    ``worker_count`` (active), ``latest_check_id`` and ``standards_met`` (of the
    latest six-standard check), in directory order. One query: the station
    directory's summary (``stations.selectors.stations_with_summary``), whose
    per-station figures are correlated subqueries, not one query per station."""
    qs = Station.objects.filter(unit_station_q(user, unit))
    return list(
        stations_with_summary(qs).order_by(
            "town__county__city__code",
            "town__county__display_order",
            "town__display_order",
            "pk",
        )
    )


@dataclass(frozen=True)
class StationTotals:
    """The unit's stations in all: counted once, read by the summary and by the
    tables' total rows alike, so that the page cannot show two numbers for one
    figure."""

    stations: int
    points: int
    workers: int  # active
    met: int  # meet all six standards at their latest check
    checked: int  # have been checked at all

    @property
    def standards(self) -> Ratio:
        return Ratio(self.met, self.stations)


def station_totals(stations) -> StationTotals:
    return StationTotals(
        stations=len(stations),
        points=sum(s.point_count for s in stations),
        workers=sum(s.worker_count for s in stations),
        met=sum(1 for s in stations if meets_standards(s)),
        checked=sum(1 for s in stations if checked(s)),
    )


def meets_standards(station) -> bool:
    return station.standards_met == STANDARDS_TOTAL


def checked(station) -> bool:
    return station.latest_check_id is not None


@dataclass
class WorkerGrid:
    """Active workers by post type (rows) and qualification (columns)."""

    counts: dict  # (post_type, qualification) -> n

    def cell(self, post, qualification) -> int:
        return self.counts.get((post, qualification), 0)

    def post_total(self, post) -> int:
        return sum(n for (p, _q), n in self.counts.items() if p == post)

    def qualification_total(self, qualification) -> int:
        return sum(n for (_p, q), n in self.counts.items() if q == qualification)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def worker_grid(user, unit: StatsUnit) -> WorkerGrid:
    """One grouped query over the active workers of the unit's stations. A
    worker of no station (a county's supervisor) is left out, as the stations'
    own counts leave them out: the province's filter alone would let them in."""
    rows = (
        SocialWorker.objects.filter(
            unit_station_q(user, unit, "station__"),
            station__isnull=False,
            status=SocialWorker.Status.ACTIVE,
        )
        .values("post_type", "qualification")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return WorkerGrid({(r["post_type"], r["qualification"]): r["n"] for r in rows})


@dataclass
class TrainingFigures:
    trainings: int
    sessions: int
    trainees: int
    person_times: int
    hours: Decimal  # the sum over attendances: each worker's hours added up
    by_station: dict  # station_id -> (trainees, person_times, hours)

    def for_stations(self, station_ids) -> tuple[int, int, Decimal]:
        trainees = person_times = 0
        hours = one_decimal(0)
        for pk in station_ids:
            t, p, h = self.by_station.get(pk, (0, 0, Decimal(0)))
            trainees, person_times, hours = trainees + t, person_times + p, hours + h
        return trainees, person_times, hours


def training_figures(user, unit: StatsUnit, period: Period) -> TrainingFigures:
    """Training attendance of the unit's workers at sessions held in the period.
    Two grouped queries: the totals (distinct trainings and sessions do not add
    up across stations) and the figures by station (a worker belongs to one
    station, so trainees do add up)."""
    attendance = TrainingAttendance.objects.filter(
        unit_station_q(user, unit, "worker__station__"),
        session__date__gte=period.first_day,
        session__date__lt=period.after,
    )
    totals = attendance.aggregate(
        trainings=Count("session__training", distinct=True),
        sessions=Count("session", distinct=True),
        trainees=Count("worker", distinct=True),
        person_times=Count("pk"),
        hours=Sum("session__hours"),
    )
    by_station = defaultdict(lambda: (0, 0, Decimal(0)))
    for row in (
        attendance.values("worker__station_id")
        .annotate(
            trainees=Count("worker", distinct=True),
            person_times=Count("pk"),
            hours=Sum("session__hours"),
        )
        .order_by()
    ):
        by_station[row["worker__station_id"]] = (
            row["trainees"],
            row["person_times"],
            one_decimal(row["hours"]),
        )
    return TrainingFigures(
        trainings=totals["trainings"],
        sessions=totals["sessions"],
        trainees=totals["trainees"],
        person_times=totals["person_times"],
        hours=one_decimal(totals["hours"]),
        by_station=dict(by_station),
    )


def per_worker(hours: Decimal, workers: int) -> Decimal | None:
    """Average hours per active worker, one decimal."""
    if not workers:
        return None
    return (Decimal(hours) / workers).quantize(Decimal("0.1"))
