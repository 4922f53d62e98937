"""Which reports a user may export, and for which units they may back-fill
history (see the package docstring)."""

from __future__ import annotations

from stations.permissions import get_scope

from .. import permissions
from ..models import Level


def reports_export_queryset(user):
    """The reports ``user`` may read, with everything the export shows loaded up
    front: one query for the reports and one per many-to-many list."""
    return _with_export_relations(permissions.reports_visible_to(user)).order_by(
        "start_date", "pk"
    )


def _with_export_relations(qs):
    return qs.select_related(
        "city", "county", "station__town", "town", "kind"
    ).prefetch_related("categories", "partners")


def can_backfill(user, *, level, city_id, county_id) -> bool:
    """Whether ``user`` may add an approved historical report for the unit: only
    those who would review it (see the package docstring)."""
    scope = get_scope(user)
    if scope.is_superuser or city_id in scope.editor_cities:
        return True
    return level in (Level.STATION, Level.COUNTY) and (
        county_id in scope.reviewer_counties
    )
