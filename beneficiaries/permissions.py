"""Scope for beneficiary files and cases (DESIGN.md §4 and §6), built on
stations/permissions.py.

=================  ===================================  ========================
role               reads files and cases                writes; sees full ID/phone
=================  ===================================  ========================
social worker,     own station's                        own station's
station head,
deputy head
supervisor         assigned stations / county           –
county reviewer    county's stations                    –
city editor        city's stations                      –
superuser          all                                  –
public, no role    nothing (login / 403)                –
=================  ===================================  ========================

Only the keeping station writes, and only its members may see an ID number or a
phone in full. Lookups out of scope are a 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from activities.models import ActivityReport, Level
from beneficiaries.models import Beneficiary, Case
from stations.models import Station
from stations.permissions import get_scope, station_read_q


def _filtered(qs: QuerySet, q: Q | None) -> QuerySet:
    return qs if q is None else qs.filter(q)


def beneficiaries_visible_to(user) -> QuerySet[Beneficiary]:
    return _filtered(Beneficiary.objects.all(), station_read_q(user, "station__"))


def beneficiaries_writable_by(user) -> QuerySet[Beneficiary]:
    return Beneficiary.objects.filter(station__in=get_scope(user).member_stations)


def cases_visible_to(user) -> QuerySet[Case]:
    return _filtered(Case.objects.all(), station_read_q(user, "beneficiary__station__"))


def cases_writable_by(user) -> QuerySet[Case]:
    return Case.objects.filter(beneficiary__station__in=get_scope(user).member_stations)


def can_write_station(user, station_id) -> bool:
    """Whether the user keeps files at the station (is one of its members)."""
    return station_id in get_scope(user).member_stations


def can_write(user, beneficiary: Beneficiary) -> bool:
    return can_write_station(user, beneficiary.station_id)


def can_record_attendance(user, report: ActivityReport) -> bool:
    """Whether the user may record which files attended ``report``: only a
    station report, and only a member of that station. Without a query."""
    return report.level == Level.STATION and can_write_station(user, report.station_id)


def can_see_full(user, beneficiary: Beneficiary) -> bool:
    """Full ID number and phones: the keeping station only (not even a superuser,
    whose work never needs them)."""
    return can_write(user, beneficiary)


def keeps_files(user) -> bool:
    """Whether the user keeps any station's files (may create one)."""
    return bool(get_scope(user).member_stations)


def reads_files(user) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or bool(
        scope.member_stations
        or scope.supervisor_stations
        or scope.supervisor_counties
        or scope.reviewer_counties
        or scope.editor_cities
    )


def writable_stations(user) -> QuerySet[Station]:
    return Station.objects.with_place().filter(pk__in=get_scope(user).member_stations)


BENEFICIARY_PAGE_RELATED = (
    "station__town__county__city",
    "village__town",
    # 建档 by whom: the person's name (core/people.py) in the same query.
    "created_by__social_worker",
)


def get_beneficiary_for_user(user, pk, *, write: bool = False) -> Beneficiary:
    """The file if the user may read it (with ``write``: keep it); else 404."""
    qs = beneficiaries_writable_by(user) if write else beneficiaries_visible_to(user)
    return get_object_or_404(qs.select_related(*BENEFICIARY_PAGE_RELATED), pk=pk)


def get_case_for_user(user, pk, *, write: bool = False) -> Case:
    qs = cases_writable_by(user) if write else cases_visible_to(user)
    return get_object_or_404(
        qs.select_related(
            "beneficiary__station__town__county",
            "beneficiary__village",
            "worker",
            "opened_by",
        ),
        pk=pk,
    )
