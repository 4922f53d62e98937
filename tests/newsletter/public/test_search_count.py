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
