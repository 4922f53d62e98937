"""The site's frame, rendered once per process and language.

The links in the page head and the header's navigation are the same on every
page for every reader who is not signed in: rendering them from their
templates (eight ``{% url %}`` and a dozen ``{% translate %}`` tags) cost about
as much as the rest of a public issue page. So each is rendered once per
language and kept in memory for the life of the process: nothing in them
comes from the database, and what they do come from (templates, URLs,
translations, static file names) changes only with a deploy, which starts new
processes. A signed-in user's header holds their logout form with its CSRF
token and is rendered for them each time. Tests that change settings clear the
memo (``setting_changed``).
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

HEAD = "portal/_site_head.html"
HEADER = "portal/_site_header.html"

_memo: dict[tuple[str, str], SafeString] = {}


def _once(name: str) -> SafeString:
    key = (name, translation.get_language() or "")
    text = _memo.get(key)
    if text is None:
        text = _memo[key] = mark_safe(render_to_string(name))
    return text


@register.simple_tag
def site_head():
    """The feed link, the style sheet and the icon."""
    return _once(HEAD)


@register.simple_tag(takes_context=True)
def site_header(context):
    """The header with the main navigation: the same for every reader who is
    not signed in; a signed-in user's holds their logout form."""
    user = context.get("user")
    if user is not None and user.is_authenticated:
        return get_template(HEADER).template.render(context)
    return _once(HEADER)


def _forget(**kwargs):
    _memo.clear()


setting_changed.connect(_forget, dispatch_uid="portal-chrome-forget")
