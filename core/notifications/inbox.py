"""A user's notifications in the portal: marking them read."""

from __future__ import annotations

from django.utils import timezone


def mark_read(*, user, ids=None, now=None) -> int:
    """Mark ``user``'s notifications read (only ``ids`` when given); returns how
    many were unread."""
    qs = user.notifications.filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=now or timezone.now())
