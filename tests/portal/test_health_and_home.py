import time
from unittest import mock

from django.db import OperationalError, connections

# A django-redis cache on a port nobody listens on, told to ignore its errors
# as a production cache may be: reads come back empty rather than failing.
DEAD_REDIS_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
            "IGNORE_EXCEPTIONS": True,
        },
    }
}


def test_healthz_reports_each_part(client, db, django_assert_num_queries):
    # 1 = the database's SELECT 1; the cache and the queue are no queries.
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "queue": "inline",  # the tests run jobs in the caller (JOBS_MODE=sync)
    }
    assert "no-store" in response["Cache-Control"]


def test_healthz_with_a_dead_cache_is_degraded_not_down(client, db, settings):
    settings.CACHES = DEAD_REDIS_CACHE
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 3
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["database"] == "ok"
    assert response.json()["cache"] == "unavailable"


def test_healthz_with_a_cache_that_raises_is_degraded(client, db):
    with mock.patch("portal.health.cache.set", side_effect=ConnectionError):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cache"]) == (
        "degraded",
        "unavailable",
    )


def test_healthz_counts_the_jobs_waiting_on_an_answering_broker(client, db, settings):
    settings.JOBS_MODE = "celery"
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["queue"]) == ("ok", "ok")
    assert body["queue_waiting"] == 0


def test_healthz_with_the_broker_down_is_degraded_within_a_second(client, db, settings):
    settings.JOBS_MODE = "celery"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 1.5
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["queue"]) == (
        "degraded",
        "ok",
        "unavailable",
    )
    assert "queue_waiting" not in body


def test_healthz_without_the_database_is_503_json(client, db):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with mock.patch.object(connections["default"], "cursor", refuse):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "error",
        "database": "unavailable",
        "cache": "ok",
        "queue": "inline",
    }


def test_home_links_to_station_directory(client, db, django_assert_num_queries):
    # 4 = the latest issue of each publication, the latest articles, the
    # counties with news and the publications' footers: the newsletter's home
    # page with nothing published; tests/newsletter/public/ pins it with issues.
    with django_assert_num_queries(4):
        response = client.get("/")
    assert response.status_code == 200
    assert 'href="/stations/"' in response.content.decode()


def test_staff_home_requires_login(client, db):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_interface_is_chinese_whatever_the_browser_asks(client, db):
    response = client.get("/stations/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-CN">' in response.content.decode()
    assert "社工站名录" in response.content.decode()


def test_english_interface_is_available_on_request(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "Station directory" in response.content.decode()
