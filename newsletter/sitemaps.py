"""The sitemap: the home page, the archives, every published issue and article,
and the news pages of the counties and stations that published articles are
about. Nothing else: drafts have no public address. Each part reads its items
in one query (as a list, so Django's paginator counts them without another)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse

from stations.models import Station

from . import selectors
from .links import domain_and_scheme


class _PublicSitemap(Sitemap):
    """Addresses on PUBLIC_BASE_URL when it is set (newsletter/links.py)."""

    def __init__(self, request=None):
        self.request = request

    def get_urls(self, page=1, site=None, protocol=None):
        if self.request is not None:
            domain, scheme = domain_and_scheme(self.request)
            return self._urls(page, scheme, domain)
        return super().get_urls(page=page, site=site, protocol=protocol)


class PagesSitemap(_PublicSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home", "newsletter:archive"]

    def location(self, item):
        return reverse(item)


class IssueSitemap(_PublicSitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return list(
            selectors.published_issues()
            .select_related("publication")
            .order_by("publication_id", "-year", "-number")
        )

    def lastmod(self, issue):
        return max(issue.published_at, issue.updated_at)


class YearSitemap(_PublicSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return list(
            selectors.published_issues()
            .values("publication__slug", "year")
            .annotate(last=Max("updated_at"))
            .order_by("publication__slug", "-year")
        )

    def location(self, item):
        return reverse(
            "newsletter:year", args=[item["publication__slug"], item["year"]]
        )

    def lastmod(self, item):
        return item["last"]


class ArticleSitemap(_PublicSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return list(
            selectors.published_articles()
            .select_related("issue__publication")
            .only(
                "pk",
                "updated_at",
                "issue__year",
                "issue__number",
                "issue__status",
                "issue__published_at",
                "issue__publication__slug",
            )
            .order_by("issue_id", "pk")
        )

    def lastmod(self, article):
        return max(article.issue.published_at, article.updated_at)


class CountyNewsSitemap(_PublicSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return selectors.counties_with_news()

    def location(self, county):
        return reverse("newsletter:county_news", args=[county.code])


class StationNewsSitemap(_PublicSitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return list(
            Station.objects.filter(
                Exists(selectors.published_articles().filter(station=OuterRef("pk")))
            ).order_by("pk")
        )

    def location(self, station):
        return reverse("newsletter:station_news", args=[station.pk])


SITEMAPS = {
    "pages": PagesSitemap,
    "issues": IssueSitemap,
    "years": YearSitemap,
    "articles": ArticleSitemap,
    "counties": CountyNewsSitemap,
    "stations": StationNewsSitemap,
}


def sitemaps_for(request) -> dict[str, Sitemap]:
    return {name: cls(request) for name, cls in SITEMAPS.items()}
