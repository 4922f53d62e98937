"""Which reports a user may export (who may back-fill history:
``permissions.can_backfill``, the rules in the package docstring)."""

from __future__ import annotations

from activities import permissions


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
