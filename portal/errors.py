"""The site's error pages: Chinese, in the site's layout, each saying what
happened and offering a way back (home, the staff home for a signed-in user,
the page the reader came from).

Django calls these as its error handlers (portal/urls.py ``handler400`` …
``handler500``) and as ``CSRF_FAILURE_VIEW``. With ``DEBUG`` on, Django shows
its technical pages instead, the 404 one listing every URL pattern;
``ErrorPageMiddleware`` (portal/middleware.py) puts these pages in their place
unless ``TECHNICAL_ERROR_PAGES`` is set, so ``make run`` shows what users see.

Every page is sent ``no-store``: a 404 for a signed-in user shows their header,
and none of them is worth keeping. A page that cannot be rendered with the
request (the database does not answer while the header asks for the user) is
rendered without it, and failing that, as one line of plain text: an error page
never fails in its turn.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core import logcontext

logger = logging.getLogger(__name__)

# What a body too large or too many fields or files raises: a 413, not a 400.
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
# What a database that does not answer raises: a 503 with Retry-After.
DATABASE_DOWN = (OperationalError, InterfaceError)
# Seconds a client is asked to wait before trying again after a 503.
RETRY_AFTER_SECONDS = 60


def render_page(
    request,
    status: int,
    *,
    template: str | None = None,
    context: dict | None = None,
    personal: bool = True,
    headers: dict | None = None,
) -> HttpResponse:
    """The error page for ``status``. ``personal``: rendered with the request
    (the signed-in user's header, the CSRF token of its logout form); a 500 or
    503 is not, so it needs neither the session nor the database."""
    name = template or f"{status}.html"
    page = {
        **_ways_back(request, personal=personal),
        # What the reader quotes to an administrator, who finds the request's
        # log lines by it (portal/logging.py).
        "request_id": getattr(request, "request_id", None) or logcontext.current_id(),
        **(context or {}),
    }
    try:
        html = loader.render_to_string(name, page, request if personal else None)
    except Exception:  # noqa: BLE001 - an error page must not fail in turn
        logger.exception("The %s page failed with the request; without it.", status)
        try:
            html = loader.render_to_string(name, page)
        except Exception:  # noqa: BLE001
            logger.exception("The %s page could not be rendered.", status)
            html = _("出错了，请稍后再试。")
            response = HttpResponse(
                html, status=status, content_type="text/plain; charset=utf-8"
            )
            return _finish(response, headers)
    return _finish(HttpResponse(html, status=status), headers)


def _finish(response: HttpResponse, headers: dict | None) -> HttpResponse:
    for key, value in (headers or {}).items():
        response[key] = value
    add_never_cache_headers(response)
    # Known to ErrorPageMiddleware: a page of ours, not Django's technical one.
    response.error_page = True
    return response


def _ways_back(request, *, personal: bool) -> dict:
    """The links a page offers: the staff home for a signed-in user (or, on a
    page that does not ask who the user is, for an address under /staff/), and
    the previous page when the browser said which one of this site it was."""
    path = getattr(request, "path", "") or ""
    signed_in = False
    if personal:
        try:
            signed_in = request.user.is_authenticated
        except Exception:  # noqa: BLE001 - no user, or the database is down
            signed_in = False
    return {
        "show_staff_home": signed_in or path.startswith("/staff/"),
        "back_url": _back_url(request),
    }


def _back_url(request) -> str | None:
    if request is None:
        return None
    referer = request.META.get("HTTP_REFERER", "")
    try:
        here = request.build_absolute_uri()
        host = request.get_host()
    except Exception:  # noqa: BLE001 - DisallowedHost among others
        return None
    if not referer or referer == here:
        return None
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return None
    return referer


def database_down(exception) -> bool:
    return isinstance(exception, DATABASE_DOWN)


def page_for_exception(request, exception) -> HttpResponse:
    """The page an exception is answered with, as Django would answer it
    with DEBUG off."""
    if isinstance(exception, Http404):
        return page_not_found(request, exception)
    if isinstance(exception, PermissionDenied):
        return permission_denied(request, exception)
    if isinstance(exception, (SuspiciousOperation, BadRequest, MultiPartParserError)):
        return bad_request(request, exception)
    if database_down(exception):
        return service_unavailable(request)
    return _server_error_page(request)


# --- The handlers (portal/urls.py) --------------------------------------------------


def bad_request(request, exception=None):
    if isinstance(exception, TOO_LARGE):
        return too_large(request)
    return render_page(request, 400)


def permission_denied(request, exception=None):
    return render_page(request, 403)


def page_not_found(request, exception=None):
    return render_page(request, 404)


def server_error(request):
    """handler500: Django calls it while handling the exception, so the
    exception is at hand; a database that does not answer is a 503."""
    if database_down(sys.exc_info()[1]):
        return service_unavailable(request)
    return _server_error_page(request)


def _server_error_page(request):
    return render_page(request, 500, personal=False)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form's check code did not match (``reason`` is
    Django's English explanation, for the log only)."""
    logger.warning("CSRF failure at %s: %s", getattr(request, "path", ""), reason)
    return render_page(request, 403, template="403_csrf.html")


# --- Pages the site sends itself ---------------------------------------------------


def too_large(request, reason: str = ""):
    """413: the body is over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (form fields) or
    holds more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields or
    ``DATA_UPLOAD_MAX_NUMBER_FILES`` files."""
    return render_page(
        request,
        413,
        context={
            "reason": reason,
            "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        },
    )


def too_many_requests(request, *, retry_after: int | None = None):
    """429, for a limit that has no page of its own (the login's lock-out and
    the password reset's limit have theirs, portal/accounts.py)."""
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    minutes = -(-retry_after // 60) if retry_after else None
    return render_page(
        request, 429, context={"retry_minutes": minutes}, headers=headers
    )


def service_unavailable(request):
    """503: the database does not answer. Rendered without the request, since
    the session and the user live in the database."""
    return render_page(
        request,
        503,
        personal=False,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
