import codecs
import functools
import ipaddress
import logging
import string
import sys
import time
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.core.signals import got_request_exception
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from core.audit import bind_request
from core.languages import chosen_language

from . import errors


class TrustedProxyMiddleware:
    """The client's address behind the site's own reverse proxies.

    gunicorn sets REMOTE_ADDR to the address that connected to it: behind nginx
    or a load balancer, the proxy's, the same for every reader, so django-axes
    would lock a username out for everyone and the audit log would name the
    proxy. When the connection comes from one of ``TRUSTED_PROXY_IPS``, the
    client is the right-most address of X-Forwarded-For that is not itself one
    of them (each trusted proxy appends the address it saw; what a client wrote
    there itself stands further left and is ignored). From any other peer, and
    when the header holds nothing usable, REMOTE_ADDR stays as it is. First in
    MIDDLEWARE, before anything reads the address."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = frozenset(settings.TRUSTED_PROXY_IPS)

    def __call__(self, request):
        if self.trusted and request.META.get("REMOTE_ADDR") in self.trusted:
            client = self._client(request.META.get("HTTP_X_FORWARDED_FOR", ""))
            if client:
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)

    def _client(self, header: str) -> str | None:
        for hop in reversed([part.strip() for part in header.split(",")]):
            try:
                address = str(ipaddress.ip_address(hop))
            except ValueError:
                return None
            if address not in self.trusted:
                return address
        return None


class LanguageCookieMiddleware:
    """Chinese unless the user chose otherwise with the footer's switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    reader whose phone is set to English would get English menus around Chinese
    articles. The bureau's interface language is zh-hans (DESIGN.md §9); English
    is there for whoever asks for it, and the choice lives in the language cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        request.LANGUAGE_CODE = language
        # The request's language ends with it: the thread goes back to the one
        # it had, so whatever runs on it next (another request, a job started
        # in the embedded mode's thread, a test) does not speak English because
        # a reader chose it. Responses here are rendered inside get_response;
        # the streamed ones are files.
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


_URLENCODED = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"


@functools.lru_cache(maxsize=64)
def form_codec(charset: str) -> str | None:
    """Python's name for the charset a form declares, when a form body can be
    read in it; None when it cannot: a name Python does not know, a codec that
    is no text encoding (base64, rot13), or one that does not write ASCII as
    ASCII (UTF-16, UTF-7, EBCDIC), in which the body's names, ``=``, ``&`` and
    %-escapes would not read as such."""
    try:
        name = codecs.lookup(charset).name
        if string.printable.encode(name) != string.printable.encode("ascii"):
            return None
    except (LookupError, UnicodeError, ValueError, TypeError):
        return None
    return name


