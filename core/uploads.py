"""Uploads held between a preview and its confirmation.

An import screen reads the file, shows what it would do (a dry run), and keeps
the file until the user presses 确认: ``upload_hold`` returns a token for the
page's form, and ``upload_take`` hands the file back once, to the same user on
the same screen (``purpose``), and forgets it. A user's new upload on a screen
replaces what they held there; anything held longer than ``HOLD_FOR`` is
deleted, by the next hold and daily by ``prune_jobs`` (``uploads_sweep``).

Files too large for a page go to a background job instead, whose input is kept
with the job (core/models/jobs.py) and swept by the same command.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import HeldUpload

HOLD_FOR = timedelta(days=1)


def upload_hold(
    *, user, purpose: str, name: str, data: bytes, meta: dict | None = None
) -> str:
    """Keep ``data`` for ``user`` on the screen ``purpose``; returns the token
    its confirmation names. What the user held there before, and anyone's
    upload older than ``HOLD_FOR``, is deleted."""
    now = timezone.now()
    HeldUpload.objects.filter(
        Q(user=user, purpose=purpose) | Q(created_at__lt=now - HOLD_FOR)
    ).delete()
    token = uuid.uuid4().hex
    HeldUpload.objects.create(
        token=token,
        user=user,
        purpose=purpose,
        name=(name or "")[:200],
        data=bytes(data),
        meta=meta or {},
    )
    return token


def upload_take(*, user, purpose: str, token: str) -> HeldUpload | None:
    """The upload ``token`` names, if ``user`` held it on ``purpose`` and it is
    not too old; deleted as it is handed over (a token confirms once). None
    otherwise."""
    if not token:
        return None
    held = HeldUpload.objects.filter(
        user=user,
        purpose=purpose,
        token=token,
        created_at__gte=timezone.now() - HOLD_FOR,
    ).first()
    HeldUpload.objects.filter(user=user, token=token).delete()
    return held


def upload_peek(*, user, purpose: str, token: str) -> HeldUpload | None:
    """The upload ``token`` names, if ``user`` holds it on ``purpose`` and it is
    not too old, left held (a preview's pictures are read from it while the
    user decides). None otherwise."""
    if not token:
        return None
    return HeldUpload.objects.filter(
        user=user,
        purpose=purpose,
        token=token,
        created_at__gte=timezone.now() - HOLD_FOR,
    ).first()


def upload_drop(*, user, purpose: str, token: str = "") -> None:
    """Forget what ``user`` held on ``purpose`` (the one ``token`` names, or
    all): the user cancelled."""
    held = HeldUpload.objects.filter(user=user, purpose=purpose)
    if token:
        held = held.filter(token=token)
    held.delete()


def uploads_sweep(*, before) -> int:
    """Delete what nobody confirmed since ``before``; returns how many."""
    deleted, _counts = HeldUpload.objects.filter(created_at__lt=before).delete()
    return deleted
