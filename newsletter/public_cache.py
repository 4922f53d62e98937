"""The cache of the public pages.

Each public page a reader without a login gets is rendered once and kept in the
cache (Redis when ``REDIS_URL`` is set, local memory otherwise) under a key that
holds a site-wide *publication version*. With Redis, each process also keeps
the pages it served in its own memory (the ``local`` cache), so a popular page
costs no network round trip.

Publishing an issue, correcting one and importing a past issue that passes
the privacy gate bump that version (``bump_version``, called by
newsletter/services/; a publication changed in the admin bumps it through
signals), so every page built before is left behind at once: no list of keys to
find and delete. Anything else (a
station renamed in the directory, say) shows when the entry expires, after
``PUBLIC_CACHE_SECONDS``.

Rules that keep a cached page right for whoever gets it:

- anonymous readers only: a logged-in user neither gets nor fills a cached
  page (their header differs, and an editor must see the truth);
- the key holds the language (the footer's zh/en links), the host and the full
  path; only a bare path or ``?page=N`` is cached, so a made-up query string
  cannot fill the cache (it is served, uncached);
- a request with a message waiting (after logging out, say) is not cached;
- a page that holds anything particular to its reader is not stored: one that
  asked for a CSRF token (a POST form), set a cookie, or is not a 200. The
  public pages hold no form that posts (the language switch is links), so
  every reader gets the same bytes and no cookie at all.

Where a page is answered from: a reader with no session cookie and no message
waiting is answered by ``EarlyHitMiddleware``, placed in MIDDLEWARE right after
the static files, before the session, language, CSRF, authentication and the
dozen others that only a signed-in page needs: a hit then costs the key, one
cache read and the stored bytes, about what the floor page costs (bench/floor.py).
So that such a hit is the response the whole chain would have given, the entry
is stored by that middleware on the way out, with the headers every other
middleware added (security headers, CSP, Vary, Content-Language …), less those
that belong to one request (``PER_REQUEST_HEADERS``); the view's wrapper,
``cached_page``, only decides whether the page may be stored and marks it. A
reader who has a session (signed in, or anonymous after a form) goes through the
whole chain, and an anonymous one among them still gets the stored bytes from
the wrapper. What this costs a maintainer: a header that must differ per reader
belongs in ``PER_REQUEST_HEADERS``, and a middleware that must act on every
public page (not only add a constant header) cannot count on running for a hit.

Local memory is per process: with several worker processes and no Redis a bump
reaches only its own process, the others catch up when their entries expire.
Production runs Redis (DESIGN.md §8); there a bump reaches every process within
``VERSION_MEMO_SECONDS``.
"""

from __future__ import annotations

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import translation

from core.languages import chosen_language

VERSION_KEY = "newsletter:public:version"
PAGE_PREFIX = "newsletter:public:page"
_CACHEABLE_QUERY = re.compile(r"(?:page=\d{1,5})?")
# Headers of a stored page that belong to the request that stored it; a hit
# gets its own (the request id from RequestIdMiddleware, the length computed).
PER_REQUEST_HEADERS = frozenset(
    {"x-request-id", "x-public-cache", "content-length", "date", "set-cookie"}
)


# Each process reads the version from the cache at most this often: a cached
# page then costs one cache read, not two (with Redis, one network round trip).
# A publication made in another process reaches this one within that time; in
# the process that made it, at once (_bump forgets the memo).
VERSION_MEMO_SECONDS = 2.0
_memo = {"version": None, "until": 0.0}


def version() -> int:
    """The publication version: any number; what matters is that a bump
    changes it. Started from the clock, so a version lost from the cache never
    comes back as an old one."""
    now = time.monotonic()
    if _memo["version"] is not None and now < _memo["until"]:
        return _memo["version"]
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        value = cache.get(VERSION_KEY, 0)
    _memo["version"], _memo["until"] = value, now + VERSION_MEMO_SECONDS
    return value


def _bump() -> None:
    _memo["version"] = None
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache (evicted, or never read)
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def bump_version() -> None:
    """Leave every cached public page behind: now, so this process never serves
    a page older than its own write, and again when the transaction commits, so
    a page another process rendered from the data before the commit is left
    behind too."""
    _bump()
    transaction.on_commit(_bump)


