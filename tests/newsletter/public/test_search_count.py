"""The search's count stops past COUNT_CAP (newsletter/search/query.py): a common
word is not counted to its last hit, a rarer one is counted exactly."""

import pytest
from django.utils import timezone

from newsletter.search import query
from tests.newsletter.public.test_search import corpus  # noqa: F401 (fixture)


@pytest.fixture
def cap_of_two(monkeypatch):
    monkeypatch.setattr(query, "COUNT_CAP", 2)


def test_count_past_the_cap_is_cut(corpus, monkeypatch):  # noqa: F811
    monkeypatch.setattr(query, "COUNT_CAP", 1)
    hits = query.search(["童"])
    assert hits.count() == 2
    # The hits themselves are all there, only their count stops.
    assert len(list(hits)) == 3


def test_count_under_the_cap_is_exact(corpus, cap_of_two):  # noqa: F811
    assert query.search(["禁毒"]).count() == 1


def test_count_of_fetched_hits_is_their_number(corpus, cap_of_two):  # noqa: F811
    hits = query.search(["童"])
    list(hits)
    assert hits.count() == 3


def test_the_page_says_more_than_the_cap_past_it(corpus, client, monkeypatch):  # noqa: F811
    monkeypatch.setattr(query, "COUNT_CAP", 2)
    html = client.get("/search/", {"q": "童"}).content.decode()
    assert "找到 2 多篇文章" in html and "找到 3 篇文章" not in html
    html = client.get("/search/", {"q": "禁毒"}).content.decode()
    assert "找到 1 篇文章" in html and "多篇文章" not in html


def test_the_search_choices_are_read_once_per_publication(
    corpus,  # noqa: F811
    client,
    django_assert_num_queries,
    personas,
    written,
):
    from django.core.cache import cache

    cache.clear()
    client.get("/search/")
    with django_assert_num_queries(0):
        client.get("/search/")
    # A year the corpus (2023, 2024) lacks; an issue may not be dated further
    # ahead than a year (core/dates.py), so today's date gives it.
    today = timezone.localdate()
    written(today, ["新的一年"])
    html = client.get("/search/").content.decode()
    assert f'value="{today.year}"' in html


def _plain_order(term):
    from newsletter.selectors import newest_first

    return list(newest_first(query.search([term])).values_list("pk", flat=True))


def _page_of(term, number, per_page):
    page = query.search_pages([term], per_page=per_page).page(number)
    return [article.pk for article in page.object_list]


@pytest.mark.parametrize(
    "cap, window",
    [(1000, 20), (1, 20), (1, 1)],
    ids=["all hits by id", "walked in the window", "sparse: gathered and sorted"],
)
def test_every_way_to_a_page_gives_the_plain_order(corpus, monkeypatch, cap, window):  # noqa: F811
    monkeypatch.setattr(query, "COUNT_CAP", cap)
    monkeypatch.setattr(query, "WINDOW_ISSUES", window)
    order = _plain_order("童")
    assert len(order) == 3
    for per_page in (1, 2, 20):
        pages = query.search_pages(["童"], per_page=per_page).num_pages
        got = [pk for n in range(1, pages + 1) for pk in _page_of("童", n, per_page)]
        assert got == order[: len(got)]
        assert len(got) == min(3, cap + 1)


def test_a_sparse_word_past_the_cap_costs_one_query_more(
    corpus,  # noqa: F811
    monkeypatch,
    django_assert_num_queries,
):
    monkeypatch.setattr(query, "COUNT_CAP", 1)
    monkeypatch.setattr(query, "WINDOW_ISSUES", 1)
    # The hits' ids (two: past the cap), then the newest issue's hits (one, of
    # the two the page needs), then the page from every hit, sorted.
    with django_assert_num_queries(3):
        assert len(_page_of("童", 1, 2)) == 2
    # Under the cap: the ids, then the page by them.
    monkeypatch.setattr(query, "COUNT_CAP", 1000)
    with django_assert_num_queries(2):
        assert len(_page_of("童", 1, 2)) == 2
