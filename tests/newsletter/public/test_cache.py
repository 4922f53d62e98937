"""The page cache (newsletter/public_cache.py): anonymous readers get cached
pages, the same bytes for all and no cookie; a publication or a correction
leaves every cached page behind; the language is part of the key; a logged-in
user never gets or fills a cached page."""

from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory

from newsletter import public_cache, services
from newsletter.services.legacy import issue_import
from tests.newsletter.legacy.conftest import SEED
from tests.newsletter.public.conftest import D, article_url, issue_url


def test_second_anonymous_request_costs_no_query(
    published, client, django_assert_num_queries
):
    url = issue_url(published)
    first = client.get(url)
    assert first["X-Public-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Public-Cache"] == "hit"
    assert second.content == first.content


def test_every_anonymous_reader_gets_the_same_bytes_and_no_cookie(published):
    pages = []
    for _ in range(2):
        reader = Client()
        response = reader.get(issue_url(published))
        assert not response.cookies and "csrfmiddlewaretoken" not in str(
            response.content
        )
        pages.append(response.content)
    assert pages[0] == pages[1]


def test_the_language_links_switch_and_come_back(published, client):
    html = client.get("/issues/").content.decode()
    assert 'href="/i18n/lang/en/?next=/issues/"' in html
    response = client.get("/i18n/lang/en/", {"next": "/issues/"})
    assert response.status_code == 302 and response["Location"] == "/issues/"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/issues/").content.decode()
    # Never off the site, and only a language the site has.
    response = client.get("/i18n/lang/zh-hans/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get("/i18n/lang/fr/").status_code == 404


def test_logged_in_users_neither_get_nor_fill_cached_pages(published, client, personas):
    url = issue_url(published)
    editor = Client()
    editor.force_login(personas.editor)
    response = editor.get(url)
    assert "X-Public-Cache" not in response and "工作台" in response.content.decode()
    assert client.get(url)["X-Public-Cache"] == "miss"
    response = editor.get(url)
    assert "X-Public-Cache" not in response and "工作台" in response.content.decode()
    assert "工作台" not in client.get(url).content.decode()


def test_publishing_leaves_the_cached_pages_behind(published, written, client):
    assert "第2期" not in client.get("/").content.decode()
    assert client.get("/")["X-Public-Cache"] == "hit"
    written(D(2023, 4, 1), ["新一期的文章"])
    response = client.get("/")
    assert response["X-Public-Cache"] == "miss"
    assert "新一期的文章" in response.content.decode()


def test_a_correction_leaves_the_cached_pages_behind(published, client, personas):
    article = published.articles.order_by("pk").first()
    url = article_url(article)
    client.get(url)
    services.article_update(
        article=article,
        by=personas.editor,
        title=article.title,
        body="更正以后的正文。",
        correction_reason="数字有误",
    )
    html = client.get(url).content.decode()
    assert "更正以后的正文。" in html and "数字有误" in html


def test_an_imported_past_issue_leaves_the_cached_pages_behind(
    publication, personas, client
):
    def _import(source, number):
        issue_import(
            publication=publication,
            source=source,
            filename="seed.txt",
            by=personas.editor,
            year=2023,
            number=number,
            running_number=number,
        )

    # The archive must be a cached page before the second import, or the test
    # would pass without any bump.
    _import(SEED.read_bytes(), 3)
    assert client.get("/issues/jia/")["X-Public-Cache"] == "miss"
    assert client.get("/issues/jia/")["X-Public-Cache"] == "hit"
    # Another file (another checksum), imported as the next issue.
    _import(SEED.read_bytes() + b"\n", 4)
    response = client.get("/issues/jia/")
    assert response["X-Public-Cache"] == "miss"
    assert 'href="/issues/jia/2023/4/"' in response.content.decode()


def test_the_bump_happens_now_and_again_at_commit(
    db, django_capture_on_commit_callbacks
):
    before = public_cache.version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        public_cache.bump_version()
        now = public_cache.version()
    assert len(callbacks) == 1
    assert before < now < public_cache.version()


def test_the_language_is_part_of_the_key(published, client):
    assert '<html lang="zh-CN">' in client.get("/").content.decode()
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert response["X-Public-Cache"] == "miss"
    assert '<html lang="en">' in response.content.decode()
    del client.cookies["django_language"]
    response = client.get("/")
    assert response["X-Public-Cache"] == "hit"
    assert '<html lang="zh-CN">' in response.content.decode()


def test_only_bare_paths_and_page_numbers_are_cached(published, written, client, net):
    for _ in range(2):
        assert "X-Public-Cache" not in client.get("/?from=chat")
    url = f"/news/county/{net.county_a1.code}/?page=1"
    client.get(url)
    assert client.get(url)["X-Public-Cache"] == "hit"


def test_a_reader_with_a_message_waiting_gets_a_fresh_page(published, client):
    client.get("/")
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.INFO, "您已退出登录。")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    response = client.get("/")
    assert "X-Public-Cache" not in response
    assert "您已退出登录。" in response.content.decode()


