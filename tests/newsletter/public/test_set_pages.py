"""Published pages set once from the rows and kept (newsletter/cooking.py): the
first read sets them, later reads use them and are byte for byte the page the
templates render from the rows; a correction, a change of the publication or
a change of the templates (the stamp) sets them again; a page rendered from
rows read before a change is never kept; only the site's language is kept;
the staff preview is always rendered from the rows; the frame's memorised
header and footer still give each reader their own."""

import dataclasses

import pytest
from django.db.models import F
from django.shortcuts import render
from django.test import Client, RequestFactory

from newsletter import cooking, selectors, services, syndication
from newsletter.models import ArticlePage, Issue, IssuePage
from newsletter.views.common import issue_context
from tests.newsletter.public.conftest import article_url, issue_url

pytestmark = pytest.mark.django_db


def _article(issue):
    return issue.articles.filter(photos__isnull=False).distinct().get()


def _from_the_rows(issue, request_path):
    """The issue page as newsletter/issue.html renders it from the rows, for
    an anonymous reader: what the set page must reproduce."""
    request = RequestFactory().get(request_path)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    context = issue_context(selectors.public_issue(*issue.public_args()), preview=False)
    photo = next(
        p
        for s in context["sections"]
        for a in s.articles.all()
        if (p := selectors.first_photo(a)) is not None
    )
    context["canonical_url"] = f"http://testserver{request_path}"
    share = syndication.share_image(
        photo=photo, publication=context["publication"], alt=str(context["issue"])
    )
    context["share"] = dataclasses.replace(
        share, url=f"http://testserver{photo.web_file.url}"
    )
    return render(request, "newsletter/issue.html", context).content


def test_the_first_read_sets_the_pages_and_later_reads_use_them(published, fresh):
    article = _article(published)
    first_issue = fresh(issue_url(published)).content
    first_article = fresh(article_url(article)).content
    issue_page = IssuePage.objects.get(issue=published)
    article_page = ArticlePage.objects.get(article=article)
    assert issue_page.address == issue_url(published)
    assert article_page.address == article_url(article)
    assert article.title in issue_page.content and "本期内容" in issue_page.content
    assert article.title in article_page.title
    assert issue_page.share_image.endswith(".jpg")
    # Read again: the same bytes, from the set pages.
    assert fresh(issue_url(published)).content == first_issue
    assert fresh(article_url(article)).content == first_article


def test_a_set_page_is_the_page_the_templates_render_from_the_rows(published, fresh):
    url = issue_url(published)
    fresh(url)
    served = fresh(url).content
    assert IssuePage.objects.filter(issue=published).exists()
    assert served == _from_the_rows(published, url)
    html = served.decode()
    # The addresses that depend on the reader's host are put in per request.
    assert f'<meta property="og:url" content="http://testserver{url}">' in html
    assert 'property="og:image" content="http://testserver/' in html
    assert cooking.CANONICAL not in html and cooking.SHARE_IMAGE not in html


def test_a_correction_sets_the_pages_again(published, fresh, personas):
    article = published.articles.order_by("pk").first()
    fresh(issue_url(published))
    fresh(article_url(article))
    services.article_update(
        article=article,
        by=personas.editor,
        title="更正后的标题",
        body="更正以后的正文。",
        correction_reason="标题有误",
    )
    assert not IssuePage.objects.filter(issue=published).exists()
    assert not ArticlePage.objects.filter(article__issue=published).exists()
    issue_html = fresh(issue_url(published)).content.decode()
    article_html = fresh(article_url(article)).content.decode()
    for html in (issue_html, article_html):
        assert "更正后的标题" in html and "标题有误" in html
    neighbour = published.articles.exclude(pk=article.pk).order_by("pk").first()
    assert "更正后的标题" in fresh(article_url(neighbour)).content.decode()


def test_a_page_rendered_before_a_change_is_not_kept(published, fresh):
    """A reader's request read the rows at one revision; a correction moved
    the revision before the page was stored: the page is served to that reader
    but not kept."""
    issue = selectors.public_issue(*published.public_args())
    Issue.objects.filter(pk=published.pk).update(revision=F("revision") + 1)
    parts = dict.fromkeys(cooking.BLOCKS, "旧")
    cooking._store(IssuePage, "issue", issue.pk, issue, "/x/", parts)
    assert not IssuePage.objects.exists()
    issue.refresh_from_db()
    cooking._store(
        IssuePage, "issue", issue.pk, issue, "/x/", {**parts, "content": "新"}
    )
    assert IssuePage.objects.get().content == "新"


