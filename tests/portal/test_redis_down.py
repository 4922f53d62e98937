"""Redis stopped: sign-in lock-out still counts (django-axes keeps its counts in
the database), and the production settings ignore cache errors within short
timeouts."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

CLOSED = "redis://127.0.0.1:1/0"
PASSWORD = "correct horse battery staple"
BASE = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CLOSED,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 1,
            },
        },
    }


def test_five_wrong_passwords_lock_the_account_with_redis_stopped(
    db, redis_down, settings
):
    from django.core.cache import cache

    assert cache.get("anything", "missing") == "missing"  # the cache is down
    get_user_model().objects.create_user("alice", password=PASSWORD)
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_production_cache_settings_fail_soft():
    # The settings as production reads them (REDIS_URL set), in a process of
    # their own: they are read once, at import.
    code = (
        "import json; from portal import settings as s; print(json.dumps({"
        "'options': s.CACHES['default']['OPTIONS'],"
        "'log': s.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS,"
        "'axes': getattr(s, 'AXES_HANDLER', 'default'),"
        "'policy': s.CELERY_TASK_PUBLISH_RETRY_POLICY,"
        "'connect': s.CELERY_BROKER_CONNECTION_TIMEOUT}))"
    )
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["options"]["IGNORE_EXCEPTIONS"] is True
    assert found["options"]["SOCKET_CONNECT_TIMEOUT"] <= 1
    assert found["options"]["SOCKET_TIMEOUT"] <= 1
    assert found["log"] is True
    # Axes counts failures in the database (its default handler), not the cache.
    assert found["axes"] in ("default", "axes.handlers.database.AxesDatabaseHandler")
    # A refused job start comes within about two seconds.
    assert found["policy"]["max_retries"] <= 3
    assert found["policy"]["interval_max"] <= 1
    assert found["connect"] <= 2
