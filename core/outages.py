"""What the portal says when a part it relies on fails under a user's action:
the job queue (the Celery broker) cannot be reached, or the disk that keeps the
uploads is full. Either way the action changes nothing and the user is told so
in Chinese; the page they came from shows the message (views that catch a
ValidationError show it themselves, portal/failures.py answers the others).

A service that writes files wraps its writes in ``files_kept_or_removed()``:
the files written before the failure are deleted, so no rendition is left on
disk for a photo whose row was not saved, and a full disk becomes
``StorageFull``."""

from __future__ import annotations

import errno
import logging
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("core.outages")

# No space left on the device, or the user's (the portal's) quota reached.
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})

QUEUE_MESSAGE = _(
    "任务队列暂时无法连接，任务没有开始，也没有写入任何数据。"
    "请稍后再试；如果一直这样，请联系管理员。"
)
PHOTO_MESSAGE = _("服务器存储空间已满，照片没有保存。请联系管理员清理空间后再试。")
FILE_MESSAGE = _(
    "服务器存储空间已满，上传的文件没有保存，也没有写入任何数据。"
    "请联系管理员清理空间后再试。"
)


class Unavailable(ValidationError):
    """A part the portal relies on failed; nothing was changed."""

    code = "unavailable"

    def __init__(self, message=None):
        super().__init__(message or self.default_message, code=self.code)


class JobQueueUnavailable(Unavailable):
    code = "queue_unavailable"
    default_message = QUEUE_MESSAGE


class StorageFull(Unavailable):
    code = "storage_full"
    default_message = FILE_MESSAGE


def disk_full(exc: BaseException | None) -> bool:
    """Whether ``exc``, or an error it was raised from, is a full disk."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class WrittenFiles:
    """The files a service has written so far, by storage and name."""

    def __init__(self):
        self.files: list[tuple[object, str]] = []

    def add(self, storage, name: str) -> None:
        if name:
            self.files.append((storage, name))

    def add_field(self, fieldfile) -> None:
        if fieldfile:
            self.add(fieldfile.storage, fieldfile.name)

    def remove(self) -> None:
        for storage, name in reversed(self.files):
            try:
                storage.delete(name)
            except OSError:
                logger.warning("file %s could not be removed after a failure", name)
        self.files.clear()


@contextmanager
def files_kept_or_removed(message=None):
    """Yield a ``WrittenFiles`` to record each file written inside the block.
    If the block raises, every recorded file is deleted; a full disk is raised
    again as ``StorageFull`` with ``message`` (a photo's or a file's)."""
    written = WrittenFiles()
    try:
        yield written
    except BaseException as exc:
        written.remove()
        refuse_if_disk_full(exc, message)
        raise


def refuse_if_disk_full(exc: BaseException, message=None) -> None:
    """Raise ``StorageFull`` from ``exc`` when it is a full disk."""
    if disk_full(exc) and not isinstance(exc, StorageFull):
        logger.warning("the disk is full: an upload was refused (%s)", exc)
        raise StorageFull(message) from exc
