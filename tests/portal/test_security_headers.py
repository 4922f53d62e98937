"""Headers (issue 9, point 6): a Content-Security-Policy with no inline script
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
