"""How readers and machines find the site: the feeds, the sitemap and
robots.txt. Feeds and sitemap are cached like the pages."""

from __future__ import annotations

from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import feeds
from ..links import base_url
from ..public_cache import cached_page
from ..sitemaps import sitemaps_for


@require_safe
@cached_page
def sitemap_xml(request):
    return sitemap(request, sitemaps_for(request))


def feed(feed_class):
    """The view of a feed class, cached."""
    return require_safe(cached_page(feeds.feed_view(feed_class)))


site_rss = feed(feeds.SiteFeed)
site_atom = feed(feeds.SiteAtomFeed)
county_rss = feed(feeds.CountyFeed)
county_atom = feed(feeds.CountyAtomFeed)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /staff/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /i18n/",
        # Search results are pages of other pages: not for indexing.
        "Disallow: /search/",
        "",
        f"Sitemap: {base_url(request)}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
