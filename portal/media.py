"""Uploaded files (``/media/…``) served through a view that checks who may see them.

The file names are random, but a random name is no permission: a link to a
photo of an unpublished report can be forwarded, and the photos show children
and disabled people. So every file under ``MEDIA_ROOT`` is served here, and:

- a report photo's renditions (``reports/…``) are public only once an article
  of a *published* issue carries the photo (and it needs no consent it lacks);
  until then only users who may open the report (or read an article of a
  draft that carries it) get it;
- an article photo's own renditions (``newsletter/…``) are public once its
  issue is published; before, only users who may read the article get them
  (opening the issue is not enough: a county reviewer reads only the county's
  articles of a draft);
- a station's "六有" evidence photos (``standards/…``) go to users who may see
  the station;
- a publication's emblem (``newsletter/emblems/…``, shown on share previews)
  is public while the publication is in use; once it is not, only users who
  may change publications get it. Any other file in that folder is a 404;
- anything else (import files waiting for confirmation, job files) is never
  served from here: those have views of their own that check their owner.

Everything outside scope is a 404, like every object in the portal. Responses
carry the content type of the file's kind (JPEG, PNG or WebP; anything else is
sent as an attachment), ``X-Content-Type-Options: nosniff`` (SecurityMiddleware)
and a Content-Security-Policy that runs nothing, so an uploaded file is never
executed in the site's origin.

Embedded mode: Django sends the file (``FileResponse``). Production: set
``MEDIA_ACCEL_REDIRECT`` (e.g. ``/protected-media/``) and the view answers with
an ``X-Accel-Redirect`` header after its checks; nginx then sends the file from
an ``internal`` location that aliases ``MEDIA_ROOT`` (README: Media files). The
reverse proxy must not serve ``/media/`` itself.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.utils._os import safe_join
from django.views.decorators.http import require_GET

from activities.models import ReportPhoto
from activities.permissions.reports import reports_visible_to
from newsletter.models import ArticlePhoto, Issue, Publication
from newsletter.permissions import articles_visible_to
from stations.models import StandardsCheckItem
from stations.permissions import stations_visible_to

# What a browser may be told a file is. Every rendition the portal makes is a
# JPEG; PNG and WebP are there for evidence photos kept as uploaded.
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
# A file served from here runs nothing and embeds nothing, even when opened
# directly in the browser.
MEDIA_POLICY = "default-src 'none'; img-src 'self'; sandbox"

RENDITION_FIELDS = {"thumb": "thumb", "web": "web", "print": "print_image"}
PUBLISHED = Issue.Status.PUBLISHED
# An article photo that shows people without recorded consent is never public.
CONSENT_MISSING = Q(shows_people=True, consent=False)


def _clean(path: str) -> str:
    """The stored name for ``path``, or 404 for anything that is not a plain
    relative path inside MEDIA_ROOT."""
    normal = posixpath.normpath(path).lstrip("/")
    if normal != path or normal.startswith(".") or "\\" in path or "\x00" in path:
        raise Http404
    try:
        safe_join(str(settings.MEDIA_ROOT), normal)
    except (SuspiciousFileOperation, ValueError):
        raise Http404 from None
    return normal


def _report_photo(user, name: str, field: str) -> bool | None:
    """None: no such photo. Else whether ``user`` (maybe anonymous) may see it."""
    photo = ReportPhoto.objects.filter(**{field: name}).values("pk", "report_id")
    photo = next(iter(photo), None)
    if photo is None:
        return None
    carried = ArticlePhoto.objects.filter(report_photo_id=photo["pk"]).exclude(
        CONSENT_MISSING
    )
    if carried.filter(article__issue__status=PUBLISHED).exists():
        return True
    if not user.is_authenticated:
        return False
    return (
        reports_visible_to(user).filter(pk=photo["report_id"]).exists()
        or ArticlePhoto.objects.filter(
            report_photo_id=photo["pk"], article__in=articles_visible_to(user)
        ).exists()
    )


def _article_photo(user, name: str, field: str) -> bool | None:
    row = next(
        iter(
            ArticlePhoto.objects.filter(**{field: name}).values(
                "article_id", "article__issue__status", "shows_people", "consent"
            )
        ),
        None,
    )
    if row is None:
        return None
    public = row["article__issue__status"] == PUBLISHED and not (
        row["shows_people"] and not row["consent"]
    )
    if public:
        return True
    if not user.is_authenticated:
        return False
    return articles_visible_to(user).filter(pk=row["article_id"]).exists()


def _evidence_photo(user, name: str) -> bool | None:
    station_id = (
        StandardsCheckItem.objects.filter(evidence_photo=name)
        .values_list("check_record__station_id", flat=True)
        .first()
    )
    if station_id is None:
        return None
    if not user.is_authenticated:
        return False
    return stations_visible_to(user).filter(pk=station_id).exists()


def _emblem(user, name: str) -> bool | None:
    active = (
        Publication.objects.filter(emblem=name)
        .values_list("is_active", flat=True)
        .first()
    )
    if active is None:
        return None
    return active or user.has_perm("newsletter.change_publication")


def may_see(user, name: str) -> bool:
    """Whether ``user`` may get the media file stored as ``name``."""
    parts = name.split("/")
    allowed = None
    if len(parts) >= 3 and parts[0] == "reports" and parts[1] in RENDITION_FIELDS:
        allowed = _report_photo(user, name, RENDITION_FIELDS[parts[1]])
    elif len(parts) >= 3 and parts[0] == "newsletter" and parts[1] in RENDITION_FIELDS:
        allowed = _article_photo(user, name, RENDITION_FIELDS[parts[1]])
    elif len(parts) >= 3 and parts[:2] == ["newsletter", "emblems"]:
        allowed = _emblem(user, name)
    elif parts[0] == "standards":
        allowed = _evidence_photo(user, name)
    return bool(allowed)


@require_GET
def serve_media(request, path):
    name = _clean(path)
    if not may_see(request.user, name):
        raise Http404
    extension = posixpath.splitext(name)[1].lower()
    content_type = CONTENT_TYPES.get(extension)
    public = not request.user.is_authenticated
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse(content_type=content_type or "application/octet-stream")
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
    else:
        full_path = safe_join(str(settings.MEDIA_ROOT), name)
        try:
            handle = open(full_path, "rb")  # noqa: SIM115 - FileResponse closes it
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise Http404 from None
        response = FileResponse(
            handle, content_type=content_type or "application/octet-stream"
        )
    if content_type is None:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    response["Content-Security-Policy"] = MEDIA_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    # A published photo may be kept by any cache for an hour (a correction can
    # still take it down); a staff-only one by the user's browser alone.
    response["Cache-Control"] = (
        "public, max-age=3600" if public else "private, max-age=3600"
    )
    if not public:
        response["Vary"] = "Cookie"
    return response
