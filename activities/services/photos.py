"""The services that add, change and delete a report's photos. Trusted code
(``load_demo``, the Word import) adds photos while the report is a draft, like
a worker would, or passes a superuser as ``by``: a superuser may also change
the photos of a report under review."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from activities import permissions
from activities.models import ActivityReport, ReportPhoto, Status
from activities.models.reports import PHOTO_MARKER_RE
from activities.photos.pipeline import process_image, read_upload


def _check_editable(status: str, by) -> None:
    # A superuser may still correct the photos of a submitted or approved report
    # (repairs, demo data); for everyone else the photos freeze with the text.
    if status not in (Status.DRAFT, Status.RETURNED) and not by.is_superuser:
        raise ValidationError(
            _("报告当前状态为“%(s)s”，不能修改照片。") % {"s": Status(status).label},
            code="not_editable",
        )


def _locked_editable_report(report: ActivityReport, by) -> ActivityReport:
    """Check the user may change the report's photos, with the report row locked so
    a concurrent submit or upload waits for us."""
    if not permissions.can_write(by, report):
        raise PermissionDenied
    current = ActivityReport.objects.select_for_update().get(pk=report.pk)
    _check_editable(current.status, by)
    return current


def report_photo_add(
    *,
    report: ActivityReport,
    by,
    file,
    caption: str = "",
    shows_people=False,
    consent=False,
) -> ReportPhoto:
    """Verify the uploaded file, store its three renditions under random names and
    add it as the report's last photo. Raises PermissionDenied, or ValidationError
    with a Chinese message (bad file, duplicate, report not editable, a photo of
    people without consent); nothing is stored then."""
    if not permissions.can_write(by, report):
        raise PermissionDenied
    # Checked again under the lock below; this early answer spares a worker the
    # wait for the image work on a report that has been submitted meanwhile.
    _check_editable(report.status, by)
    photo = ReportPhoto(
        report=report,
        caption=(caption or "").strip(),
        shows_people=bool(shows_people),
        consent=bool(consent),
        uploaded_by=by,
    )
    # The consent rule and the caption length are checked before the (slow) image
    # work, so a form mistake is reported at once.
    photo.full_clean(exclude=["thumb", "web", "print_image", "sha256", "position"])
    # The pixel work runs outside the transaction: no lock is held while Pillow
    # decodes a 20 MB photo.
    renditions = process_image(read_upload(file))

    saved = []
    try:
        with transaction.atomic():
            current = _locked_editable_report(report, by)
            existing = list(
                ReportPhoto.objects.filter(report=current).values_list(
                    "sha256", "position"
                )
            )
            if any(sha == renditions.sha256 for sha, _position in existing):
                number = [sha for sha, _p in existing].index(renditions.sha256) + 1
                raise ValidationError(
                    _("这张照片已经上传过了（照片%(n)d）。") % {"n": number},
                    code="duplicate",
                )
            photo.position = max((p for _s, p in existing), default=0) + 1
            saved = store_renditions(photo, renditions)
            photo.full_clean()
            photo.save()
    except BaseException:
        delete_files(saved, photo.thumb.storage)
        raise
    return photo


def report_photo_update(
    *, photo: ReportPhoto, by, caption: str, shows_people: bool, consent: bool
) -> ReportPhoto:
    """Change a photo's caption and consent state."""
    with transaction.atomic():
        _locked_editable_report(photo.report, by)
        photo.caption = (caption or "").strip()
        photo.shows_people = bool(shows_people)
        photo.consent = bool(consent)
        photo.full_clean()
        photo.save(update_fields=["caption", "shows_people", "consent"])
    return photo


def report_photo_delete(*, photo: ReportPhoto, by) -> None:
    """Delete a photo and, once the transaction commits, its files. The body's
    "[照片N]" lines keep pointing at the same photos: the deleted photo's line goes
    and later numbers move down by one."""
    with transaction.atomic():
        report = _locked_editable_report(photo.report, by)
        numbers = list(
            ReportPhoto.objects.filter(report=report).values_list("pk", flat=True)
        )
        number = numbers.index(photo.pk) + 1
        body = _renumber_markers(report.body, number)
        if body != report.body:
            report.body = body
            report.save(update_fields=["body", "updated_at"])
            photo.report.body = body
        names = [photo.thumb.name, photo.web.name, photo.print_image.name]
        storage = photo.thumb.storage
        photo.delete()
        transaction.on_commit(lambda: delete_files(names, storage))


def _renumber_markers(body: str, removed: int) -> str:
    if not any(PHOTO_MARKER_RE.match(line) for line in body.splitlines()):
        return body
    lines = []
    for line in body.splitlines():
        marker = PHOTO_MARKER_RE.match(line)
        if marker:
            number = int(marker.group(1))
            if number == removed:
                continue
            if number > removed:
                line = f"[照片{number - 1}]"
        lines.append(line)
    return "\n".join(lines)


def store_renditions(photo, renditions) -> list[str]:
    """Write ``renditions`` (process_image's) onto ``photo``, unsaved: a
    ReportPhoto or a newsletter's ArticlePhoto, which both keep the three files,
    the size and the sha256. The names of the files written, for
    ``delete_files`` should the row not be saved; a write that fails takes the
    files before it with it."""
    saved: list[str] = []
    try:
        for field in ("thumb", "web", "print_image"):
            # The name given here is ignored: upload_to draws a random one.
            getattr(photo, field).save(
                "photo.jpg", ContentFile(getattr(renditions, field)), save=False
            )
            saved.append(getattr(photo, field).name)
    except BaseException:
        delete_files(saved, photo.thumb.storage)
        raise
    photo.width, photo.height = renditions.width, renditions.height
    photo.sha256 = renditions.sha256
    return saved


def delete_files(names, storage) -> None:
    for name in names:
        if name:
            try:
                storage.delete(name)
            except OSError:  # already gone, or a storage hiccup: never fail the user
                pass
