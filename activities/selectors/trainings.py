"""Training figures: sessions, hours, unique trainees and person-times from the
sessions and attendance rows, and the hours of each worker by year. Each figure
set is one or two aggregate queries, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404

from activities.models import Training, TrainingAttendance, TrainingSession
from activities.permissions.trainings import (
    training_manage_q,
    trainings_manageable_by,
    trainings_visible_to,
)
from stations.models import SocialWorker
from stations.selectors import subquery_aggregate

HOURS_FIELD = DecimalField(max_digits=9, decimal_places=1)


# --- Training figures ---------------------------------------------------------------


def trainings_with_figures(qs: QuerySet[Training] | None = None) -> QuerySet[Training]:
    """Trainings with ``session_count``, ``total_hours``, ``trainee_count`` (distinct
    workers who attended any session), ``person_times`` (attendance rows) and the
    dates of the first and last session, all in the one query that loads the
    trainings."""
    qs = Training.objects.all() if qs is None else qs
    sessions = TrainingSession.objects.filter(training=OuterRef("pk"))
    attendance = TrainingAttendance.objects.filter(session__training=OuterRef("pk"))
    return qs.select_related("city", "county").annotate(
        session_count=subquery_aggregate(
            sessions, "training", Count("*"), IntegerField()
        ),
        total_hours=subquery_aggregate(sessions, "training", Sum("hours"), HOURS_FIELD),
        trainee_count=subquery_aggregate(
            attendance,
            "session__training",
            Count("worker", distinct=True),
            IntegerField(),
        ),
        person_times=subquery_aggregate(
            attendance, "session__training", Count("*"), IntegerField()
        ),
        first_date=Subquery(sessions.order_by("date").values("date")[:1]),
        last_date=Subquery(sessions.order_by("-date").values("date")[:1]),
    )


def get_training_for_user(user, pk, *, write: bool = False) -> Training:
    """The training with its figures if the user may see it (or, with ``write``,
    manage it); else 404."""
    qs = trainings_manageable_by(user) if write else trainings_visible_to(user)
    return get_object_or_404(trainings_with_figures(qs).select_related("report"), pk=pk)


def get_session_for_user(user, pk) -> TrainingSession:
    """A session of a training the user manages; else 404."""
    q = training_manage_q(user)
    qs = TrainingSession.objects.select_related("training__city", "training__county")
    if q is not None:
        qs = qs.filter(training__in=Training.objects.filter(q))
    return get_object_or_404(qs, pk=pk)


def sessions_of(training: Training) -> QuerySet[TrainingSession]:
    """The training's sessions in date order, each with ``attendee_count``."""
    return training.sessions.annotate(
        attendee_count=Count("trainingattendance")
    ).order_by("date", "pk")


def trainees_of(training: Training) -> list[dict]:
    """Each worker who attended the training, with the sessions and hours they
    attended, in one grouped query."""
    return list(
        TrainingAttendance.objects.filter(session__training=training)
        .values(
            "worker_id",
            "worker__real_name",
            "worker__station__name",
            "worker__station__town__county__name",
        )
        .annotate(sessions=Count("*"), hours=Sum("session__hours"))
        .order_by("worker__station__town__county__display_order", "worker__real_name")
    )


# --- Hours per worker per year ---------------------------------------------------------


def training_years(workers: QuerySet[SocialWorker]) -> list[int]:
    """The years in which any of ``workers`` attended a session, latest first."""
    dates = TrainingSession.objects.filter(
        pk__in=TrainingAttendance.objects.filter(worker__in=workers).values("session")
    ).dates("date", "year", order="DESC")
    return [d.year for d in dates]


def hours_by_worker_year(worker_ids, *, year: int | None = None) -> dict:
    """``{(worker_id, year): hours}``: for each worker and year, the sum of the
    hours of the sessions the worker attended that year. One grouped query."""
    rows = TrainingAttendance.objects.filter(worker__in=list(worker_ids))
    if year is not None:
        rows = rows.filter(session__date__year=year)
    rows = (
        rows.annotate(year=ExtractYear("session__date"))
        .values("worker", "year")
        .annotate(hours=Sum("session__hours"))
        .order_by()
    )
    return {(row["worker"], row["year"]): row["hours"] for row in rows}


def worker_training_hours(worker: SocialWorker) -> list[tuple[int, Decimal]]:
    """One worker's training hours by year, latest year first."""
    table = hours_by_worker_year([worker.pk])
    return sorted(
        ((year, hours) for (_w, year), hours in table.items()),
        key=lambda pair: -pair[0],
    )


@dataclass
class HoursRow:
    worker: SocialWorker
    hours: list  # one value per year column, None when the worker had no hours
    total: Decimal = Decimal(0)


def hours_table(workers: list[SocialWorker], years: list[int]) -> list[HoursRow]:
    """Rows of workers × years for a page of workers, from one grouped query."""
    table = hours_by_worker_year(
        [w.pk for w in workers], year=years[0] if len(years) == 1 else None
    )
    rows = []
    for worker in workers:
        hours = [table.get((worker.pk, year)) for year in years]
        rows.append(
            HoursRow(
                worker=worker,
                hours=hours,
                total=sum((h for h in hours if h is not None), Decimal(0)),
            )
        )
    return rows
