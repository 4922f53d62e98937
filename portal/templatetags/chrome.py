"""The site's frame, rendered once per process and language.

The links in the page head, the header's navigation and the footer are the
same on every page for every reader who is not signed in, but for the page's
own address in the footer's language links: rendering them from their
templates (ten ``{% url %}`` and a dozen ``{% translate %}`` tags, the
language list) cost about as much as the rest of a public issue page. So each is rendered once per
language and kept in memory for the life of the process: nothing in them
comes from the database, and what they do come from (templates, URLs,
translations, static file names) changes only with a deploy, which starts new
processes. A signed-in user's header is kept the same way, with marks where
their id, unread count and CSRF token go, put in per page. The footer's first
part, the publication's 主办单位, record numbers and contact, comes from the database
and is put in per page (read from the cache kept per publication version,
rendered once per process and language for each footer). Tests
that change settings clear the memo (``setting_changed``).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django import template
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from newsletter import selectors
from newsletter.forms.search import LONG_NUMBER
from newsletter.privacy import personal_number_in

from .notifications import unread_notifications

register = template.Library()

HEAD = "portal/_site_head.html"
HEADER = "portal/_site_header.html"
FOOTER = "portal/_site_footer.html"
# The footer's first part: the publication's 主办单位, record numbers and
# contact, or the site's own line.
PUBLICATION_FOOTER = "newsletter/_site_footer_publication.html"
# Where the page's address goes in the memorised footer (URL-encoded there).
_HERE = "\x1fhere\x1f"
# Where the publication's part goes in it.
_PUBLICATION = "\x1fpublication\x1f"

_memo: dict[tuple[str, str], SafeString] = {}
# The publications' footers rendered, by language and by what they show: the
# rendering cost as much as the rest of a set page's frame. Keyed by what
# they show, not by the publication version, so the footers read per version
# (one query on an empty cache) stay what says a footer changed. Bounded: an
# installation has a handful of publications, each footer edited rarely.
_footer_memo: dict[tuple, SafeString] = {}
_FOOTER_MEMO_SIZE = 64


def _once(name: str, context=None) -> SafeString:
    key = (name, translation.get_language() or "")
    text = _memo.get(key)
    if text is None:
        text = _memo[key] = mark_safe(render_to_string(name, context))
    return text


@register.simple_tag
def site_head():
    """The feed link, the style sheet and the icon."""
    return _once(HEAD)


# Where a signed-in user's own parts go in their memorised header.
_USER = "\x1fuser\x1f"
_UNREAD = "\x1funread\x1f"
_CSRF = "\x1fcsrf\x1f"
_CSRF_INPUT = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_CSRF}">'


class _SignedIn:
    """Who the memorised signed-in header is rendered for: the marks stand
    where the user's id and unread count go."""

    is_authenticated = True
    pk = _USER

    def __init__(self, unread):
        self.unread_notifications = unread


def _signed_in_header(unread: bool) -> str:
    key = (HEADER, "signed-in", unread, translation.get_language() or "")
    text = _memo.get(key)
    if text is None:
        context = {"user": _SignedIn(_UNREAD if unread else 0), "csrf_token": _CSRF}
        text = _memo[key] = render_to_string(HEADER, context)
    return text


@register.simple_tag(takes_context=True)
def site_header(context):
    """The header with the main navigation: the same for every reader who is
    not signed in. A signed-in user's holds their id (for the offline queue),
    their unread count and their logout form with its CSRF token; rendering it
    for each page cost a staff page about a millisecond (forty translated
    strings, the URLs), so it too is rendered once per process and language,
    with and without an unread count, and those three are put in per page."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return _once(HEADER)
    unread = unread_notifications(user)
    text = _signed_in_header(bool(unread))
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # as {% csrf_token %}: no input
        text = text.replace(_CSRF_INPUT, "")
    else:
        text = text.replace(_CSRF, conditional_escape(str(token)))
    text = text.replace(_UNREAD, str(unread))
    return mark_safe(text.replace(_USER, conditional_escape(str(user.pk))))


# What a search box refuses as a phone or ID number.
_LONG_NUMBER_RE = re.compile(LONG_NUMBER)


def _here(request) -> str:
    """The page's address for the language links. A query that holds a long
    number (a refused search for a phone or ID number) is not written back
    into the page: the links come back to the page without it."""
    if request is None:
        return "/"
    if any(
        _LONG_NUMBER_RE.search(v) or personal_number_in(v) for v in request.GET.values()
    ):
        return request.path
    return request.get_full_path()


def _publication_slug(request) -> str | None:
    """The publication a page belongs to: the one its address names
    (/issues/<slug>/…), else None."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "newsletter":
        return None
    return match.kwargs.get("slug")


def _publication_part(request) -> SafeString:
    """The publication's footer on the site's pages, the site's own line on
    the staff pages and on a page rendered without a request. Read from the
    cache kept per publication version (newsletter.selectors.publication_footer),
    so a cached page is left behind when a publication's footer changes, and
    rendered once per process, language and footer."""
    if request is None or request.path.startswith(reverse("staff:home")):
        return _once(PUBLICATION_FOOTER, {"footer": None})
    footer = selectors.publication_footer(_publication_slug(request))
    if footer is None:
        return _once(PUBLICATION_FOOTER, {"footer": None})
    key = (translation.get_language() or "", *footer.items())
    text = _footer_memo.get(key)
    if text is None:
        if len(_footer_memo) >= _FOOTER_MEMO_SIZE:
            _footer_memo.clear()
        text = _footer_memo[key] = mark_safe(
            render_to_string(PUBLICATION_FOOTER, {"footer": footer})
        )
    return text


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The footer, with the publication's part and the language links coming
    back to this page."""
    text = _once(FOOTER, {"next_path": _HERE, "publication_footer": _PUBLICATION})
    request = context.get("request")
    here = _here(request)
    # As the urlencode filter: quote() with "/" kept.
    text = text.replace(quote(_HERE), quote(here))
    return mark_safe(text.replace(_PUBLICATION, _publication_part(request)))


def _forget(**kwargs):
    _memo.clear()
    _footer_memo.clear()


setting_changed.connect(_forget, dispatch_uid="portal-chrome-forget")
