"""The sitemap: every public content page, and nothing else. The home page,
the archives (all, each publication's, each year's), every published issue and
article, the news pages of the counties and stations that published articles
are about, the station directory and every station's page. Search, sign-in,
print views, Word files, feeds and /healthz are left out: they are not pages
to find (tests/newsletter/public/test_sitemap_robots.py lists them). Drafts
have no public address.

``lastmod`` comes from the content's dates (newsletter/syndication.py): an
issue's printed date, or its latest correction when later; an article page
shows its issue's corrections, so theirs move it too. Station pages carry no
date of their own and give none. Each part reads its items in one query (as a
list, so Django's paginator counts them without another)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse

from stations.models import County, Station

from . import selectors
from .links import domain_and_scheme
from .syndication import last_change


class _PublicSitemap(Sitemap):
    """Addresses on PUBLIC_BASE_URL when it is set (newsletter/links.py)."""

    def __init__(self, request=None):
        self.request = request

    def get_urls(self, page=1, site=None, protocol=None):
        if self.request is not None:
            domain, scheme = domain_and_scheme(self.request)
            return self._urls(page, scheme, domain)
        return super().get_urls(page=page, site=site, protocol=protocol)


def _changed(row: dict):
    """The last change of a group of issues read with ``_LATEST``."""
    return last_change(row["last_date"], row["corrected"]) if row["last_date"] else None


# The newest issue date and correction of a group of published issues.
_LATEST = {"last_date": Max("issue_date"), "corrected": Max("corrections__at")}


def _newest_news(field: str):
    """The printed date of the newest published article whose ``field`` is
    the row: the date of a news page."""
    return Subquery(
        selectors.published_articles()
        .filter(**{field: OuterRef("pk")})
        .order_by("-issue__issue_date")
        .values("issue__issue_date")[:1]
    )


class PagesSitemap(_PublicSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        # The home page and the archive change with every issue and correction.
        self._newest = _changed(selectors.published_issues().aggregate(**_LATEST))
        return ["home", "newsletter:archive", "stations:directory"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return None if item == "stations:directory" else self._newest


class PublicationSitemap(_PublicSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return list(
            selectors.published_issues()
            .values("publication__slug")
            .annotate(**_LATEST)
            .order_by("publication__slug")
        )

    def location(self, item):
        return reverse("newsletter:publication", args=[item["publication__slug"]])

    def lastmod(self, item):
        return _changed(item)


class IssueSitemap(_PublicSitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return list(
            selectors.published_issues()
            .select_related("publication")
            .annotate(corrected_at=selectors.latest_correction("issue"))
            .order_by("publication_id", "-year", "-number")
        )

    def lastmod(self, issue):
        return last_change(issue.issue_date, issue.corrected_at)


class YearSitemap(_PublicSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return list(
            selectors.published_issues()
            .values("publication__slug", "year")
            .annotate(**_LATEST)
            .order_by("publication__slug", "-year")
        )

    def location(self, item):
        return reverse(
            "newsletter:year", args=[item["publication__slug"], item["year"]]
        )

    def lastmod(self, item):
        return _changed(item)


class ArticleSitemap(_PublicSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return list(
            selectors.published_articles()
            .select_related("issue__publication")
            .only(
                "pk",
                "issue__year",
                "issue__number",
                "issue__status",
                "issue__issue_date",
                "issue__publication__slug",
            )
            .annotate(corrected_at=selectors.latest_correction("issue", outer="issue"))
            .order_by("issue_id", "pk")
        )

    def lastmod(self, article):
        return last_change(article.issue.issue_date, article.corrected_at)


class CountyNewsSitemap(_PublicSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return list(
            County.objects.annotate(newest=_newest_news("county"))
            .filter(newest__isnull=False)
            .order_by("pk")
        )

    def location(self, county):
        return reverse("newsletter:county_news", args=[county.code])

    def lastmod(self, county):
        return last_change(county.newest, None)


class StationNewsSitemap(_PublicSitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return list(
            Station.objects.annotate(newest=_newest_news("station"))
            .filter(newest__isnull=False)
            .only("pk")
            .order_by("pk")
        )

    def location(self, station):
        return reverse("newsletter:station_news", args=[station.pk])

    def lastmod(self, station):
        return last_change(station.newest, None)


class StationSitemap(_PublicSitemap):
    """Every station's public page (stations/views/public.py)."""

    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return list(Station.objects.only("pk").order_by("pk"))


SITEMAPS = {
    "pages": PagesSitemap,
    "publications": PublicationSitemap,
    "issues": IssueSitemap,
    "years": YearSitemap,
    "articles": ArticleSitemap,
    "counties": CountyNewsSitemap,
    "stations": StationNewsSitemap,
    "station-pages": StationSitemap,
}


def sitemaps_for(request) -> dict[str, Sitemap]:
    return {name: cls(request) for name, cls in SITEMAPS.items()}
