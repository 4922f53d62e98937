"""Feeds, sitemap and page heads over the demo (``load_demo``), whose published
issue is the seed: a past issue imported today, so an entry or a ``lastmod``
dated by the import instead of the issue shows here.

- every entry of every feed (the site's and each county's, RSS and Atom) is
  dated by its issue's printed date, and no summary is cut inside a word;
- every page head that advertises an RSS feed advertises its Atom feed too;
- every address in the sitemap opens for the public and is meant to be found
  (no noindex); every public page of the permission matrix is in the sitemap
  but for a short list of pages that are not content."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from newsletter import selectors
from newsletter.models import Article, Issue
from tests.newsletter.public.test_feeds import (
    check_entry_dates,
    check_summary,
    entry_article,
    parsed_feed,
)
from tests.newsletter.public.test_sitemap_robots import NS
from tests.portal.permission_matrix import MATRIX, ROLES
from tests.portal.test_permission_matrix import _objects, all_routes, concrete_url

# Public pages that are not content to be found: search results, signing in,
# the print view and Word file of an issue (its page is listed), feeds, and
# what machines read.
NOT_IN_SITEMAP = {
    "healthz",
    "login",
    "admin:login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "newsletter:search",
    "newsletter:print",
    "newsletter:word",
    "newsletter:feed_rss",
    "newsletter:feed_atom",
    "newsletter:county_feed_rss",
    "newsletter:county_feed_atom",
    "robots",
    "sitemap",
    "service_worker",
}


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _feeds() -> list[str]:
    urls = ["/feeds/rss/", "/feeds/atom/"]
    for county in selectors.counties_with_news():
        urls += [
            f"/feeds/county/{county.code}/rss/",
            f"/feeds/county/{county.code}/atom/",
        ]
    return urls


def test_every_feed_entry_is_dated_by_its_issue_and_summarised_whole(demo, client):
    imported = Issue.objects.filter(
        status=Issue.Status.PUBLISHED, source=Issue.Source.IMPORTED
    )
    assert imported.exists()
    # The seed came out long before it was imported (its rows' updated_at): a
    # feed dated by the import would show here.
    assert all(i.updated_at.date() != i.issue_date for i in imported)
    feeds = _feeds()
    assert len(feeds) >= 4
    seen = 0
    for url in feeds:
        for entry in parsed_feed(client, url).entries:
            article = entry_article(entry)
            corrected = (
                article.corrections.order_by("-at").values_list("at", flat=True).first()
            )
            check_entry_dates(
                entry, article, atom="atom" in url, corrected_at=corrected
            )
            check_summary(entry, article)
            seen += 1
    assert seen >= Article.objects.filter(issue__in=imported).count()


def _links(html: str, kind: str) -> list[str]:
    hrefs = []
    for tag in re.findall(r"<link [^>]*>", html):
        if 'rel="alternate"' in tag and f'type="application/{kind}+xml"' in tag:
            hrefs.append(re.search(r'href="([^"]+)"', tag).group(1))
    return hrefs


def test_atom_is_advertised_beside_every_rss_feed(demo, client):
    issue = Issue.objects.filter(status=Issue.Status.PUBLISHED).first()
    article = issue.articles.order_by("pk").first()
    county = selectors.counties_with_news()[0]
    pages = [
        "/",
        "/issues/",
        issue.get_absolute_url(),
        article.get_absolute_url(),
        f"/news/county/{county.code}/",
        "/stations/",
        "/search/",
    ]
    for page in pages:
        html = client.get(page).content.decode()
        rss, atom = _links(html, "rss"), _links(html, "atom")
        assert "/feeds/rss/" in rss, page
        assert atom == [href.replace("/rss/", "/atom/") for href in rss], page
    county_html = client.get(f"/news/county/{county.code}/").content.decode()
    assert f"/feeds/county/{county.code}/atom/" in _links(county_html, "atom")


def test_the_sitemap_opens_for_the_public_and_lists_every_public_page(demo, client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    paths = {
        urlsplit(url.findtext(f"{NS}loc")).path for url in root.findall(f"{NS}url")
    }
    for path in sorted(paths):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b'content="noindex"' not in response.content, path
    public = {
        name
        for name, codes in MATRIX.items()
        if codes.split()[ROLES.index("public")] == "200"
    }
    assert NOT_IN_SITEMAP <= public, NOT_IN_SITEMAP - public
    objects = _objects()
    routes = all_routes()
    for name in sorted(public):
        url = concrete_url(name, routes[name], objects)
        if name in NOT_IN_SITEMAP:
            assert url not in paths, name
        else:
            assert url in paths, (name, url)
