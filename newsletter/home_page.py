"""The home page set from stored parts, as an issue page is (cooking.py).

The blocks of newsletter/home.html (title, meta, content: the latest issue of
each active publication with its contents, the latest articles, the counties
with news) are the same for every reader, and what they show changes when
something is published. So they are rendered from the rows once, kept, and
each request renders only the site's frame around them
(newsletter/set_home.html), as a set issue page does. On the demo's data the
whole request took 12 ms and five queries from the rows, 0.6 ms and none from
the kept parts (in one process, through the test client).

Kept in the cache, not in a table as the set issue pages are: the home page has
no row of its own to hang them on and no revision to check under a lock, but
it has the site-wide *publication version* (public_cache.version()), which
every publication, correction, import and change of a publication bumps. The
key holds that version, so a bump leaves the kept parts behind at once, as it
leaves the cached pages, and no row has to be written or deleted. The version
is read before the rows, so parts rendered from rows read before a publication
are kept, if at all, under the version that publication left behind. The cache
is shared by the processes (Redis), each keeping what it read in its own
memory too when the page cache does (``PUBLIC_CACHE_TWO_TIERS``): one process
renders from the rows, the others read. With the public caches off
(``PUBLIC_CACHE_SECONDS`` 0) the page is rendered from the rows each time.
With a read replica (portal/db_router.py) an anonymous reader's render reads
rows that may be a second or two behind, as a cached page's do, and a
signed-in reader then gets those parts too.

What else keeps the kept parts right:

- the key holds a stamp: cooking's (the issue templates, the cards' code, the
  static and media addresses) and the home page's templates and this module;
  a deploy that changes any of them renders the parts again on the next read;
- they expire after ``PUBLIC_CACHE_SECONDS`` wherever they are kept, as the
  cached pages do, so what no publication bumps (a station renamed: the cards
  name the station) shows then;
- only the site's language is kept; another language gets its parts rendered
  from the rows on each request;
- the page's address and its share image's (``og:url``, ``og:image``) depend on
  the host the reader used: they are stand-ins, put in per request;
- nothing particular to a reader is in the blocks: the header (a signed-in
  user's holds their logout form), the messages, the canonical link and the
  footer are the frame's (base.html), rendered per request.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.template import loader
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import cooking, public_cache, selectors, syndication
from .links import absolute

BLOCKS = ("title", "meta", "content")
TEMPLATES = ("newsletter/home.html", "newsletter/_card.html")
KEY_PREFIX = "newsletter:home"
# Articles in the home page's "latest" list.
LATEST = 8


@cache
def stamp() -> str:
    """cooking's stamp, the home page's templates and this module's file."""
    digest = hashlib.blake2b(cooking.stamp().encode(), digest_size=12)
    for name in TEMPLATES:
        digest.update(loader.get_template(name).template.source.encode())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


def rows_context() -> dict:
    """What newsletter/home.html shows, read from the rows: five queries (the
    counties with news are kept per publication version)."""
    issues = selectors.issue_tocs(selectors.latest_issues())
    latest = selectors.with_thumbs(
        list(selectors.article_cards(selectors.published_articles())[:LATEST])
    )
    return {
        "issues": issues,
        "latest": latest,
        "counties": selectors.counties_with_news(),
    }


def _render() -> dict:
    """The blocks rendered from the rows with the stand-ins, and the share
    image's address (a path, or absolute for files elsewhere) to put in."""
    image = syndication.default_image()
    context = {
        **rows_context(),
        "canonical_url": cooking.CANONICAL,
        "share": dataclasses.replace(image, url=cooking.SHARE_IMAGE),
    }
    blocks = cooking.render_blocks("newsletter/home.html", context, BLOCKS)
    return {**blocks, "share_image": image.url}


def _key() -> str:
    return f"{KEY_PREFIX}:{public_cache.version()}:{stamp()}"


def _get(key: str) -> dict | None:
    if settings.PUBLIC_CACHE_TWO_TIERS:
        parts = caches["local"].get(key)
        if parts is not None:
            return parts
    parts = shared_cache.get(key)
    if parts is not None and settings.PUBLIC_CACHE_TWO_TIERS:
        # For what is left of its time in the shared cache, not longer.
        left = int(parts["expires"] - time.time())
        if left > 0:
            caches["local"].set(key, parts, left)
    return parts


def _parts() -> dict:
    """The parts kept under the current version, else rendered now (and kept
    when the reader's language is the site's and the caches are on)."""
    if not cooking.storable() or settings.PUBLIC_CACHE_SECONDS <= 0:
        return _render()
    key = _key()  # the version before the rows: see the module's docstring
    parts = _get(key)
    if parts is None:
        parts = {**_render(), "expires": time.time() + settings.PUBLIC_CACHE_SECONDS}
        shared_cache.set(key, parts, settings.PUBLIC_CACHE_SECONDS)
    return parts


def home(request) -> dict:
    """The context of newsletter/set_home.html: the parts, safe, with the
    page's and its share image's absolute addresses put in."""
    parts = _parts()
    canonical = absolute(request, reverse("home"))
    # As the share tag does (newsletter_public.page_share_image): a path is
    # made absolute, an address elsewhere is kept.
    image = parts["share_image"]
    if image.startswith("/"):
        image = absolute(request, image)
    meta = (
        parts["meta"]
        .replace(cooking.CANONICAL, escape(canonical))
        .replace(cooking.SHARE_IMAGE, escape(image))
    )
    return {
        "parts": {
            "title": mark_safe(parts["title"]),
            "meta": mark_safe(meta),
            "content": mark_safe(parts["content"]),
        },
        "canonical_url": canonical,
    }