def test_a_changed_stamp_sets_the_page_again(published, fresh):
    url = issue_url(published)
    fresh(url)
    IssuePage.objects.filter(issue=published).update(
        stamp="rendered-by-old-templates", content="<p>旧模板</p>"
    )
    assert "旧模板" not in fresh(url).content.decode()
    assert IssuePage.objects.get(issue=published).stamp == cooking.stamp()


def test_a_renamed_publication_sets_its_pages_again(published, fresh):
    fresh(issue_url(published))
    publication = published.publication
    publication.name = "乙市民政工作简报"
    publication.save()
    assert not IssuePage.objects.filter(issue=published).exists()
    assert "乙市民政工作简报" in fresh(issue_url(published)).content.decode()


def test_only_the_sites_language_is_kept(published):
    english = Client()
    english.get("/i18n/lang/en/", {"next": "/"})
    response = english.get(issue_url(published) + "?x=1")
    assert '<html lang="en">' in response.content.decode()
    assert not IssuePage.objects.filter(issue=published).exists()
    # A page set in the site's language is not served in another one.
    Client().get(issue_url(published) + "?x=1")
    assert IssuePage.objects.filter(issue=published).exists()
    html = english.get(issue_url(published) + "?x=1").content.decode()
    assert '<html lang="en">' in html and "Contents" in html


def test_a_missing_issue_or_article_is_a_404(published, fresh):
    assert fresh(issue_url(published).replace("/1/", "/9/")).status_code == 404
    assert fresh(issue_url(published) + "999999/").status_code == 404


def test_the_preview_is_rendered_from_the_rows(published, personas, fresh):
    fresh(issue_url(published))
    IssuePage.objects.filter(issue=published).update(content="<p>排定的内容</p>")
    editor = Client()
    editor.force_login(personas.editor)
    html = editor.get(f"/staff/issues/{published.pk}/preview/").content.decode()
    assert "排定的内容" not in html and "本期内容" in html


def test_each_reader_gets_their_own_header_and_footer(published, personas, fresh):
    html = fresh(issue_url(published)).content.decode()
    assert "登录" in html
    assert f"?next={issue_url(published)}" in html
    editor = Client()
    editor.force_login(personas.editor)
    html = editor.get("/issues/").content.decode()
    assert "工作台" in html and 'name="csrfmiddlewaretoken"' in html
    assert "?next=/issues/" in html
    html = fresh(issue_url(published)).content.decode()
    assert "工作台" not in html and f"?next={issue_url(published)}" in html


def test_an_address_written_otherwise_is_served_and_kept_under_the_canonical_one(
    published, fresh
):
    url = issue_url(published)
    other = url.replace(f"/{published.number}/", f"/0{published.number}/")
    response = fresh(other)
    assert response.status_code == 200
    assert f'<link rel="canonical" href="http://testserver{url}">' in (
        response.content.decode()
    )
    assert IssuePage.objects.get(issue=published).address == url


def test_set_page_content_is_stored_uncompressed_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL storage setting")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstorage FROM pg_attribute "
            "WHERE attname = 'content' AND attrelid IN "
            "('newsletter_issuepage'::regclass, 'newsletter_articlepage'::regclass)"
        )
        assert sorted(cursor.fetchall()) == [
            ("newsletter_articlepage", "e"),
            ("newsletter_issuepage", "e"),
        ]


def test_with_redis_a_process_keeps_a_set_page_it_read_until_the_next_version(
    published, client, personas, settings, django_assert_num_queries
):
    from django.core.cache import caches

    settings.PUBLIC_CACHE_TWO_TIERS = True
    caches["local"].clear()
    try:
        # A query string the page cache does not keep: the view runs each time.
        url = f"{issue_url(published)}?from=chat"
        client.get(url)  # sets the page
        first = client.get(url).content  # reads the row, keeps the parts
        with django_assert_num_queries(0):
            assert client.get(url).content == first
        article = published.articles.order_by("pk").first()
        services.article_update(
            article=article,
            by=personas.editor,
            title="更正后的标题",
            body="更正以后的正文。",
            correction_reason="标题有误",
        )
        assert "更正后的标题" in client.get(url).content.decode()
    finally:
        caches["local"].clear()
