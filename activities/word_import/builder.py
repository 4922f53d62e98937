"""``report_from_word``: a draft report filed from what ``read_docx`` found, its
pictures added as the report's photos in their places."""

from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities import services
from core.outages import StorageFull, files_kept_or_removed

from ..models import ActivityReport
from .reader import read_docx

WORD_DISK_FULL = gettext_lazy(
    "服务器存储空间已满，没有生成草稿，图片也没有保存。请联系管理员清理空间后再试。"
)


class WordImportResult(NamedTuple):
    report: ActivityReport
    warnings: list[str]


def _extension(data: bytes) -> str:
    """The file extension the picture's bytes call for; the photo pipeline reads
    the content, the name only has to be honest."""
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith(b"BM"):
        return "bmp"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "bin"


def _body(blocks, accepted: set[int]) -> str:
    """The body markup: one block a line, "[照片N]" where the N-th photo kept
    stands (N counts only the pictures the photo pipeline accepted, as the
    report's photos do)."""
    lines = []
    photo_number = 0
    for kind, value in blocks:
        if kind == "image":
            if value.number in accepted:
                photo_number += 1
                lines.append(f"[照片{photo_number}]")
        else:
            lines.append(value)
    return "\n".join(lines)


def report_from_word(*, data: bytes, unit, by, kind) -> WordImportResult:
    """File a draft for ``unit`` from a .docx: its title, subtitle and body, and
    its pictures as the report's photos in their places. The start date is today
    and the worker corrects it. Pictures the photo pipeline refuses are skipped
    and named in the warnings; a file that cannot be read, or a report that
    cannot be created, writes nothing (ValidationError / PermissionDenied). A
    full disk refuses the whole file (``StorageFull``): no draft, and the
    pictures stored before it are removed."""
    parsed = read_docx(data)
    warnings = list(parsed.warnings)
    images = parsed.images
    # The atomic block inside: its rows are rolled back before the files go.
    with files_kept_or_removed(WORD_DISK_FULL) as written, transaction.atomic():
        report = ActivityReport(
            title=parsed.title,
            subtitle=parsed.subtitle,
            start_date=timezone.localdate(),
            kind=kind,
            body=_body(parsed.blocks, {image.number for image in images}),
        )
        services.report_create(report=report, unit=unit, by=by)
        accepted: set[int] = set()
        for image in images:
            file = ContentFile(
                bytes(image), name=f"word-image-{image.number}.{_extension(image)}"
            )
            try:
                # A savepoint per picture: a refused one leaves the draft intact.
                with transaction.atomic():
                    photo = services.report_photo_add(report=report, by=by, file=file)
            except StorageFull as exc:
                # Every picture after this one would fail alike: nothing is kept.
                raise StorageFull(WORD_DISK_FULL) from exc
            except ValidationError as exc:
                reason = "；".join(str(m) for m in exc.messages)
                warnings.append(
                    _("第 %(n)d 张图片无法使用（%(reason)s），已跳过。")
                    % {"n": image.number, "reason": reason}
                )
            else:
                accepted.add(image.number)
                for field in (photo.thumb, photo.web, photo.print_image):
                    written.add_field(field)
        if len(accepted) < len(images):
            report.body = _body(parsed.blocks, accepted)
            services.report_update(report=report, by=by)
    return WordImportResult(report, warnings)
