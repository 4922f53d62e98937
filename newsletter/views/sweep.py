"""The findings of the privacy sweep: what is published and should not be, and
the one step an editor takes for each (newsletter/services/sweep.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import permissions, selectors, services
from .common import error_text, newsletter_staff, require_editor

PER_PAGE = 30


def _findings(user, *, open_only=False):
    return selectors.privacy_findings(
        permissions.publications_editable_by(user), open_only=open_only
    )


@newsletter_staff
@require_GET
def finding_list(request):
    require_editor(request.user)
    open_findings = _findings(request.user, open_only=True).order_by(
        "-issue__issue_date", "issue_id", "pk"
    )
    page = Paginator(open_findings, PER_PAGE).get_page(request.GET.get("page"))
    recent = list(
        _findings(request.user)
        .exclude(resolution="")
        .select_related("resolved_by__social_worker")
        .order_by("-resolved_at", "-pk")[:10]
    )
    return render(
        request,
        "newsletter/staff/privacy_findings.html",
        {
            "page": page,
            "recent": recent,
            "publications": list(permissions.publications_editable_by(request.user)),
        },
    )


@newsletter_staff
@require_POST
def sweep_run(request):
    require_editor(request.user)
    publications = permissions.publications_editable_by(request.user)
    slug = request.POST.get("publication", "")
    publication = get_object_or_404(publications, slug=slug) if slug else None
    for item in [publication] if publication else publications:
        report = services.privacy_sweep(publication=item, by=request.user)
        messages.info(
            request,
            _(
                "%(name)s：检查了 %(i)d 期、%(a)d 篇文章，待处理 %(o)d 处"
                "（新发现 %(n)d 处）。"
            )
            % {
                "name": item.name,
                "i": report.issues,
                "a": report.articles,
                "o": report.open,
                "n": len(report.new),
            },
        )
    return redirect("newsletter_staff:privacy_findings")


def _act(request, pk, action, done):
    require_editor(request.user)
    finding = get_object_or_404(_findings(request.user), pk=pk)
    try:
        action(finding)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done % {"m": finding.masked})
    return redirect("newsletter_staff:privacy_findings")


@newsletter_staff
@require_POST
def finding_withdraw(request, pk):
    return _act(
        request,
        pk,
        lambda f: services.finding_withdraw(
            finding=f, by=request.user, request=request
        ),
        _("已撤下含有 %(m)s 的文章，公开页面注明了更正。"),
    )


@newsletter_staff
@require_POST
def finding_hide(request, pk):
    return _act(
        request,
        pk,
        lambda f: services.finding_hide(finding=f, by=request.user, request=request),
        _("已隐去 %(m)s，公开页面注明了更正。"),
    )


@newsletter_staff
@require_POST
def finding_keep(request, pk):
    return _act(
        request,
        pk,
        lambda f: services.finding_keep(
            finding=f,
            by=request.user,
            reason=request.POST.get("reason", ""),
            request=request,
        ),
        _("已记录：%(m)s 可以公开，不再提示。"),
    )
