"""Reads of the public newsletter pages from a PostgreSQL read replica
(docs/scaling.md, step 2).

Set ``DATABASE_REPLICA_URL`` and the settings add a ``replica`` database, this
router and this middleware. Then a GET or HEAD of a public page (the home page,
the sitemap and the ``newsletter`` namespace: issues, articles, archive, county
and station news, search, feeds) by a reader without a login reads from the
replica; everything else, and every write, goes to ``default``.

Why only those: the public pages are most of the traffic and read published
issues only, which change when an editor publishes, so a replica a second or
two behind shows the same page. Staff pages are not routed: a reviewer who has
just approved a report must see it approved, and a replica behind the primary
would show it waiting. A logged-in reader of a public page (an editor checking
what they just published) reads from the primary for the same reason.

A read inside a transaction goes to ``default`` all the same: a public page
that stores its rendered parts (newsletter/cooking.py) locks the issue row with
``select_for_update`` in a transaction before it writes, and a hot standby
refuses a locking read (the store would fail, quietly, on every request).

The choice is made per request in ``ReplicaForPublicReadsMiddleware``, kept in
a context variable (one per thread, so gunicorn's threaded workers do not
share it), and read by ``PublicReadRouter``. Without a ``replica`` database in
``settings.DATABASES`` the router answers ``None`` and Django uses ``default``,
so the middleware and router may be installed either way.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# URL namespaces and names of the public pages (portal/urls.py, newsletter/urls.py).
PUBLIC_NAMESPACES = {"newsletter"}
PUBLIC_URL_NAMES = {"home", "sitemap", "robots"}
READ_METHODS = {"GET", "HEAD"}

_public_read = ContextVar("portal_public_read", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class PublicReadRouter:
    """Sends reads to the replica while a public page is being served; leaves
    everything else to ``default`` (by answering None)."""

    def db_for_read(self, model, **hints):
        if (
            _public_read.get()
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: objects from either relate.
        databases = {"default", REPLICA}
        if {obj1._state.db, obj2._state.db} <= databases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A streaming replica is read-only; it gets its schema from the primary.
        return False if db == REPLICA else None


def is_public_read(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or request.method not in READ_METHODS:
        return False
    if not (
        PUBLIC_NAMESPACES & set(match.namespaces)
        or (not match.namespaces and match.url_name in PUBLIC_URL_NAMES)
    ):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class ReplicaForPublicReadsMiddleware:
    """Marks the request as a public read once its view is known; after the
    authentication middleware, which it asks whether the reader is logged in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _public_read.reset(token)
                del request._replica_token

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_public_read(request):
            request._replica_token = _public_read.set(True)
        return None
