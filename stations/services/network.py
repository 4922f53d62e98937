"""Edits to the network outside the admin (stations, service points, workers)
and the granting and revoking of roles (the admin's too), each checked against
the user's scope."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.models import AuditEntry

from .. import permissions
from ..models import City, County, RoleAssignment, ServicePoint, SocialWorker, Station
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


# --- Roles -------------------------------------------------------------------------
#
# Who may grant or revoke which role where is permissions.can_manage_roles_at: a
# superuser anything; a city editor the county-level roles of their city's
# counties and the station-level roles of its stations, never city editors; a
# county reviewer the station-level roles of their county's stations. Each grant
# and each revoke writes one audit row, here, whoever calls: views, commands and
# the admin (stations/admin.py) alike.

SCOPE_FIELDS = {City: "city", County: "county", Station: "station"}


def _scope_field(unit) -> str:
    for model, name in SCOPE_FIELDS.items():
        if isinstance(unit, model) and unit.pk is not None:
            return name
    # A missing unit (or anything else) is the same mistake as none chosen in a
    # form, and gets the model's own words for it.
    raise ValidationError(
        _("请选择且只选择一个范围：市、县（市、区）或社工站。"), code="scope"
    )


def _role_label(assignment: RoleAssignment) -> str:
    # Roles hold no personal data: the username, the role and the unit's name
    # are what an auditor needs to read the row.
    return (
        f"{assignment.user.get_username()} · "
        f"{assignment.get_role_display()} · {assignment.scope_unit}"
    )


def _forget_scope(*users) -> None:
    """Drop the scope get_scope cached on these user objects, so the rest of the
    request sees the role given or taken (a scope is otherwise computed once per
    request and kept on the object). Nothing outlives the request: scope is not
    kept in the session or the cache, and background jobs check it again when
    they run."""
    for user in users:
        if user is not None:
            user.__dict__.pop("_portal_scope", None)


def role_assign_check(*, user, role: str, unit, by=None) -> RoleAssignment:
    """Everything ``role_assign`` checks before it writes, without writing: the
    unsaved grant, or ValidationError (in Chinese) or PermissionDenied. The admin's
    form calls it so that a refusal shows on the form instead of an error page."""
    scope_field = _scope_field(unit)
    assignment = RoleAssignment(
        user=user, role=role, granted_by=by, **{scope_field: unit}
    )
    # Fields first: the level check below reads the role, and an unknown role
    # would otherwise come back as a sentence with a blank in it.
    assignment.clean_fields()
    # A role at the wrong level is a mistake worth explaining, whoever makes it,
    # so it is checked before who is asking.
    assignment.clean()
    if by is not None:
        require(permissions.can_manage_roles_at(by, unit))
    return assignment


@transaction.atomic
def role_assign(*, user, role: str, unit, by=None, request=None) -> RoleAssignment:
    """Give ``user`` ``role`` over ``unit`` (a City, County or Station). Idempotent:
    a grant already held is returned as it is, and writes no audit row.

    ``by`` is None only for commands run by an operator (load_demo); otherwise
    it must be allowed to manage roles at ``unit`` (permissions.can_manage_roles_at:
    a superuser anything; a city editor county-level roles in their city and
    station-level roles in its stations, not city editors; a county reviewer the
    station-level roles, station supervisors included, of their county's
    stations). ``request`` gives the audit row its address."""
    assignment = role_assign_check(user=user, role=role, unit=unit, by=by)
    scope_field = assignment.scope_level
    existing = RoleAssignment.objects.filter(
        user=user, role=role, **{scope_field: unit}
    ).first()
    if existing:
        return existing
    assignment.full_clean()
    try:
        # A savepoint, so that losing a race with the same grant made at the
        # same moment leaves the outer transaction usable.
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        existing = RoleAssignment.objects.filter(
            user=user, role=role, **{scope_field: unit}
        ).first()
        if existing is None:
            raise
        return existing
    _forget_scope(user, by if by is not None and by.pk == user.pk else None)
    audit_record(
        actor=by,
        action=AuditEntry.Action.ROLE,
        target=assignment,
        request=request,
        label=_role_label(assignment),
        detail="授予角色",
    )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by, request=None) -> bool:
    """End ``assignment``: the user loses the role over its unit at once. Returns
    False, and writes nothing, when it was already gone (two people revoking the
    same grant record one revoke between them).

    Takes the assignment rather than (user, role, unit): callers hold the row
    (the admin, a list of a station's staff), it names exactly one grant, and
    there is no "no such grant" case to invent for a row that was never there.

    ``by`` is None only for commands run by an operator; otherwise it must be
    allowed to manage roles at the assignment's unit, the rule ``role_assign``
    applies (permissions.can_manage_roles_at). There is nothing of the row to
    validate on the way out; what is checked is that it still exists, under a
    lock, so the audit row stands for a deletion that happened. What depends
    on a role is worked out from the assignments when it is needed (scope,
    reviewers to notify, whose jobs one sees); the only copy is the scope
    cached on user objects for the request, dropped here."""
    # The row as it stands, locked: a grant changed or revoked since the caller
    # read it is judged, and recorded, as it is now. Only its own row is locked:
    # PostgreSQL refuses FOR UPDATE on the nullable side of the joins to units.
    current = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "city", "county", "station__town")
        .filter(pk=assignment.pk)
        .first()
    )
    if current is None:
        return False
    if by is not None:
        require(permissions.can_manage_roles_at(by, current.scope_unit))
    label = _role_label(current)
    pk = current.pk
    current.delete()
    # The audit row names the grant by the id it had.
    current.pk = pk
    _forget_scope(
        # The caller's copy of the user, when it has one loaded, may be the
        # object a view goes on to ask get_scope about.
        assignment.user if RoleAssignment.user.is_cached(assignment) else None,
        current.user,
        by if by is not None and by.pk == current.user_id else None,
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.ROLE,
        target=current,
        request=request,
        label=label,
        detail="撤销角色",
    )
    return True
