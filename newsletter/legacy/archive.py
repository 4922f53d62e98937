"""``archive_import``: a bureau's archive of past issues, a .zip of their files
(.txt, .docx, .doc, .wps, .pdf, .jpg/.jpeg/.png scans, mixed), one issue per
file, each through ``services.issue_import``, which tells the formats apart.

- Each file is its own batch: an issue is written whole or not at all, and a
  file that fails does not undo the ones before it. The result says, per file:
  ``imported`` (published, with the issue); ``draft`` (imported, but kept as a
  draft for an editor: the privacy gate found something, or the text needs
  checking); ``skipped`` (the issue is already there: the same file by SHA-256,
  so running the archive again after a crash adds nothing twice, or another
  file of the same year and number, such as 2023年第4期.pdf beside
  2023年第4期.doc; the detail names the issue that has it); or ``failed``
  and why. A dry run says ``checked`` for a file that would be imported.
- Files go in natural order of their names (第2期 before 第10期), so the
  archive's order decides which of two copies of an issue is imported.
- The zip is checked before anything is read: no more than ``MAX_FILES`` files,
  none larger than the single-file limit, names from Chinese Windows (GBK, not
  flagged UTF-8) read correctly. Folders, macOS resource forks and hidden files
  are passed over; any other kind of file is listed as failed.
- A full disk stops the archive at the file it met: the issues imported before
  it stay, that file and the rest are listed as not imported, and the entry
  that met it carries the reason (``stopped_by``) for the job to say once.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.outages import StorageFull, refuse_if_disk_full
from newsletter.services.legacy import IMPORT_DISK_FULL, issue_import
from stations.permissions import require

from .. import permissions
from ..models import Issue, Publication
from .source import MAX_DOCX_BYTES

logger = logging.getLogger(__name__)

MAX_FILES = 600  # fifty years of monthly issues
ARCHIVE_MAX_BYTES = 500 * 1024 * 1024
ACCEPTED = (".txt", ".docx", ".doc", ".wps", ".pdf", ".jpg", ".jpeg", ".png")
IMPORTED, DRAFT, SKIPPED, CHECKED, FAILED = (
    "imported",
    "draft",
    "skipped",
    "checked",
    "failed",
)


@dataclass
class ArchiveEntry:
    name: str
    status: str
    detail: str = ""
    issue: Issue | None = None
    # Why the archive stopped here (the disk is full); said once by the caller.
    stopped_by: str = ""

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "detail": self.detail,
            "url": self.issue.get_absolute_url() if self.issue else "",
        }


def _name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author saw it. Without the UTF-8 flag, zipfile
    decodes as cp437; Chinese Windows wrote GBK."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437", errors="replace")
        for encoding in ("utf-8", "gb18030"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return name


def _natural(name: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _passed_over(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        name.endswith("/")
        or "__MACOSX" in path.parts
        or any(part.startswith(".") for part in path.parts)
        or path.name.lower() in {"thumbs.db", "desktop.ini"}
    )


def archive_members(data: bytes) -> list[tuple[str, zipfile.ZipInfo]]:
    """The files of the archive to import, in order; ValidationError in Chinese
    when it is not a zip or is too big."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationError(_("无法读取这个压缩包，请上传 .zip 文件。")) from exc
    members = [
        (_name(info), info)
        for info in archive.infolist()
        if not info.is_dir() and not _passed_over(_name(info))
    ]
    if not members:
        raise ValidationError(_("压缩包里没有文件。"))
    if len(members) > MAX_FILES:
        raise ValidationError(
            _("压缩包里的文件太多（%(n)d 个，上限 %(max)d 个），请分成几个压缩包。")
            % {"n": len(members), "max": MAX_FILES}
        )
    return sorted(members, key=lambda member: _natural(member[0]))


def archive_import(
    *,
    publication: Publication,
    data: bytes,
    by,
    dry_run: bool = False,
    progress=None,
) -> list[ArchiveEntry]:
    """Import (or with ``dry_run`` only check) every issue of the archive
    ``data``; see the module docstring. ``by`` is an editor of the publication's
    city (checked), or None for the operator at the console."""
    if by is not None:
        require(permissions.can_edit_publication(by, publication))
    members = archive_members(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    total = len(members)
    results = []
    for n, (name, info) in enumerate(members):
        if progress is not None:
            progress(
                n, total, _("第 %(n)d 个文件：%(name)s") % {"n": n + 1, "name": name}
            )
        try:
            results.append(_one(archive, name, info, publication, by, dry_run))
        except StorageFull as exc:
            # No room for this issue's pictures, nor for any after it.
            not_done = _("未导入：存储空间已满，见上方说明。")
            results += [
                ArchiveEntry(rest, FAILED, not_done) for rest, _i in members[n:]
            ]
            results[n].stopped_by = " ".join(exc.messages)
            break
    if progress is not None:
        progress(total, total, _("完成"))
    return results


def _one(archive, name, info, publication, by, dry_run) -> ArchiveEntry:
    filename = PurePosixPath(name).name
    if not filename.lower().endswith(ACCEPTED):
        return ArchiveEntry(
            name,
            FAILED,
            _("只能导入 %(kinds)s 文件。") % {"kinds": "、".join(ACCEPTED)},
        )
    if info.file_size > MAX_DOCX_BYTES:
        return ArchiveEntry(
            name,
            FAILED,
            _("文件太大（上限 %(mb)d MB）。") % {"mb": MAX_DOCX_BYTES // (1024 * 1024)},
        )
    try:
        source = archive.read(info)
        result = issue_import(
            publication=publication,
            source=source,
            filename=filename,
            by=by,
            dry_run=dry_run,
            skip_taken=True,
        )
    except StorageFull:
        raise
    except ValidationError as exc:
        return ArchiveEntry(name, FAILED, "；".join(exc.messages))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        refuse_if_disk_full(exc, IMPORT_DISK_FULL)
        logger.warning("archive member could not be read: %s", type(exc).__name__)
        return ArchiveEntry(name, FAILED, _("压缩包中的这个文件已损坏，无法读取。"))
    except Exception:  # noqa: BLE001 - one unreadable file must not stop the rest
        # Its issue was written in one transaction, now rolled back.
        logger.exception("archive member failed to import")
        return ArchiveEntry(
            name, FAILED, _("读取这个文件时出错，没有导入。请单独导入它查看原因。")
        )
    if result.skipped:
        return ArchiveEntry(name, SKIPPED, result.warnings[0], result.issue)
    if dry_run:
        if result.errors:
            return ArchiveEntry(name, FAILED, "；".join(result.errors))
        return ArchiveEntry(name, CHECKED, result.summary())
    # What the import left the issue as, whatever kept it a draft.
    status = DRAFT if result.issue.status == Issue.Status.DRAFT else IMPORTED
    return ArchiveEntry(name, status, result.summary(), result.issue)
