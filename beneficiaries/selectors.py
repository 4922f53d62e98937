"""Reads of beneficiary files, visits, attendance and cases. Each selector owns
its joins, so a page's query count does not grow with its rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db import models
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from activities.models import BeneficiaryCategory
from beneficiaries import permissions as access
from beneficiaries.models import (
    Attendance,
    Beneficiary,
    BeneficiaryTransfer,
    Case,
    CaseNote,
    Referral,
    Visit,
)
from core.todo import TodoList, first_and_total
from stations.models import SocialWorker
from stations.permissions import get_scope, workers_visible_to
from stations.selectors import subquery_aggregate


class Identifier(NamedTuple):
    """One value that identifies a registered beneficiary, for the newsletter's
    check before publishing. ``kind`` is "name", "id_number" or "phone"."""

    kind: str
    value: str
    beneficiary_id: int


def beneficiary_identifiers_in_city(city_id: int) -> list[Identifier]:
    """Names (the person's and the guardian's), ID numbers, phones (the
    person's and the guardian's) and home addresses of every file kept by a
    station of the city, in any status; empty values left out. One query."""
    rows = Beneficiary.objects.filter(
        station__town__county__city_id=city_id
    ).values_list(
        "pk",
        "name",
        "guardian_name",
        "id_number",
        "phone",
        "guardian_phone",
        "address",
    )
    identifiers: list[Identifier] = []
    for (
        pk,
        name,
        guardian,
        id_number,
        phone,
        guardian_phone,
        address,
    ) in rows.iterator():
        for kind, value in (
            ("name", name),
            ("name", guardian),
            ("id_number", id_number),
            ("phone", phone),
            ("phone", guardian_phone),
            ("address", address),
        ):
            value = (value or "").strip()
            if value:
                identifiers.append(Identifier(kind, value, pk))
    return identifiers


# --- Files --------------------------------------------------------------------


@dataclass(frozen=True)
class FileFilters:
    """Filters of the file list; None or "" means any."""

    station_id: int | None = None
    status: str | None = Beneficiary.Status.ACTIVE
    category_id: int | None = None
    query: str = ""


def last_visit_subquery():
    """The date of a file's latest visit, as a correlated subquery (None when
    never visited)."""
    return Subquery(
        Visit.objects.filter(beneficiary=OuterRef("pk"))
        .order_by("-date")
        .values("date")[:1],
        output_field=DateField(),
    )


def visit_period_subquery():
    """The shortest visit period among a file's categories (None: no category
    asks for visits)."""
    through = Beneficiary.categories.through
    return Subquery(
        through.objects.filter(
            beneficiary_id=OuterRef("pk"),
            beneficiarycategory__visit_every_days__isnull=False,
        )
        .order_by()
        .values("beneficiary_id")
        .annotate(v=Min("beneficiarycategory__visit_every_days"))
        .values("v")[:1],
        output_field=IntegerField(),
    )


def visit_cutoffs(today: datetime.date) -> dict[datetime.date, list[int]]:
    """The categories that ask for visits by their cutoff, today less their
    period: a file of the category whose last contact is before its cutoff is
    overdue. One query."""
    cutoffs: dict[datetime.date, list[int]] = {}
    rows = BeneficiaryCategory.objects.filter(
        visit_every_days__isnull=False
    ).values_list("pk", "visit_every_days")
    for pk, days in rows.order_by("pk"):
        cutoffs.setdefault(today - datetime.timedelta(days=days), []).append(pk)
    return cutoffs


def visit_cutoff_subquery(cutoffs: dict[datetime.date, list[int]]):
    """The latest cutoff among a file's categories (``visit_cutoffs``), as a
    correlated subquery: today less the shortest period they ask for, None when
    none asks for visits. A file is overdue when its last contact is before it:
    the rule "not visited within the shortest period" as one comparison, with
    no date arithmetic in SQL (it is not portable) and each file's categories
    and latest visit looked up once, where a comparison for each period in use
    looked them up once a period (stats/beneficiaries.py, file_figures, has
    the figures)."""
    if not cutoffs:
        return Value(None, output_field=DateField())
    through = Beneficiary.categories.through
    latest = Max(
        models.Case(  # the SQL expression; ``Case`` here is the model
            *(
                When(beneficiarycategory_id__in=ids, then=Value(day))
                for day, ids in cutoffs.items()
            ),
            output_field=DateField(),
        )
    )
    # The CASE maps category ids to cutoffs: the link table alone answers, with
    # no join to the categories.
    return Subquery(
        through.objects.filter(
            beneficiary_id=OuterRef("pk"),
            beneficiarycategory_id__in=[pk for ids in cutoffs.values() for pk in ids],
        )
        .order_by()
        .values("beneficiary_id")
        .annotate(v=latest)
        .values("v")[:1],
        output_field=DateField(),
    )


def _search_q(query: str) -> Q:
    """A name, or the last digits of an ID number or phone (never the whole
    number: a search travels in the address bar and the server's access log)."""
    q = Q(name__contains=query) | Q(guardian_name__contains=query)
    if query.isdigit() and 3 <= len(query) <= 6:
        q |= Q(id_number__endswith=query) | Q(phone__endswith=query)
    if query.upper().endswith("X") and query[:-1].isdigit() and len(query) <= 6:
        q |= Q(id_number__endswith=query.upper())
    return q


def file_list(user, filters: FileFilters | None = None) -> QuerySet[Beneficiary]:
    """The files the user may read, with their station, village, categories and
    latest visit: 2 queries for a page (the rows, the categories)."""
    filters = filters or FileFilters()
    qs = access.beneficiaries_visible_to(user)
    if filters.station_id:
        qs = qs.filter(station_id=filters.station_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category_id:
        qs = qs.filter(categories=filters.category_id)
    if filters.query:
        qs = qs.filter(_search_q(filters.query))
    return (
        qs.select_related("station__town__county", "village")
        .prefetch_related("categories")
        .annotate(last_visit=last_visit_subquery())
        .order_by(
            "station__town__county__display_order",
            "station__town__display_order",
            "name",
            "pk",
        )
    )


def people_for_device(user) -> list[dict]:
    """The files whose visits the user may record (their own stations' open
    files), as the phone may keep them for choosing whom a visit is for: the
    name and the village, and the id the visit is posted to. Nothing else of a
    file ever goes to the phone. One query."""
    rows = (
        access.beneficiaries_writable_by(user)
        .filter(status=Beneficiary.Status.ACTIVE)
        .order_by("village__name", "name", "pk")
        .values_list("pk", "name", "village__name")
    )
    return [
        {"id": pk, "name": name, "village": village or ""} for pk, name, village in rows
    ]


def file_for_page(beneficiary: Beneficiary) -> Beneficiary:
    """Load what the file page shows beyond the row itself (fetched by
    access.get_beneficiary_for_user), one query per list."""
    prefetch_related_objects(
        [beneficiary],
        "categories",
        Prefetch(
            "visits",
            queryset=Visit.objects.select_related("worker").order_by("-date", "-pk"),
        ),
        Prefetch(
            "cases",
            queryset=Case.objects.select_related("worker").order_by(
                "-opened_on", "-pk"
            ),
        ),
        Prefetch(
            "transfers",
            queryset=BeneficiaryTransfer.objects.select_related(
                "from_station__town__county", "to_station__town__county"
            ).order_by("at", "pk"),
        ),
        Prefetch(
            "attendances",
            queryset=Attendance.objects.select_related("report").order_by(
                "-report__start_date", "-pk"
            ),
        ),
    )
    return beneficiary


def overdue_list(
    user, *, station_id: int | None = None, today: datetime.date | None = None
) -> QuerySet[Beneficiary]:
    """Active files not visited within the shortest period their categories ask
    for (counted from the opening date when never visited), per station, the
    longest-waiting first, with that period. Computed in the database: one
    query for the categories' periods, one for the rows."""
    today = today or datetime.date.today()
    qs = access.beneficiaries_visible_to(user).filter(status=Beneficiary.Status.ACTIVE)
    if station_id:
        qs = qs.filter(station_id=station_id)
    return (
        qs.annotate(last_visit=last_visit_subquery())
        .alias(cutoff=visit_cutoff_subquery(visit_cutoffs(today)))
        .annotate(last_contact=Coalesce("last_visit", "opened_on"))
        .filter(last_contact__lt=F("cutoff"))
        .annotate(period=visit_period_subquery())
        .select_related("station__town__county", "village")
        .order_by(
            "station__town__county__display_order",
            "station__town__display_order",
            "station_id",
            "last_contact",
            "pk",
        )
    )


def days_since(day: datetime.date | None, today: datetime.date | None = None):
    if day is None:
        return None
    return ((today or datetime.date.today()) - day).days


# --- Cases --------------------------------------------------------------------


ACTIVE_CASE_STATUSES = (Case.Status.OPEN, Case.Status.IN_PROGRESS)


@dataclass(frozen=True)
class CaseFilters:
    station_id: int | None = None
    status: str | None = None
    worker_id: int | None = None


def case_list(user, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Cases the user may read, newest first: one query for a page."""
    filters = filters or CaseFilters()
    qs = access.cases_visible_to(user)
    if filters.station_id:
        qs = qs.filter(beneficiary__station_id=filters.station_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.worker_id:
        qs = qs.filter(worker_id=filters.worker_id)
    return qs.select_related("beneficiary__station__town__county", "worker").order_by(
        "-opened_on", "-pk"
    )


def case_for_page(case: Case) -> Case:
    prefetch_related_objects(
        [case],
        Prefetch("notes", queryset=CaseNote.objects.order_by("at", "pk")),
        Prefetch(
            "referrals",
            queryset=Referral.objects.select_related("partner").order_by(
                "referred_on", "pk"
            ),
        ),
    )
    return case


def caseload(user, *, station_id: int | None = None) -> QuerySet[SocialWorker]:
    """Workers the user may see who carry open or in-progress cases (or are in
    post), with the counts and their active cases: 2 queries for a page."""
    workers = workers_visible_to(user)
    if station_id:
        workers = workers.filter(station_id=station_id)
    active = access.cases_visible_to(user).filter(status__in=ACTIVE_CASE_STATUSES)

    def count(status):
        return subquery_aggregate(
            Case.objects.filter(worker=OuterRef("pk"), status=status),
            "worker",
            Count("*"),
            IntegerField(),
        )

    return (
        workers.filter(
            Q(status=SocialWorker.Status.ACTIVE)
            | Exists(
                Case.objects.filter(
                    worker=OuterRef("pk"), status__in=ACTIVE_CASE_STATUSES
                )
            )
        )
        .select_related("station__town__county")
        .annotate(
            open_count=count(Case.Status.OPEN),
            in_progress_count=count(Case.Status.IN_PROGRESS),
        )
        .prefetch_related(
            Prefetch(
                "cases",
                queryset=active.select_related("beneficiary").order_by(
                    "opened_on", "pk"
                ),
                to_attr="active_cases",
            )
        )
        .order_by(
            "station__town__county__display_order",
            "station__town__display_order",
            "station_id",
            "real_name",
        )
    )


# --- Attendance ---------------------------------------------------------------


def attendance_summary(report) -> dict | None:
    """For the report page: how many files attend the report (None when none
    was recorded). One query."""
    count = Attendance.objects.filter(report=report).count()
    return {"persons": count} if count else None


def attendance_choices(report) -> QuerySet[Beneficiary]:
    """Files a station report may record as attending: the station's active
    files, and any already recorded (so an inactive one can be unticked)."""
    return (
        Beneficiary.objects.filter(station_id=report.station_id)
        .filter(
            Q(status=Beneficiary.Status.ACTIVE)
            | Exists(
                Attendance.objects.filter(beneficiary=OuterRef("pk"), report=report)
            )
        )
        .select_related("village")
        .order_by("name", "pk")
    )


# --- The staff home's lists ---------------------------------------------------


def overdue_todo(user, *, today: datetime.date | None = None) -> TodoList:
    """Files of the user's own station(s) overdue for a visit (``overdue_list``),
    the longest without contact first: the staff home's list for station
    members. Two queries (the categories' periods, the rows with their total);
    none for a user who belongs to no station."""
    stations = get_scope(user).member_stations
    if not stations:
        return TodoList()
    today = today or datetime.date.today()
    todo = first_and_total(
        overdue_list(user, today=today)
        .filter(station_id__in=stations)
        .order_by("last_contact", "pk")
    )
    for beneficiary in todo.items:
        beneficiary.days = days_since(beneficiary.last_contact, today)
    return todo


def quiet_cases_todo(
    user, *, days: int, today: datetime.date | None = None
) -> TodoList:
    """Open and in-progress cases of the user's station(s) with no case note for
    ``days`` days (counted from the opening when there is none), the quietest
    first, with ``last_contact`` and ``days``. A social worker gets the cases
    they carry; a station head (or deputy) the whole station's. One query; none
    for a user who belongs to no station."""
    scope = get_scope(user)
    if not scope.member_stations:
        return TodoList()
    today = today or datetime.date.today()
    member_only = scope.member_stations - scope.lead_stations
    mine = Q(beneficiary__station__in=scope.lead_stations) | Q(
        beneficiary__station__in=member_only, worker__user=user
    )
    last_note = Subquery(
        CaseNote.objects.filter(case=OuterRef("pk"))
        .order_by("-date", "-pk")
        .values("date")[:1],
        output_field=DateField(),
    )
    todo = first_and_total(
        access.cases_visible_to(user)
        .filter(mine, status__in=ACTIVE_CASE_STATUSES)
        .annotate(last_contact=Coalesce(last_note, "opened_on"))
        .filter(last_contact__lt=today - datetime.timedelta(days=days))
        .select_related("beneficiary", "worker")
        .order_by("last_contact", "pk")
    )
    for case in todo.items:
        case.days = days_since(case.last_contact, today)
    return todo
