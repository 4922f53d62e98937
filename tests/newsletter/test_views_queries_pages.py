"""Query counts of the other newsletter pages, each at two sizes of data. Staff
pages start with three queries: the session, the user and the user's role
assignments (the scope)."""

import pytest
from django.core.cache import cache

from newsletter import services
from tests.newsletter.conftest import D, add_photo
from tests.newsletter.privacy_helpers import file_beneficiary


def _pinned(client, django_assert_num_queries, count, urls):
    for url in urls:
        with django_assert_num_queries(count):
            response = client.get(url)
        assert response.status_code == 200, url


def test_issue_list(
    three_levels, assemble, approve, login, personas, django_assert_num_queries
):
    client = login(personas.editor)
    assemble()
    # 4 = scope + the issues with their publication and article count.
    _pinned(client, django_assert_num_queries, 4, ["/staff/issues/"])
    for month in (3, 4, 5, 6):
        approve("a1", f"{month}月活动", D(2023, month, 5))
        assemble(D(2023, month, 1), D(2023, month, 28))
    _pinned(client, django_assert_num_queries, 4, ["/staff/issues/"])
    assert client.get("/staff/issues/").content.decode().count("<tr>") == 6


def test_assemble_page(publication, login, personas, django_assert_num_queries):
    # 9 = scope + the editor's publications + what assembling would find in
    # each (one query; one more naming the drafts that hold reports, when
    # some do: tests/newsletter/test_assembly_scope.py) + four reads of the
    # publication choices (Django's select reads its queryset each time the two
    # forms' fields are rendered and checked). Nothing here grows with reports
    # or issues: a city has one publication, or a handful.
    _pinned(
        login(personas.editor),
        django_assert_num_queries,
        9,
        ["/staff/issues/assemble/"],
    )


def test_privacy_and_publish_pages(
    two_drafts, login, personas, net, django_assert_num_queries
):
    small, large = two_drafts
    client = login(personas.editor)
    # Privacy: 9 = scope + the issue, the articles with their sections, their
    # photos, the city's registered names/IDs/phones/addresses (one query),
    # the overrides recorded for the articles, and the issue's section titles
    # (read with the editor's note, which the issue row holds).
    _pinned(
        client,
        django_assert_num_queries,
        9,
        [f"/staff/issues/{small.pk}/privacy/", f"/staff/issues/{large.pk}/privacy/"],
    )
    for n in range(5):
        file_beneficiary(personas.worker, net.a1, f"测试对象{n}")
    services.article_create(
        issue=large,
        section=large.sections.first(),
        by=personas.editor,
        title="有人名的稿件",
        body="测试对象0、测试对象1和测试对象2参加了活动。",
    )
    article = large.articles.get(title="有人名的稿件")
    from newsletter import privacy

    hit = privacy.issue_privacy_check(large)[0]
    services.privacy_override(
        article=article, hit=hit, reason="已书面同意", by=personas.editor
    )
    _pinned(
        client, django_assert_num_queries, 9, [f"/staff/issues/{large.pk}/privacy/"]
    )
    # Publish: 11 = the privacy page's 9 + the largest number in the year and
    # the largest running number.
    _pinned(
        client,
        django_assert_num_queries,
        11,
        [f"/staff/issues/{small.pk}/publish/", f"/staff/issues/{large.pk}/publish/"],
    )


def test_article_edit_and_preview_pages(
    two_drafts,
    login,
    personas,
    django_assert_num_queries,
):
    small, large = two_drafts
    client = login(personas.editor)
    with_two = small.articles.filter(photos__isnull=False).distinct().get()
    with_three = large.articles.filter(photos__isnull=False).distinct().get()
    add_photo(with_three.source_report, personas.superuser, 9, caption="未选用")
    # Edit: 8 = scope + the article with its issue, publication, section,
    # report and units + its photos (report photos joined) + the report's
    # photos not in it + the county and station choices.
    _pinned(
        client,
        django_assert_num_queries,
        8,
        [
            f"/staff/issues/articles/{with_two.pk}/",
            f"/staff/issues/articles/{with_three.pk}/",
        ],
    )
    # Preview of one article: 6 = scope + the issue + the article with its
    # section and units + its photos.
    _pinned(
        client,
        django_assert_num_queries,
        6,
        [
            f"/staff/issues/{small.pk}/preview/{with_two.pk}/",
            f"/staff/issues/{large.pk}/preview/{with_three.pk}/",
        ],
    )
    # New article: 8 = scope + the issue + the section choice (read to set the
    # initial value and to render) + the county and station choices.
    _pinned(
        client,
        django_assert_num_queries,
        8,
        [
            f"/staff/issues/{small.pk}/articles/new/",
            f"/staff/issues/{large.pk}/articles/new/",
        ],
    )


def test_add_reports_page(draft, approve, login, personas, django_assert_num_queries):
    client = login(personas.editor)
    approve("a1", "后来通过的报告", D(2023, 3, 2))
    # 5 = scope + the issue + the available reports with their units and kind.
    _pinned(client, django_assert_num_queries, 5, [f"/staff/issues/{draft.pk}/add/"])
    for n in range(6):
        approve("a2", f"又一篇报告{n}", D(2023, 3, 3 + n))
    _pinned(client, django_assert_num_queries, 5, [f"/staff/issues/{draft.pk}/add/"])


@pytest.fixture
def published(draft, personas):
    services.issue_publish(issue=draft, by=personas.editor)
    return draft


def test_correct_page_and_public_article(
    published, login, personas, client, django_assert_num_queries
):
    staff = login(personas.editor)
    article = published.articles.filter(photos__isnull=False).distinct().get()
    url = f"/issues/jia/{published.year}/{published.number}/{article.pk}/"
    # Correct: 5 = scope + the issue + its corrections.
    _pinned(
        staff, django_assert_num_queries, 5, [f"/staff/issues/{published.pk}/correct/"]
    )
    # Public article, first read: 10 = the set page by its address (none
    # yet) + the issue + the article with its section and units + its photos
    # + the issue's corrections + the issue's article order for the
    # previous/next links + the page stored (savepoint, the revision checked
    # under lock, the upsert, release: newsletter/cooking.py) + the
    # publications' footers (kept per publication version in the cache, so
    # read again after each publication, correction or emptied cache). Each
    # correction leaves the page cache and the set page behind, so the read
    # after them sets the page again; a read after that with the cache emptied
    # costs 2, the set page and the footers.
    staff.logout()
    _pinned(client, django_assert_num_queries, 11, [url])
    for n in range(3):
        services.article_update(
            article=article,
            by=personas.editor,
            title=article.title,
            body=f"第{n}次更正后的正文。",
            correction_reason=f"第{n}次更正",
        )
    _pinned(client, django_assert_num_queries, 11, [url])
    cache.clear()
    _pinned(client, django_assert_num_queries, 2, [url])
    staff = login(personas.editor)
    _pinned(
        staff, django_assert_num_queries, 5, [f"/staff/issues/{published.pk}/correct/"]
    )
