"""The RSS and Atom feeds, parsed: required elements, valid dates, absolute
links, the county feeds, and nothing unpublished or personal in them."""

import datetime
import email.utils
import xml.etree.ElementTree as ET

import pytest

from tests.newsletter.public.conftest import D

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for name in ("title", "link", "description", "language", "lastBuildDate"):
        assert channel.findtext(name), name
    return channel, channel.findall("item")


def atom_entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for name in ("title", "id", "updated"):
        assert root.findtext(f"{ATOM}{name}"), name
    return root, root.findall(f"{ATOM}entry")


def test_site_rss_lists_published_articles_newest_first(published, written, client):
    written(D(2023, 4, 1), ["四月文章"])
    channel, items = rss_items(client, "/feeds/rss/")
    assert channel.findtext("link") == "http://testserver/"
    assert len(items) == published.articles.count() + 1
    assert items[0].findtext("title") == "四月文章"
    dates = []
    for item in items:
        for name in ("title", "link", "description", "guid", "pubDate"):
            assert item.findtext(name), name
        assert item.findtext("link").startswith("http://testserver/issues/jia/2023/")
        assert item.findtext("guid") == item.findtext("link")
        dates.append(email.utils.parsedate_to_datetime(item.findtext("pubDate")))
    assert all(d.tzinfo is not None for d in dates)
    assert dates == sorted(dates, reverse=True)
    # The publication's bureau, never a member of staff, is the author.
    assert all(
        i.findtext("author") is None or "甲市民政局" in i.findtext("author")
        for i in items
    )


def test_site_atom_has_ids_dates_and_absolute_links(published, client):
    root, entries = atom_entries(client, "/feeds/atom/")
    self_link = [
        link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"
    ]
    assert self_link[0].get("href") == "http://testserver/feeds/atom/"
    assert len(entries) == published.articles.count()
    for entry in entries:
        for name in ("title", "id", "updated", "published"):
            assert entry.findtext(f"{ATOM}{name}"), name
        datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith("http://testserver/issues/jia/2023/1/")
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "甲市民政局"


def test_links_use_the_configured_address(published, client, settings):
    settings.PUBLIC_BASE_URL = "https://jianbao.example.org"
    channel, items = rss_items(client, "/feeds/rss/")
    assert channel.findtext("link") == "https://jianbao.example.org/"
    assert items[0].findtext("link").startswith("https://jianbao.example.org/issues/")


def test_county_feeds_hold_only_the_county_articles(published, written, client, net):
    written(D(2023, 4, 1), ["甲二县四月文章"], unit=net.county_a2)
    channel, items = rss_items(client, f"/feeds/county/{net.county_a2.code}/rss/")
    assert "甲二县" in channel.findtext("title")
    assert (
        channel.findtext("link")
        == f"http://testserver/news/county/{net.county_a2.code}/"
    )
    titles = [item.findtext("title") for item in items]
    # 甲二县's: the April article, 南镇's report and the county bureau's.
    assert len(titles) == 3 and titles[0] == "甲二县四月文章"
    _root, entries = atom_entries(client, f"/feeds/county/{net.county_a2.code}/atom/")
    assert len(entries) == 3
    assert client.get("/feeds/county/999999/rss/").status_code == 404


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_feeds_hold_nothing_unpublished_or_personal(
    published, written, client, net, url
):
    written(D(2023, 5, 1), ["草稿文章不该出现"], publish=False)
    content = client.get(url).content.decode()
    assert "草稿文章不该出现" not in content
    # The filers' and editors' names are nowhere in a feed.
    for name in ("甲一社工", "甲二社工", "erin", "alice", "carol"):
        assert name not in content


def test_feeds_are_valid_when_nothing_is_published(client, db):
    _channel, items = rss_items(client, "/feeds/rss/")
    assert items == []
    _root, entries = atom_entries(client, "/feeds/atom/")
    assert entries == []


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_a_feed_reader_shows_markup_in_the_text_as_text(written, client, url):
    """A reader decodes a summary's XML once and renders the rest as HTML, so
    user text must arrive escaped in that HTML. feedparser strips live tags:
    had the body been passed as markup, the <script> would be gone, not shown."""
    import html
    import re

    import feedparser

    body = '<script>alert("x")</script> 家长说：<img src=x onerror=alert(1)> 很好'
    written(D(2023, 4, 1), ["<b>标题</b>中的尖括号"], body=body)
    parsed = feedparser.parse(client.get(url).content)
    assert not parsed.bozo, parsed.bozo_exception
    [entry] = [e for e in parsed.entries if "尖括号" in e.title]
    # The summary is HTML whose text is the body, tags and all.
    text = html.unescape(re.sub(r"<[^>]*>", "", entry.summary))
    assert '<script>alert("x")</script>' in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "<script" not in entry.summary and "<img" not in entry.summary
    # Titles are plain text in both formats: shown as typed.
    assert entry.title == "<b>标题</b>中的尖括号"