def _plain_read(request) -> bool:
    """A GET or HEAD of a bare path or a page number, with the cache on."""
    return (
        settings.PUBLIC_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and _CACHEABLE_QUERY.fullmatch(request.META.get("QUERY_STRING", "")) is not None
    )


def _cacheable(request) -> bool:
    return (
        _plain_read(request)
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def _key(request, language: str | None = None) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    language = language or translation.get_language()
    return f"{PAGE_PREFIX}:{version()}:{language}:{digest}"


def get_kept(key):
    """The entry from this process's memory, else from the shared cache (then
    kept in memory too), when there are two tiers (Redis); else from the cache.
    Keys hold the version, so a kept entry never outlives a publication. Also
    what the values kept per publication version are read by
    (newsletter.selectors)."""
    if not settings.PUBLIC_CACHE_TWO_TIERS:
        return cache.get(key)
    local = caches["local"]
    entry = local.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            local.set(key, entry, settings.PUBLIC_CACHE_SECONDS)
    return entry


def _set(key, entry) -> None:
    cache.set(key, entry, settings.PUBLIC_CACHE_SECONDS)
    if settings.PUBLIC_CACHE_TWO_TIERS:
        caches["local"].set(key, entry, settings.PUBLIC_CACHE_SECONDS)


def cached_page(view):
    """Serve ``view``'s page from the cache to anonymous readers, and mark it
    to be stored (by ``EarlyHitMiddleware``, with the chain's headers) when it
    is the same for every reader."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        entry = get_kept(key)
        if entry is not None:
            content, headers = entry
            kind = next(v for n, v in headers if n.lower() == "content-type")
            response = HttpResponse(content, content_type=kind)
            response["X-Public-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            response.public_cache_key = key
            response["X-Public-Cache"] = "miss"
        return response

    return wrapper


def _replay(entry) -> HttpResponse:
    content, headers = entry
    response = HttpResponse(content)
    for name, value in headers:
        response.headers[name] = value
    response.headers["Content-Length"] = str(len(content))
    response.headers["X-Public-Cache"] = "hit"
    return response


class EarlyHitMiddleware:
    """Answer a stored public page before the middleware that only signed-in
    pages need, and store the pages ``cached_page`` marked, as the whole chain
    answered them (the module's docstring says why and what it costs)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME
        # Never public pages: no cache read for them.
        self.skipped = tuple(
            prefix
            for prefix in (
                settings.STATIC_URL,
                settings.MEDIA_URL,
                "/staff/",
                "/admin/",
            )
            if prefix
        )

    def __call__(self, request):
        key = self._early_key(request)
        if key is not None:
            entry = get_kept(key)
            if entry is not None:
                return _replay(entry)
        response = self.get_response(request)
        key = getattr(response, "public_cache_key", None)
        if key is not None and response.status_code == 200 and not response.cookies:
            headers = tuple(
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in PER_REQUEST_HEADERS
            )
            _set(key, (response.content, headers))
        return response

    def _early_key(self, request) -> str | None:
        cookies = request.COOKIES
        if (
            self.session_cookie in cookies
            or CookieStorage.cookie_name in cookies
            or request.path_info.startswith(self.skipped)
            or not _plain_read(request)
        ):
            return None
        try:
            return _key(request, chosen_language(request))
        except DisallowedHost:
            return None  # the chain answers it with its 400 page


# --- What bumps the version besides the services ----------------------------------


def _publication_changed(sender, instance, **kwargs):
    # Its name, bureau and masthead are on every page of its issues, cached
    # and set (newsletter/cooking.py); its footer on every public page, put in
    # from the footers kept per version (selectors.publication_footer).
    bump_version()
    if kwargs.get("signal") is post_save:
        from .cooking import forget_publication

        forget_publication(instance.pk)


def connect_signals() -> None:
    from .models import Publication

    post_save.connect(
        _publication_changed, sender=Publication, dispatch_uid="nl-cache-pub-save"
    )
    post_delete.connect(
        _publication_changed, sender=Publication, dispatch_uid="nl-cache-pub-delete"
    )
