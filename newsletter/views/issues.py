"""Staff pages of an issue: the list, assembling or starting an issue, the
editor's page and its details, adding reports, the preview, and the print view
and Word file of a draft. The privacy gate, publishing and corrections are in
publishing.py; the section buttons in sections.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.jobs import job_start
from newsletter.forms.issues import AssembleForm, IssueMetaForm, NewIssueForm
from newsletter.forms.past_issues import RunningNumberForm
from stations.permissions import unit_path_of
from stations.views.staff import pk_param

from .. import permissions, selectors, services
from ..jobs import ISSUE_WORD
from ..services.assembly import held_text
from .common import (
    error_text,
    issue_context,
    missing_photo_count,
    newsletter_staff,
    require_editor,
    word_response,
)


def _editable_issue(request, pk):
    return permissions.get_issue_for_user(request.user, pk, write=True)


@newsletter_staff
@require_GET
def issue_list(request):
    issues = selectors.issue_list(permissions.issues_visible_to(request.user))
    can_edit = permissions.edits_newsletter(request.user)
    return render(
        request,
        "newsletter/staff/list.html",
        {"issues": issues, "can_edit": can_edit},
    )


@newsletter_staff
@require_http_methods(["GET", "POST"])
def issue_assemble(request):
    require_editor(request.user)
    publications = permissions.publications_editable_by(request.user).filter(
        is_active=True
    )
    data = request.POST if request.method == "POST" else None
    form = AssembleForm(data, publications=publications)
    if data is not None and form.is_valid():
        try:
            issue = services.issue_assemble(
                publication=form.cleaned_data["publication"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            count = issue.articles.count()
            text = _("已组稿：%(n)d 篇文章。") % {"n": count}
            if issue.held_elsewhere:
                text += _(
                    "另有 %(n)d 篇报告已在其他草稿中，未重复收入：%(where)s。"
                ) % {
                    "n": issue.skipped_in_drafts,
                    "where": held_text(issue.held_elsewhere),
                }
            messages.success(request, text)
            return redirect("newsletter_staff:issue", issue.pk)
    listed = list(publications)
    return render(
        request,
        "newsletter/staff/assemble.html",
        {
            "form": form,
            "new_form": NewIssueForm(publications=publications),
            "has_publications": bool(listed),
            # What assembling without dates would find, and where the rest are.
            "overviews": [selectors.assembly_overview(p) for p in listed],
        },
    )


@newsletter_staff
@require_POST
def issue_new(request):
    require_editor(request.user)
    publications = permissions.publications_editable_by(request.user).filter(
        is_active=True
    )
    form = NewIssueForm(request.POST, publications=publications)
    if not form.is_valid():
        messages.error(request, _("请选择简报。"))
        return redirect("newsletter_staff:assemble")
    try:
        issue = services.issue_create(
            publication=form.cleaned_data["publication"], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("newsletter_staff:assemble")
    messages.success(request, _("已新建空白的一期，可以撰写文章。"))
    return redirect("newsletter_staff:issue", issue.pk)


@newsletter_staff
@require_GET
def issue_detail(request, pk):
    """The editor's page: sections and their articles with the buttons that
    reorder, move and drop them. A county reviewer sees it read only, with the
    county's articles and the number of the others."""
    issue = permissions.get_issue_for_user(request.user, pk)
    can_edit = permissions.can_edit_issue(request.user, issue)
    sections = selectors.issue_for_editor(issue, reader=request.user)
    return render(
        request,
        "newsletter/staff/issue.html",
        {
            "issue": issue,
            "sections": sections,
            "can_edit": can_edit and not issue.is_published,
            "can_correct": can_edit and issue.is_published,
            "meta_form": IssueMetaForm(
                initial={
                    "issue_date": issue.issue_date,
                    "editor_note": issue.editor_note,
                }
            ),
            "article_count": sum(len(s.articles.all()) for s in sections),
            "hidden_count": selectors.hidden_count(sections),
            "missing_photos": sum(
                a.missing_photo_count for s in sections for a in s.articles.all()
            ),
            # A past issue's running number, when its file did not give one,
            # is added here (draft or published).
            "running_number_form": RunningNumberForm(
                initial={"running_number": issue.running_number}
            )
            if can_edit and issue.source == issue.Source.IMPORTED
            else None,
        },
    )


