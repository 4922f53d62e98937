"""A storage whose disk fills up: ``full_after(settings, n)`` lets ``n`` files
be written to MEDIA_ROOT, then every save raises OSError(ENOSPC), as a full
disk does. Returns a function listing the files left under MEDIA_ROOT."""

import errno
import os

from django.core.files.storage import FileSystemStorage


class FullDiskStorage(FileSystemStorage):
    room = 0

    def _save(self, name, content):
        if FullDiskStorage.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        FullDiskStorage.room -= 1
        return super()._save(name, content)


def full_after(settings, n: int):
    FullDiskStorage.room = n
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.disk_full.FullDiskStorage"},
    }
    root = settings.MEDIA_ROOT

    def left():
        return sorted(
            os.path.relpath(os.path.join(d, f), root)
            for d, _dirs, files in os.walk(root)
            for f in files
        )

    return left
