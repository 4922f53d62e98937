"""The public pages: home, archive, issue, article, county and station news,
and the links between them and the station directory."""

import re

from tests.newsletter.public.conftest import D, article_url, issue_url


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_shows_the_latest_issue_contents_and_latest_articles(
    published, written, client
):
    later = written(D(2023, 4, 1), ["四月的第一篇文章", "四月的第二篇文章"])
    html = html_of(client, "/")
    # The latest issue's masthead and table of contents, not the older one's.
    assert "甲市民政简报" in html and "第2期（总第2期）" in html
    assert "本期内容" in html
    for article in later.articles.all():
        assert f'href="{article_url(article)}"' in html
    # The latest articles, newest first, with the older issue's too.
    latest = html[html.index('id="latest-title"') :]
    assert latest.index("四月的第一篇文章") < latest.index("全市培训圆满结束")
    assert 'href="/issues/"' in html and 'href="/stations/"' in html
    assert '<link rel="canonical" href="http://testserver/">' in html


def test_home_shows_the_latest_issue_of_each_active_publication(
    published, other_publication, personas, net
):
    from newsletter import services

    issue = services.issue_create(
        publication=other_publication, by=personas.other_editor
    )
    services.article_create(
        issue=issue,
        section=issue.sections.first(),
        by=personas.other_editor,
        title="乙市的文章",
        body="乙市正文。",
    )
    services.issue_publish(issue=issue, by=personas.other_editor)
    from django.test import Client

    html = html_of(Client(), "/")
    assert "甲市民政简报" in html and "乙市民政简报" in html and "乙市的文章" in html
    other_publication.is_active = False
    other_publication.save()  # the admin's way: it leaves the cached pages behind
    html = html_of(Client(), "/")
    assert "乙市民政简报" not in html.split('id="latest-title"')[0]


def test_archive_lists_every_published_issue_by_year_newest_first(
    published, written, client
):
    written(D(2023, 4, 1), ["四月文章"])
    written(D(2024, 1, 5), ["一月文章"])
    written(D(2024, 2, 5), ["草稿中的文章"], publish=False)
    # The root: each publication's years, newest first, with their numbers of
    # issues (a province's thousands of issues are listed by year).
    html = html_of(client, "/issues/")
    assert html.index('href="/issues/jia/2024/"') < html.index(
        'href="/issues/jia/2023/"'
    )
    assert "2 期" in html and "1 期" in html
    assert 'href="/issues/jia/2023/1/"' not in html
    # A publication's archive: every issue.
    html = html_of(client, "/issues/jia/")
    assert html.index("2024年") < html.index("2023年")
    for number, year in ((1, 2023), (2, 2023), (1, 2024)):
        assert f'href="/issues/jia/{year}/{number}/"' in html
    assert html.count('<li><a href="/issues/jia/') == 3


def test_year_page_lists_the_issues_of_the_year_with_their_contents(
    published, written, client
):
    written(D(2023, 4, 1), ["四月文章"])
    html = html_of(client, "/issues/jia/2023/")
    assert html.index('href="/issues/jia/2023/2/"') < html.index(
        'href="/issues/jia/2023/1/"'
    )
    assert "四月文章" in html and "全市培训圆满结束" in html
    assert client.get("/issues/jia/2022/").status_code == 404
    assert client.get("/issues/nope/").status_code == 404
    assert client.get("/issues/nope/2023/").status_code == 404


def test_issue_page_reads_well_when_shared(published, client):
    html = html_of(client, issue_url(published))
    assert "<title>2023年第1期 · 甲市民政简报</title>" in html
    assert '<meta property="og:title" content="甲市民政简报 2023年第1期">' in html
    assert (
        f'<link rel="canonical" href="http://testserver{issue_url(published)}">' in html
    )
    assert 'property="og:image" content="http://testserver/media/' in html


