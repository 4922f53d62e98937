"""Accounts: what happens around a login (issue 9, point 3).

- django-axes refuses a username after ``AXES_FAILURE_LIMIT`` failures from one
  address for ``AXES_COOLOFF_TIME`` (settings.py) and shows
  ``registration/locked_out.html`` (``lockout_response``); it keeps its own log of failures and
  lock-outs (admin: Axes).
- A signed-in user idle longer than ``SESSION_IDLE_TIMEOUT_MINUTES`` is signed
  out (``portal.middleware.IdleSessionMiddleware``).
- Changing a password ends the user's other sessions: Django keeps a hash of the
  password in each session and drops a session whose hash no longer matches;
  the password-change page keeps only the session it was used from
  (``update_session_auth_hash``).
- Disabling an account ends its sessions: Django's ModelBackend no longer
  returns an inactive user, so every request of an old session is anonymous at
  once, and ``end_sessions_of_disabled_user`` below deletes the stored sessions,
  so enabling the account again does not bring them back.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone

from stations.audit import client_ip as _audit_client_ip

User = get_user_model()

_WAS_ACTIVE = "_portal_was_active"


def client_ip(request) -> str | None:
    """The address axes counts failures against: the same one the audit log keeps
    (REMOTE_ADDR; see stations/audit.py for why X-Forwarded-For is not read)."""
    return _audit_client_ip(request)


def axes_username(request, credentials=None) -> str | None:
    """The username axes counts failures against, as the login form sent it, cut
    to the length a username can have. Django's login form does not limit the
    length it passes on, and axes stores what it gets in a 255-character
    column: a 5,000-character "username" would be a server error on PostgreSQL
    (found by tests/fuzz). No real account is longer than 150 characters."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if username is None:
        return None
    longest = User._meta.get_field("username").max_length
    return str(username).replace("\x00", "")[:longest]


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (429): in Chinese, saying for how long,
    and naming no account (the form's own username is not echoed back)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes},
        status=429,
    )


def end_sessions_of(user_id) -> int:
    """Delete every stored session signed in as ``user_id``; returns how many.

    The database session backend has no index by user, so each unexpired session
    is decoded: accounts are disabled rarely and sessions are few (one per
    signed-in staff member). With another SESSION_ENGINE (cache, signed cookies)
    nothing is stored here to delete, and the inactive check of ModelBackend is
    what ends them."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0
    wanted = str(user_id)
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == wanted
    ]
    if doomed:
        Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


@receiver(user_logged_in, dispatch_uid="portal_accounts_stamp_login")
def _stamp_login(sender, request, user, **kwargs):
    # The idle clock starts at the login itself (portal/middleware.py).
    from .middleware import IdleSessionMiddleware

    if getattr(request, "session", None) is not None:
        request.session[IdleSessionMiddleware.SESSION_KEY] = int(time.time())


@receiver(pre_save, sender=User, dispatch_uid="portal_accounts_remember_active")
def _remember_active(sender, instance, raw=False, update_fields=None, **kwargs):
    # A save that cannot touch is_active (the last_login stamp of every login)
    # costs no query.
    if raw or instance.pk is None:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    previous = sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True)
    setattr(instance, _WAS_ACTIVE, next(iter(previous), None))


@receiver(post_save, sender=User, dispatch_uid="portal_accounts_end_disabled_sessions")
def end_sessions_of_disabled_user(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    if getattr(instance, _WAS_ACTIVE, None) and not instance.is_active:
        end_sessions_of(instance.pk)