@newsletter_staff
@require_POST
def issue_meta(request, pk):
    issue = _editable_issue(request, pk)
    form = IssueMetaForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect("newsletter_staff:issue", issue.pk)
    try:
        services.issue_update(
            issue=issue,
            by=request.user,
            editor_note=form.cleaned_data["editor_note"],
            issue_date=form.cleaned_data["issue_date"],
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已保存。"))
    return redirect("newsletter_staff:issue", issue.pk)


@newsletter_staff
@require_http_methods(["GET", "POST"])
def issue_add_reports(request, pk):
    issue = _editable_issue(request, pk)
    if issue.is_published:
        messages.error(request, _("这一期已经发布，不能再加入报告。"))
        return redirect("newsletter_staff:issue", issue.pk)
    if request.method == "POST":
        pks = {pk_param(v) for v in request.POST.getlist("report")} - {None}
        reports = list(
            selectors.reports_for_assembly(issue.publication).filter(pk__in=pks)
        )
        try:
            if len(reports) != len(pks):
                raise ValidationError(_("所选报告中有的已不能加入，请刷新后重选。"))
            added = services.issue_add_reports(
                issue=issue, reports=reports, by=request.user
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, _("已加入 %(n)d 篇文章，排在各栏目末尾。") % {"n": len(added)}
            )
            return redirect("newsletter_staff:issue", issue.pk)
    return render(
        request,
        "newsletter/staff/add_reports.html",
        {"issue": issue, "reports": selectors.reports_to_add(issue)},
    )


@newsletter_staff
@require_GET
def issue_preview(request, pk):
    issue = permissions.get_issue_for_user(request.user, pk)
    context = issue_context(issue, preview=True, reader=request.user)
    # An editor sees where a past issue's picture could not be imported, with
    # the way to the page that replaces or removes it.
    context["missing_photo_tools"] = permissions.can_edit_issue(request.user, issue)
    return render(request, "newsletter/issue.html", context)


@newsletter_staff
@require_GET
def article_preview(request, pk, article_pk):
    issue = permissions.get_issue_for_user(request.user, pk)
    article = selectors.article_of(issue, article_pk, reader=request.user)
    return render(
        request,
        "newsletter/article.html",
        {
            "issue": issue,
            "publication": issue.publication,
            "article": article,
            "preview": True,
            "issue_url": _preview_url(issue),
            "corrections": [],
            "missing_photos": missing_photo_count([article]),
            "missing_photo_tools": permissions.can_edit_issue(request.user, issue),
        },
    )


def _preview_url(issue):
    return reverse("newsletter_staff:preview", args=[issue.pk])


@newsletter_staff
@require_GET
def issue_print(request, pk):
    issue = permissions.get_issue_for_user(request.user, pk)
    return render(
        request,
        "newsletter/print.html",
        issue_context(issue, preview=True, reader=request.user),
    )


@newsletter_staff
@require_GET
def issue_word(request, pk):
    issue = permissions.get_issue_for_user(request.user, pk)
    return word_response(issue, reader=request.user)


@newsletter_staff
@require_POST
def issue_word_job(request, pk):
    """The Word file made in the background: the answer is the job's page, with
    its progress and, when done, the download. The job reads the issue as its
    starter may (newsletter/jobs.py)."""
    issue = permissions.get_issue_for_user(request.user, pk)
    job = job_start(
        kind=ISSUE_WORD,
        by=request.user,
        title=_("导出 Word：%(issue)s") % {"issue": issue},
        params={"issue": issue.pk},
        unit=unit_path_of(issue.publication.city_id),
    )
    return redirect(job)