def test_article_page_has_photos_issue_section_places_and_neighbours(
    published, client, net, three_levels
):
    article = published.articles.get(source_report=three_levels["a1_early"])
    html = html_of(client, article_url(article))
    title = f"<title>{article.title} · 2023年第1期 · 甲市民政简报</title>"
    assert title in html
    assert article.section.title in html and "第1期（总第1期）" in html
    # Photos: the web rendition, the thumbnail for narrow screens, lazily, the
    # caption as alternative text and as the figure's caption.
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 2
    for image in images:
        assert re.search(r'srcset="/media/\S+ 64w, /media/\S+ 64w"', image)
        assert 'loading="lazy"' in image and 'sizes="' in image
    caption = f"{three_levels['a1_early'].title}照片1"
    assert f'alt="{caption}"' in html and f"<figcaption>{caption}</figcaption>" in html
    assert 'property="og:image" content="http://testserver/media/' in html
    # Its station, the station's news and the county's news.
    assert f'href="/stations/{net.a1.pk}/"' in html
    assert f'href="/news/station/{net.a1.pk}/"' in html
    assert f'href="/news/county/{net.county_a1.code}/"' in html
    # Previous and next in the issue's order.
    order = list(
        published.articles.order_by("section__position", "position").values_list(
            "pk", flat=True
        )
    )
    index = order.index(article.pk)
    assert f'rel="prev" href="{issue_url(published)}{order[index - 1]}/"' in html
    assert f'rel="next" href="{issue_url(published)}{order[index + 1]}/"' in html


def test_first_and_last_article_have_one_neighbour(published, client):
    order = list(published.articles.order_by("section__position", "position"))
    first = html_of(client, article_url(order[0]))
    last = html_of(client, article_url(order[-1]))
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_county_news_lists_its_articles_newest_first_20_a_page(
    published, written, client, net
):
    written(
        D(2023, 4, 1), [f"甲一区四月文章{n}" for n in range(21)], unit=net.county_a1
    )
    written(D(2023, 5, 1), ["甲二县的文章"], unit=net.county_a2)
    html = html_of(client, f"/news/county/{net.county_a1.code}/")
    assert "甲市甲一区动态" in html and "共 25 篇文章" in html
    # 21 written in April, then February's four about 甲一区 (two reports of
    # 东镇, one of 西镇 and the county bureau's) on page 2.
    assert html.count('class="nl-card"') == 20
    assert "甲二县的文章" not in html and "开展禁毒宣传" not in html
    page2 = html_of(client, f"/news/county/{net.county_a1.code}/?page=2")
    assert page2.count('class="nl-card"') == 5
    assert "开展禁毒宣传" in page2 and "甲一区民政局组织培训" in page2
    assert (
        f'<link rel="canonical" href="http://testserver/news/county/{net.county_a1.code}/?page=2">'
        in page2
    )
    assert client.get("/news/county/999999/").status_code == 404


def test_station_news_lists_the_station_articles(published, written, client, net):
    written(D(2023, 4, 1), ["东镇四月文章"], unit=net.a1)
    html = html_of(client, f"/news/station/{net.a1.pk}/")
    assert "甲一区东镇社工站动态" in html
    assert html.index("东镇四月文章") < html.index("开展禁毒宣传")
    assert "温暖童行" not in html  # 西镇's
    assert "<img" in html  # the February article with photos has a thumbnail
    empty = html_of(client, f"/news/station/{net.b1.pk}/")
    assert "简报中还没有关于这里的文章" in empty
    assert client.get("/news/station/999999/").status_code == 404


def test_station_directory_links_each_station_and_county_to_its_news(client, net):
    html = html_of(client, "/stations/")
    assert f'href="/news/station/{net.a1.pk}/"' in html
    assert f'href="/news/county/{net.county_a1.code}/"' in html
    html = html_of(client, f"/stations/{net.a1.pk}/")
    assert f'href="/news/station/{net.a1.pk}/"' in html
    assert f'href="/news/county/{net.county_a1.code}/"' in html


def test_public_pages_answer_head_and_refuse_post(published, client):
    url = issue_url(published)
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
    assert client.post("/").status_code == 405
