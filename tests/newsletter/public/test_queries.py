"""Every public page runs a fixed number of queries whatever the data size: each
is measured rendered (the page cache emptied first), anonymous (no session or
user query), once with one published issue of 10 articles and again with an
issue of 40, more issues in two years and more news of each unit.

An issue page and an article page are set on their first read and kept
(newsletter/cooking.py): the pin is then a pair, (first read, every read
after).

Every HTML page reads the publications' footers once more (FOOTER): the page
cache is emptied before each read here, and with it the footers kept per
publication version (newsletter.selectors.publication_footer); while the
cache holds them, a rendered page reads none."""

import pytest

from newsletter import services
from tests.newsletter.public.conftest import D, issue_url

# The footers of the publications (see above).
FOOTER = 1

# (url maker, queries, why that many). ``issue`` is the issue the page shows:
# the 10-article issue first, then the 40-article one.
PAGES = [
    (
        lambda net, issue: "/",
        6 + FOOTER,
        "the latest issue of each active publication, its sections, their "
        "articles, the latest articles with their issue, section and units, "
        "those articles' photos, and the counties with news",
    ),
    (
        lambda net, issue: "/issues/",
        2 + FOOTER,
        "the years of each publication with their numbers of issues, the publications",
    ),
    (lambda net, issue: "/issues/jia/", 2 + FOOTER, "the publication, then its issues"),
    (
        lambda net, issue: "/issues/jia/2023/",
        4 + FOOTER,
        "the publication, the year's issues, their sections and their articles",
    ),
    (
        lambda net, issue: issue_url(issue),
        (10 + FOOTER, 1 + FOOTER),
        "first: the set page by its address (none yet), the issue with its "
        "publication, the sections, the articles with their units, all their "
        "photos (report photos joined), the corrections, then the page stored "
        "(savepoint, the issue's revision checked under lock, the upsert, "
        "release); then: the set page by its address",
    ),
    (
        lambda net, issue: f"{issue_url(issue)}{_with_photos(issue).pk}/",
        (10 + FOOTER, 1 + FOOTER),
        "first: the set page by its address (none yet), the issue, the article "
        "with its section and units, its photos, the corrections, the issue's "
        "order for the previous and next links, then the page stored (as the "
        "issue's); then: the set page by its address",
    ),
    (lambda net, issue: f"{issue_url(issue)}print/", 5 + FOOTER, "as the issue page"),
    (lambda net, issue: f"{issue_url(issue)}word/", 5, "as the issue page"),
    (
        lambda net, issue: f"/news/county/{net.county_a1.code}/",
        4 + FOOTER,
        "the county, the count, the page of articles with issue, section and "
        "units, their photos",
    ),
    (
        lambda net, issue: f"/news/station/{net.a1.pk}/?page=2",
        4 + FOOTER,
        "the station with its place, the count, the page, its photos",
    ),
    (lambda net, issue: "/search/", 2 + FOOTER, "the county and year choices"),
    (
        lambda net, issue: f"/search/?q=开展&county={net.county_a1.code}&year=2023",
        4 + FOOTER,
        "the choices, the count, the page of results",
    ),
    (lambda net, issue: "/feeds/rss/", 1, "the latest articles, joined"),
    (lambda net, issue: "/feeds/atom/", 1, "the latest articles, joined"),
    (
        lambda net, issue: f"/feeds/county/{net.county_a1.code}/atom/",
        2,
        "the county, its latest articles",
    ),
    (
        lambda net, issue: "/sitemap.xml",
        8,
        "one a part: the newest issue and correction (home, archive), the "
        "publications, issues, years, articles (each with its latest correction "
        "in the same query), counties with news, stations with news, stations",
    ),
    (lambda net, issue: "/robots.txt", 0, "nothing to read"),
]


def _with_photos(issue):
    return issue.articles.filter(photos__isnull=False).distinct().get()


@pytest.fixture
def sizes(two_drafts, personas, written, net):
    """grow() publishes the 10-article issue; grow(True) the 40-article one
    (3 photos more), 25 articles more about 东镇 and an issue of 2024."""
    small, large = two_drafts

    def grow(more=False):
        issue, date = (large, D(2023, 4, 1)) if more else (small, D(2023, 3, 1))
        services.issue_update(
            issue=issue, by=personas.editor, editor_note="", issue_date=date
        )
        services.issue_publish(issue=issue, by=personas.editor)
        if more:
            written(D(2023, 5, 1), [f"东镇五月{n}" for n in range(25)], unit=net.a1)
            written(D(2024, 1, 5), ["甲一区开展培训"], unit=net.county_a1)
        return issue

    return grow


@pytest.mark.parametrize(("url", "count", "why"), PAGES, ids=lambda p: "")
def test_public_page_query_count_is_fixed(
    sizes, fresh, net, django_assert_num_queries, url, count, why
):
    counts = count if isinstance(count, tuple) else (count,)
    for more in (False, True):
        issue = sizes(more)
        address = url(net, issue)
        for expected in counts:
            with django_assert_num_queries(expected, info=why):
                response = fresh(address)
            assert response.status_code == 200, address


def test_the_larger_data_is_larger(sizes, net):
    from newsletter.selectors import published_articles

    small = sizes()
    before = published_articles().filter(station=net.a1).count()
    large = sizes(True)
    assert (small.articles.count(), large.articles.count()) == (10, 40)
    assert (before, published_articles().filter(station=net.a1).count()) == (2, 27)
