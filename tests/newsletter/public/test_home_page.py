"""The home page from its kept parts (newsletter/home_page.py): the blocks of
newsletter/home.html rendered once per publication version and kept in the
cache; every request, the page cache's or not, renders only the frame around
them. Byte for byte the page the template renders from the rows, for an
anonymous reader and (but for the CSRF token) a signed-in one; a publication
shows at once; only the site's language is kept."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.shortcuts import render
from django.test import Client, RequestFactory

from newsletter import cooking, home_page, selectors
from tests.newsletter.public.conftest import D

pytestmark = pytest.mark.django_db

# A query string the page cache does not keep: the view runs each time.
UNCACHED = "/?uncached=1"
_CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def _from_the_rows(path, user=None):
    """The home page as newsletter/home.html renders it from the rows: what
    the view rendered before the parts were kept."""
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    issues = selectors.issue_tocs(selectors.latest_issues())
    latest = selectors.with_thumbs(
        list(selectors.article_cards(selectors.published_articles())[:8])
    )
    context = {
        "issues": issues,
        "latest": latest,
        "counties": selectors.counties_with_news(),
        "canonical_url": "http://testserver/",
    }
    return render(request, "newsletter/home.html", context).content


def _kept():
    return cache.get(home_page._key())


def test_the_home_from_kept_parts_is_the_home_from_the_rows(
    published, client, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "news.example"]
    first = client.get(UNCACHED).content
    assert _kept() is not None
    served = client.get(UNCACHED).content
    assert served == first == _from_the_rows(UNCACHED)
    html = served.decode()
    assert published.articles.order_by("pk").first().title in html
    # The addresses that depend on the reader's host are put in per request.
    assert '<meta property="og:url" content="http://testserver/">' in html
    assert 'property="og:image" content="http://testserver/static/' in html
    assert cooking.CANONICAL not in html and cooking.SHARE_IMAGE not in html
    other_host = client.get(UNCACHED, HTTP_HOST="news.example").content.decode()
    assert '<link rel="canonical" href="http://news.example/">' in other_host
    assert '<meta property="og:url" content="http://news.example/">' in other_host


def test_the_page_is_read_from_the_kept_parts(published, client):
    client.get(UNCACHED)
    key = home_page._key()
    cache.set(key, {**cache.get(key), "content": "<p>保存的首页</p>"})
    assert "<p>保存的首页</p>" in client.get(UNCACHED).content.decode()


def test_a_signed_in_reader_gets_the_kept_parts_in_their_own_frame(published, personas):
    Client().get(UNCACHED)  # an anonymous reader keeps the parts
    editor = Client()
    editor.force_login(personas.editor)
    served = editor.get(UNCACHED).content
    # Their header holds their logout form with its CSRF token (one a page).
    assert b"csrfmiddlewaretoken" in served and "工作台" in served.decode()
    expected = _from_the_rows(UNCACHED, user=personas.editor)
    assert _CSRF_RE.sub(b"", served) == _CSRF_RE.sub(b"", expected)


def test_a_publication_shows_on_the_uncached_home(published, written, client):
    assert "新一期的文章" not in client.get(UNCACHED).content.decode()
    written(D(2023, 4, 1), ["新一期的文章"])
    html = client.get(UNCACHED).content.decode()
    assert "新一期的文章" in html and "2023年第2期" in html


def test_a_renamed_publication_shows_on_the_uncached_home(published, client):
    client.get(UNCACHED)
    publication = published.publication
    publication.name = "乙市民政工作简报"
    publication.save()
    assert "乙市民政工作简报" in client.get(UNCACHED).content.decode()


def test_a_changed_stamp_renders_the_parts_again(published, client, monkeypatch):
    client.get(UNCACHED)
    cache.set(home_page._key(), {**_kept(), "content": "<p>旧模板</p>"})
    monkeypatch.setattr(home_page, "stamp", lambda: "rendered-by-new-templates")
    assert "旧模板" not in client.get(UNCACHED).content.decode()


def test_only_the_sites_language_is_kept(published):
    english = Client()
    english.get("/i18n/lang/en/", {"next": "/"})
    html = english.get(UNCACHED).content.decode()
    assert '<html lang="en">' in html and "Station directory" in html
    assert _kept() is None
    assert "社工站名录" in Client().get(UNCACHED).content.decode()
    assert _kept() is not None


def test_the_kept_home_costs_no_query(published, client, django_assert_num_queries):
    client.get(UNCACHED)
    # 0: the parts and the publications' footers are both kept per
    # publication version; an anonymous reader has no session to read.
    with django_assert_num_queries(0):
        assert client.get(UNCACHED).status_code == 200


def test_with_the_public_caches_off_the_home_is_rendered_each_time(
    published, client, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0
    assert client.get(UNCACHED).content == _from_the_rows(UNCACHED)
    assert _kept() is None