class FormCharsetMiddleware:
    """Read a form posted in the charset it declares, or refuse it with a
    clear 400 page; never a server error.

    Django reads ``application/x-www-form-urlencoded`` bodies as UTF-8 only:
    for any other declared charset (``charset=gbk``, and even ``charset=UTF8``
    spelled so), ``HttpRequest._load_post_and_files`` raises ``BadRequest``.
    That would be a 400, but the pages that answer errors read ``request.POST``
    again: with DEBUG on the technical error page lists the posted fields, and
    with DEBUG off the 400 and 500 views run the CSRF check, which reads the
    token from ``request.POST``. Each time the same exception comes back, and
    the answer is a server error. A charset Python does not know
    (``charset=foo-bar``) is ignored by Django instead, and the body is read as
    UTF-8 with undecodable bytes silently replaced, so a name would be saved
    mangled.

    So every urlencoded POST is decoded here, before anything reads it (first
    of all the CSRF check): strictly, in the declared charset (UTF-8 when none
    is declared; scripts and older clients in China still label their forms
    GBK, GB18030 or Big5), and the fields are put in place as
    ``request.POST``. Everything after sees the same Chinese text whatever the
    charset was, and the request's encoding is UTF-8 again, the encoding of the
    site's own addresses in ``request.GET``. A charset that cannot be read, bytes that are not valid in
    the declared one get the 400 page in Chinese, a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or with more than
    ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields the 413 page, and none reaches
    a view. A multipart form (uploads) is left to Django's parser, which reads
    any charset Python knows; it is refused here only for a charset that
    cannot be read (its limits: ErrorPageMiddleware)."""

    template_name = "portal/form_unreadable.html"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in (
            _URLENCODED,
            _MULTIPART,
        ):
            refusal = self._read(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _read(self, request):
        declared = request.content_params.get("charset")
        codec = "utf-8" if declared is None else form_codec(declared)
        if codec is None:
            return self._refuse(
                request,
                _("浏览器为这份表单声明了本网站无法识别的文字编码，表单内容无法读取。"),
            )
        if request.content_type == _MULTIPART:
            return None
        try:
            body = request.body
        except RequestDataTooBig:
            return self._refuse(
                request,
                _("提交的内容太多，超过了网站能接收的大小。"),
                too_large=True,
            )
        try:
            pairs = parse_qsl(
                body.decode(codec),
                keep_blank_values=True,
                encoding=codec,
                errors="strict",
                max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            )
        except UnicodeDecodeError:
            return self._refuse(
                request,
                _("提交的内容不是有效的 %(charset)s 编码文字，无法读取。")
                % {"charset": codec.upper()},
            )
        except ValueError:  # more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS
            return self._refuse(
                request,
                _("提交的表单项太多，超过了网站能接收的数量。"),
                too_large=True,
            )
        post = QueryDict(mutable=True)
        for name, value in pairs:
            post.appendlist(name, value)
        post._mutable = False  # as Django's own QueryDict.fromkeys leaves it
        # Setting the encoding drops a parsed request.POST: set it first.
        request.encoding = "utf-8"
        request._post, request._files = post, MultiValueDict()
        return None

    def _refuse(self, request, reason, *, too_large=False):
        # Empty fields, so that nothing later (error reporting, logging) tries
        # to read the body again.
        request._post, request._files = QueryDict(), MultiValueDict()
        if too_large:  # the site's 413 page (portal/errors.py)
            return errors.too_large(request, reason)
        return render(request, self.template_name, {"reason": reason}, status=400)


class IdleSessionMiddleware:
    """Sign out a user whose session has been idle longer than
    ``SESSION_IDLE_TIMEOUT_MINUTES`` (a staff screen left open on a shared
    computer in a station must not stay signed in).

    Each request of a signed-in user stamps the time in the session; the stamp is
    rewritten at most once a minute so an active user does not cost a session
    write per request. Anonymous readers never get a session from this.
    Also ends what is left of a session whose user is gone or disabled.
    """

    SESSION_KEY = "_portal_last_seen"
    STAMP_EVERY = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self._check(request)
        return self.get_response(request)

    def _check(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None:
            return
        if not user.is_authenticated:
            # A session still naming a user that no longer signs in (disabled,
            # deleted, password changed elsewhere): drop it.
            if session.get("_auth_user_id") is not None:
                session.flush()
            return
        now = int(time.time())
        last = session.get(self.SESSION_KEY)
        limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
        if isinstance(last, int) and limit > 0 and now - last > limit:
            logout(request)
            request.user = AnonymousUser()
            messages.warning(
                request, _("您已较长时间未操作，为保护数据安全已自动退出，请重新登录。")
            )
            return
        if not isinstance(last, int) or now - last >= self.STAMP_EVERY:
            session[self.SESSION_KEY] = now


class ContentSecurityPolicyMiddleware:
    """Send ``CONTENT_SECURITY_POLICY`` (settings.py) on every HTML response
    that has none of its own. Django 5.2 has no CSP of its own; the policy allows
    scripts and styles from the site's own files only, so nothing injected into a
    page can run. A view that serves something else (media files) sets a
    stricter header itself."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = self.policy
        return response


class AuditRequestMiddleware:
    """Audit rows written while this request runs record its address, even when
    the service writing them was not handed the request (core/audit.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with bind_request(request):
            return self.get_response(request)


_EXCEPTION_KEY = "_error_page_exception"


def _remember_exception(sender, request=None, **kwargs):
    # Django sends this while handling an uncaught exception, in the except
    # block: the exception is at hand, wherever in the stack it was raised.
    if request is not None:
        setattr(request, _EXCEPTION_KEY, sys.exc_info()[1])


got_request_exception.connect(
    _remember_exception, dispatch_uid="portal-error-page-exception"
)


class ErrorPageMiddleware:
    """The site's Chinese error pages (portal/errors.py) in every mode.

    With DEBUG off, Django calls the site's handlers (portal/urls.py) itself.
    With DEBUG on (``make run``), it answers a 404 with its technical page,
    which lists every URL pattern, and an exception with a traceback in English:
    this middleware puts the page a user would see in their place, unless
    ``TECHNICAL_ERROR_PAGES`` (``DJANGO_TECHNICAL_ERRORS=1``) asks for Django's.
    Only Django's technical pages are replaced, each by the page for its
    exception, remembered from ``process_exception`` (raised in a view) or from
    ``got_request_exception`` (raised anywhere else); the traceback still goes
    to the log.

    It also answers an upload form with too many files or fields, or too much
    field data, with the 413 page, before the CSRF check would read the form
    and turn the same exception into a 400; and it gives every error page the
    site's Content-Security-Policy, which an exception raised before
    ContentSecurityPolicyMiddleware would have left without one. Placed after
    LanguageCookieMiddleware, so its pages speak the reader's language."""

    REPLACED = (400, 404, 500)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "error_page", False):
            return self._harden(response)
        if (
            settings.DEBUG
            and not getattr(settings, "TECHNICAL_ERROR_PAGES", False)
            and self._technical(response)
        ):
            exception = getattr(request, _EXCEPTION_KEY, None)
            if exception is None:
                # Not remembered: a 404 of the URL resolver, or a 400 of a
                # SuspiciousOperation raised in a middleware (DisallowedHost).
                exception = Http404() if response.status_code == 404 else BadRequest()
            return self._harden(errors.page_for_exception(request, exception))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.content_type != _MULTIPART:
            return None
        try:
            request.POST  # noqa: B018 - parsed here, as the CSRF check would
        except errors.TOO_LARGE as exc:
            logging.getLogger(f"django.security.{type(exc).__name__}").warning(
                "%s: %s", exc, request.path
            )
            request._post, request._files = QueryDict(), MultiValueDict()
            return errors.too_large(request)
        return None

    def process_exception(self, request, exception):
        setattr(request, _EXCEPTION_KEY, exception)
        return None

    # The line Django's technical 404 and 500 pages (its templates
    # technical_404.html, technical_500.html) have in their head, and no page of
    # the site: a view's own 400 (a form sent back with its errors) stays.
    TECHNICAL_MARK = b'<meta name="robots" content="NONE,NOARCHIVE">'

    def _technical(self, response) -> bool:
        return (
            response.status_code in self.REPLACED
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/")
            and self.TECHNICAL_MARK in response.content[:2000]
        )

    @staticmethod
    def _harden(response):
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = policy
        return response
