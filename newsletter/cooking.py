"""Published pages set once, as a printer sets a page (issue 6, point 4).

A published issue changes only through a correction. So the part of its
public page that is the same for every reader (masthead, contents, every
article with its photos and source line; an article page's text, corrections
and previous/next links) is rendered once from the rows, on the first read,
and kept (``IssuePage``, ``ArticlePage``), as Discourse keeps a post's
"cooked" HTML beside its source. A later read costs one query (the issue, or
the article with its issue, with the set page joined) and the page's frame,
where rendering from the rows costs five queries, the body splitting and some
300 template nodes: at ten articles, 12 ms against 2 ms in one process
(bench/public_pages.py has the served figures). The page cache
(public_cache.py) is a separate layer in front of this one, for anonymous
readers.

What keeps a set page right:

- a correction and a change of the publication *forget* the issue's pages
  (``forget_issue``, ``forget_publication``) in the same transaction as the
  change, and count up ``Issue.revision``. Each set page carries the revision
  of the issue it was rendered from and is used only while the issue's
  revision is still that one, so a page rendered from rows read before a
  change is never served after it, even if a reader's request stored it while
  the change was committing;
- each stored page carries a *stamp*: a digest of the templates and code it
  was rendered by, and of the static and media addresses. A deploy that
  changes any of them makes every stored page stale; it is then set again on
  its next read, so no command has to be run after a deploy;
- only pages in the site's language (``LANGUAGE_CODE``) are stored; a reader
  who chose another language gets the page rendered from the rows.

A published page shows the station and county names as they were when the
page was set, as the printed issue does; the links go by number and code, and
stay right.
"""

from __future__ import annotations

import hashlib
import inspect
from functools import cache

from django.conf import settings
from django.db.models import F
from django.template import loader
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from . import rendering, selectors
from .models import Article, ArticlePage, Issue, IssuePage
from .templatetags import newsletter_public
from .views import common

# The templates a set page is rendered by; a change to any of them, or to the
# code below, changes the stamp.
TEMPLATES = (
    "newsletter/_issue_content.html",
    "newsletter/_article_content.html",
    "newsletter/_body.html",
    "newsletter/_source.html",
    "newsletter/_corrections.html",
    "newsletter/_masthead.html",
    "newsletter/_toc.html",
    "newsletter/_issue_links.html",
)
# Bump when what a set page holds changes in a way the sources do not show.
FORMAT = 1


@cache
def stamp() -> str:
    digest = hashlib.blake2b(digest_size=12)
    for name in TEMPLATES:
        digest.update(loader.get_template(name).template.source.encode())
    for module in (rendering, newsletter_public, selectors, common):
        digest.update(inspect.getsource(module).encode())
    digest.update(inspect.getsource(_render_issue).encode())
    digest.update(inspect.getsource(_render_article).encode())
    digest.update(f"{FORMAT}|{settings.STATIC_URL}|{settings.MEDIA_URL}".encode())
    return digest.hexdigest()


def _storable() -> bool:
    return translation.get_language() == settings.LANGUAGE_CODE


def _usable(page, issue: Issue) -> bool:
    return (
        page is not None
        and page.stamp == stamp()
        and page.revision == issue.revision
        and _storable()
    )


def _render_issue(issue: Issue) -> tuple[str, dict]:
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
    facts = {
        "article_count": context["article_count"],
        "share_image": photo.web_file.url if photo is not None else "",
    }
    return render_to_string("newsletter/_issue_content.html", context), facts


def _render_article(issue: Issue, pk: int) -> tuple[str, dict]:
    article = selectors.article_of(issue, pk)
    before, after = selectors.article_neighbours(article)
    photo = selectors.first_photo(article)
    context = {
        "issue": issue,
        "publication": issue.publication,
        "article": article,
        "preview": False,
        "issue_url": reverse("newsletter:issue", args=issue.public_args()),
        "corrections": selectors.corrections_of(issue),
        "previous_article": before,
        "next_article": after,
    }
    facts = {
        "summary": article.summary,
        "share_image": photo.web_file.url if photo is not None else "",
    }
    return render_to_string("newsletter/_article_content.html", context), facts


def _store(model, key: str, owner_pk: int, issue: Issue, html: str, facts: dict):
    """Insert or replace the page in one statement: two readers setting the
    same page at once both succeed, the later one wins."""
    page = model(
        **{f"{key}_id": owner_pk},
        stamp=stamp(),
        revision=issue.revision,
        html=html,
        facts=facts,
    )
    model.objects.bulk_create(
        [page],
        update_conflicts=True,
        unique_fields=[key],
        update_fields=["stamp", "revision", "html", "facts", "set_at"],
    )


def _set_issue(issue: Issue) -> tuple[str, dict]:
    html, facts = _render_issue(issue)
    if _storable():
        _store(IssuePage, "issue", issue.pk, issue, html, facts)
    return html, facts


def issue_page(issue: Issue) -> tuple[SafeString, dict]:
    """The set content of a published issue's page (safe HTML) and its facts
    (``article_count``, ``share_image``), set now if it was not. ``issue``
    comes from ``selectors.public_issue``, which reads its set page along."""
    page = getattr(issue, "set_page", None)
    if _usable(page, issue):
        return mark_safe(page.html), page.facts
    html, facts = _set_issue(issue)
    return mark_safe(html), facts


def article_page(article: Article) -> tuple[SafeString, dict]:
    """A published article's set content (safe HTML) and facts (``summary``,
    ``share_image``), set now if it was not. ``article`` comes from
    ``selectors.public_article``, which reads its issue and set page along:
    no further query when set."""
    issue = article.issue
    page = getattr(article, "set_page", None)
    if _usable(page, issue):
        html, facts = page.html, page.facts
    else:
        html, facts = _render_article(issue, article.pk)
        if _storable():
            _store(ArticlePage, "article", article.pk, issue, html, facts)
    article.summary = facts["summary"]
    return mark_safe(html), facts


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
