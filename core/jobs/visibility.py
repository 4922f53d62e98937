"""Who may see a job: its starter, and whoever its kind's rule lets see it
(core/jobs/registry.py); a superuser every job. Anyone else gets a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import Job
from ..people import name_related
from .registry import visible_q


def jobs_visible_to(user) -> QuerySet[Job]:
    if not user.is_authenticated or not user.is_active:
        return Job.objects.none()
    if user.is_superuser:
        return Job.objects.all()
    return Job.objects.filter(Q(started_by=user) | visible_q(user))


def get_job_for_user(user, pk) -> Job:
    # With what the page's 发起人 reads (core/people.py), in the same query.
    related = ("started_by", *name_related("started_by"))
    return get_object_or_404(jobs_visible_to(user).select_related(*related), pk=pk)
