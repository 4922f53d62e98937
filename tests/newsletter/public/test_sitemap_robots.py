"""The sitemap and robots.txt."""

import datetime
import xml.etree.ElementTree as ET

from stations.models import Station
from tests.newsletter.public.conftest import D, article_url, issue_url

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    urls = {}
    for url in root.findall(f"{NS}url"):
        urls[url.findtext(f"{NS}loc")] = url.findtext(f"{NS}lastmod")
    return urls


def test_sitemap_lists_every_public_page_and_nothing_else(
    published, written, client, net
):
    later = written(D(2023, 4, 1), ["东镇四月文章"], unit=net.a1)
    draft = written(D(2023, 5, 1), ["草稿文章"], publish=False)
    urls = sitemap_urls(client)
    base = "http://testserver"
    expected = {
        f"{base}/",
        f"{base}/issues/",
        f"{base}/issues/jia/",
        f"{base}/issues/jia/2023/",
        f"{base}/stations/",
        f"{base}{issue_url(published)}",
        f"{base}{issue_url(later)}",
        f"{base}/news/county/{net.county_a1.code}/",
        f"{base}/news/county/{net.county_a2.code}/",
        f"{base}/news/station/{net.a1.pk}/",
        f"{base}/news/station/{net.a1b.pk}/",
        f"{base}/news/station/{net.a2.pk}/",
    }
    expected |= {
        f"{base}{article_url(a)}"
        for a in [*published.articles.all(), *later.articles.all()]
    }
    # Every station's page, whether or not news is about it.
    expected |= {f"{base}/stations/{station.pk}/" for station in Station.objects.all()}
    assert set(urls) == expected
    # Content carries the date it last changed as a W3C date: here the issues'
    # printed dates (1 March and 1 April), not the day they were published.
    for url in expected:
        if "/stations/" not in url:
            datetime.date.fromisoformat(urls[url])
    assert urls[f"{base}{issue_url(published)}"] == "2023-03-01"
    assert urls[f"{base}{issue_url(later)}"] == "2023-04-01"
    for url in (f"{base}/", f"{base}/issues/", f"{base}/issues/jia/"):
        assert urls[url] == "2023-04-01"
    assert urls[f"{base}/news/station/{net.a1.pk}/"] == "2023-04-01"
    assert urls[f"{base}/news/county/{net.county_a2.code}/"] == "2023-03-01"
    assert all(draft.articles.get().title not in url for url in urls)
    assert f"{base}/news/station/{net.b1.pk}/" not in urls  # nothing about it


def test_a_correction_moves_lastmod_to_its_day(published, written, client, personas):
    from django.utils import timezone

    from newsletter import services
    from newsletter.models import IssueCorrection

    later = written(D(2023, 4, 1), ["四月文章"])
    article = published.articles.order_by("pk").first()
    services.article_update(
        article=article,
        by=personas.editor,
        title="更正后的标题",
        body="更正以后的正文。",
        correction_reason="标题有误",
    )
    day = timezone.localdate(IssueCorrection.objects.get().at).isoformat()
    urls = sitemap_urls(client)
    base = "http://testserver"
    # The issue, every article page of it (each shows the issue's
    # corrections), its year, the publication and the site's pages.
    assert urls[f"{base}{issue_url(published)}"] == day
    for each in published.articles.all():
        assert urls[f"{base}{article_url(each)}"] == day
    for url in ("/", "/issues/", "/issues/jia/", "/issues/jia/2023/"):
        assert urls[f"{base}{url}"] == day
    # The other issue keeps its date.
    assert urls[f"{base}{issue_url(later)}"] == "2023-04-01"
    assert urls[f"{base}{article_url(later.articles.get())}"] == "2023-04-01"


def test_sitemap_uses_the_configured_address(published, client, settings):
    settings.PUBLIC_BASE_URL = "https://jianbao.example.org"
    assert all(
        url.startswith("https://jianbao.example.org/") for url in sitemap_urls(client)
    )


def test_robots_keeps_crawlers_out_of_staff_pages_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    for path in ("/staff/", "/admin/", "/accounts/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
