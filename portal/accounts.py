"""Accounts: what happens around a login.

- django-axes refuses a username after ``AXES_FAILURE_LIMIT`` failures from one
  address for ``AXES_COOLOFF_TIME`` (settings.py) and shows
  ``registration/locked_out.html`` (``lockout_response``); it keeps its own log of failures and
  lock-outs (admin: 登录保护).
- A signed-in user idle longer than ``SESSION_IDLE_TIMEOUT_MINUTES`` is signed
  out (``portal.middleware.IdleSessionMiddleware``).
- Changing a password ends the user's other sessions: Django keeps a hash of the
  password in each session and drops a session whose hash no longer matches;
  the password-change page keeps only the session it was used from
  (``update_session_auth_hash``).
- The password-change page asks for the old password, so a stolen session could
  guess it there without ever meeting the login's lock-out. Each wrong old
  password counts as a failed login of that user from that address, in axes'
  own records; at the limit the session ends and the account is locked as the
  login would lock it (``PasswordChangeView``).
- Password reset: requests are limited per e-mail address and per client
  address, and reset links that do not check out per client address, with the
  same limit and period as the lock-out (``PasswordResetView``,
  ``PasswordResetConfirmView``).
- Disabling an account ends its sessions: Django's ModelBackend no longer
  returns an inactive user, so every request of an old session is anonymous at
  once, and ``end_sessions_of_disabled_user`` below deletes the stored sessions,
  so enabling the account again does not bring them back.
"""

from __future__ import annotations

import functools
import hashlib
import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials, get_failure_limit
from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from core.audit import client_ip as _audit_client_ip
from core.models import Notification

User = get_user_model()

_WAS_ACTIVE = "_portal_was_active"


def client_ip(request) -> str | None:
    """The address axes counts failures against: the same one the audit log keeps
    (REMOTE_ADDR; see core/audit.py for why X-Forwarded-For is not read)."""
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
    seconds = _cooloff_seconds(request)
    response = render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": (seconds or 0) // 60,
        },
        status=429,
    )
    return _retry_after(response, seconds)


def _retry_after(response, seconds):
    # A 429 says when to come back (none when axes locks for good); like every
    # error page, it is not kept by any cache.
    if seconds:
        response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


def _cooloff_seconds(request) -> int | None:
    # None: axes is set to lock for good (AXES_COOLOFF_TIME = None).
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else None


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password-change page, with the login's lock-out.

    A wrong old password is sent to axes as a failed login of the signed-in
    user (``user_login_failed``, the signal Django's own ``authenticate``
    sends), so it is counted in the same records as failed logins of that
    username from that address, within the same period, and shows in the
    admin's 登录保护 pages. When axes says the limit is reached, the session ends
    and axes' middleware answers with the lock-out page, as it does for the
    login form; the login then refuses the account from that address until the
    cool-off has passed. A user already locked out from this address (by failed
    logins elsewhere in the meantime) gets the same answer before the form is
    even checked.
    """

    def post(self, request, *args, **kwargs):
        if settings.AXES_ENABLED and not AxesProxyHandler.is_allowed(
            request, self._credentials()
        ):
            # As AxesStandaloneBackend marks a refused login.
            request.axes_locked_out = True
            return self._end_session()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            user_login_failed.send(
                sender=__name__, credentials=self._credentials(), request=self.request
            )
            if getattr(self.request, "axes_locked_out", False):
                return self._end_session()
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        if settings.AXES_RESET_ON_SUCCESS:
            # What a successful login clears, and nothing more: this username
            # from this address. Failures of other users, and of this username
            # from other addresses (someone else guessing it), keep counting.
            reset = getattr(
                AxesProxyHandler.get_implementation(), "reset_user_attempts", None
            )
            if reset is not None:
                reset(self.request, self._credentials())
        return response

    def _credentials(self) -> dict:
        return get_credentials(self.request.user.get_username())

    def _end_session(self):
        logout(self.request)
        # Axes' middleware puts the lock-out page in place of this answer
        # (request.axes_locked_out); the login page shows it otherwise.
        return auth_views.redirect_to_login(self.request.get_full_path())


def _throttle_key(scope: str, value: str) -> str:
    # Hashed: the key holds no e-mail address, and its length is bounded.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
    return f"portal:throttle:{scope}:{digest}"


def throttle_count(request, scope: str, *values: str) -> None:
    """Count one attempt against each of ``values`` (an address, an e-mail) in
    the cache, for the lock-out's cool-off period from the first attempt."""
    timeout = _cooloff_seconds(request)
    for value in values:
        key = _throttle_key(scope, value)
        if cache.add(key, 1, timeout):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout)


