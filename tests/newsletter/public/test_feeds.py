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


# --- Dates and summaries, as a feed reader reads them ------------------------------

FEEDS = ["/feeds/rss/", "/feeds/atom/"]


def parsed_feed(client, url):
    import feedparser

    parsed = feedparser.parse(client.get(url).content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def entry_article(entry):
    from newsletter.models import Article

    pk = int(entry.link.rstrip("/").rsplit("/", 1)[1])
    return Article.objects.select_related("issue").get(pk=pk)


def as_datetime(struct) -> datetime.datetime:
    # feedparser gives every date as a UTC struct_time.
    return datetime.datetime(*struct[:6], tzinfo=datetime.UTC)


def check_entry_dates(entry, article, *, atom, corrected_at=None):
    """An entry's dates are its issue's printed date (09:00 in Shanghai), and
    Atom's ``updated`` the article's latest correction when there is one (RSS
    has no such date)."""
    from newsletter.syndication import issue_moment

    moment = issue_moment(article.issue.issue_date)
    published = as_datetime(entry.published_parsed)
    assert published == moment, (entry.link, published)
    assert published.astimezone(moment.tzinfo).date() == article.issue.issue_date
    if atom:
        expected = corrected_at.replace(microsecond=0) if corrected_at else moment
        assert as_datetime(entry.updated_parsed) == expected, entry.link


def check_summary(entry, article):
    """The summary is the start of the text, ending at a sentence or with "…",
    and never inside a Latin word or number."""
    import html
    import re

    summary = html.unescape(entry.summary)
    text = " ".join(article.search_text.split())
    assert text.startswith(summary.rstrip("…")), (summary, text)
    if summary == text:
        return
    assert re.search(r"[。！？!?][”’」』）)]*$", summary) or summary.endswith("…"), (
        summary
    )
    if summary.endswith("…"):
        end = len(summary) - 1
        before, after = text[end - 1], text[end]
        assert not ((before + after).isascii() and (before + after).isalnum()), summary


@pytest.mark.parametrize("url", FEEDS)
def test_entries_are_dated_by_their_issue_not_by_publishing(
    published, written, client, url
):
    """The February issue came out on 2023-03-01 and was published today:
    readers see it dated 1 March 2023."""
    written(D(2023, 4, 1), ["四月文章"])
    entries = parsed_feed(client, url).entries
    assert len(entries) == published.articles.count() + 1
    for entry in entries:
        check_entry_dates(entry, entry_article(entry), atom="atom" in url)
    dates = {as_datetime(e.published_parsed).date() for e in entries}
    assert dates == {D(2023, 3, 1), D(2023, 4, 1)}


def test_a_correction_moves_atom_updated_and_leaves_rss_pubdate(
    published, client, personas
):
    from newsletter import services
    from newsletter.models import IssueCorrection

    article = published.articles.order_by("pk").first()
    services.article_update(
        article=article,
        by=personas.editor,
        title="更正后的标题",
        body="更正以后的正文。",
        correction_reason="标题有误",
    )
    correction = IssueCorrection.objects.get(article=article)
    [atom] = [
        e for e in parsed_feed(client, "/feeds/atom/").entries if "更正后" in e.title
    ]
    check_entry_dates(atom, article, atom=True, corrected_at=correction.at)
    assert as_datetime(atom.updated_parsed) > as_datetime(atom.published_parsed)
    # The others keep their issue's date.
    for entry in parsed_feed(client, "/feeds/atom/").entries:
        if entry.link != atom.link:
            check_entry_dates(entry, entry_article(entry), atom=True)
    rss = parsed_feed(client, "/feeds/rss/").entries
    [corrected] = [e for e in rss if "更正后" in e.title]
    check_entry_dates(corrected, article, atom=False)


HAN = "为进一步做好困难群众基本生活保障工作"  # 18 characters, no sentence end
# The 120th character falls inside "Guangdong".
BODY_LONG = (
    HAN * 6 + "，" + HAN[:8] + "Guangdong Social Work Association的志愿者\n第二段。"
)
BODY_SENTENCES = (
    "为进一步做好困难群众基本生活保障工作，甲一区民政局组织开展专项排查。"
    "排查覆盖全区所有镇街，共走访困难家庭三百余户。"
    "下一步，区民政局将持续跟进排查发现的问题，确保各项救助政策落实到位，"
    "切实兜住兜准兜牢民生底线，让困难群众感受到党和政府的温暖与关怀。"
)


@pytest.mark.parametrize("url", FEEDS)
def test_no_summary_is_cut_inside_a_word(written, client, url):
    written(D(2023, 4, 1), ["长文"], body=BODY_LONG)
    written(D(2023, 5, 1), ["整句"], body=BODY_SENTENCES)
    written(D(2023, 6, 1), ["短文"], body="很短的一段。")
    entries = parsed_feed(client, url).entries
    summaries = {}
    for entry in entries:
        article = entry_article(entry)
        check_summary(entry, article)
        summaries[entry.title] = entry.summary
    assert summaries["长文"] == HAN * 6 + "，" + HAN[:8] + "…"
    assert summaries["整句"].endswith("。") and "…" not in summaries["整句"]
    assert summaries["短文"] == "很短的一段。"
