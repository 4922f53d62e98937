"""The read-replica router (portal/db_router.py): reads of public pages by
readers without a login go to the ``replica`` alias when one is configured,
and everything else to ``default``."""

import os

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import resolve

from newsletter.models import Article
from portal.db_router import (
    REPLICA,
    PublicReadRouter,
    ReplicaForPublicReadsMiddleware,
)
from tests import factories

# The router only asks whether a ``replica`` alias is configured; it never
# opens a connection, so overriding DATABASES (which Django warns about since
# open connections do not follow) is safe here.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
router = PublicReadRouter()
with_replica = override_settings(
    DATABASES={**settings.DATABASES, REPLICA: settings.DATABASES["default"]}
)


def read_database(request, user=None):
    """Where the router sends a read made inside the view of ``request``, as
    Django's handler runs it: the middleware's process_view, then the view."""
    request.user = user or AnonymousUser()
    request.resolver_match = resolve(request.path_info)
    seen = {}

    def view(inner):
        middleware.process_view(inner, view, (), {})
        seen["database"] = router.db_for_read(Article)
        return HttpResponse()

    middleware = ReplicaForPublicReadsMiddleware(view)
    middleware(request)
    return seen["database"]


@pytest.mark.parametrize(
    "path", ["/", "/issues/", "/search/?q=社工", "/feeds/rss/", "/sitemap.xml"]
)
def test_public_page_reads_from_replica_when_configured(path):
    with with_replica:
        assert read_database(RequestFactory().get(path)) == REPLICA


def test_public_page_reads_from_default_without_replica():
    assert read_database(RequestFactory().get("/issues/")) is None


def test_reads_after_the_request_go_to_default():
    with with_replica:
        read_database(RequestFactory().get("/issues/"))
        assert router.db_for_read(Article) is None


@pytest.mark.parametrize("path", ["/staff/", "/staff/reports/", "/stations/"])
def test_staff_and_other_pages_read_from_default(path):
    with with_replica:
        assert read_database(RequestFactory().get(path)) is None


def test_logged_in_reader_of_public_page_reads_from_default(db):
    # An editor checking what they just published must not see a lagging copy.
    user = factories.UserFactory(username="reader")
    with with_replica:
        assert read_database(RequestFactory().get("/issues/"), user) is None


def test_post_reads_from_default():
    with with_replica:
        assert read_database(RequestFactory().post("/search/")) is None


def test_reads_inside_a_transaction_go_to_default(monkeypatch):
    # A public page that stores its rendered parts locks the issue row first
    # (select_for_update), which a read-only standby would refuse.
    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "in_atomic_block", True)
    with with_replica:
        assert read_database(RequestFactory().get("/issues/")) is None


def test_writes_and_migrations_never_go_to_replica():
    assert router.db_for_write(Article) is None
    assert router.allow_migrate(REPLICA, "newsletter") is False
    assert router.allow_migrate("default", "newsletter") is None


def test_public_page_renders_with_router_installed_and_no_replica(client, db):
    middleware = [
        *settings.MIDDLEWARE,
        "portal.db_router.ReplicaForPublicReadsMiddleware",
    ]
    with override_settings(
        MIDDLEWARE=middleware, DATABASE_ROUTERS=["portal.db_router.PublicReadRouter"]
    ):
        response = client.get("/issues/")
    assert response.status_code == 200


def test_the_settings_add_the_replica_only_when_it_is_named():
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings';"
        "django.setup(); from django.conf import settings as s;"
        "print(sorted(s.DATABASES), getattr(s, 'DATABASE_ROUTERS', []),"
        " 'portal.db_router.ReplicaForPublicReadsMiddleware' in s.MIDDLEWARE)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    plain = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert plain.stdout.strip() == "['default'] [] False", plain.stderr
    env["DATABASE_REPLICA_URL"] = "postgres://reader@replica.example:5432/portal"
    routed = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert routed.stdout.strip() == (
        "['default', 'replica'] ['portal.db_router.PublicReadRouter'] True"
    ), routed.stderr
