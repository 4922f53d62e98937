"""Shared personas (Healthchecks' Alice/Bob/Charlie), built through services:

- ``net``: two cities; city A has counties A1 (stations a1, a1b) and A2 (station a2);
  city B has county B1 (station b1).
- ``personas``: a worker and a head of station a1, a worker of a2, the supervisor
  of county A1, the reviewer of A1, a reviewer of A2, the editor of city A, the
  editor of city B, a user with no role, and a superuser.
"""

from types import SimpleNamespace

import pytest

from stations import services
from stations.models import Role
from tests import factories

# Fixtures that make reports, used by the tests of several apps.
pytest_plugins = ["tests.report_fixtures"]


@pytest.fixture
def net(db):
    city_a = factories.CityFactory(name="甲市", code="441100")
    city_b = factories.CityFactory(name="乙市", code="441200")
    county_a1 = factories.CountyFactory(city=city_a, name="甲一区", code="441101")
    county_a2 = factories.CountyFactory(city=city_a, name="甲二县", code="441102")
    county_b1 = factories.CountyFactory(city=city_b, name="乙一区", code="441201")
    a1 = factories.StationFactory(town__county=county_a1, town__name="东镇")
    a1b = factories.StationFactory(town__county=county_a1, town__name="西镇")
    a2 = factories.StationFactory(town__county=county_a2, town__name="南镇")
    b1 = factories.StationFactory(town__county=county_b1, town__name="北镇")
    return SimpleNamespace(
        city_a=city_a,
        city_b=city_b,
        county_a1=county_a1,
        county_a2=county_a2,
        county_b1=county_b1,
        a1=a1,
        a1b=a1b,
        a2=a2,
        b1=b1,
        worker_a1=factories.SocialWorkerFactory(station=a1, real_name="甲一社工"),
        worker_a1b=factories.SocialWorkerFactory(station=a1b, real_name="西镇社工"),
        worker_a2=factories.SocialWorkerFactory(station=a2, real_name="甲二社工"),
        worker_b1=factories.SocialWorkerFactory(station=b1, real_name="乙一社工"),
        point_a1=factories.ServicePointFactory(station=a1, name="东村服务点"),
        point_a2=factories.ServicePointFactory(station=a2, name="南村服务点"),
    )


def _user_with_role(username, role=None, unit=None):
    user = factories.UserFactory(username=username)
    if role:
        services.role_assign(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def personas(net):
    superuser = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    return SimpleNamespace(
        worker=_user_with_role("alice", Role.SOCIAL_WORKER, net.a1),
        head=_user_with_role("hana", Role.STATION_HEAD, net.a1),
        other_worker=_user_with_role("bob", Role.SOCIAL_WORKER, net.a2),
        supervisor=_user_with_role("sam", Role.SUPERVISOR, net.county_a1),
        reviewer=_user_with_role("carol", Role.COUNTY_REVIEWER, net.county_a1),
        other_reviewer=_user_with_role("dave", Role.COUNTY_REVIEWER, net.county_a2),
        editor=_user_with_role("erin", Role.CITY_EDITOR, net.city_a),
        other_editor=_user_with_role("frank", Role.CITY_EDITOR, net.city_b),
        nobody=_user_with_role("nora"),
        superuser=superuser,
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # PBKDF2's deliberate slowness buys nothing in tests; MD5 keeps logins fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    # Uploads made by tests land in a throwaway folder, never in the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def jobs_inline(settings, tmp_path):
    # Background jobs run at once in the caller (JOBS_MODE "sync", settings.py),
    # whatever REDIS_URL says; their files land in the throwaway folder too.
    settings.JOBS_MODE = "sync"
    settings.JOBS_ROOT = tmp_path / "jobfiles"


@pytest.fixture(autouse=True)
def empty_cache():
    # Public pages are cached (newsletter/public_cache.py) and the local-memory
    # cache outlives a test's database: each test starts without cached pages.
    from django.core.cache import cache

    cache.clear()
