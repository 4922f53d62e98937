"""Headers: a Content-Security-Policy with no inline script
or style, Referrer-Policy, frame denial and nosniff on every page; and no
template that would need an inline script or style to work."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*["']""", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
JS_URL = re.compile(r"javascript:", re.I)


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in header.split(";")
        if part.strip()
    }


@pytest.mark.parametrize("url_name", ["home", "login", "stations:directory"])
def test_public_pages_send_the_security_headers(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_staff_pages_send_the_policy_too(login, personas):
    response = login(personas.worker).get(reverse("staff:home"))
    assert response.status_code == 200
    assert _policy(response)["script-src"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"


def test_cached_public_pages_keep_the_policy(client, db):
    first = client.get(reverse("home"))
    second = client.get(reverse("home"))
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_templates_are_found():
    assert len(_templates()) > 50


@pytest.mark.parametrize(
    "pattern",
    [INLINE_SCRIPT, STYLE_ATTR, STYLE_ELEMENT, EVENT_HANDLER, JS_URL],
    ids=["inline-script", "style-attribute", "style-element", "on-handler", "js-url"],
)
def test_no_template_needs_inline_script_or_style(pattern):
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in _templates()
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


class TestTheClientBehindTheSitesProxies:
    """TrustedProxyMiddleware: REMOTE_ADDR from X-Forwarded-For only when the
    request came through one of TRUSTED_PROXY_IPS."""

    def _seen(self, settings, remote, forwarded=None):
        from django.http import HttpResponse
        from django.test import RequestFactory

        from portal.middleware import TrustedProxyMiddleware

        settings.TRUSTED_PROXY_IPS = ["10.0.0.5", "10.0.0.6"]
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        request = RequestFactory().get("/", **extra)
        TrustedProxyMiddleware(lambda r: HttpResponse())(request)
        return request.META["REMOTE_ADDR"]

    def test_through_a_trusted_proxy_the_client_is_the_last_untrusted_hop(
        self, settings
    ):
        assert self._seen(settings, "10.0.0.5", "203.0.113.7") == "203.0.113.7"
        # What the client wrote itself stands left of what the proxies added.
        assert (
            self._seen(settings, "10.0.0.5", "1.2.3.4, 203.0.113.7, 10.0.0.6")
            == "203.0.113.7"
        )

    def test_from_anyone_else_the_header_is_ignored(self, settings):
        assert self._seen(settings, "198.51.100.9", "1.2.3.4") == "198.51.100.9"

    def test_a_header_with_nothing_usable_changes_nothing(self, settings):
        assert self._seen(settings, "10.0.0.5") == "10.0.0.5"
        assert self._seen(settings, "10.0.0.5", "unknown") == "10.0.0.5"
        assert self._seen(settings, "10.0.0.5", "10.0.0.6") == "10.0.0.5"

    def test_a_failed_login_counts_against_the_client_not_the_proxy(
        self, settings, client, db
    ):
        from axes.models import AccessAttempt

        settings.TRUSTED_PROXY_IPS = ["127.0.0.1"]
        client.post(
            "/accounts/login/",
            {"username": "nobody", "password": "wrong-password-123"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
        assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
