import ipaddress
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from stations.audit import bind_request


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
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class IdleSessionMiddleware:
    """Sign out a user whose session has been idle longer than
    ``SESSION_IDLE_TIMEOUT_MINUTES`` (issue 9, point 3: a staff screen left open
    on a shared computer in a station must not stay signed in).

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
    the service writing them was not handed the request (stations/audit.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with bind_request(request):
            return self.get_response(request)
