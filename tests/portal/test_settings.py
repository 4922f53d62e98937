"""Production mode passes `check --deploy` with no warning and refuses to start
without a real secret key and hosts (CONTRACT.md, DJANGO_DEBUG); a malformed
PORTAL_EARLIEST_DATE stops the settings too."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "-a-real-secret-from-the-operator-0123456789",
    "DJANGO_ALLOWED_HOSTS": "jianbao.example.org",
}


def _manage(*args, env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_refuses_the_development_key():
    result = _manage(
        "check", env={"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "x.org"}
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_mode_requires_allowed_hosts():
    env = dict(PROD_ENV)
    del env["DJANGO_ALLOWED_HOSTS"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_a_malformed_earliest_date_stops_the_settings():
    result = _manage("check", env={"PORTAL_EARLIEST_DATE": "2000年1月1日"})
    assert result.returncode != 0
    assert "PORTAL_EARLIEST_DATE must be an ISO date" in result.stderr
    assert _manage("check", env={"PORTAL_EARLIEST_DATE": "2017-01-01"}).returncode == 0


def test_interface_defaults(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert ("en", "English") in settings.LANGUAGES


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
