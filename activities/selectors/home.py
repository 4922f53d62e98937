"""The staff home's lists of reports to act on: returned and draft reports for
those who file them, the review queue for those who decide. Each list is one
query (core.todo.first_and_total: its first items and its total), oldest
first: what has waited longest comes first."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from activities.models import ActivityReport, Level, ReportTransition, Status
from activities.permissions.reports import report_write_q
from activities.selectors.reports import LIST_RELATED, review_list
from core.todo import TodoList, first_and_total
from stations.permissions import get_scope

SENT_BACK = (ReportTransition.Action.RETURN, ReportTransition.Action.WITHDRAW)


def own_work_q(user) -> Q:
    """Reports that are the user's to finish: those of the units they file for,
    where a station's social worker has only their own and a station head (or
    deputy) the whole station's. A superuser, who may write every report, has
    their own only: the whole installation is nobody's to-do list."""
    scope = get_scope(user)
    if scope.is_superuser:
        return Q(author=user)
    q = report_write_q(user)
    member_only = scope.member_stations - scope.lead_stations
    if member_only:
        q &= ~Q(level=Level.STATION, station__in=member_only) | Q(author=user)
    return q


def _days(since: datetime.date, today: datetime.date) -> int:
    return max(0, (today - since).days)


def returned_todo(user, *, today: datetime.date | None = None) -> TodoList:
    """Reports sent back to the user (returned, or approval withdrawn), the
    longest-waiting first, each with the reviewer's comment (``return_comment``)
    and the day it came back (``returned_at``, ``days``)."""
    today = today or timezone.localdate()
    last_back = ReportTransition.objects.filter(
        report=OuterRef("pk"), action__in=SENT_BACK
    ).order_by("-at", "-pk")
    todo = first_and_total(
        ActivityReport.objects.filter(own_work_q(user), status=Status.RETURNED)
        .select_related(*LIST_RELATED)
        .annotate(
            returned_at=Subquery(last_back.values("at")[:1]),
            return_comment=Subquery(last_back.values("comment")[:1]),
        )
        .order_by("returned_at", "pk")
    )
    for report in todo.items:
        if report.returned_at:
            report.days = _days(timezone.localdate(report.returned_at), today)
    return todo


def drafts_todo(user, *, today: datetime.date | None = None) -> TodoList:
    """Drafts not yet submitted, the oldest first, with their age in days."""
    today = today or timezone.localdate()
    todo = first_and_total(
        ActivityReport.objects.filter(own_work_q(user), status=Status.DRAFT)
        .select_related(*LIST_RELATED)
        .order_by("created_at", "pk")
    )
    for report in todo.items:
        report.days = _days(timezone.localdate(report.created_at), today)
    return todo


def review_todo(user, *, today: datetime.date | None = None) -> TodoList:
    """The user's review queue, the longest-waiting first, each with its age in
    days and ``resubmitted`` (sent back before: 再次提交)."""
    today = today or timezone.localdate()
    todo = first_and_total(review_list(user))
    for report in todo.items:
        report.days = (
            _days(timezone.localdate(report.submitted_at), today)
            if report.submitted_at
            else None
        )
    return todo
