"""The services that add, change and delete a report's photos. Trusted code
(``load_demo``, the Word import) adds photos while the report is a draft, like
a worker would, or passes a superuser as ``by``: a superuser may also change
the photos of a report under review."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from activities import permissions
from activities.models import ActivityReport, ReportPhoto, Status
from activities.models.reports import PHOTO_MARKER_RE
from activities.photos.pipeline import Renditions, process_image, read_upload
from core.outages import PHOTO_MESSAGE, refuse_if_disk_full


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


def _new_photo(*, by, caption, shows_people, consent) -> ReportPhoto:
    """An unsaved photo with its caption and consent state checked: the consent
    rule and the caption length are judged before the (slow) image work, so a form
    mistake is reported at once."""
    photo = ReportPhoto(
        caption=(caption or "").strip(),
        shows_people=bool(shows_people),
        consent=bool(consent),
        uploaded_by=by,
    )
    photo.full_clean(
        exclude=["report", "thumb", "web", "print_image", "sha256", "position"]
    )
    return photo


def _place(photo, renditions, existing: list[tuple[str, int]], saved: list[str]):
    """Store ``photo`` as the last of a report whose photos are ``existing``
    ((sha256, position) pairs, read under the report's lock), refusing the same
    picture twice. The names of the files written are added to ``saved``, for
    the caller to delete should its transaction not commit."""
    if any(sha == renditions.sha256 for sha, _position in existing):
        number = [sha for sha, _p in existing].index(renditions.sha256) + 1
        raise ValidationError(
            _("这张照片已经上传过了（照片%(n)d）。") % {"n": number},
            code="duplicate",
        )
    photo.position = max((p for _s, p in existing), default=0) + 1
    saved += store_renditions(photo, renditions)
    photo.full_clean()
    photo.save()
    existing.append((photo.sha256, photo.position))


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
    photo = _new_photo(
        by=by, caption=caption, shows_people=shows_people, consent=consent
    )
    photo.report = report
    # The pixel work runs outside the transaction: no lock is held while Pillow
    # decodes a 20 MB photo.
    renditions = process_image(read_upload(file))

    saved: list[str] = []
    try:
        with transaction.atomic():
            current = _locked_editable_report(report, by)
            existing = list(
                ReportPhoto.objects.filter(report=current).values_list(
                    "sha256", "position"
                )
            )
            _place(photo, renditions, existing, saved)
    except BaseException:
        delete_files(saved, photo.thumb.storage)
        raise
    return photo


@dataclass(frozen=True, slots=True)
class CheckedPhoto:
    """A photo for a report being filed: its file verified and its renditions
    made (``process_image``), nothing stored yet. ``report_create`` stores it."""

    photo: ReportPhoto  # unsaved, without a report or files
    renditions: Renditions


# Long names from a phone's gallery are cut in messages.
NAME_IN_MESSAGE = 60


def photos_check(
    *, by, files, caption: str = "", shows_people=False, consent=False
) -> list[CheckedPhoto]:
    """Judge a batch of uploaded files for a report that does not exist yet, the
    same way ``report_photo_add`` judges one. Every file is looked at, so one
    answer names all that are refused; raises ValidationError (the consent rule,
    or one message per refused file, with its position and name), or returns the
    photos in the order given. Nothing is written."""
    if not files:
        return []
    _new_photo(by=by, caption=caption, shows_people=shows_people, consent=consent)
    checked: list[CheckedPhoto] = []
    refused: list[str] = []
    seen: dict[str, int] = {}
    for position, file in enumerate(files, start=1):
        name = (getattr(file, "name", "") or "")[:NAME_IN_MESSAGE]
        try:
            renditions = process_image(read_upload(file))
        except ValidationError as exc:
            reason = " ".join(exc.messages)
        else:
            first = seen.setdefault(renditions.sha256, position)
            if first == position:
                photo = _new_photo(
                    by=by, caption=caption, shows_people=shows_people, consent=consent
                )
                checked.append(CheckedPhoto(photo=photo, renditions=renditions))
                continue
            reason = _("与第 %(n)d 个文件是同一张照片。") % {"n": first}
        refused.append(
            _("第 %(n)d 个文件（%(name)s）：%(reason)s")
            % {"n": position, "name": name, "reason": reason}
        )
    if refused:
        raise ValidationError(refused, code="photos_refused")
    return checked


def report_photos_store(
    *, report: ActivityReport, photos: list[CheckedPhoto], saved: list[str]
) -> None:
    """Store ``photos`` (``photos_check``'s) as the first photos of ``report``,
    just made in the caller's transaction. The names of the files written are
    added to ``saved``: the caller deletes them should its transaction fail."""
    existing: list[tuple[str, int]] = []
    for checked in photos:
        checked.photo.report = report
        _place(checked.photo, checked.renditions, existing, saved)


def photo_storage():
    """Where report photos' files are kept (the same storage for all three)."""
    return ReportPhoto._meta.get_field("thumb").storage


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
    files before it with it, and a full disk is raised as ``StorageFull`` (a
    ValidationError saying so in Chinese)."""
    saved: list[str] = []
    try:
        for field in ("thumb", "web", "print_image"):
            # The name given here is ignored: upload_to draws a random one.
            getattr(photo, field).save(
                "photo.jpg", ContentFile(getattr(renditions, field)), save=False
            )
            saved.append(getattr(photo, field).name)
    except BaseException as exc:
        delete_files(saved, photo.thumb.storage)
        refuse_if_disk_full(exc, PHOTO_MESSAGE)
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
