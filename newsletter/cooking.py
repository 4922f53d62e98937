"""Published pages set once, as a printer sets a page.

A published issue changes only through a correction. So the blocks of its
public page (title, description, meta, breadcrumbs and content: masthead,
contents, every article with its photos; an article page's text, corrections
and previous/next links), which are the same for every reader, are rendered
from the rows on the page's first read, by the page's own template
(newsletter/issue.html or article.html, block by block), and kept
(``IssuePage``, ``ArticlePage``), as Discourse keeps a post's "cooked" HTML
beside its source. Later reads find the page by its public address in its own
table (one single-table query, no join to plan) and render only the site's
frame around the parts (newsletter/set_page.html). Rendering an issue page from
the rows costs five queries, the body splitting and some 300 template nodes:
at ten articles about 12 ms in one process against 2 ms for the whole request
from the set page (bench/public_pages.py has the served figures). The page
cache (public_cache.py) is a separate layer in front of this one, for
anonymous readers; the staff preview always renders from the rows.

What keeps a set page right:

- a correction and a change of the publication *forget* the issue's pages
  (``forget_issue``, ``forget_publication``) in the same transaction as the
  change, and count up ``Issue.revision``. A page is stored only while the
  issue's revision is still the one its rows were read at, checked under a
  share lock on the issue row in the storing transaction: a change in flight
  holds that row, so the check waits for it and then finds the revision moved,
  and a page rendered from rows read before a change is never kept after it;
- each stored page carries a *stamp*: a digest of the templates and code it
  was rendered by, and of the static and media addresses. A deploy that
  changes any of them makes every stored page stale; it is then set again on
  its next read, so no command has to be run after a deploy;
- only pages in the site's language (``LANGUAGE_CODE``) are stored and read;
  a reader who chose another language gets the page rendered from the rows;
- the two addresses in the head that depend on the host the reader used
  (``og:url``, ``og:image``) are set as placeholders and put in per request;
  the share image (the first photo, else the publication's emblem, else the
  site's default: newsletter/syndication.py) is kept as a path beside them.

A published page shows the station and county names as they were when the
page was set, as the printed issue does; the links go by number and code, and
stay right.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.template import Context, loader
from django.template.loader_tags import BlockNode
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import public_cache, rendering, selectors, syndication
from .links import absolute
from .models import ArticlePage, Issue, IssuePage
from .templatetags import newsletter_public
from .views import common

BLOCKS = ("title", "description", "meta", "breadcrumbs", "content")
# Stand-ins for the absolute addresses of the page and of its share image.
CANONICAL = "\x1fcanonical\x1f"
SHARE_IMAGE = "\x1fshare-image\x1f"
# The templates a set page is rendered by; a change to any of them, or to the
# code below, changes the stamp.
TEMPLATES = (
    "newsletter/issue.html",
    "newsletter/article.html",
    "newsletter/_issue_content.html",
    "newsletter/_article_content.html",
    "newsletter/_body.html",
    "newsletter/_source.html",
    "newsletter/_corrections.html",
    "newsletter/_masthead.html",
    "newsletter/_toc.html",
    "newsletter/_issue_links.html",
    "newsletter/_preview_banner.html",
    "newsletter/_share_meta.html",
)
# Bump when what a set page holds changes in a way the sources do not show.
FORMAT = 2


@cache
def stamp() -> str:
    """A digest of what renders a set page: the templates, the files of the
    code (this module's included; read as files, so it works where only
    compiled .pyc files are deployed), and the static and media addresses."""
    digest = hashlib.blake2b(digest_size=12)
    for name in TEMPLATES:
        digest.update(loader.get_template(name).template.source.encode())
    for module in (
        rendering,
        newsletter_public,
        selectors,
        syndication,
        common,
        sys.modules[__name__],
    ):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(f"{FORMAT}|{settings.STATIC_URL}|{settings.MEDIA_URL}".encode())
    return digest.hexdigest()


def storable() -> bool:
    """Whether a page rendered now may be kept: only in the site's language."""
    return translation.get_language() == settings.LANGUAGE_CODE


def render_blocks(template_name: str, context: dict, names=BLOCKS) -> dict:
    """The blocks ``names`` of a page template rendered one by one with
    ``context``: the page as the public gets it, without the site's frame.
    No request is in the context: a block that reads one (the reader, a CSRF
    token, the host) has no place in a kept page."""
    template = loader.get_template(template_name).template
    nodes = {
        node.name: node
        for node in template.nodelist.get_nodes_by_type(BlockNode)
        if node.name in names
    }
    ctx = Context(context)
    with ctx.bind_template(template):
        return {name: nodes[name].render(ctx) for name in names}


def _share(photo, issue: Issue, alt: str) -> tuple[syndication.ShareImage, str]:
    """The page's share image with the stand-in for its address, and its
    address (a path) to keep with the page."""
    image = syndication.share_image(photo=photo, publication=issue.publication, alt=alt)
    return dataclasses.replace(image, url=SHARE_IMAGE), image.url


def _render_issue(issue: Issue) -> tuple[dict, str]:
    context = common.issue_context(issue, preview=False)
    photo = next(
        (
            found
            for section in context["sections"]
            for article in section.articles.all()
            if (found := selectors.first_photo(article)) is not None
        ),
        None,
    )
    share, share_image = _share(photo, issue, str(issue))
    context.update(canonical_url=CANONICAL, share=share)
    return render_blocks("newsletter/issue.html", context), share_image


