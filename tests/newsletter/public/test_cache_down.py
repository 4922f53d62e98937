"""Redis stopped: the public pages are still served, from the database, with
the cache's errors ignored (portal/settings.py CACHES) and logged at most once
a minute as a WARNING (portal/failures.py)."""

import logging

import pytest

from portal.failures import QuietCacheErrors
from tests.newsletter.public.conftest import article_url, issue_url

# Nothing listens on port 1: every connection is refused at once.
CLOSED = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CLOSED,
            "KEY_PREFIX": "portal",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 1,
            },
        },
    }
    settings.PUBLIC_CACHE_TWO_TIERS = True
    # The once-a-minute warning starts afresh (an earlier test may have used it).
    for quiet in logging.getLogger("django_redis").filters:
        if isinstance(quiet, QuietCacheErrors):
            quiet._last = float("-inf")


def test_public_pages_are_served_with_redis_stopped(
    published, client, redis_down, caplog
):
    article = published.articles.first()
    with caplog.at_level(logging.WARNING, logger="django_redis"):
        for url in ["/", issue_url(published), article_url(article)]:
            response = client.get(url)
            assert response.status_code == 200, url
        # Read twice: the page cache cannot keep anything, the rows answer.
        assert client.get(issue_url(published)).status_code == 200
    # The operator is told, once, not at every cache call of every page.
    logged = [r for r in caplog.records if r.name == "django_redis"]
    assert logged, "an ignored cache error is logged"
    assert all(r.levelno == logging.WARNING for r in logged)
    assert len(logged) <= 2
    assert "Redis cache not answering" in logged[0].getMessage()
