"""Reads of activity reports for the staff pages. Each selector owns its joins and
prefetches, so a page built on it runs a fixed number of queries whatever the
number of rows (tests/activities/test_report_list_view.py,
test_report_detail_view.py and test_review_queue_view.py pin them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)

from activities import permissions
from activities.models import ActivityReport, ReportPhoto, ReportTransition, Status
from core.people import display_name
from stations.models import Village

# What a row of a report list shows: its unit's name (station, town and county),
# its kind and its author.
# author__social_worker: 填报人 is the person's name (core/people.py).
LIST_RELATED = (
    "city",
    "county",
    "station__town__county",
    "kind",
    "author__social_worker",
)


@dataclass(frozen=True)
class ReportFilters:
    """Filters a list or the review queue applies; None means "any"."""

    status: str | None = None
    station_id: int | None = None
    kind_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _apply(qs: QuerySet[ActivityReport], filters: ReportFilters):
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.station_id:
        qs = qs.filter(station_id=filters.station_id)
    if filters.kind_id:
        qs = qs.filter(kind_id=filters.kind_id)
    # A report falls in a date range when its activity overlaps it: one that ran
    # from the 28th to the 2nd belongs to both months.
    if filters.date_from:
        qs = qs.filter(
            Q(end_date__gte=filters.date_from)
            | Q(end_date__isnull=True, start_date__gte=filters.date_from)
        )
    if filters.date_to:
        qs = qs.filter(start_date__lte=filters.date_to)
    return qs


def report_list(user, filters: ReportFilters | None = None) -> QuerySet:
    """The reports the user may read, newest activity first."""
    qs = _apply(permissions.reports_visible_to(user), filters or ReportFilters())
    return qs.select_related(*LIST_RELATED).order_by("-start_date", "-pk")


def review_list(user, filters: ReportFilters | None = None) -> QuerySet:
    """The user's review queue (submitted reports they decide on), oldest first:
    the report that has waited longest comes first."""
    filters = filters or ReportFilters()
    # The queue holds submitted reports only; a status filter has no place here.
    filters = ReportFilters(
        station_id=filters.station_id,
        kind_id=filters.kind_id,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    qs = _apply(permissions.review_queue(user), filters)
    return (
        qs.select_related(*LIST_RELATED)
        .annotate(resubmitted=resubmitted_q())
        .order_by("submitted_at", "pk")
    )


def resubmitted_q() -> Exists:
    """Whether a report was sent back before (returned, or its approval
    withdrawn): submitted now, it is a resubmission (再次提交)."""
    return Exists(
        ReportTransition.objects.filter(
            report=OuterRef("pk"),
            action__in=(
                ReportTransition.Action.RETURN,
                ReportTransition.Action.WITHDRAW,
            ),
        )
    )


def _user_label(user) -> str:
    return display_name(user)


def report_for_page(report: ActivityReport) -> ActivityReport:
    """Load, in one query each, what the report page shows beyond the report row
    (fetched by permissions.get_report_for_user): lists, villages reached,
    photos, project and history. Each history step gets ``by_label``, the name to
    show for who made it."""
    prefetch_related_objects(
        [report],
        "categories",
        "partners",
        Prefetch("villages_reached", queryset=Village.objects.select_related("town")),
        "project",
        Prefetch(
            "photos",
            queryset=ReportPhoto.objects.order_by("position", "pk"),
        ),
        Prefetch(
            "transitions",
            # With the content kept when a step sent the report back, for
            # what changed since (selectors.reviews.resubmission_changes).
            queryset=ReportTransition.objects.select_related(
                "by__social_worker", "snapshot"
            ).order_by("at", "pk"),
        ),
    )
    for step in report.transitions.all():
        step.by_label = _user_label(step.by)
    return report


def last_return(report: ActivityReport) -> ReportTransition | None:
    """The step that sent the report back to its author (a return or a withdrawn
    approval), from the prefetched history; None when it is not returned."""
    if report.status != Status.RETURNED:
        return None
    steps = [
        t
        for t in report.transitions.all()
        if t.action
        in (ReportTransition.Action.RETURN, ReportTransition.Action.WITHDRAW)
    ]
    return steps[-1] if steps else None


def report_filed_with(*, by, client_key) -> ActivityReport | None:
    """The report ``by`` filed with ``client_key`` (the key a form or a phone's
    offline queue sends with a new report), if any."""
    if client_key is None:
        return None
    return ActivityReport.objects.filter(author=by, client_key=client_key).first()
