"""Edits to the network outside the admin (stations, service points, workers)
and the granting of roles, each checked against the user's scope."""

from __future__ import annotations

from django.db import transaction

from core.audit import audit_record
from core.models import AuditEntry

from .. import permissions
from ..models import (
    City,
    County,
    RoleAssignment,
    ServicePoint,
    SocialWorker,
    Station,
)
from ..permissions import require

# --- Network edits outside the admin -------------------------------------------------


@transaction.atomic
def station_save(*, station: Station, by) -> Station:
    """Create or update a station. The town must lie in a county the user manages."""
    require(
        permissions.counties_manageable_by(by)
        .filter(pk=station.town.county_id)
        .exists()
    )
    station.full_clean()
    station.save()
    return station


@transaction.atomic
def point_save(*, point: ServicePoint, by) -> ServicePoint:
    require(
        permissions.stations_with_points_manageable_by(by)
        .filter(pk=point.station_id)
        .exists()
    )
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def point_delete(*, point: ServicePoint, by) -> None:
    require(
        permissions.stations_with_points_manageable_by(by)
        .filter(pk=point.station_id)
        .exists()
    )
    point.delete()


@transaction.atomic
def worker_save(*, worker: SocialWorker, by) -> SocialWorker:
    require(
        worker.station_id is not None
        and permissions.stations_manageable_by(by).filter(pk=worker.station_id).exists()
    )
    worker.full_clean()
    worker.save()
    return worker


@transaction.atomic
def role_assign(*, user, role: str, unit, by=None) -> RoleAssignment:
    """Give ``user`` ``role`` over ``unit`` (a City, County or Station). Idempotent.
    ``by`` is None only for commands run by an operator (load_demo).

    Who grants what: a superuser anything; a city editor county-level roles in
    their city and station-level roles in its stations; a county reviewer the
    station-level roles (and supervisors) of their county's stations."""
    scope_field = {City: "city", County: "county", Station: "station"}[type(unit)]
    assignment = RoleAssignment(
        user=user, role=role, granted_by=by, **{scope_field: unit}
    )
    # A role at the wrong level is a mistake worth explaining, whoever makes it.
    assignment.clean()
    if by is not None:
        if scope_field == "station":
            allowed = permissions.stations_manageable_by(by).filter(pk=unit.pk).exists()
        else:
            allowed = permissions.get_scope(by).is_superuser or (
                scope_field == "county"
                and permissions.counties_editable_by(by).filter(pk=unit.pk).exists()
            )
        require(allowed)
    existing = RoleAssignment.objects.filter(
        user=user, role=role, **{scope_field: unit}
    ).first()
    if existing:
        return existing
    assignment.full_clean()
    assignment.save()
    user.__dict__.pop("_portal_scope", None)
    audit_record(
        actor=by,
        action=AuditEntry.Action.ROLE,
        target=assignment,
        label=f"{user.get_username()} · {assignment.get_role_display()} · {unit}",
        detail="授予角色",
    )
    return assignment