def throttle_exceeded(request, scope: str, *values: str) -> bool:
    """Whether any of ``values`` has reached the lock-out's failure limit."""
    limit = get_failure_limit(request, None)
    keys = [_throttle_key(scope, value) for value in values]
    return any(count >= limit for count in cache.get_many(keys).values())


def throttled_response(request):
    """The page a throttled password-reset request gets (429), in Chinese."""
    seconds = _cooloff_seconds(request)
    response = render(
        request,
        "registration/password_reset_throttled.html",
        {"cooloff_minutes": (seconds or 0) // 60},
        status=429,
    )
    return _retry_after(response, seconds)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's "forgot password" form, limited to as many requests per e-mail
    address and per client address, in the lock-out's period, as the lock-out
    allows failed logins: each request sends a mail, so without a limit the form
    is a way to flood someone's mailbox. Every well-formed request counts,
    whether or not the address belongs to an account, so the refusal says
    nothing about which addresses do."""

    def form_valid(self, form):
        values = (client_ip(self.request) or "", form.cleaned_data["email"])
        if throttle_exceeded(self.request, "reset-request", *values):
            return throttled_response(self.request)
        throttle_count(self.request, "reset-request", *values)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's "set a new password" form, reached from the e-mailed link. The
    link's token is the secret here: each visit with a token that does not
    check out counts against the client address, and at the lock-out's limit
    every link, valid or not, is refused from that address for the cool-off
    period. Not counted: the form's own address (Django moves the token into
    the session and puts ``set-password`` in its place, so a visit there guesses
    nothing), and a new password the form refuses (too short, too common):
    whoever sees the form holds a valid link already."""

    def dispatch(self, request, *args, **kwargs):
        address = client_ip(request) or ""
        if throttle_exceeded(request, "reset-confirm", address):
            return throttled_response(request)
        response = super().dispatch(request, *args, **kwargs)
        if not self.validlink and kwargs.get("token") != self.reset_url_token:
            throttle_count(request, "reset-confirm", address)
        return response


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


class PortalModelBackend(ModelBackend):
    """Django's ModelBackend, except that the user of a signed-in request is
    loaded with ``unread_notifications``, the number of their unread
    notifications, counted by a subquery of the same query: the header shows it
    on every staff page without a query of its own.

    The statement is written once (``_user_with_unread_sql``) and run raw: the
    same query built with the ORM (``annotate`` of a ``Subquery``) was
    compiled anew on every request, which cost more CPU than loading the user
    and counting in a second query (0.85 ms against 0.25 + 0.3 ms)."""

    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = list(User._default_manager.raw(_user_with_unread_sql(), [pk]))
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None


@functools.cache
def _user_with_unread_sql() -> str:
    """One user by primary key, every column, with their unread notifications
    counted (0 when none)."""
    quote = connection.ops.quote_name
    user, note = User._meta, Notification._meta
    pk = quote(user.pk.column)
    recipient = quote(note.get_field("recipient").column)
    read_at = quote(note.get_field("read_at").column)
    return (
        f"SELECT u.*, (SELECT COUNT(*) FROM {quote(note.db_table)} n"
        f" WHERE n.{recipient} = u.{pk} AND n.{read_at} IS NULL)"
        f" AS unread_notifications FROM {quote(user.db_table)} u WHERE u.{pk} = %s"
    )
