"""The news of one county or one station (every published article about it,
newest first, 20 a page), and the search."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from newsletter.forms.search import SearchForm
from stations.models import County, Station

from .. import selectors
from ..links import absolute
from ..public_cache import cached_page
from ..search import query
from ..search.text import excerpt, highlight

PER_PAGE = 20


def _page(request, qs):
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_thumbs(list(page.object_list))
    return page


def _canonical(request, path: str, page) -> str:
    suffix = f"?page={page.number}" if page.number > 1 else ""
    return absolute(request, path + suffix)


@require_safe
@cached_page
def county_news(request, code):
    county = get_object_or_404(County.objects.select_related("city"), code=code)
    page = _page(
        request,
        selectors.article_cards(selectors.published_articles().filter(county=county)),
    )
    path = reverse("newsletter:county_news", args=[code])
    return render(
        request,
        "newsletter/news.html",
        {
            "county": county,
            "page": page,
            "canonical_url": _canonical(request, path, page),
        },
    )


@require_safe
@cached_page
def station_news(request, pk):
    station = get_object_or_404(Station.objects.with_place(), pk=pk)
    page = _page(
        request,
        selectors.article_cards(selectors.published_articles().filter(station=station)),
    )
    path = reverse("newsletter:station_news", args=[pk])
    return render(
        request,
        "newsletter/news.html",
        {
            "station": station,
            "county": station.town.county,
            "page": page,
            "canonical_url": _canonical(request, path, page),
        },
    )


@require_safe
def search_page(request):
    """Not cached: every query is different, and each is answered by an index
    (newsletter/search/query.py)."""
    form = SearchForm(
        request.GET or None,
        counties=selectors.county_choices(),
        years=selectors.news_years(),
    )
    page = None
    terms: list[str] = []
    if form.is_bound and form.is_valid() and form.cleaned_data["terms"]:
        terms = form.cleaned_data["terms"]
        page = query.search_pages(
            terms,
            county_id=form.cleaned_data["county"],
            year=form.cleaned_data["year"],
            per_page=PER_PAGE,
        ).get_page(request.GET.get("page"))
        for article in page.object_list:
            article.title_marked = highlight(article.title, terms)
            article.excerpt = excerpt(article.search_text, terms)
    return render(
        request,
        "newsletter/search.html",
        {
            "form": form,
            "page": page,
            "terms": terms,
            # The count stops past the cap: "more than 1,000", not a number.
            "count_cap": query.COUNT_CAP,
            "capped": page is not None and page.paginator.count > query.COUNT_CAP,
        },
    )
