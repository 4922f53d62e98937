"""The public pages of the newsletter: the home page, the archive, and each
published issue with its articles, print view and Word file. A draft, or an
address that names no published issue, is a 404. The staff preview renders the
same issue and article templates from the same selectors.

An issue's page and its articles' pages are set once from the rows and kept
(newsletter/cooking.py), the home page's blocks once per publication version
(newsletter/home_page.py); anonymous readers get every page from the cache
(newsletter/public_cache.py);
``require_safe`` lets a link preview ask with HEAD."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import cooking, home_page, selectors
from ..links import absolute
from ..public_cache import cached_page
from .common import issue_context, word_response


@require_safe
@cached_page
def home(request):
    return render(request, "newsletter/set_home.html", home_page.home(request))


def _by_publication(issues):
    """[(publication, [(year, [issues])])] in the order ``archive`` gives."""
    return [
        (
            publication,
            [
                (year, list(of_year))
                for year, of_year in groupby(items, key=lambda i: i.year)
            ],
        )
        for publication, items in groupby(issues, key=lambda i: i.publication)
    ]


@require_safe
@cached_page
def archive(request):
    return render(
        request,
        "newsletter/archive.html",
        {
            # Years only: a province's archive holds thousands of issues, and
            # each year's page lists its own.
            "groups": selectors.archive_years(),
            "years_only": True,
            "canonical_url": absolute(request, reverse("newsletter:archive")),
        },
    )


@require_safe
@cached_page
def publication_archive(request, slug):
    publication = selectors.public_publication(slug)
    return render(
        request,
        "newsletter/archive.html",
        {
            "publication": publication,
            "groups": _by_publication(selectors.archive(publication)),
            "canonical_url": absolute(
                request, reverse("newsletter:publication", args=[slug])
            ),
        },
    )


@require_safe
@cached_page
def year_archive(request, slug, year):
    publication = selectors.public_publication(slug)
    issues = selectors.archive(publication, year)
    if not issues:
        raise Http404
    return render(
        request,
        "newsletter/year.html",
        {
            "publication": publication,
            "year": year,
            "issues": selectors.issue_tocs(issues),
            "canonical_url": absolute(
                request, reverse("newsletter:year", args=[slug, year])
            ),
        },
    )


@require_safe
@cached_page
def issue_page(request, slug, year, number):
    context = cooking.issue_page(request, slug, year, number)
    return render(request, "newsletter/set_page.html", context)


@require_safe
@cached_page
def article_page(request, slug, year, number, pk):
    context = cooking.article_page(request, slug, year, number, pk)
    return render(request, "newsletter/set_page.html", context)


@require_safe
@cached_page
def print_page(request, slug, year, number):
    issue = selectors.public_issue(slug, year, number)
    return render(request, "newsletter/print.html", issue_context(issue, preview=False))


@require_safe
def word_file(request, slug, year, number):
    return word_response(selectors.public_issue(slug, year, number))
