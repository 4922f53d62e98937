"""How many queries each newsletter page costs: the same at two sizes of data.
Every count starts with the session, the user and the user's role assignments
(the scope), three queries, on staff pages."""

from django.core.cache import cache

from newsletter import services


def _same_count(client, django_assert_num_queries, count, urls):
    for url in urls:
        with django_assert_num_queries(count):
            response = client.get(url)
        assert response.status_code == 200, url


def test_issue_editor_page_at_10_and_40_articles(
    two_drafts, login, personas, django_assert_num_queries
):
    client = login(personas.editor)
    small, large = two_drafts
    # 6 = session + user + scope, the issue with its publication and city, the
    # sections, and the articles with their county, station (town, county) and
    # report joined and their photos counted.
    _same_count(
        client,
        django_assert_num_queries,
        6,
        [f"/staff/issues/{small.pk}/", f"/staff/issues/{large.pk}/"],
    )
    html = client.get(f"/staff/issues/{large.pk}/").content.decode()
    assert html.count('class="nl-edit-article"') == 40


def test_issue_editor_page_for_a_reviewer(
    two_drafts, login, personas, django_assert_num_queries
):
    small, large = two_drafts
    # Both drafts hold an article about 甲二县. The same 6: the reviewer's "an
    # article about my county" is a subquery of the issue lookup, not a query.
    _same_count(
        login(personas.other_reviewer),
        django_assert_num_queries,
        6,
        [f"/staff/issues/{small.pk}/", f"/staff/issues/{large.pk}/"],
    )


def test_preview_print_and_word_at_10_and_40_articles(
    two_drafts, login, personas, django_assert_num_queries
):
    client = login(personas.editor)
    small, large = two_drafts
    for suffix in ("preview/", "print/", "word/"):
        # 7 = session + user + scope, the issue with its publication, then the
        # sections, their articles (county, station, town joined) and all their
        # photos (report photos joined). A draft has no corrections to read.
        _same_count(
            client,
            django_assert_num_queries,
            7,
            [
                f"/staff/issues/{small.pk}/{suffix}",
                f"/staff/issues/{large.pk}/{suffix}",
            ],
        )


def test_public_pages_at_10_and_40_articles(
    two_drafts, client, personas, django_assert_num_queries
):
    small, large = two_drafts
    for issue in two_drafts:
        services.issue_publish(issue=issue, by=personas.editor)
    urls = lambda issue, suffix="": f"/issues/jia/{issue.year}/{issue.number}/{suffix}"  # noqa: E731
    # The footer's publications are read once per publication version and
    # cached (newsletter.selectors.publication_footer): read here first, so the
    # pins below count each page's own reads, the same at 10 and 40 articles.
    client.get("/")
    # The issue page, for an anonymous reader (no session, no user): 10 on the
    # first read (the set page by its address, none yet; the issue with its
    # publication, the sections, the articles with their units, the photos
    # with their report photos, the corrections; the page stored: savepoint,
    # the revision checked under lock, the upsert, release:
    # newsletter/cooking.py), then 1, the set page by its address.
    _same_count(client, django_assert_num_queries, 10, [urls(small), urls(large)])
    cache.clear()
    client.get("/")
    _same_count(client, django_assert_num_queries, 1, [urls(small), urls(large)])
    # 5 for the print view and the Word file, rendered from the rows: the
    # issue, the sections, the articles, the photos and the corrections.
    _same_count(
        client,
        django_assert_num_queries,
        5,
        [urls(small, "print/"), urls(large, "print/")],
    )
    _same_count(
        client,
        django_assert_num_queries,
        5,
        [urls(small, "word/"), urls(large, "word/")],
    )


def test_preview_print_and_word_for_a_reviewer(
    two_drafts, login, personas, django_assert_num_queries
):
    small, large = two_drafts
    client = login(personas.other_reviewer)
    for suffix in ("preview/", "print/", "word/"):
        # The editor's 7: the reviewer's scope (the county's articles, and each
        # section's count of the others) narrows the articles' query and is
        # counted in the sections' query, and the issue lookup's "an article
        # about my county" is a subquery.
        _same_count(
            client,
            django_assert_num_queries,
            7,
            [
                f"/staff/issues/{small.pk}/{suffix}",
                f"/staff/issues/{large.pk}/{suffix}",
            ],
        )
    html = client.get(f"/staff/issues/{large.pk}/preview/").content.decode()
    # Of the 40, one is about 甲二县: the rest is a count.
    assert html.count('class="nl-article"') == 1
    assert "本期另有 39 篇" in html


def test_article_pages_for_a_reviewer(
    two_drafts, login, personas, net, django_assert_num_queries
):
    small, large = two_drafts
    client = login(personas.other_reviewer)
    # 甲二县's article of each draft: none of its photos in the small one, three
    # in the large one.
    without = small.articles.get(county=net.county_a2, station=net.a2)
    with_three = large.articles.get(county=net.county_a2)
    assert (without.photos.count(), with_three.photos.count()) == (0, 3)
    # Edit page, read only: 6 = session + user + scope, the article with its
    # issue, publication, section, report and units (the scope narrows this
    # lookup, no query more), its photos (report photos joined) and the
    # report's photos not in it. The editor's two more, the county and station
    # choices, belong to the form a reader is not shown.
    _same_count(
        client,
        django_assert_num_queries,
        6,
        [
            f"/staff/issues/articles/{without.pk}/",
            f"/staff/issues/articles/{with_three.pk}/",
        ],
    )
    # Preview of one article: 6, as the editor's.
    _same_count(
        client,
        django_assert_num_queries,
        6,
        [
            f"/staff/issues/{small.pk}/preview/{without.pk}/",
            f"/staff/issues/{large.pk}/preview/{with_three.pk}/",
        ],
    )
