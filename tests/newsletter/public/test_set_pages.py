"""Published pages set once from the rows and kept (newsletter/cooking.py): the
first read sets them, later reads use them; a correction, a change of the
publication or a change of the templates (the stamp) sets them again; a page
set from an older revision is never served; only the site's language is
kept; the staff preview is always rendered from the rows; the frame's
memorised header still gives a signed-in user their own."""

import pytest
from django.test import Client
from django.utils import translation

from newsletter import cooking, services
from newsletter.models import ArticlePage, IssuePage
from tests.newsletter.public.conftest import article_url, issue_url

pytestmark = pytest.mark.django_db


def _article(issue):
    return issue.articles.filter(photos__isnull=False).distinct().get()


def test_the_first_read_sets_the_pages_and_later_reads_use_them(published, fresh):
    article = _article(published)
    first_issue = fresh(issue_url(published)).content
    first_article = fresh(article_url(article)).content
    issue_page = IssuePage.objects.get(issue=published)
    article_page = ArticlePage.objects.get(article=article)
    assert article.title in issue_page.html and "本期内容" in issue_page.html
    assert article.title in article_page.html
    assert issue_page.facts["article_count"] == published.articles.count()
    assert issue_page.facts["share_image"].endswith(".jpg")
    # Read again: the same bytes, from the set pages.
    assert fresh(issue_url(published)).content == first_issue
    assert fresh(article_url(article)).content == first_article


def test_a_set_page_is_what_the_rows_render(published, fresh):
    """The page a reader gets from the set content is byte for byte the page
    rendered from the rows (a different language is never kept, so render it
    with the pages forgotten to compare)."""
    url = issue_url(published)
    fresh(url)
    from_set = fresh(url).content
    cooking.forget_issue(published.pk)
    published.refresh_from_db()
    assert fresh(url).content == from_set


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
    fresh(article_url(neighbour))
    assert ArticlePage.objects.filter(article=neighbour).exists()


def test_a_page_set_from_an_older_revision_is_never_served(published, fresh):
    """A reader's request that rendered the rows before a correction and stored
    the page after it: the stored page carries the old revision and is not
    used."""
    url = issue_url(published)
    fresh(url)
    IssuePage.objects.filter(issue=published).update(html="<p>旧的排版</p>")
    from django.db.models import F

    from newsletter.models import Issue

    Issue.objects.filter(pk=published.pk).update(revision=F("revision") + 1)
    html = fresh(url).content.decode()
    assert "旧的排版" not in html and "本期内容" in html
    page = IssuePage.objects.get(issue=published)
    assert page.revision == published.revision + 1


def test_a_changed_stamp_sets_the_page_again(published, fresh):
    url = issue_url(published)
    fresh(url)
    IssuePage.objects.filter(issue=published).update(
        stamp="rendered-by-old-templates", html="<p>旧模板</p>"
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


def test_only_the_sites_language_is_kept(published, client):
    client.get("/i18n/lang/en/", {"next": "/"})
    response = client.get(issue_url(published) + "?x=1")
    assert (
        response.status_code == 200 and '<html lang="en">' in response.content.decode()
    )
    assert not IssuePage.objects.filter(issue=published).exists()
    with translation.override("zh-hans"):
        assert "本期内容" in str(cooking.issue_page(published)[0])
    assert IssuePage.objects.filter(issue=published).exists()


def test_the_preview_is_rendered_from_the_rows(published, personas, fresh):
    fresh(issue_url(published))
    IssuePage.objects.filter(issue=published).update(html="<p>排定的内容</p>")
    editor = Client()
    editor.force_login(personas.editor)
    html = editor.get(f"/staff/issues/{published.pk}/preview/").content.decode()
    assert "排定的内容" not in html and "本期内容" in html


def test_a_signed_in_reader_gets_their_own_header_after_anonymous_ones(
    published, personas, fresh
):
    assert "登录" in fresh(issue_url(published)).content.decode()
    editor = Client()
    editor.force_login(personas.editor)
    html = editor.get(issue_url(published)).content.decode()
    assert "工作台" in html and 'name="csrfmiddlewaretoken"' in html
    assert "工作台" not in fresh(issue_url(published)).content.decode()
