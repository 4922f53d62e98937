"""Staff pages of the privacy gate, publishing and corrections of an issue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from newsletter.forms.issues import CorrectionForm
from stations.views.staff import pk_param

from .. import permissions, privacy, selectors, services
from ..models import Article
from ..services.publishing import keeps_its_numbers, next_numbers
from .common import error_text, newsletter_staff


def _editable_issue(request, pk):
    return permissions.get_issue_for_user(request.user, pk, write=True)


def _gate(issue, user):
    """The gate's hits in the articles ``user`` may read, grouped by article,
    each with its places cut into segments (hits shown masked), for the
    privacy and publish pages; and for those who edit the issue, what it found
    in the section titles and the editor's note."""
    articles = privacy.issue_articles_for_check(
        issue, permissions.articles_visible_in_issue(user, issue)
    )
    ids = privacy.identifiers_for_city(issue.publication.city_id)
    hits = privacy.issue_privacy_check(issue, articles, ids=ids)
    text_hits = (
        privacy.issue_text_hits(issue, ids)
        if permissions.can_edit_issue(user, issue)
        else []
    )
    by_article = {}
    for hit in hits:
        by_article.setdefault(hit.article_id, []).append(hit)
    rows = []
    for article in articles:
        article_hits = by_article.get(article.pk)
        if not article_hits:
            continue
        photos = list(article.photos.all())
        rows.append(
            {
                "article": article,
                # The heading quotes the title: masked, like the hits below.
                "title": privacy.masked_text(article.title, ids),
                "hits": article_hits,
                "places": privacy.places_with_hits(article, article_hits, photos),
                "photo_hits": [h for h in article_hits if h.where == "photo"],
            }
        )
    return rows, hits, articles, text_hits


@newsletter_staff
@require_GET
def issue_privacy(request, pk):
    issue = permissions.get_issue_for_user(request.user, pk)
    rows, hits, articles, text_hits = _gate(issue, request.user)
    return render(
        request,
        "newsletter/staff/privacy.html",
        {
            "issue": issue,
            "rows": rows,
            "hits": hits,
            "text_hits": text_hits,
            "blocking": privacy.blocking(hits),
            "article_count": len(articles),
            "can_edit": permissions.can_edit_issue(request.user, issue),
        },
    )


@newsletter_staff
@require_POST
def issue_privacy_override(request, pk):
    issue = _editable_issue(request, pk)
    article_pk = pk_param(request.POST.get("article", ""))
    article = get_object_or_404(
        Article.objects.select_related("issue__publication"),
        issue=issue,
        pk=article_pk or 0,
    )
    ids = privacy.identifiers_for_city(issue.publication.city_id)
    hit = privacy.find_hit(
        privacy.article_hits(article, ids), request.POST.get("hit", "")
    )
    if hit is None:
        messages.error(request, _("这处内容已经不在文章中，无需放行。请刷新页面。"))
        return redirect("newsletter_staff:privacy", issue.pk)
    try:
        services.privacy_override(
            article=article,
            hit=hit,
            reason=request.POST.get("reason", ""),
            by=request.user,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("已放行《%(t)s》中的%(k)s %(m)s，理由已记录。")
            % {"t": article.title, "k": hit.kind_label, "m": hit.masked},
        )
    return redirect("newsletter_staff:privacy", issue.pk)


@newsletter_staff
@require_http_methods(["GET", "POST"])
def issue_publish(request, pk):
    issue = _editable_issue(request, pk)
    if issue.is_published:
        messages.info(request, _("这一期已经发布。"))
        return redirect(issue.get_absolute_url())
    if request.method == "POST":
        try:
            services.issue_publish(issue=issue, by=request.user, request=request)
        except services.PrivacyBlocked as exc:
            messages.error(request, error_text(exc))
            return redirect("newsletter_staff:privacy", issue.pk)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("已发布：%(y)s年%(label)s。")
                % {"y": issue.year, "label": issue.number_label},
            )
            return redirect(issue.get_absolute_url())
    rows, hits, articles, text_hits = _gate(issue, request.user)
    return render(
        request,
        "newsletter/staff/publish.html",
        {
            "issue": issue,
            "text_hits": text_hits,
            "keeps_numbers": keeps_its_numbers(issue),
            "blocking": privacy.blocking(hits),
            "hits": hits,
            "article_count": len(articles),
            "numbers": next_numbers(
                issue.publication,
                (issue.issue_date.year if issue.issue_date else None) or _today().year,
            ),
        },
    )


def _today():
    return timezone.localdate()


@newsletter_staff
@require_http_methods(["GET", "POST"])
def issue_correct(request, pk):
    issue = _editable_issue(request, pk)
    if not issue.is_published:
        return redirect("newsletter_staff:issue", issue.pk)
    data = request.POST if request.method == "POST" else None
    form = CorrectionForm(data, initial={"editor_note": issue.editor_note})
    if data is not None and form.is_valid():
        try:
            services.issue_correct(
                issue=issue,
                by=request.user,
                reason=form.cleaned_data["reason"],
                editor_note=form.cleaned_data["editor_note"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("更正已保存，公开页面会注明更正时间和理由。"))
            return redirect("newsletter_staff:issue", issue.pk)
    return render(
        request,
        "newsletter/staff/correct.html",
        {
            "issue": issue,
            "form": form,
            "corrections": selectors.corrections_of(issue),
        },
    )