def test_no_cache_when_turned_off(published, client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    client.get("/")
    assert "X-Public-Cache" not in client.get("/")


def test_errors_are_not_cached(client, db):
    for _ in range(2):
        response = client.get("/issues/jia/2023/9/")
        assert response.status_code == 404 and "X-Public-Cache" not in response


def test_with_redis_a_process_keeps_pages_in_its_own_memory_too(
    published, written, client, settings, django_assert_num_queries
):
    from django.core.cache import caches

    settings.PUBLIC_CACHE_TWO_TIERS = True
    caches["local"].clear()
    try:
        client.get("/")
        caches["default"].clear()  # Redis lost the page: memory still has it
        with django_assert_num_queries(0):
            assert client.get("/")["X-Public-Cache"] == "hit"
        written(D(2023, 4, 1), ["新一期的文章"])  # a new version: memory left behind
        response = client.get("/")
        assert response["X-Public-Cache"] == "miss"
        assert "新一期的文章" in response.content.decode()
    finally:
        caches["local"].clear()


# --- The early answer (EarlyHitMiddleware) ------------------------------------

SAME_FOR_EVERY_READER = (
    "Content-Type",
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Vary",
    "Content-Language",
)


def test_a_reader_without_a_session_is_answered_before_the_other_middleware(
    published, client
):
    url = issue_url(published)
    first = client.get(url)
    assert hasattr(first.wsgi_request, "user")
    second = client.get(url)
    assert second["X-Public-Cache"] == "hit"
    # Neither sessions nor authentication ran: the answer came before them.
    assert not hasattr(second.wsgi_request, "user")
    assert not hasattr(second.wsgi_request, "session")
    assert second.content == first.content


def test_an_early_answer_carries_the_headers_the_whole_chain_gave(published, client):
    url = article_url(published.articles.order_by("pk").first())
    first = client.get(url)
    second = client.get(url)
    assert second["X-Public-Cache"] == "hit"
    for name in SAME_FOR_EVERY_READER:
        assert first.has_header(name), name
        assert second[name] == first[name], name
    assert int(second["Content-Length"]) == len(second.content)
    # The request id is each request's own.
    assert second["X-Request-ID"] and second["X-Request-ID"] != first["X-Request-ID"]
    assert not second.cookies


def test_an_anonymous_reader_with_a_session_gets_the_page_through_the_chain(
    published, client
):
    url = issue_url(published)
    stored = client.get(url).content
    client.cookies["sessionid"] = "no-such-session"
    response = client.get(url)
    assert response["X-Public-Cache"] == "hit"
    assert hasattr(response.wsgi_request, "user")
    assert response.content == stored
    assert response["Content-Security-Policy"]


def test_a_host_the_site_does_not_serve_is_refused_not_answered(published, client):
    client.get("/")
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "X-Public-Cache" not in response


def test_a_page_not_marked_by_its_view_is_never_stored(client, db):
    for _ in range(2):
        response = client.get("/accounts/login/")
        assert response.status_code == 200 and "X-Public-Cache" not in response
