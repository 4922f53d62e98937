"""Staff buttons of an issue's sections: add, rename, move, remove."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stations.views.staff import pk_param

from .. import permissions, services
from ..models import Section
from .common import error_text, newsletter_staff


def _editable_issue(request, pk):
    return permissions.get_issue_for_user(request.user, pk, write=True)


def _section_for(request, pk) -> Section:
    section = get_object_or_404(
        Section.objects.select_related("issue__publication"), pk=pk
    )
    # Through the scoped lookup, so a section of another city's issue is a 404.
    section.issue = _editable_issue(request, section.issue_id)
    return section


def _run(request, issue_pk, call, done):
    try:
        call()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        if done:
            messages.success(request, done)
    return redirect("newsletter_staff:issue", issue_pk)


@newsletter_staff
@require_POST
def section_new(request, pk):
    issue = _editable_issue(request, pk)
    return _run(
        request,
        issue.pk,
        lambda: services.section_create(
            issue=issue, title=request.POST.get("title", ""), by=request.user
        ),
        _("已添加栏目。"),
    )


@newsletter_staff
@require_POST
def section_rename(request, pk):
    section = _section_for(request, pk)
    return _run(
        request,
        section.issue_id,
        lambda: services.section_rename(
            section=section, title=request.POST.get("title", ""), by=request.user
        ),
        _("栏目已改名。"),
    )


@newsletter_staff
@require_POST
def section_move(request, pk):
    section = _section_for(request, pk)
    position = pk_param(request.POST.get("position", ""))
    if position is None:
        messages.error(request, _("位置应为正整数。"))
        return redirect("newsletter_staff:issue", section.issue_id)
    return _run(
        request,
        section.issue_id,
        lambda: services.section_move(
            section=section, position=position, by=request.user
        ),
        "",
    )


@newsletter_staff
@require_POST
def section_delete(request, pk):
    section = _section_for(request, pk)
    return _run(
        request,
        section.issue_id,
        lambda: services.section_delete(section=section, by=request.user),
        _("栏目已删除。"),
    )
