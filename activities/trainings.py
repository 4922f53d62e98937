"""Trainings and funded projects: who sees and manages them, the services that
write them, and the selectors that compute their figures.

Figures are never typed. A training's sessions, hours, unique trainees and
person-times come from its sessions and attendance rows; a project's progress
comes from the reports linked to it. Each figure set is one or two aggregate
queries, whatever the number of rows.

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

What a project counts (decided for the mid-term summary): a linked report counts
once it is submitted or approved. A station writes its mid-term summary while
some reports still wait for review, and leaving them out would understate the
work; drafts and returned reports do not count, since they may still change or
be dropped. The approved part is shown beside each figure, so a reader who
wants only reviewed figures has them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.models import City, County, SocialWorker, Station, Village
from stations.permissions import get_scope, station_read_q

from .models import (
    ActivityReport,
    Level,
    Project,
    Status,
    Training,
    TrainingAttendance,
    TrainingSession,
)

# The activity kind whose reports count as cases (个案) in a project's progress.
CASE_KIND = "个案"
# Reports that count towards a project's figures; see the module docstring.
COUNTED_STATUSES = (Status.SUBMITTED, Status.APPROVED)
MAX_SESSION_HOURS = Decimal(24)
# Sessions before this date are typing mistakes (a year of "0223"), not history.
EARLIEST_SESSION_DATE = datetime.date(2000, 1, 1)

HOURS_FIELD = DecimalField(max_digits=9, decimal_places=1)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


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


# --- Training figures ---------------------------------------------------------------


def _subquery_aggregate(qs: QuerySet, group: str, aggregate, output_field):
    """An aggregate of ``qs`` grouped on ``group`` as a correlated subquery, so that
    several figures on one row do not multiply each other through joins."""
    return Coalesce(
        Subquery(
            qs.order_by().values(group).annotate(v=aggregate).values("v")[:1],
            output_field=output_field,
        ),
        Value(0),
        output_field=output_field,
    )


def trainings_with_figures(qs: QuerySet[Training] | None = None) -> QuerySet[Training]:
    """Trainings with ``session_count``, ``total_hours``, ``trainee_count`` (distinct
    workers who attended any session), ``person_times`` (attendance rows) and the
    dates of the first and last session, all in the one query that loads the
    trainings."""
    qs = Training.objects.all() if qs is None else qs
    sessions = TrainingSession.objects.filter(training=OuterRef("pk"))
    attendance = TrainingAttendance.objects.filter(session__training=OuterRef("pk"))
    return qs.select_related("city", "county").annotate(
        session_count=_subquery_aggregate(
            sessions, "training", Count("*"), IntegerField()
        ),
        total_hours=_subquery_aggregate(
            sessions, "training", Sum("hours"), HOURS_FIELD
        ),
        trainee_count=_subquery_aggregate(
            attendance,
            "session__training",
            Count("worker", distinct=True),
            IntegerField(),
        ),
        person_times=_subquery_aggregate(
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


# --- Training services -------------------------------------------------------------


def _organiser_errors(training: Training) -> dict:
    if training.county_id and training.county.city_id != training.city_id:
        return {"county": _("所选县（市、区）不属于所选的市。")}
    return {}


@transaction.atomic
def training_create(*, training: Training, by) -> Training:
    """Save a new training organised by ``training.city`` (and ``county`` when a
    county bureau organises it)."""
    _require(can_organise(by, city_id=training.city_id, county_id=training.county_id))
    errors = _organiser_errors(training)
    if errors:
        raise ValidationError(errors)
    training.full_clean()
    training.save()
    return training


@transaction.atomic
def training_update(*, training: Training, by) -> Training:
    """Save changes to a training. Moving it to another organiser needs the right to
    manage both the old and the new one."""
    current = Training.objects.select_for_update().get(pk=training.pk)
    _require(can_manage_training(by, current) and can_manage_training(by, training))
    errors = _organiser_errors(training)
    if errors:
        raise ValidationError(errors)
    if (current.city_id, current.county_id) != (training.city_id, training.county_id):
        outside = TrainingAttendance.objects.filter(session__training=training).exclude(
            worker__in=trainees_eligible_for(training)
        )
        if outside.exists():
            raise ValidationError(
                {"county": _("已有参训社工不属于新的主办单位范围，不能更换主办单位。")}
            )
    training.full_clean()
    training.save()
    return training


def _as_hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"hours": _("请填写学时，例如 3 或 1.5。")}) from None
    return hours


def _a_year_from(today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def _validate_session(session: TrainingSession) -> None:
    errors = {}
    hours = session.hours
    if hours is not None and hours <= 0:
        errors["hours"] = _("学时必须大于 0。")
    elif hours is not None and hours > MAX_SESSION_HOURS:
        errors["hours"] = _("一次课程的学时不能超过 24 小时。")
    if session.date:
        if session.date > _a_year_from(timezone.localdate()):
            errors["date"] = _("课程日期不能晚于今天一年以上，请检查年份。")
        elif session.date < EARLIEST_SESSION_DATE:
            errors["date"] = _("课程日期不能早于 2000 年，请检查年份。")
    if errors:
        raise ValidationError(errors)
    session.full_clean()


@transaction.atomic
def training_session_add(
    *, training: Training, by, date, topic: str, hours, teacher: str = ""
) -> TrainingSession:
    """Add a session: hours above 0 and at most 24, a date at most a year ahead."""
    _require(can_manage_training(by, training))
    session = TrainingSession(
        training=training,
        date=date,
        topic=(topic or "").strip(),
        teacher=(teacher or "").strip(),
        hours=_as_hours(hours),
    )
    _validate_session(session)
    session.save()
    return session


@transaction.atomic
def training_session_update(*, session: TrainingSession, by) -> TrainingSession:
    _require(can_manage_training(by, session.training))
    session.hours = _as_hours(session.hours)
    _validate_session(session)
    session.save()
    return session


@transaction.atomic
def training_session_delete(*, session: TrainingSession, by) -> None:
    """Delete a session with its attendance (a session added by mistake)."""
    _require(can_manage_training(by, session.training))
    session.delete()


@transaction.atomic
def training_attendance_set(*, session: TrainingSession, workers, by) -> tuple:
    """Make ``workers`` (SocialWorker objects or ids) the attendees of ``session``.
    Every worker must belong to a station of the organiser's area; otherwise
    nothing is written. Returns (added, removed) counts."""
    _require(can_manage_training(by, session.training))
    wanted = {getattr(w, "pk", w) for w in workers}
    eligible = set(
        trainees_eligible_for(session.training)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if wanted - eligible:
        raise ValidationError(
            _(
                "有 %(n)d 名社工不属于本次培训主办单位的范围，签到未保存。"
                "请只勾选列表中的社工。"
            )
            % {"n": len(wanted - eligible)}
        )
    # Lock the session so two people saving the same sign-in sheet do not both
    # insert the same rows.
    TrainingSession.objects.select_for_update().get(pk=session.pk)
    current = set(
        TrainingAttendance.objects.filter(session=session).values_list(
            "worker_id", flat=True
        )
    )
    removed = current - wanted
    added = wanted - current
    if removed:
        TrainingAttendance.objects.filter(session=session, worker__in=removed).delete()
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(session=session, worker_id=pk) for pk in sorted(added)
    )
    return len(added), len(removed)


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


def projects_with_place(qs: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """Projects with their station's place, and the number of villages of the
    station's town (``town_villages``) and how many of them are communities
    (``town_communities``): the default coverage target and its wording."""
    qs = Project.objects.all() if qs is None else qs
    villages = Village.objects.filter(town=OuterRef("station__town"))
    return qs.select_related("station__town__county__city").annotate(
        town_villages=_subquery_aggregate(villages, "town", Count("*"), IntegerField()),
        town_communities=_subquery_aggregate(
            villages.filter(kind=Village.Kind.COMMUNITY),
            "town",
            Count("*"),
            IntegerField(),
        ),
    )


def get_project_for_user(user, pk, *, write: bool = False) -> Project:
    qs = projects_manageable_by(user) if write else projects_visible_to(user)
    return get_object_or_404(projects_with_place(qs), pk=pk)


# --- Project progress --------------------------------------------------------------


def percent(done, target) -> int | None:
    """``done`` of ``target`` as a whole percentage, halves rounded up (8 of 14 is
    57); None without a target."""
    if not target:
        return None
    value = Decimal(done or 0) * 100 / Decimal(target)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class Figure:
    """One progress figure: the counted value, its approved part, the target."""

    value: int
    approved: int
    target: int | None

    @property
    def percent(self) -> int | None:
        return percent(self.value, self.target)


@dataclass
class Progress:
    project: Project
    activities: Figure
    person_times: Figure
    cases: Figure
    villages: Figure
    villages_covered: list = field(default_factory=list)  # Village objects
    town_target: bool = False  # the village target is the station's whole town

    @property
    def village_word(self) -> str:
        # The newsletter says "条行政村" for rural towns; a street's units are
        # communities, so a town with any says "个村（居）".
        if getattr(self.project, "town_communities", 0):
            return _("个村（居）")
        return _("条行政村")

    def summary(self) -> str:
        """A sentence ready to quote in a mid-term summary, as the newsletter
        writes it."""
        parts = []
        villages = self.villages
        if villages.target:
            values = {
                "town": self.project.station.town.name,
                "target": villages.target,
                "done": villages.value,
                "word": self.village_word,
                "percent": villages.percent,
            }
            if self.town_target:
                text = _(
                    "%(town)s%(target)d%(word)s中目前完成了%(done)d%(word)s的覆盖，"
                    "覆盖率达%(percent)d%%"
                )
            else:
                text = _(
                    "项目计划覆盖%(target)d%(word)s，目前完成了%(done)d%(word)s的覆盖，"
                    "覆盖率达%(percent)d%%"
                )
            parts.append(text % values)
        elif villages.value:
            parts.append(
                _("目前覆盖%(done)d%(word)s")
                % {"done": villages.value, "word": self.village_word}
            )
        parts.append(
            _("开展活动%(a)d场，服务%(p)d人次，开展个案%(c)d个")
            % {
                "a": self.activities.value,
                "p": self.person_times.value,
                "c": self.cases.value,
            }
        )
        return "；".join(parts) + "。"


def _village_target(project: Project) -> tuple[int | None, bool]:
    if project.target_villages is not None:
        return project.target_villages, False
    return getattr(project, "town_villages", None), True


def projects_progress(projects: list[Project]) -> dict[int, Progress]:
    """Progress of each project from its linked reports, in two queries for any
    number of projects: one grouped aggregate of the counts, one of the villages
    the reports reached (``villages_reached`` and the report's own village).

    Projects must come from ``projects_with_place`` (the town's village count is
    the target when the project sets none). When that is the target, only
    villages of the station's town count towards it."""
    if not projects:
        return {}
    ids = [p.pk for p in projects]
    counted = Q(status__in=COUNTED_STATUSES)
    approved = Q(status=Status.APPROVED)
    case = Q(kind__name=CASE_KIND)
    rows = {
        row["project"]: row
        for row in ActivityReport.objects.filter(project__in=ids)
        .values("project")
        .annotate(
            n_activities=Count("pk", filter=counted),
            n_activities_ok=Count("pk", filter=approved),
            n_person_times=Sum("person_times", filter=counted),
            n_person_times_ok=Sum("person_times", filter=approved),
            n_cases=Count("pk", filter=counted & case),
            n_cases_ok=Count("pk", filter=approved & case),
        )
        .order_by()
    }

    through = ActivityReport.villages_reached.through
    reached = (
        through.objects.filter(
            activityreport__project__in=ids,
            activityreport__status__in=COUNTED_STATUSES,
        )
        .order_by()
        .values_list(
            "activityreport__project_id",
            "village_id",
            "village__town_id",
            "village__name",
            "activityreport__status",
        )
    )
    own_village = (
        ActivityReport.objects.filter(
            project__in=ids, status__in=COUNTED_STATUSES, village__isnull=False
        )
        .order_by()
        .values_list(
            "project_id", "village_id", "village__town_id", "village__name", "status"
        )
    )
    villages: dict[int, dict[int, tuple]] = defaultdict(dict)
    approved_villages: dict[int, set] = defaultdict(set)
    for project_id, village_id, town_id, name, status in reached.union(own_village):
        villages[project_id][village_id] = (town_id, name)
        if status == Status.APPROVED:
            approved_villages[project_id].add(village_id)

    result = {}
    for project in projects:
        row = rows.get(project.pk, {})
        target, town_target = _village_target(project)
        covered = villages.get(project.pk, {})
        if town_target:
            covered = {
                pk: v for pk, v in covered.items() if v[0] == project.station.town_id
            }
        covered_ids = set(covered)
        result[project.pk] = Progress(
            project=project,
            activities=Figure(
                row.get("n_activities", 0),
                row.get("n_activities_ok", 0),
                project.target_activities,
            ),
            person_times=Figure(
                row.get("n_person_times") or 0,
                row.get("n_person_times_ok") or 0,
                project.target_person_times,
            ),
            cases=Figure(
                row.get("n_cases", 0), row.get("n_cases_ok", 0), project.target_cases
            ),
            villages=Figure(
                len(covered_ids),
                len(covered_ids & approved_villages[project.pk]),
                target,
            ),
            villages_covered=sorted(name for _town, name in covered.values()),
            town_target=town_target,
        )
    return result


def project_progress(project: Project) -> Progress:
    return projects_progress([project])[project.pk]


def linked_reports(project: Project) -> QuerySet[ActivityReport]:
    return project.reports.select_related("kind", "village").order_by(
        "start_date", "pk"
    )


def linkable_reports(project: Project) -> QuerySet[ActivityReport]:
    """The station's reports in the project period that no project claims yet."""
    return ActivityReport.objects.filter(
        level=Level.STATION,
        station=project.station_id,
        project__isnull=True,
        start_date__gte=project.start_date,
        start_date__lte=project.end_date,
    ).order_by("-start_date", "-pk")


# --- Project services --------------------------------------------------------------


def _project_errors(project: Project) -> dict:
    if (
        project.start_date
        and project.end_date
        and project.end_date < project.start_date
    ):
        return {"end_date": _("结束日期不能早于开始日期。")}
    return {}


def _station_with_place(station_id) -> Station:
    station = Station.objects.with_place().filter(pk=station_id).first()
    if station is None:
        raise ValidationError({"station": _("请选择承接项目的社工站。")})
    return station


@transaction.atomic
def project_create(*, project: Project, by) -> Project:
    _require(can_manage_project_of(by, _station_with_place(project.station_id)))
    errors = _project_errors(project)
    if errors:
        raise ValidationError(errors)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_update(*, project: Project, by) -> Project:
    current = Project.objects.select_for_update().get(pk=project.pk)
    _require(can_manage_project_of(by, _station_with_place(current.station_id)))
    if project.station_id != current.station_id:
        _require(can_manage_project_of(by, _station_with_place(project.station_id)))
        if current.reports.exists():
            raise ValidationError(
                {"station": _("项目已关联了活动报告，不能更换承接社工站。")}
            )
    errors = _project_errors(project)
    if errors:
        raise ValidationError(errors)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_link_report(*, project: Project, report: ActivityReport, by) -> None:
    """Count ``report`` towards ``project``: a report of the project's station, in
    the project period, not already claimed by another project."""
    _require(can_manage_project_of(by, _station_with_place(project.station_id)))
    current = ActivityReport.objects.select_for_update().get(pk=report.pk)
    if current.level != Level.STATION or current.station_id != project.station_id:
        raise ValidationError(_("只能关联本项目承接社工站的活动报告。"))
    if current.project_id == project.pk:
        return
    if current.project_id is not None:
        raise ValidationError(_("该报告已关联到其他项目，请先在那个项目中取消关联。"))
    if not project.start_date <= current.start_date <= project.end_date:
        raise ValidationError(
            _("报告的活动日期 %(d)s 不在项目周期（%(s)s 至 %(e)s）内。")
            % {
                "d": current.start_date.isoformat(),
                "s": project.start_date.isoformat(),
                "e": project.end_date.isoformat(),
            }
        )
    # A targeted update: linking must not overwrite an edit the author is saving.
    ActivityReport.objects.filter(pk=report.pk).update(project=project)
    report.project = project


@transaction.atomic
def project_unlink_report(*, project: Project, report: ActivityReport, by) -> None:
    _require(can_manage_project_of(by, _station_with_place(project.station_id)))
    updated = ActivityReport.objects.filter(pk=report.pk, project=project).update(
        project=None
    )
    if not updated:
        raise ValidationError(_("该报告没有关联到本项目。"))
    report.project = None
