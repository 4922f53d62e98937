"""What the newsletter views share: the staff decorator, error text, and the
context every rendering of an issue (preview, public page, print) is built
from."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header

from .. import permissions, selectors
from ..word_export import build_docx, docx_filename

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def newsletter_staff(view):
    """Logged in, and an editor or a county reviewer; anyone else gets a 404:
    the staff issue pages do not exist for them."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        permissions.require_newsletter_staff(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def require_editor(user) -> None:
    """A 404 for anyone but an editor (or a superuser): the pages that change a
    publication, or quote across it what the public must not read, do not exist
    for a county reviewer either. Called inside views that ``newsletter_staff``
    already let in, after their method check."""
    if not permissions.edits_newsletter(user):
        raise Http404


def editor_only(view):
    """Logged in, and an editor (or a superuser); anyone else gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_editor(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def issue_context(issue, *, preview: bool, reader=selectors.PUBLIC) -> dict:
    """The context of an issue page, its preview and its print view: sections
    with the articles ``reader`` may read (selectors.issue_contents) ready to
    render, each article with ``page_url`` (the public page, or the preview
    page of a draft), how many articles are left out for the reader, and the
    corrections."""
    sections = selectors.issue_contents(issue, reader=reader)
    for section in sections:
        for article in section.articles.all():
            article.issue = issue
            article.page_url = (
                reverse("newsletter_staff:preview_article", args=[issue.pk, article.pk])
                if preview
                else reverse(
                    "newsletter:article", args=[*issue.public_args(), article.pk]
                )
            )
    return {
        "issue": issue,
        "publication": issue.publication,
        "sections": sections,
        "article_count": sum(len(s.articles.all()) for s in sections),
        "hidden_count": selectors.hidden_count(sections),
        "corrections": selectors.corrections_of(issue) if issue.is_published else [],
        "preview": preview,
        "missing_photos": missing_photo_count(
            a for s in sections for a in s.articles.all()
        ),
    }


def missing_photo_count(articles) -> int:
    """How many pictures a past issue's file named but did not hold are in
    ``articles`` (their ``blocks`` set): the preview banner's count."""
    return sum(
        1
        for article in articles
        for block in article.blocks
        if block.is_photo and block.photo.is_missing
    )


def word_response(issue, *, reader=selectors.PUBLIC) -> HttpResponse:
    data = build_docx(issue, selectors.issue_contents(issue, reader=reader))
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, docx_filename(issue)
    )
    return response
