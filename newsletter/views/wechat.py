"""The WeChat (公众号) export of a published issue or article (newsletter/
wechat.py), for the publication's editors and superusers; anyone else gets a
404, as on every staff page outside scope, and so does a draft: what goes to
the official account is what the public site shows.

Three views each: the page with the preview and the 复制到公众号 button, the
export HTML the preview frames, and the zip.

Why the preview is a frame of its own: the export's styles are ``style``
attributes, and the site's Content-Security-Policy (``style-src 'self'``)
refuses every one of them, so the same HTML shown inside a staff page would
appear unstyled (and dressed in the site's style sheet), not as it will
paste. The frame's document is served with a policy of its own that allows
inline styles for that response only and nothing else (no script, images
from the site only, framed by the site's pages only). The frame is sandboxed
without scripts; it keeps its origin so that the photos load with the
editor's session. The page around it keeps the site's policy, with one
addition explained in ``_page``."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from .. import links, permissions, selectors
from ..wechat import article_export, export_zip, issue_export
from .common import newsletter_staff

# The framed export: inline styles (its whole point), pictures from the site,
# nothing else; only the site's own pages may frame it.
PREVIEW_POLICY = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
# Added to the site's policy on the page with the copy button (see _page).
COPY_PAGE_EXTRA = "style-src-attr 'unsafe-inline'"
ZIP_TYPE = "application/zip"


def _published_issue(request, pk):
    """The issue if the user edits its publication and it is published."""
    issue = permissions.get_issue_for_user(request.user, pk, write=True)
    if not issue.is_published:
        raise Http404
    return issue


def _published_article(request, pk):
    """The article (blocks set, as the public page reads it) if the user
    edits its publication and its issue is published."""
    article = permissions.get_article_for_user(request.user, pk, write=True)
    issue = article.issue
    if not issue.is_published:
        raise Http404
    return selectors.article_of(issue, article.pk)


def _issue_export(issue, src=None):
    return issue_export(issue, selectors.issue_contents(issue), src=src)


def _web_url(photo) -> str:
    return photo.web_file.url


def _absolute(request):
    """Addresses for the clipboard: pasted into another site, a relative
    address would point at that site. The public address (PORTAL_BASE_URL)
    where one is set, as feeds and share previews use."""
    return lambda photo: links.absolute(request, photo.web_file.url)


def _zip_response(export, html_name: str, filename: str) -> HttpResponse:
    response = HttpResponse(export_zip(export, html_name), content_type=ZIP_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _preview_response(export) -> HttpResponse:
    response = HttpResponse(export.document)
    response["Content-Security-Policy"] = PREVIEW_POLICY
    return response


def _page(request, export, *, issue, article, preview_url, zip_url):
    response = render(
        request,
        "newsletter/staff/wechat.html",
        {
            "issue": issue,
            "article": article,
            "export": export,
            "preview_url": preview_url,
            "zip_url": zip_url,
        },
    )
    policy = settings.CONTENT_SECURITY_POLICY
    if policy:
        # The clipboard API sanitises the text/html it is given by parsing it
        # in this page's document, and the site's policy then reports each of
        # the export's style attributes as a violation. This page's own markup
        # has none, so allowing style attributes here (not style elements or
        # sheets, not scripts) admits only those; the rest of the policy stays.
        response["Content-Security-Policy"] = f"{policy}; {COPY_PAGE_EXTRA}"
    return response


@newsletter_staff
@require_GET
def wechat_issue(request, pk):
    issue = _published_issue(request, pk)
    return _page(
        request,
        _issue_export(issue, src=_absolute(request)),
        issue=issue,
        article=None,
        preview_url=reverse("newsletter_staff:wechat_issue_html", args=[pk]),
        zip_url=reverse("newsletter_staff:wechat_issue_zip", args=[pk]),
    )


@xframe_options_sameorigin
@newsletter_staff
@require_GET
def wechat_issue_html(request, pk):
    issue = _published_issue(request, pk)
    return _preview_response(_issue_export(issue, src=_web_url))


@newsletter_staff
@require_GET
def wechat_issue_zip(request, pk):
    issue = _published_issue(request, pk)
    return _zip_response(
        _issue_export(issue),
        "issue.html",
        f"{issue.publication.name}{issue.short_name}-公众号.zip",
    )


@newsletter_staff
@require_GET
def wechat_article(request, pk):
    article = _published_article(request, pk)
    return _page(
        request,
        article_export(article, src=_absolute(request)),
        issue=article.issue,
        article=article,
        preview_url=reverse("newsletter_staff:wechat_article_html", args=[pk]),
        zip_url=reverse("newsletter_staff:wechat_article_zip", args=[pk]),
    )


@xframe_options_sameorigin
@newsletter_staff
@require_GET
def wechat_article_html(request, pk):
    article = _published_article(request, pk)
    return _preview_response(article_export(article, src=_web_url))


@newsletter_staff
@require_GET
def wechat_article_zip(request, pk):
    article = _published_article(request, pk)
    return _zip_response(
        article_export(article), "article.html", f"{article.title[:40]}-公众号.zip"
    )
