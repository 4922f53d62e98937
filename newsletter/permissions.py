"""Who may do what with the newsletter (DESIGN.md §4, §7), built on
stations/permissions.py.

=================  ==============================================================
role               newsletter
=================  ==============================================================
city editor        everything for the publications of the city: assemble, edit,
                   check, publish, correct, print and export, drafts included
superuser          everything
county reviewer    reads (never changes) a draft that holds an article about the
                   county, and of it only the county's articles and their photos
                   (articles_visible_in_issue): its editor page, preview, print
                   view, Word file, article pages and photo files; the other
                   articles are a count, never a title, text or photo
anyone else        published issues on the public site only; every staff page and
                   every draft is a 404
=================  ==============================================================
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from stations.permissions import get_scope

from .models import Article, Issue, Publication
from .models.issues import next_number_expression


def can_edit_publication(user, publication: Publication) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or publication.city_id in scope.editor_cities


def edits_newsletter(user) -> bool:
    """Whether the user edits any publication at all."""
    scope = get_scope(user)
    return scope.is_superuser or bool(scope.editor_cities)


def uses_newsletter_staff(user) -> bool:
    """Whether the staff issue pages exist for the user: editors, and county
    reviewers (read only)."""
    scope = get_scope(user)
    return edits_newsletter(user) or bool(scope.reviewer_counties)


def publications_editable_by(user) -> QuerySet[Publication]:
    scope = get_scope(user)
    qs = Publication.objects.select_related("city")
    if scope.is_superuser:
        return qs
    return qs.filter(city__in=scope.editor_cities)


def _about_counties(counties) -> Q:
    """Articles about one of ``counties``. The services fill an article's county
    from its station, so the county alone answers; an article without one is
    about no county and stays hidden."""
    return Q(county__in=counties)


def issue_read_q(user) -> Q | None:
    """Issues the user may open on the staff pages. ``None`` means every issue."""
    scope = get_scope(user)
    if scope.is_superuser:
        return None
    q = Q(pk__in=[])
    if scope.editor_cities:
        q |= Q(publication__city__in=scope.editor_cities)
    if scope.reviewer_counties:
        about_county = Article.objects.filter(
            _about_counties(scope.reviewer_counties), issue=OuterRef("pk")
        )
        q |= Q(Exists(about_county), status=Issue.Status.DRAFT)
    return q


def article_read_q(user) -> Q | None:
    """Articles the user may read on the staff pages (and whose photos they may
    get). ``None`` means every article. Opening an issue is not enough: a county
    reviewer reads only the articles about the county, never the rest of the
    draft."""
    scope = get_scope(user)
    if scope.is_superuser:
        return None
    q = Q(pk__in=[])
    if scope.editor_cities:
        q |= Q(issue__publication__city__in=scope.editor_cities)
    if scope.reviewer_counties:
        q |= _about_counties(scope.reviewer_counties) & Q(
            issue__status=Issue.Status.DRAFT
        )
    return q


def issue_write_q(user) -> Q | None:
    scope = get_scope(user)
    if scope.is_superuser:
        return None
    return Q(publication__city__in=scope.editor_cities)


def _filtered(qs: QuerySet, q: Q | None) -> QuerySet:
    return qs if q is None else qs.filter(q)


def issues_visible_to(user) -> QuerySet[Issue]:
    return _filtered(Issue.objects.all(), issue_read_q(user))


def issues_editable_by(user) -> QuerySet[Issue]:
    return _filtered(Issue.objects.all(), issue_write_q(user))


def articles_visible_to(user) -> QuerySet[Article]:
    return _filtered(Article.objects.all(), article_read_q(user))


def articles_visible_in_issue(user, issue: Issue) -> QuerySet[Article]:
    """The articles of ``issue`` the user may read: every page and file made of
    a draft for staff (editor page, preview, print view, Word file) is built
    from these, so a reviewer's copy never holds another county's article.
    Those who may edit the issue read all of it, without the scope's joins."""
    articles = Article.objects.filter(issue=issue)
    if can_edit_issue(user, issue):
        return articles
    return _filtered(articles, article_read_q(user))


def get_issue_for_user(user, pk, *, write: bool = False) -> Issue:
    """The issue with its publication if the user may open it (or, with
    ``write``, change it); else 404."""
    qs = issues_editable_by(user) if write else issues_visible_to(user)
    # A draft's name carries the number it would take: read with the issue.
    return get_object_or_404(
        qs.select_related("publication__city").with_next_number(), pk=pk
    )


def get_article_for_user(user, pk, *, write: bool = False) -> Article:
    """The article with its issue, section, report, county and station; 404 when
    the user may not read it (a county reviewer: an article about another
    county, or the city's) or, with ``write``, change its issue."""
    if write:
        articles = Article.objects.filter(issue__in=issues_editable_by(user))
    else:
        articles = articles_visible_to(user)
    article = get_object_or_404(
        articles.select_related(
            "issue__publication__city",
            "section",
            "source_report",
            "county",
            "station__town__county",
        ).annotate(issue_next_number=next_number_expression("issue__")),
        pk=pk,
    )
    # The name of a draft carries the number it would take (Issue.short_name).
    article.issue.next_number = article.issue_next_number
    return article


def can_edit_issue(user, issue: Issue) -> bool:
    """Answered from the scope, no query: the issue's publication is loaded."""
    return can_edit_publication(user, issue.publication)


def require_newsletter_staff(user) -> None:
    """404 for anyone the staff issue pages do not exist for."""
    if not uses_newsletter_staff(user):
        raise Http404