def _render_article(issue: Issue, pk: int) -> tuple[dict, str]:
    article = selectors.article_of(issue, pk)
    before, after = selectors.article_neighbours(article)
    share, share_image = _share(selectors.first_photo(article), issue, article.title)
    context = {
        "issue": issue,
        "publication": issue.publication,
        "article": article,
        "preview": False,
        "issue_url": reverse("newsletter:issue", args=issue.public_args()),
        "corrections": selectors.corrections_of(issue),
        "previous_article": before,
        "next_article": after,
        "canonical_url": CANONICAL,
        "share": share,
    }
    return render_blocks("newsletter/article.html", context), share_image


# The columns a page is read with: the stamp, the blocks, the share image.
_COLUMNS = ("stamp", *BLOCKS, "share_image")


def _find(model, address: str) -> dict | None:
    """The parts of the page set at ``address``, or None (none set, set by
    other templates or code, or the reader's language is not the site's).
    A single-table query on the address's unique index, written in SQL: it is
    the hot path of every public issue and article page. With Redis, what a
    process read is kept in its memory too (``_memo_key``)."""
    if not storable():
        return None
    memo = _memo_key(model, address)
    if memo is not None:
        parts = caches["local"].get(memo)
        if parts is not None:
            return parts
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM {model._meta.db_table} "
            "WHERE address = %s",
            [address],
        )
        row = cursor.fetchone()
    if row is None or row[0] != stamp():
        return None
    parts = dict(zip(_COLUMNS[1:], row[1:], strict=True))
    if memo is not None:
        caches["local"].set(memo, parts, settings.PUBLIC_CACHE_SECONDS)
    return parts


def _memo_key(model, address: str) -> str | None:
    """Where this process keeps a page it read, with Redis only: under the
    publication version (public_cache.version()), which every correction and
    change of a publication bumps, so the kept parts are left behind as the
    cached pages are, in every process within the version's memo (2 s). Read
    before the row, so parts read before a change are kept, if at all, under
    the version the change left behind. Without Redis each process has its own
    version, which a correction in another process does not reach: there the
    row is read every time, as a signed-in reader must see a correction at once.
    It saves the one query of a set page (about a tenth of an uncached
    request, bench/floor.py --redis)."""
    if not settings.PUBLIC_CACHE_TWO_TIERS or settings.PUBLIC_CACHE_SECONDS <= 0:
        return None
    version = public_cache.version()
    return f"newsletter:set:{version}:{model._meta.model_name}:{address}"


def _store(model, owner: str, owner_pk: int, issue: Issue, address, parts) -> None:
    """Insert or replace the page, if the issue is still at the revision its
    rows were read at (see the module's docstring). A lock that cannot be had
    at once on SQLite only means the page is set on a later read."""
    page = model(
        **{f"{owner}_id": owner_pk},
        address=address,
        stamp=stamp(),
        revision=issue.revision,
        **parts,
    )
    try:
        with transaction.atomic():
            current = (
                Issue.objects.select_for_update(of=("self",))
                .filter(pk=issue.pk, revision=issue.revision)
                .exists()
            )
            if current:
                model.objects.bulk_create(
                    [page],
                    update_conflicts=True,
                    unique_fields=[owner],
                    update_fields=["address", "revision", *_COLUMNS, "set_at"],
                )
    except DatabaseError:
        pass


def _frame(request, address: str, parts: dict) -> dict:
    """The context of newsletter/set_page.html: the parts, safe, with the
    page's and its share image's absolute addresses put in."""
    canonical = absolute(request, address)
    image = absolute(request, parts.get("share_image", ""))
    blocks = {}
    for name in BLOCKS:
        text = parts[name]
        if name == "meta":
            text = text.replace(CANONICAL, escape(canonical)).replace(
                SHARE_IMAGE, escape(image)
            )
        blocks[name] = mark_safe(text)
    return {"parts": blocks, "canonical_url": canonical}


def issue_page(request, slug: str, year: int, number: int) -> dict:
    """The context of a published issue's page: from its set page, or set
    now from the rows (404 when no published issue has that address)."""
    # A page is kept under its canonical address: the path asked for is that
    # one (an address written otherwise, 03 for 3, finds nothing and is
    # rendered from the rows).
    address = request.path
    parts = _find(IssuePage, address)
    if parts is None:
        issue = selectors.public_issue(slug, year, number)
        blocks, share_image = _render_issue(issue)
        parts = {**blocks, "share_image": share_image}
        address = issue.get_absolute_url()
        if storable():
            _store(IssuePage, "issue", issue.pk, issue, address, parts)
    return _frame(request, address, parts)


def article_page(request, slug: str, year: int, number: int, pk: int) -> dict:
    """The context of a published article's page, as ``issue_page``."""
    address = request.path
    parts = _find(ArticlePage, address)
    if parts is None:
        issue = selectors.public_issue(slug, year, number)
        blocks, share_image = _render_article(issue, pk)
        parts = {**blocks, "share_image": share_image}
        address = reverse("newsletter:article", args=[*issue.public_args(), pk])
        if storable():
            _store(ArticlePage, "article", pk, issue, address, parts)
    return _frame(request, address, parts)


def forget_issue(issue_id: int) -> None:
    """Forget the set pages of an issue, in the transaction that changes it."""
    Issue.objects.filter(pk=issue_id).update(revision=F("revision") + 1)
    IssuePage.objects.filter(issue_id=issue_id).delete()
    ArticlePage.objects.filter(article__issue_id=issue_id).delete()


def forget_publication(publication_id: int) -> None:
    """Forget every set page of a publication: its name, bureau and masthead
    are on them."""
    Issue.objects.filter(publication_id=publication_id).update(
        revision=F("revision") + 1
    )
    IssuePage.objects.filter(issue__publication_id=publication_id).delete()
    ArticlePage.objects.filter(article__issue__publication_id=publication_id).delete()
