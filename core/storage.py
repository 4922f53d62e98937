"""The portal's file storage: Django's FileSystemStorage, except that a save
which fails part-way (the disk fills up, the quota is reached, an I/O error)
removes the part it wrote instead of leaving a truncated file that no row
names. Used for MEDIA_ROOT (STORAGES["default"] in portal/settings.py) and for
job files (core/models/jobs.py)."""

from __future__ import annotations

import contextvars
import logging
import os

from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage

logger = logging.getLogger("core.storage")

# The name the save under way in this thread (or task) writes to. Django's
# ``_save`` picks another name itself when the first one is taken meanwhile;
# ``get_available_name`` records it here, so the file removed after a failure
# is always the one this save created.
_target: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "storage_target", default=None
)


class FileSystemStorage(DjangoFileSystemStorage):
    def get_available_name(self, name, max_length=None):
        name = super().get_available_name(name, max_length=max_length)
        target = _target.get()
        if target is not None:
            target[0] = name
        return name

    def _save(self, name, content):
        target = [name]
        # A name taken before the save began is someone else's file: Django
        # then writes under another name, which ``target`` follows.
        existed = os.path.lexists(self.path(name))
        token = _target.set(target)
        try:
            return super()._save(name, content)
        except OSError as exc:
            if isinstance(exc, FileExistsError) or (existed and target[0] == name):
                raise
            self._remove_partial(target[0])
            raise
        finally:
            _target.reset(token)

    def _remove_partial(self, name: str) -> None:
        try:
            os.remove(self.path(name))
        except FileNotFoundError:
            pass  # the failure came before the file was created
        except OSError as exc:
            logger.warning("partial file %s could not be removed (%s)", name, exc)
